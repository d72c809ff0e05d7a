"""The console script turns a store it cannot use into one line: exit code 3 for a store that
cannot answer or be opened, 2 for a store URL that names none."""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from iphub.config import Settings
from iphub.store.elastic_admin import mapping
from iphub.store.embedded import EmbeddedStore
from search_api.alerts.db import open_db
from tests.utils.elastic import es_url, fresh_index, needs_elasticsearch, web_server

ROOT = Path(__file__).parents[1]
RESUME_HINT = "run the same command again to resume"


def _iphub(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The console script run as a user runs it; a wide terminal keeps each message on a line."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "iphub.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
        env={**os.environ, "COLUMNS": "400", **env},
    )


def test_unreachable_store_is_a_one_line_error() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = _iphub("search", "电池", "--store", f"http://127.0.0.1:{port}")
    assert result.returncode == 3
    assert "store unavailable" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_store_url_of_a_web_server_that_is_not_elasticsearch_is_one_line() -> None:
    """``--store`` on the port of another web server (here Python's http.server, which answers
    the index's creation with 501): a traceback through ``elastic_admin._create`` ending in
    ``ApiError(501, …)``, exit code 1. Now the store cannot be used: one line, exit code 3."""
    with web_server() as url:
        for args in (("ingest", "tests/fixtures/ingest/uspto-weekly.xml"), ("info",)):
            result = _iphub(*args, "--store", url)
            assert result.returncode == 3, (args, result.stderr)
            assert (
                f"存储不可用 / store unavailable: {url} 不是 Elasticsearch / {url} does not answer"
                " as Elasticsearch (HTTP 501, no X-Elastic-Product header)" in result.stderr
            )
            assert "Traceback" not in result.stderr


def test_a_load_into_elasticsearch_that_is_not_there_says_so_in_one_line(tmp_path: Path) -> None:
    """urllib3's text over six lines, then "run the same command again to resume", though no
    run began: now the server and the cause, in one line (in a log of 80 columns too), and no
    hint to resume; from the console script's own handler (``info``) alike."""
    port = _port_nobody_listens_on()
    args = ("tests/fixtures/ingest", "--quarantine-dir", str(tmp_path / "q"))
    for command in (("ingest", *args), ("info",)):
        result = _iphub(*command, "--store", f"http://127.0.0.1:{port}", COLUMNS="80")
        assert result.returncode == 3
        said = [line for line in result.stderr.splitlines() if "store" in line]
        assert said == [
            "存储不可用 / store unavailable: 无法连接 / cannot connect to "
            f"Elasticsearch at http://127.0.0.1:{port}: Connection refused"
        ], result.stderr
        assert RESUME_HINT not in result.stderr
        assert "Traceback" not in result.stderr


@needs_elasticsearch
@pytest.mark.elastic
def test_a_load_into_an_index_to_rebuild_says_to_rebuild_it_and_no_more(tmp_path: Path) -> None:
    """An index of an older mapping version: "run `iphub reindex` …", then "run the same
    command again to resume …", which would fail the same way. Now only the first."""
    index = fresh_index("iphub-test-cli")
    body = copy.deepcopy(mapping("patents"))
    body["mappings"]["_meta"]["version"] = 0
    es = Elasticsearch(es_url())
    try:
        es.indices.create(
            index=f"{index}-patents-v0", mappings=body["mappings"],
            aliases={f"{index}-patents": {}}, settings=body["settings"],
        )  # fmt: skip
        args = ("tests/fixtures/ingest", "--quarantine-dir", str(tmp_path / "q"))
        result = _iphub("ingest", *args, "--store", f"{es_url()}/{index}")
        assert result.returncode == 3, result.stderr
        assert "mapping version 0" in result.stderr
        assert "run `iphub reindex --store URL` to rebuild it" in result.stderr
        assert RESUME_HINT not in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        es.indices.delete(index=f"{index}-*", ignore_unavailable=True, allow_no_indices=True)
        es.close()


