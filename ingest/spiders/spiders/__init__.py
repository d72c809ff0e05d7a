"""The iphub spiders: ``gazette`` (announcement listings) and ``patent_pages`` (record pages)."""
