"""iphub: the platform's records, query language, stores, search and statistics."""

from iphub.native import install

install()  # compiled modules first, when built and fresh (iphub.native)