def test_a_path_given_as_store_is_a_usage_error_that_shows_the_url(tmp_path: Path) -> None:
    result = _iphub("search", "电池", "--store", str(tmp_path / "iphub.db"))
    assert result.returncode == 2
    assert "unsupported store URL" in result.stderr
    assert f"(sqlite:///{tmp_path / 'iphub.db'}?)" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_index_name_elasticsearch_refuses_is_a_usage_error() -> None:
    """``--store http://…/UPPER`` (or ``/a/b``, ``/_x``) went to Elasticsearch, whose
    ``invalid_index_name_exception`` came out as a traceback: now it is refused before any
    request, as a URL that names no store is, and from the environment in one line."""
    url = f"http://127.0.0.1:{_port_nobody_listens_on()}"
    for args in (("info",), ("search", "电池"), ("ingest", "tests/fixtures/ingest")):
        result = _iphub(*args, "--store", f"{url}/UPPER")
        assert result.returncode == 2, (args, result.stderr)
        assert "索引名 'UPPER' 无效：须为小写 / store URL" in result.stderr
        assert "Traceback" not in result.stderr
    for path, says in (("a/b", "may not contain '/'"), ("_x", "may not start with _, - or +")):
        result = _iphub("info", IPHUB_STORE=f"{url}/{path}")
        assert result.returncode == 2, result.stderr
        assert says in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_command_that_reads_names_a_store_that_is_not_there(tmp_path: Path) -> None:
    """A mistyped path is said to be one, not created empty and searched ("0 hits")."""
    url = f"sqlite:///{tmp_path / 'typo.db'}"
    for args in (("search", "电池"), ("info",), ("retag",), ("report", "--year", "2024")):
        result = _iphub(*args, "--store", url)
        assert result.returncode == 3, args
        assert f"no store at {tmp_path / 'typo.db'}: 先载入数据 / load one first" in result.stderr
        assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_bad_store_url_in_the_environment_is_one_line() -> None:
    result = _iphub("search", "电池", IPHUB_STORE="sqlite:///")
    assert result.returncode == 2
    assert "names no database file" in result.stderr
    assert "Traceback" not in result.stderr


def test_list_settings_take_comma_separated_values(tmp_path: Path) -> None:
    """``IPHUB_WEBHOOK_ALLOW=127.0.0.1/32``, as the docs show it, must not crash every command."""
    for env in (
        {"IPHUB_WEBHOOK_ALLOW": "127.0.0.1/32"},
        {"IPHUB_WEBHOOK_ALLOW": "10.0.0.0/8, intranet.local"},
        {"IPHUB_TRUSTED_PROXIES": "10.0.0.1"},
        {"IPHUB_TRUSTED_PROXIES": '["10.0.0.1", "10.0.0.2"]'},
    ):
        result = _iphub("info", "--store", f"sqlite:///{tmp_path / 'none.db'}", **env)
        assert result.returncode == 3, (env, result.stderr)  # got as far as looking for the store
        assert "no store at" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_bad_setting_in_the_environment_is_one_line() -> None:
    for name, value in (
        ("IPHUB_WEBHOOK_ALLOW", "[127.0.0.1/32"),
        ("IPHUB_WEBHOOK_ALLOW", "10.0.0.0/33"),
        ("IPHUB_PORT", "eighty"),
    ):
        result = _iphub("info", **{name: value})
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().startswith("环境变量取值无效 / invalid environment setting: ")
        assert f"{name}={value!r}" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def test_a_store_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    result = _iphub("info", "--store", f"sqlite:///{tmp_path}")  # a directory
    assert result.returncode == 3
    assert f"cannot open {tmp_path}: unable to open database file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_second_load_into_a_store_being_written_is_refused(tmp_path: Path) -> None:
    loading = EmbeddedStore(tmp_path / "iphub.db")
    try:
        loading.begin_batch("ingest:auto")  # holds the writer, as a running `iphub ingest` does
        data = tmp_path / "one.jsonl"
        data.write_text('{"申请号": "CN201710117081.7", "名称": "一种爬虫系统"}\n', "utf-8")
        result = _iphub("ingest", str(data), "--store", f"sqlite:///{tmp_path / 'iphub.db'}")
        assert result.returncode == 3
        assert "another process is writing" in result.stderr
        assert RESUME_HINT not in result.stderr  # it never began: wait, then run it
        assert "Traceback" not in result.stderr
        assert len(loading.batches()) == 1
    finally:
        loading.close()


