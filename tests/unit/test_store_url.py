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
        "http://127.0.0.1:9200/iphub-test-ingest-0a1b2c/",
        "http://127.0.0.1:9200/专利.v2",  # lower case is all Elasticsearch asks of letters
        "http://127.0.0.1:9200/",
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


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://127.0.0.1:9200/UPPER", "索引名 'UPPER' 无效：须为小写 / store URL "
         "'http://127.0.0.1:9200/UPPER': index name 'UPPER' must be lower case"),
        ("http://127.0.0.1:9200/a/b", "index name 'a/b' may not contain '/'"),
        ("http://127.0.0.1:9200/a b,c", "index name 'a b,c' may not contain ' ' ','"),
        ("http://127.0.0.1:9200/a:b", "may not contain ':'"),
        ("http://127.0.0.1:9200/a*", "may not contain '*'"),
        ("http://127.0.0.1:9200/_x", "index name '_x' may not start with _, - or +"),
        ("http://127.0.0.1:9200/-x", "may not start with _, - or +"),
        ("http://127.0.0.1:9200/+x", "may not start with _, - or +"),
        ("http://127.0.0.1:9200/.", "index name '.' may not be . or .."),
        ("http://127.0.0.1:9200/..", "may not be . or .."),
        ("http://127.0.0.1:9200/" + "x" * 236, "too long (236 bytes, at most 235)"),
        ("http://127.0.0.1:9200/" + "专" * 79, "too long (237 bytes, at most 235)"),
        ("http://127.0.0.1:9200/a#b", "takes no query or fragment: its path is the index name"),
        ("http://127.0.0.1:9200/a?b", "takes no query or fragment"),
        ("http://127.0.0.1:9200/?", "takes no query or fragment"),
    ],
)  # fmt: skip
def test_an_index_name_elasticsearch_refuses_is_said_before_it_is_asked(
    url: str, says: str
) -> None:
    """Elasticsearch answered such a name with ``invalid_index_name_exception``, which came out
    as a traceback: the URL is refused where it is checked, in one line, Chinese first."""
    with pytest.raises(StoreURLError) as caught:
        check_store_url(url)
    assert says in str(caught.value)
    assert str(caught.value).startswith(("索引名", "存储地址不能带"))
