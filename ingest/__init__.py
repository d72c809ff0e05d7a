"""Bulk loaders and crawls: formats, parsers, workers, quarantine, checkpoints."""

from iphub.native import install

install()  # compiled modules first, when built and fresh (iphub.native)
