"""Telling a file's format from its first bytes (``ingest.formats.sniff``)."""

from __future__ import annotations

import json
from pathlib import Path

from ingest import formats

PATENT = {
    "ApplicationNumber": "CN201710117081.7",
    "PublicationNumber": "CN106844774A",
    "Title": "一种电池",
    "KindCodeDesc": "发明公布",
}


def sniffed(data: object, **dumps: object) -> str | None:
    text = json.dumps(data, ensure_ascii=False, **dumps)  # type: ignore[arg-type]
    return formats.sniff(text.encode()[: formats.SNIFF_BYTES], "export.json")


def test_cn_json_keys_past_the_first_8_kb_are_found() -> None:
    """A Result envelope after a ~9 KB ``GroupItems`` block, and a record's keys sorted after
    a long first Abstract: sniffed as generic JSON, and every record quarantined."""
    groups = [{"Key": f"分组{i}", "Items": [{"Value": "广州", "Count": i}] * 3} for i in range(80)]
    envelope = {"Status": "200", "GroupItems": groups, "Result": [PATENT]}
    assert len(json.dumps(groups, ensure_ascii=False).encode()) > 9000
    assert sniffed(envelope) == "cn-json"
    assert sniffed(envelope, indent=2) == "cn-json"
    first = PATENT | {"Abstract": "一种锂电池的正极材料。" * 400}
    assert sniffed([first, PATENT], sort_keys=True) == "cn-json"
    assert sniffed([first], sort_keys=True, indent=1) == "cn-json"


def test_a_key_named_only_in_a_value_is_no_cn_json() -> None:
    rows = [{"字段": "PublicationNumber", "说明": "公开号"}]
    assert sniffed(rows) == "json"


def test_xml_is_told_from_its_first_8_kb() -> None:
    """Only JSON is read further: an XML root is the first thing in a file."""
    head = b"<?xml version='1.0'?><root>" + b" " * 9000 + b"<us-patent-grant>"
    assert formats.sniff(head[: formats.SNIFF_BYTES], "x.xml") is None


def test_a_file_on_disk_is_sniffed_past_its_first_8_kb_too(tmp_path: Path) -> None:
    """The loader peeks the file's head; a file on disk came with a 4 KB buffer, so ``peek``
    gave 4 KB and the keys past them were never seen: the envelope above, loaded, was generic
    JSON and its record quarantined."""
    from ingest.load import Options, ingest
    from iphub.store.embedded import EmbeddedStore

    groups = [{"Key": f"分组{i}", "Items": [{"Value": "广州", "Count": i}] * 3} for i in range(80)]
    path = tmp_path / "export.json"
    path.write_text(
        json.dumps({"Status": "200", "GroupItems": groups, "Result": [PATENT]}, ensure_ascii=False),
        encoding="utf-8",
    )
    store = EmbeddedStore(tmp_path / "iphub.db")
    try:
        summary = ingest(store, [path], Options(quarantine_dir=tmp_path / "q"))
        assert [f.format for f in summary.files] == ["cn-json"]
        assert summary.total("loaded") == 1
    finally:
        store.close()
