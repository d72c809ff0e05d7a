"""Enrichment: segmentation, keywords, industries, applicants, regions, marks."""

from iphub.native import install

install()  # compiled modules first, when built and fresh (iphub.native)
