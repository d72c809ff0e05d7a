"""Store URLs: what names a store, and what a mistyped one is told."""

from __future__ import annotations

import pytest

from iphub.store import StoreURLError, check_store_url


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///var/iphub.db",
        "sqlite:////srv/iphub/iphub.db",
        "http://127.0.0.1:9200",
        "https://es.example.org/iphub-prod",
    ],
)
def test_urls_that_name_a_store_pass_unchanged(url: str) -> None:
    assert check_store_url(url) == url


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("/srv/iphub/iphub.db", "(sqlite:////srv/iphub/iphub.db?)"),
        ("var/iphub.db", "(sqlite:///var/iphub.db?)"),
        ("sqlite:///", "names no database file"),
        ("sqlite:///var/", "names no database file"),
        ("sqlite://var/iphub.db", "unsupported store URL"),
        ("postgres://localhost/iphub", "unsupported store URL"),
        ("http://:9200", "names no host"),
        ("http://localhost:92OO", "store URL 'http://localhost:92OO'"),
        ("", "unsupported store URL ''"),
    ],
)
def test_a_url_that_names_no_store_says_why(url: str, says: str) -> None:
    with pytest.raises(StoreURLError) as caught:
        check_store_url(url)
    assert says in str(caught.value)
    assert "sqlite:///path/to/file.db" in str(caught.value) or "92OO" in url
