"""Alerts: subscriptions, matching after ingest batches, and delivery (webhook, e-mail, Atom)."""
