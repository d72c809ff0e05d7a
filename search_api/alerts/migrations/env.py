"""Alembic environment: run on the connection :func:`search_api.alerts.db.migrate` passes in."""

from __future__ import annotations

from alembic import context

from search_api.alerts import watch_models  # noqa: F401 - registers the record-watch tables
from search_api.alerts.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