def test_serve_says_in_one_line_that_its_store_cannot_be_opened(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    result = _iphub("serve", "--no-worker", IPHUB_STORE=f"sqlite:///{tmp_path}", IPHUB_PORT=port)
    assert result.returncode == 3
    assert f"cannot open {tmp_path}" in result.stderr
    assert "Traceback" not in result.stderr
    assert "serving on" not in result.stdout  # it said so before it started, not after


def _port_nobody_listens_on() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_alerts_match_names_an_unknown_batch(tmp_path: Path) -> None:
    """A mistyped batch id matched nothing and said "matches": 0, as if all were well."""
    store = EmbeddedStore(tmp_path / "iphub.db")
    batch = store.begin_batch("test")
    store.finish_batch(batch, 0)
    store.close()
    common = ("--store", f"sqlite:///{tmp_path / 'iphub.db'}", "--db", f"sqlite:///{tmp_path}/a.db")
    result = _iphub("alerts", "match", "--batch", "nosuch", *common)
    assert result.returncode == 2
    assert "没有此批次 / unknown batch 'nosuch'" in result.stderr
    assert "matches" not in result.stdout
    assert not (tmp_path / "a.db").exists()
    result = _iphub("alerts", "match", "--batch", batch, *common)
    assert result.returncode == 0, result.stderr
    assert '"matches": 0' in result.stdout


def test_a_bad_alerts_database_is_one_line(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'iphub.db'}"
    EmbeddedStore(tmp_path / "iphub.db").close()
    for args, code, says in (
        (("match", "--batch", "x", "--db", "bogus://x"), 2, "unsupported alerts database URL"),
        (("match", "--batch", "x", "--db", "sqlite:///"), 2, "names no database file"),
        (
            ("owner", "y", "--db", f"postgresql://nouser@127.0.0.1:{_port_nobody_listens_on()}/x"),
            3,
            "预警数据库不可用 / alerts database unavailable: postgresql://nouser@127.0.0.1:",
        ),
        (
            ("run", "--db", f"sqlite:///{tmp_path}/no/dir/a.db", "--idle-exit", "1"),
            3,
            f"no folder {tmp_path}/no/dir for the alerts database",
        ),
    ):
        result = _iphub("alerts", *args, "--store", store)
        assert result.returncode == code, (args, result.stderr)
        assert says in result.stderr, args
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "no").exists()  # a mistyped folder is said to be one, not created


def test_the_default_alerts_database_of_an_elasticsearch_store_opens_on_a_fresh_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beside an Elasticsearch store the alerts live in ``var/alerts.db``: a folder iphub
    chose, so made, where a named database's missing folder is refused (above)."""
    monkeypatch.chdir(tmp_path)  # a fresh checkout: no var/ yet
    db = open_db(Settings(store="http://127.0.0.1:9200").alerts_url())
    db.close()
    assert (tmp_path / "var" / "alerts.db").is_file()


def test_an_owner_needs_a_name(tmp_path: Path) -> None:
    for name in ("", "   "):
        result = _iphub("alerts", "owner", name, "--db", f"sqlite:///{tmp_path}/a.db")
        assert result.returncode == 2
        assert "所有者名称不能为空 / the owner needs a name" in result.stderr
    assert not (tmp_path / "a.db").exists()
