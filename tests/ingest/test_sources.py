"""Archives read as streams; unsafe members refused before parsing; format sniffing."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import re
import tarfile
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from ingest import formats, sources
from ingest.load import Options, RunSummary, ingest
from ingest.quarantine import read
from iphub.numbers import cn_check_digit
from iphub.records import Patent
from iphub.store.embedded import EmbeddedStore
from tests.ingest.conftest import FIXTURES

WEEKLY = (FIXTURES / "uspto-weekly.xml").read_bytes()


def _zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_zip_members_load_and_unsafe_ones_are_refused(store: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "bulk.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("week/ipg150407.xml", WEEKLY)
        zf.writestr("../../etc/evil.xml", WEEKLY)
        zf.writestr("bomb.txt", b"0" * 30_000_000)  # ratio ~1000:1
        zf.writestr("inner.zip", b"PK")
    summary = ingest(store, [path], Options(quarantine_dir=tmp_path / "q"))
    assert store.get("US9000001B2") is not None
    reasons = {
        Path(e["file"].split("!")[1]).name: e["reason"] for e in read(summary.quarantine_file)
    }
    assert reasons["evil.xml"] == "不安全的成员路径 / unsafe member path: '../../etc/evil.xml'"
    assert re.fullmatch(
        r"压缩比 (\d+)，疑为压缩炸弹 / compression ratio \1 \(bomb\?\)", reasons["bomb.txt"]
    )
    assert reasons["inner.zip"].startswith("无法读取的压缩包 / unreadable archive")
    assert summary.files[0].file.endswith("bulk.zip!week/ipg150407.xml")


def test_gzip_and_tar_streams(store: EmbeddedStore, tmp_path: Path) -> None:
    data_dir = tmp_path / "in"
    data_dir.mkdir()
    (data_dir / "w.xml.gz").write_bytes(gzip.compress(WEEKLY))
    tar = data_dir / "b.tar"
    with tarfile.open(tar, "w") as tf:
        info = tarfile.TarInfo("data/cnipa.xml")
        data = (FIXTURES / "cnipa-design.xml").read_bytes()
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("data/link.xml")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(link)
    summary = ingest(store, [data_dir], Options(quarantine_dir=tmp_path / "q"))
    assert store.get("US20050000003A1") is not None
    assert store.get("CN306123456S") is not None
    entries = read(summary.quarantine_file)
    assert {e["reason"] for e in entries if e["position"] == "file"} == {
        "不是普通文件（链接或设备）/ not a regular file (a link or a device)"
    }


COMPRESSORS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
def test_bzip2_and_xz_load_as_gzip_does(store: EmbeddedStore, tmp_path: Path, suffix: str) -> None:
    """A weekly file compressed alone, in a zip, or a tar compressed so, is read as a stream."""
    compress = COMPRESSORS[suffix]
    data_dir = tmp_path / "in"
    data_dir.mkdir()
    (data_dir / f"w.xml{suffix}").write_bytes(compress(WEEKLY))
    design = (FIXTURES / "cnipa-design.xml").read_bytes()
    (data_dir / "z.zip").write_bytes(_zip_bytes({f"d.xml{suffix}": compress(design)}))
    mode = {".gz": "w:gz", ".bz2": "w:bz2", ".xz": "w:xz"}[suffix]
    trademarks = (FIXTURES / "st96-trademarks.xml").read_bytes()
    with tarfile.open(data_dir / f"t.tar{suffix}", mode) as tf:
        info = tarfile.TarInfo("st96.xml")
        info.size = len(trademarks)
        tf.addfile(info, io.BytesIO(trademarks))
    summary = ingest(store, [data_dir], Options(quarantine_dir=tmp_path / "q"))
    assert [f.format for f in summary.files] == ["st96", "uspto", "cnipa"]
    assert store.get("US20050000003A1") is not None
    assert store.get("CN306123456S") is not None
    assert store.get("CN-TM-45678901") is not None
    assert summary.total("loaded") == 2 + 1 + 1  # the fixtures' own bad records quarantined


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
@pytest.mark.parametrize("inside_zip", [False, True])
def test_compression_bomb_is_cut_off(tmp_path: Path, inside_zip: bool, suffix: str) -> None:
    """A gzip, bzip2 or xz file, or such a member of a zip, stops at its ratio while it is read."""
    bomb = COMPRESSORS[suffix](b"<a>" + b" " * 20_000_000)
    path = tmp_path / ("a.zip" if inside_zip else f"bomb.xml{suffix}")
    path.write_bytes(_zip_bytes({f"bomb.xml{suffix}": bomb}) if inside_zip else bomb)
    (src,) = list(sources.walk([path], max_ratio=10))
    assert src.refused is None

    def drain() -> None:
        with src.open() as f:
            while f.read(1 << 20):
                pass

    with pytest.raises(sources.ArchiveRefused):
        drain()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("uspto-weekly.xml", "uspto"),
        ("epo-docdb-cn.xml", "epo"),
        ("cnipa-invention-gbk.xml", "cnipa"),
        ("st96-trademarks.xml", "st96"),
        ("uspto-tm-daily.xml", "uspto-tm"),
        ("billion-laughs.xml", "uspto"),
    ],
)
def test_sniff(name: str, fmt: str) -> None:
    assert formats.sniff((FIXTURES / name).read_bytes()[:8192], name) == fmt


#: the first ST.96 schemas' namespaces and root, as the USPTO's TSDR wrote its ST.96 files then
_ST96_V1 = (
    ("http://www.wipo.int/standards/XMLSchema/ST96/Common",
     "http://www.wipo.int/standards/XMLSchema/Common/1"),
    ("http://www.wipo.int/standards/XMLSchema/ST96/Trademark",
     "http://www.wipo.int/standards/XMLSchema/Trademark/1"),
    ("ns2:TrademarkTransaction>", "ns2:Transaction>"),
    ("<ns2:TrademarkTransaction ", "<ns2:Transaction "),
)  # fmt: skip


def test_st96_in_the_first_schemas_namespaces_is_sniffed_and_loads(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """ST.96 in the ``…/XMLSchema/Trademark/1`` namespace, under a ``Transaction`` root, was
    refused whole as unsupported, though the parser (by local names) reads it with
    ``--format st96``."""
    xml = (FIXTURES / "st96-uspto.xml").read_text(encoding="utf-8")
    for new, old in _ST96_V1:
        xml = xml.replace(new, old)
    assert "ST96" not in xml
    assert xml.count("<ns2:Transaction ") == 1
    assert formats.sniff(xml.encode()[:8192], "rn4567890.xml") == "st96"
    path = tmp_path / "rn4567890.xml"
    path.write_text(xml, encoding="utf-8")
    summary = ingest(store, [path], Options(quarantine_dir=tmp_path / "q"))
    assert [(f.format, f.loaded) for f in summary.files] == [("st96", 1)]
    assert store.get("US-TM-86123456") is not None


def test_cnipa_with_another_namespace_prefix_is_sniffed_and_loads(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """The CNIPA business namespace bound to a prefix other than ``business:`` was refused whole
    as unsupported: the sniffer looked for the prefix, where the parser reads local names."""
    xml = (FIXTURES / "cnipa-design.xml").read_text(encoding="utf-8")
    xml = xml.replace(
        "<cn-patent-document ",
        '<bz:cn-patent-document xmlns:bz="http://www.sipo.gov.cn/XMLSchema/business" ',
    ).replace("</cn-patent-document>", "</bz:cn-patent-document>")
    assert formats.sniff(xml.encode(), "CN306123456S.xml") == "cnipa"
    path = tmp_path / "CN306123456S.xml"
    path.write_text(xml, encoding="utf-8")
    summary = ingest(store, [path], Options(quarantine_dir=tmp_path / "q"))
    assert [(f.format, f.loaded) for f in summary.files] == [("cnipa", 1)]
    assert store.get("CN306123456S") is not None


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?>\n<ipc:cn-patent-documentation xmlns:ipc="urn:x">',  # longer name
        b'<?xml version="1.0"?>\n<Transaction xmlns="urn:bank"><Trademark/></Transaction>',
    ],
)
def test_sniffing_by_local_name_takes_no_other_element(head: bytes) -> None:
    """A local name is matched whole, and ST.96 by its namespace, not by a root as common as
    ``Transaction``."""
    assert formats.sniff(head, "x.xml") is None


def test_utf16_xml_is_sniffed_and_read() -> None:
    """XML in UTF-16 (a byte-order mark, then two bytes a character) is sniffed from its text."""
    xml = (FIXTURES / "cnipa-design.xml").read_text(encoding="utf-8")
    data = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    fmt = formats.sniff(data[:8192], "cnipa.xml")
    assert fmt == "cnipa"
    (p,) = list(formats.parser(fmt)(io.BytesIO(data), 0))
    assert isinstance(p, Patent)
    assert (p.id, p.title.text) == ("CN306123456S", "智能音箱")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("fmt", ["auto", "cnipa"])
def test_utf16_xml_without_a_byte_order_mark_loads(
    store: EmbeddedStore, tmp_path: Path, codec: str, fmt: str
) -> None:
    """XML in UTF-16 with no byte order mark (its ``<`` beside a zero byte, as Windows tools
    write it) was "unsupported" when sniffed and "binary data" when its format was given."""
    xml = (FIXTURES / "cnipa-design.xml").read_text(encoding="utf-8")
    path = tmp_path / "cnipa.xml"
    path.write_bytes(xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(codec))
    summary = ingest(store, [path], Options(quarantine_dir=tmp_path / "q", fmt=fmt))
    assert [(f.format, f.loaded) for f in summary.files] == [("cnipa", 1)]
    p = store.get("CN306123456S")
    assert isinstance(p, Patent)
    assert p.title.text == "智能音箱"


def test_sniff_tabular_and_unknown() -> None:
    assert formats.sniff(b'[{"RegNo": "1"}]', "x.json") == "cn-json"
    assert formats.sniff('{"申请号": "1"}\n{"申请号": "2"}'.encode(), "x") == "jsonl"
    assert formats.sniff("申请号,名称\n".encode(), "x.csv") == "csv"
    assert formats.sniff(b"PK\x03\x04", "x.xlsx") == "xlsx"
    assert formats.sniff(b"\x00\x01", "x.bin") is None
    assert formats.sniff(b"[.ShellClassInfo]\r\nIconResource=x\r\n", "x.ini") is None  # INI
    assert formats.sniff(b"[section]\nkey=1\n", "x") is None
    for array in (b"[]", b"[\n  [1]]", b'["a"]', b"[-1]", b"[null]", b' [ {"a": 1}]'):
        assert formats.sniff(array, "x") == "json", array


def test_corrupt_archives_are_quarantined_not_fatal(store: EmbeddedStore, tmp_path: Path) -> None:
    data_dir = tmp_path / "in"
    data_dir.mkdir()
    (data_dir / "a.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (data_dir / "b.xml.gz").write_bytes(b"\x1f\x8b\x08\x00 broken gzip")
    (data_dir / "c.xml").write_bytes((FIXTURES / "cnipa-design.xml").read_bytes())
    summary = ingest(store, [data_dir], Options(quarantine_dir=tmp_path / "q"))
    assert store.get("CN306123456S") is not None
    reasons = {Path(e["file"]).name: e["reason"] for e in read(summary.quarantine_file)}
    assert reasons["a.zip"].startswith("无法读取的压缩包 / unreadable archive")
    assert reasons["b.xml.gz"].startswith("无法读取 / unreadable")


def test_a_truncated_gzip_file_loads_the_documents_before_the_break(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A gzip file cut short, under the loader's 1 MiB buffer: the whole read that filled the
    buffer to sniff the format failed, and the file was refused whole ("unreadable:
    EOFError"), its complete documents lost. They load; the rest is one quarantine entry."""
    first, _, third = (b"<?xml" + part for part in WEEKLY.split(b"<?xml")[1:])
    packed = gzip.compress((first + third) * 3, compresslevel=0)  # stored: cut where we say
    (tmp_path / "weekly.xml.gz").write_bytes(packed[:-200])  # inside the sixth document
    summary = ingest(store, [tmp_path], Options(quarantine_dir=tmp_path.parent / "q"))
    (done,) = summary.files
    assert (done.format, done.refused) == ("uspto", None)
    assert store.get("US9000001B2") is not None
    assert store.get("US20050000003A1") is not None
    (entry,) = read(summary.quarantine_file)
    assert (done.read, done.loaded, done.quarantined) == (5, 5, 1)
    assert entry["position"] == "after position 5"
    assert entry["reason"].startswith(
        "此处之后无法读取 / stream unreadable after this position: EOFError: "
    )


def test_a_break_a_reader_took_for_the_end_is_quarantined(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A CSV reader stops at the end the break reads as: the break is still said."""
    table = "申请号,公开（公告）号,名称\nCN202110123456.7,CN114123456A,一种锂电池\n"
    packed = gzip.compress(table.encode())
    (tmp_path / "export.csv.gz").write_bytes(packed[:-8])  # no trailer: EOFError at the end
    summary = ingest(store, [tmp_path], Options(quarantine_dir=tmp_path.parent / "q"))
    assert store.get("CN114123456A") is not None
    (entry,) = read(summary.quarantine_file)
    assert (entry["position"], summary.files[0].read) == ("after position 1", 1)
    assert "EOFError" in entry["reason"]


def test_a_row_the_break_cut_is_not_loaded_shortened(store: EmbeddedStore, tmp_path: Path) -> None:
    """The break falls inside a row's title: the rows before it load whole, the cut one goes
    with the break's quarantine entry instead of loading as a shorter title."""
    numbers = [f"20211012345{i}" for i in range(5)]
    rows = [f"CN{n}.{cn_check_digit(n)},CN11412345{i}A,一种锂电池散热装置第{i}号"
            for i, n in enumerate(numbers)]  # fmt: skip
    table = ("申请号,公开（公告）号,名称\n" + "\n".join(rows) + "\n").encode()
    cut = table.index("散热装置第4号".encode()) + 3  # after 散
    packed = gzip.compress(table, compresslevel=0)  # stored: the data's bytes as they are
    start = packed.index(table[:20])
    (tmp_path / "export.csv.gz").write_bytes(packed[: start + cut])
    summary = ingest(store, [tmp_path], Options(quarantine_dir=tmp_path.parent / "q"))
    assert [store.get(f"CN11412345{i}A") is not None for i in range(5)] == [True] * 4 + [False]
    (entry,) = read(summary.quarantine_file)
    assert "EOFError" in entry["reason"]


def test_a_zip_member_that_fails_its_crc_is_quarantined_and_the_rest_loads(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A member damaged in transfer fails its CRC as its first bytes are read (when the loader
    looks at them to tell the format): that member is quarantined whole, the run goes on."""
    small = bytearray(_zip_bytes({"a/weekly.xml": WEEKLY}))
    small[len(small) // 2] ^= 0xFF  # inside the member's compressed data
    cnipa = (FIXTURES / "cnipa-design.xml").read_bytes()
    (tmp_path / "damaged.zip").write_bytes(bytes(small))
    (tmp_path / "fine.zip").write_bytes(_zip_bytes({"cnipa.xml": cnipa}))
    summary = ingest(store, [tmp_path], Options(quarantine_dir=tmp_path.parent / "q"))
    assert store.get("CN306123456S") is not None  # the next archive loaded
    (entry,) = read(summary.quarantine_file)
    member = f"{tmp_path / 'damaged.zip'}!a/weekly.xml"
    assert (entry["file"], entry["position"]) == (member, "file")
    assert (
        entry["reason"] == "无法读取 / unreadable: BadZipFile: Bad CRC-32 for file 'a/weekly.xml'"
    )


def test_members_over_the_size_limit_are_refused_in_zip_and_tar(tmp_path: Path) -> None:
    """Each check of a member, in either kind of archive: size, then a tar inside."""
    zpath, tpath = tmp_path / "a.zip", tmp_path / "a.tar"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.xml", WEEKLY)
        zf.writestr("small.csv", b"a,b\n")
        zf.writestr("inner.tar", b"x")
    with tarfile.open(tpath, "w") as tf:
        for name, data in (("big.xml", WEEKLY), ("small.csv", b"a,b\n"), ("inner.tgz", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    for path in (zpath, tpath):
        reasons = {
            s.name.rsplit("!", 1)[1]: s.refused
            for s in sources.walk([path], max_member=1000, max_ratio=1000)
        }
        assert reasons["big.xml"] == (
            f"成员过大 / member too large: {len(WEEKLY)} bytes, more than 1000"
        )
        assert reasons["small.csv"] is None
        assert reasons[next(n for n in reasons if n.startswith("inner"))] == (
            "压缩包内的 tar，请先解压外层 / tar inside an archive (unpack the outer one first)"
        )


def test_a_zip_of_zips_and_gz_members_load_without_unpacking(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """EPO's DOCDB packages hold a zip per part: a zip inside a zip or a tar is read through
    the outer member's stream (one level deep), as is a ``.gz`` member; checkpoints name the
    inner member, so a second run skips it; deeper nesting and bombs inside are refused."""
    cnipa = (FIXTURES / "cnipa-design.xml").read_bytes()
    part = _zip_bytes(
        {
            "DOC/uspto.xml": WEEKLY,
            "DOC/cnipa.xml.gz": gzip.compress(cnipa),
            "../evil.xml": WEEKLY,
            "bomb.txt": b"0" * 30_000_000,
            "deeper.zip": _zip_bytes({"x.xml": cnipa}),
        }
    )
    package = tmp_path / "docdb_xml_001.zip"
    package.write_bytes(_zip_bytes({"Root/DOC/part-0001.zip": part}, zipfile.ZIP_STORED))
    tar = tmp_path / "delivery.tar"
    with tarfile.open(tar, "w") as tf:
        info = tarfile.TarInfo("part-0002.zip")
        data = _zip_bytes({"epo.xml": (FIXTURES / "epo-docdb-cn.xml").read_bytes()})
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))

    summary = ingest(store, [package, tar], Options(quarantine_dir=tmp_path / "q"))
    assert store.get("US9000001B2") is not None
    assert store.get("CN306123456S") is not None
    assert store.get("CN114123456A") is not None
    inner = f"{package}!Root/DOC/part-0001.zip!"
    loaded = {f.file: f.loaded for f in summary.files if f.loaded}
    assert loaded == {
        f"{inner}DOC/uspto.xml": 2,
        f"{inner}DOC/cnipa.xml.gz": 1,
        f"{tar}!part-0002.zip!epo.xml": 1,
    }
    reasons = {e["file"].rsplit("!", 1)[1]: e["reason"] for e in read(summary.quarantine_file)}
    assert reasons["../evil.xml"] == "不安全的成员路径 / unsafe member path: '../evil.xml'"
    assert reasons["bomb.txt"].startswith("压缩比 ")
    assert reasons["deeper.zip"] == (
        "压缩包嵌套超过一层，请先解压外层"
        " / archive nested more than one level deep (unpack the outer one first)"
    )
    again = ingest(store, [package, tar], Options(quarantine_dir=tmp_path / "q"))
    assert all(f.skipped for f in again.files if f.file in loaded)
    refused = {f.file: f.refused for f in summary.files if f.refused}
    assert len(refused) == 3
    assert {f.file: f.refused for f in again.files if not f.skipped} == refused  # never done


def test_attachments_beside_the_records_are_counted_not_quarantined(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A CNIPA or USPTO package carries page images, PDFs, the DTD, checksums and documents
    for people beside its XML, a DOCDB package its index: each is left aside and counted, not
    loaded nor quarantined."""
    package = tmp_path / "CN306123456S"
    package.mkdir()
    (package / "CN306123456S.XML").write_bytes((FIXTURES / "cnipa-design.xml").read_bytes())
    for name in ("00000001.TIF", "abstract.jpg", "CN306123456S.PDF", "cn-patent-document.dtd"):
        (package / name).write_bytes(b"II*\x00 not a record")
    (package / "CN306123456S.md5").write_text("d41d8cd98f00b204e9800998ecf8427e\n")
    (package / "README.md").write_text("# 数据说明 / about this delivery\n", encoding="utf-8")
    (package / "字段说明.docx").write_bytes(b"PK\x03\x04 a Word document")
    (package / "index.xml").write_text(  # a DOCDB package's index, known by its root
        '<?xml version="1.0"?>\n<docdb-package-index id="1" file="docdb_xml_001.zip"/>\n'
    )
    weekly = tmp_path / "ipg150407.zip"
    weekly.write_bytes(
        _zip_bytes({"ipg150407.xml": WEEKLY, "US09000001-20150407/D00000.TIF": b"II*\x00"})
    )
    summary = ingest(store, [package, weekly], Options(quarantine_dir=tmp_path / "q"))
    assert summary.attachments == 9
    assert [Path(f.file.split("!")[-1]).name for f in summary.files] == [
        "CN306123456S.XML",
        "ipg150407.xml",
    ]
    assert store.get("CN306123456S") is not None
    assert store.get("US9000001B2") is not None
    assert all("TIF" not in e["file"] for e in read(summary.quarantine_file))


@pytest.mark.parametrize(
    ("name", "head", "said"),
    [
        ("part1.7z", b"7z\xbc\xaf\x27\x1c\x00\x04", "a 7z archive: unpack it first"),
        ("part1.rar", b"Rar!\x1a\x07\x01\x00", "a RAR archive: unpack it first"),
        ("data.xz.part", b"\xfd7zXZ\x00\x00", "an xz file not named .xz: rename it"),
        ("data.xml.bzip", b"BZh91AY&SY", "a bzip2 file not named .bz2: rename it"),
        ("data.gzip", b"\x1f\x8b\x08\x00", "a gzip file not named .gz: rename it"),
        ("CN114123456A", b"%PDF-1.4\n", "a PDF document"),
        ("说明.docx", b"PK\x03\x04\x14\x00", "an office document"),
        ("delivery.bin", b"PK\x03\x04\x14\x00", "a zip archive not named .zip: rename it"),
        ("delivery.gz", b"PK\x03\x04\x14\x00", "a zip archive compressed whole: name it .zip.gz"),
        ("a.zip!b.zip.gz", b"PK\x03\x04\x14\x00", "inside an archive: unpack the outer one first"),
        ("导出.zip", b"PK\x03\x04\x14\x00", "an Excel workbook named .zip: rename it .xlsx"),
        ("说明.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "only .xls workbooks are read"),
        ("专利.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a password-protected workbook"),
        ("专利.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a WPS spreadsheet"),
        ("专利.xlsb", b"PK\x03\x04\x14\x00", "save it as .xlsx (an .xlsb or .ods workbook)"),
        ("notes.bin", b"\x00\x01binary junk", None),
    ],
)
def test_a_file_in_no_format_is_said_what_it_is(name: str, head: bytes, said: str | None) -> None:
    assert formats.sniff(head, name) is None
    reason = formats.unsupported(head, name)
    assert reason.endswith("不支持的格式 / unsupported format (sniffed from the first bytes)")
    if said is not None:
        assert said in reason


def test_an_xls_workbook_named_xlsx_loads_as_xls(store: EmbeddedStore, tmp_path: Path) -> None:
    """Excel 97–2003 and an encrypted .xlsx are both compound files: an .xls saved under an
    .xlsx name was refused as "a password-protected workbook". Its directory names a Workbook
    stream: it loads, as the same file named .xls does."""
    path = tmp_path / "专利.xlsx"
    path.write_bytes((FIXTURES / "export.xls").read_bytes())
    summary = ingest(store, [path], Options(quarantine_dir=tmp_path / "q"))
    assert [(f.format, f.loaded, f.quarantined) for f in summary.files] == [("xls", 2, 0)]
    assert store.get("CN114123457A") is not None


def test_an_xls_workbook_is_told_from_an_encrypted_xlsx_by_its_first_bytes() -> None:
    """The directory names the streams (``Workbook``; ``EncryptionInfo`` and
    ``EncryptedPackage``) where it lies in the first bytes; else the workbook's first record
    at a sector's start tells an .xls. ``encrypted.xlsx`` is a one-sheet workbook encrypted
    with the password "secret" by msoffcrypto-tool 6.1.0, as Excel encrypts (ECMA-376 part 2)."""
    xls = (FIXTURES / "export.xls").read_bytes()
    encrypted = (FIXTURES / "encrypted.xlsx").read_bytes()
    assert formats.sniff(xls[:8192], "专利.xlsx") == "xls"
    assert formats.sniff(xls[:1024], "专利.xlsx") == "xls"  # its directory past these bytes
    assert formats.sniff(xls[:8192], "专利") == "xls"
    for head in (encrypted[:8192], encrypted[:2048]):
        assert formats.sniff(head, "专利.xlsx") is None
        reason = formats.unsupported(head, "专利.xlsx")
        assert reason.startswith("加密的工作簿，请去掉密码并另存为 .xlsx / a password-protected")
    for head in (encrypted[:1536], xls[:512]):  # neither directory nor records: either
        reason = formats.unsupported(head, "专利.xlsx")
        assert "a password-protected workbook, or an .xls workbook named .xlsx" in reason


def _workbook_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["申请号", "公开（公告）号", "名称"])
    sheet.append(["CN202110123456.7", "CN114123456A", "一种电池"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_named_zip_loads_as_the_workbook_it_is(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """An .xlsx is a zip: one saved as .zip was listed as an archive, and each of its ten
    parts refused as "unsupported". A zip holding a workbook's package is read as the workbook,
    on disk, inside an archive, or compressed whole."""
    workbook = _workbook_bytes()
    assert formats.sniff(workbook[:8192], "export.zip") == "xlsx"
    assert formats.sniff(workbook[:8192], "导出数据") == "xlsx"
    data_dir = tmp_path / "in"
    data_dir.mkdir()
    (data_dir / "export.zip").write_bytes(workbook)
    (data_dir / "export.zip.gz").write_bytes(gzip.compress(workbook))
    (data_dir / "package.zip").write_bytes(_zip_bytes({"inner/export.zip": workbook}))
    summary = ingest(store, [data_dir], Options(quarantine_dir=tmp_path / "q"))
    assert [(Path(f.file).relative_to(data_dir), f.format, f.loaded) for f in summary.files] == [
        (Path("export.zip"), "xlsx", 1),
        (Path("export.zip.gz"), "xlsx", 1),
        (Path("package.zip!inner/export.zip"), "xlsx", 1),
    ]
    assert summary.total("quarantined") == 0
    assert store.get("CN114123456A") is not None


@pytest.mark.parametrize("suffix", list(COMPRESSORS))
def test_a_zip_compressed_whole_is_read_as_an_archive(
    store: EmbeddedStore, tmp_path: Path, suffix: str
) -> None:
    """``delivery.zip.gz`` was said to be "a zip archive not named .zip: rename it", which it
    is. Its members load; decompressing it stops at the ratio as a .gz does; a zip compressed
    under another name is told what to name it."""
    compress = COMPRESSORS[suffix]
    zipped = _zip_bytes({"week/ipg150407.xml": WEEKLY})
    (tmp_path / f"delivery.zip{suffix}").write_bytes(compress(zipped))
    (tmp_path / f"delivery{suffix}").write_bytes(compress(zipped))
    paths = [tmp_path / f"delivery.zip{suffix}", tmp_path / f"delivery{suffix}"]
    summary = ingest(store, paths, Options(quarantine_dir=tmp_path / "q"))
    loaded, refused = summary.files
    assert (loaded.file, loaded.format) == (f"{paths[0]}!week/ipg150407.xml", "uspto")
    assert store.get("US9000001B2") is not None
    assert refused.refused is not None
    assert "a zip archive compressed whole: name it .zip.gz (.zip.bz2, .zip.xz)" in refused.refused
    bomb = tmp_path / f"bomb.zip{suffix}"
    stored = _zip_bytes({"a.xml": b"<a>" + b" " * 5_000_000}, zipfile.ZIP_STORED)
    bomb.write_bytes(compress(stored))
    (src,) = list(sources.walk([bomb], max_ratio=10))
    assert src.refused is not None
    assert src.refused.endswith("(bomb?)")


def test_hidden_files_and_what_desktops_leave_are_no_inputs(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A folder copied from a Mac or a Windows desktop, or a repository checkout, holds files
    that are no data: macOS's ``._name`` forks and ``__MACOSX`` folders (in zips made there
    too), ``.DS_Store``, ``.git``, Windows' ``Thumbs.db`` and ``desktop.ini``. Each had been
    quarantined as a file in no format (``desktop.ini`` as unreadable JSON)."""
    design = (FIXTURES / "cnipa-design.xml").read_bytes()
    for name, data in {
        "data/CN306123456S.XML": design,
        "data/._CN306123456S.XML": b"\x00\x05\x16\x07 Mac OS X resource fork",
        "data/.DS_Store": b"\x00\x00\x00\x01Bud1",
        "data/Thumbs.db": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "data/desktop.ini": b"[.ShellClassInfo]\r\nIconResource=x\r\n",
        "__MACOSX/data/._CN306123456S.XML": b"\x00\x05\x16\x07",
        ".git/objects/ab/cdef": b"x\x01+)JMU",
    }.items():
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_bytes(data)
    (tmp_path / "in" / "mac.zip").write_bytes(
        _zip_bytes(
            {
                "./pkg/ipg150407.xml": WEEKLY,
                "pkg/.DS_Store": b"\x00\x00\x00\x01Bud1",
                "__MACOSX/pkg/._ipg150407.xml": b"\x00\x05\x16\x07",
                "pkg/Thumbs.db": b"\xd0\xcf\x11\xe0",
            }
        )
    )
    walked = {s.name.removeprefix(str(tmp_path / "in") + "/"): s.attachment for s in
              sources.walk([tmp_path / "in"])}  # fmt: skip
    assert walked == {
        "data/CN306123456S.XML": False,
        "data/Thumbs.db": True,
        "data/desktop.ini": True,
        "mac.zip!./pkg/ipg150407.xml": False,
        "mac.zip!pkg/Thumbs.db": True,
    }
    summary = ingest(store, [tmp_path / "in"], Options(quarantine_dir=tmp_path / "q"))
    assert summary.attachments == 3
    assert store.get("CN306123456S") is not None
    assert store.get("US9000001B2") is not None
    entries = read(summary.quarantine_file)
    assert [e["position"].split(" ")[:2] for e in entries] == [["document", "2"]]  # the fixture's


def test_a_file_named_twice_or_inside_a_folder_named_too_is_read_once(tmp_path: Path) -> None:
    """``iphub ingest deliveries deliveries/2026-11/weekly.xml`` read the file twice: each
    record loaded and counted twice, each bad one quarantined twice."""
    folder = tmp_path / "deliveries" / "2026-11"
    folder.mkdir(parents=True)
    (folder / "weekly.xml").write_bytes(WEEKLY)
    (folder / ".held.xml").write_bytes(WEEKLY)  # hidden: the walk leaves it, a name reads it
    args = (
        tmp_path / "deliveries",
        folder / "weekly.xml",
        folder / ".." / "2026-11" / "weekly.xml",
        tmp_path / "deliveries",
        folder / ".held.xml",
    )

    def names(*args: Path) -> list[str]:
        return [Path(s.name).relative_to(tmp_path).as_posix() for s in sources.walk(list(args))]

    assert names(*args) == ["deliveries/2026-11/weekly.xml", "deliveries/2026-11/.held.xml"]
    (folder / "a.xml").write_bytes(WEEKLY)
    # named before the folder that holds it: read there, and the folder's walk passes it over
    assert names(folder / "weekly.xml", tmp_path / "deliveries") == [
        "deliveries/2026-11/weekly.xml",
        "deliveries/2026-11/a.xml",
    ]
    assert names(folder, tmp_path / "deliveries") == [
        "deliveries/2026-11/a.xml",
        "deliveries/2026-11/weekly.xml",
    ]


def test_walk_leaves_out_what_it_is_told_to_skip(tmp_path: Path) -> None:
    for name in ("a.xml", "store/iphub.db", "store/iphub.db.index/meta.json", "q/old.jsonl"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    skip = [tmp_path / "q", tmp_path / "store" / "iphub.db", tmp_path / "store" / "iphub.db.index"]
    names = [
        Path(s.name).relative_to(tmp_path).as_posix() for s in sources.walk([tmp_path], skip=skip)
    ]
    assert names == ["a.xml"]
    assert (
        list(sources.walk([tmp_path / "q" / "old.jsonl"], skip=skip)) == []
    )  # named, still skipped


def test_a_load_of_a_folder_holding_its_own_quarantine_never_reads_it(tmp_path: Path) -> None:
    """``iphub ingest .`` run where it keeps ``var/quarantine``: a quarantine file read as input
    while it was written grew without end (38 GB in ten minutes). Here the second run writes no
    quarantine of its own, so were the old file read it would only show up in the summary."""
    data = tmp_path / "data"  # the folder loaded; the store is beside it, not in it
    quarantine = data / "var" / "quarantine"
    quarantine.mkdir(parents=True)
    (data / "weekly.xml").write_bytes(WEEKLY)  # one malformed document: one quarantine line
    store = EmbeddedStore(tmp_path / "store" / "iphub.db")
    try:
        first = ingest(store, [data / "weekly.xml"], Options(quarantine_dir=quarantine))
        assert len(read(first.quarantine_file)) == 1
        again = ingest(store, [data], Options(quarantine_dir=quarantine))
        assert [(Path(f.file).name, f.skipped) for f in again.files] == [("weekly.xml", True)]
    finally:
        store.close()


def test_a_load_of_a_folder_holding_its_store_never_reads_it(tmp_path: Path) -> None:
    (tmp_path / "weekly.xml").write_bytes(WEEKLY)
    store = EmbeddedStore(tmp_path / "iphub.db")
    try:
        store.upsert([])
        ingest(store, [tmp_path / "weekly.xml"], Options(quarantine_dir=tmp_path.parent / "q"))
        assert (tmp_path / "iphub.db-wal").exists()
        summary = ingest(store, [tmp_path], Options(quarantine_dir=tmp_path.parent / "q"))
        assert [Path(f.file).name for f in summary.files] == ["weekly.xml"]
        assert summary.files[0].skipped
    finally:
        store.close()


def test_a_file_named_in_gbk_loads_under_its_chinese_name(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """Files unpacked from a Chinese Windows machine keep GBK names, which Python hands over
    with their bytes escaped as lone surrogates: UTF-8 could not write them to the checkpoint,
    and the run stopped with a traceback."""
    data = tmp_path / "data"
    data.mkdir()
    gbk = os.path.join(os.fsencode(data), "广州专利.xml".encode("gbk"))
    with open(gbk, "wb") as f:
        f.write(WEEKLY)  # one of its three documents is malformed
    options = Options(quarantine_dir=tmp_path / "q")
    summary = ingest(store, [data], options)
    (loaded,) = summary.files
    assert loaded.file == str(data / "广州专利.xml")
    assert (loaded.loaded, loaded.quarantined) == (2, 1)
    assert [e["file"] for e in read(summary.quarantine_file)] == [str(data / "广州专利.xml")]
    assert all(f.skipped for f in ingest(store, [data], options).files)  # its checkpoint holds
    odd = Path(os.fsdecode(os.path.join(os.fsencode(data), b"\xff\xfe.xml")))
    assert sources.shown(odd) == str(data / "\\xff\\xfe.xml")  # no encoding reads it: bytes shown


def test_a_zip_member_named_in_gbk_is_shown_by_its_chinese_name(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """Chinese Windows tools write member names in GBK without zip's UTF-8 flag; zipfile reads
    them as cp437 (广州 → ╣π╓▌). Shown as GB18030, the member still opens by zipfile's name."""
    gbk = "广州.xml".encode("gbk")
    placeholder = b"ab" * (len(gbk) // 2 - 2) + b".xml"  # as long, in ASCII: no UTF-8 flag
    assert len(placeholder) == len(gbk)
    archive = _zip_bytes({placeholder.decode(): (FIXTURES / "cnipa-design.xml").read_bytes()})
    (tmp_path / "delivery.zip").write_bytes(archive.replace(placeholder, gbk))
    summary = ingest(store, [tmp_path / "delivery.zip"], Options(quarantine_dir=tmp_path / "q"))
    (member,) = summary.files
    assert member.file == f"{tmp_path / 'delivery.zip'}!广州.xml"
    assert member.loaded == 1
    assert store.get("CN306123456S") is not None


@pytest.mark.parametrize("shape", ["folder", "zip", "tar.gz"])
def test_a_delivery_of_one_document_per_file_costs_one_commit_and_one_open_archive(
    store: EmbeddedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    """CNIPA delivers one XML per document. A commit per file (a tantivy commit each) made
    2,000 such files load at 54 records/s, and opening the archive again per member parsed a
    zip's directory, or decompressed a tar.gz up to the member, once per member: quadratic.
    Counted here on 60 files (the rates are in BENCHMARKS.md, ``bench.many_files``)."""
    one = (FIXTURES / "cnipa-design.xml").read_text(encoding="utf-8")
    docs = {f"CN{k:09d}.xml": one.replace("306123456", f"{306000000 + k}") for k in range(60)}
    if shape == "folder":
        target = tmp_path / "delivery"
        target.mkdir()
        for name, text in docs.items():
            (target / name).write_text(text, encoding="utf-8")
    elif shape == "zip":
        target = tmp_path / "delivery.zip"
        target.write_bytes(_zip_bytes({f"d/{n}": t.encode() for n, t in docs.items()}))
    else:
        target = tmp_path / "delivery.tar.gz"
        with tarfile.open(target, "w:gz") as tf:
            for name, text in docs.items():
                info = tarfile.TarInfo(f"d/{name}")
                info.size = len(text.encode())
                tf.addfile(info, io.BytesIO(text.encode()))
    opened: list[object] = []  # every archive opened, through to the real one
    real_zip, real_tar = zipfile.ZipFile, tarfile.open

    def zip_counted(*args: Any, **kwargs: Any) -> zipfile.ZipFile:
        opened.append(args)
        return real_zip(*args, **kwargs)

    def tar_counted(*args: Any, **kwargs: Any) -> tarfile.TarFile:
        opened.append(args)
        return real_tar(*args, **kwargs)

    monkeypatch.setattr(sources.zipfile, "ZipFile", zip_counted)
    monkeypatch.setattr(sources.tarfile, "open", tar_counted)
    before = store._generation  # the embedded store counts its commits
    summary = ingest(store, [target], Options(quarantine_dir=tmp_path / "q"))
    assert summary.total("loaded") == 60
    assert store._generation - before == 1  # one commit for the 60 files
    assert len(opened) == (0 if shape == "folder" else 1)
    assert store.count("patent") == 60
    again = ingest(store, [target], Options(quarantine_dir=tmp_path / "q"))
    assert all(f.skipped for f in again.files)  # every file's checkpoint was written


DESIGN = (FIXTURES / "cnipa-design.xml").read_bytes()  # CN306123456S
TABLE = "申请号,公开（公告）号,名称\nCN202110123456.7,CN114123456A,一种锂电池\n".encode()


def _delivery(tmp_path: Path) -> Path:
    """A delivery folder of two good files, ``a-design.xml`` and ``z-table.csv``: what a test
    puts between them must not keep the second from loading."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-design.xml").write_bytes(DESIGN)
    (folder / "z-table.csv").write_bytes(TABLE)
    return folder


def _refusals(summary: RunSummary) -> dict[str, tuple[str, str]]:
    return {
        Path(e["file"]).name: (e["position"], e["reason"]) for e in read(summary.quarantine_file)
    }


def test_a_link_to_a_missing_file_or_a_loop_of_links_is_refused_and_the_rest_loads(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A symbolic link in a delivery folder to a file not (or no longer) there stopped the whole
    run at it with a FileNotFoundError: the files after it never loaded, no checkpoint was
    kept, and every run again stopped at the same place. A loop of links did the same."""
    folder = _delivery(tmp_path)
    os.symlink(tmp_path / "moved-away.xml", folder / "b-broken.xml")
    os.symlink("c-loop.xml", folder / "c-loop.xml")
    missing = (
        "无法打开 / cannot open: 链接指向的文件不存在 / a symbolic link to a missing file: "
        f"{tmp_path / 'moved-away.xml'}"
    )
    loop = "无法打开 / cannot open: 符号链接循环 / a loop of symbolic links"
    assert {Path(s.name).name: s.refused for s in sources.walk([folder])} == {
        "a-design.xml": None,
        "b-broken.xml": missing,
        "c-loop.xml": loop,
        "z-table.csv": None,
    }
    assert [s.refused for s in sources.walk([folder / "c-loop.xml"])] == [loop]  # named alike
    summary = ingest(store, [folder], Options(quarantine_dir=tmp_path / "q"))
    assert store.get("CN306123456S") is not None
    assert store.get("CN114123456A") is not None
    assert _refusals(summary) == {"b-broken.xml": ("file", missing), "c-loop.xml": ("file", loop)}
    again = ingest(store, [folder], Options(quarantine_dir=tmp_path / "q"))
    assert [(Path(f.file).name, f.skipped, f.refused) for f in again.files] == [
        ("a-design.xml", True, None),
        ("b-broken.xml", False, missing),
        ("c-loop.xml", False, loop),
        ("z-table.csv", True, None),
    ]  # the files loaded kept their checkpoints; the links refused are looked at again
    (tmp_path / "moved-away.xml").write_bytes(WEEKLY)  # and the file linked to is back
    mended = ingest(store, [folder], Options(quarantine_dir=tmp_path / "q"))
    assert [(Path(f.file).name, f.loaded) for f in mended.files if not f.skipped] == [
        ("b-broken.xml", 2),
        ("c-loop.xml", 0),
    ]


def test_a_file_removed_while_the_folder_loads_is_refused_and_the_rest_loads(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A file taken away (by whoever moves deliveries on) after its folder was listed, before it
    was read, stopped the run at it like a link to a missing file."""
    folder = _delivery(tmp_path)
    (folder / "b-moved.xml").write_bytes(DESIGN.replace(b"306123456", b"306654321"))
    gone = (
        "无法打开 / cannot open: "
        "文件已不存在（读取前被移走或删除）/ gone (moved or deleted before it was read)"
    )

    def take_it_away(read: int, quarantined: int) -> None:  # told once a-design.xml is loaded
        (folder / "b-moved.xml").unlink(missing_ok=True)

    options = Options(quarantine_dir=tmp_path / "q")
    summary = ingest(store, [folder], options, progress=take_it_away)
    assert store.get("CN306123456S") is not None
    assert store.get("CN114123456A") is not None
    assert store.get("CN306654321S") is None
    assert _refusals(summary) == {"b-moved.xml": ("file", gone)}
    # taken away after it was walked, before it was opened: the error says so too
    (folder / "c.xml").write_bytes(DESIGN)
    (source,) = sources.walk([folder / "c.xml"])
    (folder / "c.xml").unlink()
    with pytest.raises(FileNotFoundError, match=r"^文件已不存在（读取前被移走或删除）/ gone "):
        source.open()


def test_a_file_or_a_folder_without_permission_is_refused_and_the_rest_loads(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A file that may not be read is refused with the reason; a folder that may not be listed
    is one entry saying so (os.walk passed over it in silence), and the rest of the tree loads."""
    probe = tmp_path / "probe"
    probe.touch(mode=0)
    try:
        probe.open("rb").close()
        pytest.skip("chmod 000 does not deny here (run as root, who reads and lists all)")
    except PermissionError:
        pass
    folder = _delivery(tmp_path)
    (folder / "b-locked").mkdir()
    (folder / "b-locked" / "x.xml").write_bytes(DESIGN)
    (folder / "c-secret.xml").write_bytes(DESIGN)
    (folder / "d").mkdir()
    (folder / "d" / "table.csv").write_bytes(TABLE.replace(b"CN114123456A", b"CN114654321A"))
    denied = "没有权限 / permission denied"
    try:
        (folder / "b-locked").chmod(0)
        (folder / "c-secret.xml").chmod(0)
        assert {Path(s.name).name: s.refused for s in sources.walk([folder])} == {
            "a-design.xml": None,
            "b-locked": f"无法列出文件夹 / cannot list the folder: {denied}",
            "c-secret.xml": None,  # found; its opening fails
            "table.csv": None,
            "z-table.csv": None,
        }
        summary = ingest(store, [folder], Options(quarantine_dir=tmp_path / "q"))
    finally:
        (folder / "b-locked").chmod(0o755)
        (folder / "c-secret.xml").chmod(0o644)
    assert store.get("CN306123456S") is not None
    assert store.get("CN114123456A") is not None
    assert store.get("CN114654321A") is not None
    assert _refusals(summary) == {
        "b-locked": ("file", f"无法列出文件夹 / cannot list the folder: {denied}"),
        "c-secret.xml": ("file", f"无法打开 / cannot open: {denied}"),
    }


def test_a_named_pipe_or_a_device_is_refused_unopened_and_the_rest_loads(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    """A named pipe in a delivery folder (left by a tool that streams through one), or named on
    the command line, was opened like a file: the opening waits for a writer, and the load hung
    there for ever. It, a socket or a device, is refused without being opened. The load runs in
    a thread here, so that the test fails, not hangs, should it wait again."""
    folder = _delivery(tmp_path)
    os.mkfifo(folder / "b.pipe")
    os.mkfifo(tmp_path / "stream.xml")
    pipe = "不是普通文件，未读取 / not a regular file, not read: 命名管道 / a named pipe (FIFO)"
    assert {Path(s.name).name: s.refused for s in sources.walk([folder])} == {
        "a-design.xml": None,
        "b.pipe": pipe,
        "z-table.csv": None,
    }
    assert [s.refused for s in sources.walk([Path(os.devnull)])] == [
        "不是普通文件，未读取 / not a regular file, not read: 设备 / a device"
    ]
    outcome: list[RunSummary | BaseException] = []

    def load() -> None:
        try:
            paths = [folder, tmp_path / "stream.xml"]
            outcome.append(ingest(store, paths, Options(quarantine_dir=tmp_path / "q")))
        except BaseException as exc:  # noqa: BLE001 - raised again below, in the test
            outcome.append(exc)

    loading = threading.Thread(target=load, daemon=True)
    loading.start()
    loading.join(timeout=60)
    if loading.is_alive():  # waiting in open(): a writer that closes at once lets it end
        for fifo in (folder / "b.pipe", tmp_path / "stream.xml"):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # no reader waits on this one
                pass
        loading.join(timeout=60)
        pytest.fail("the load waited on a named pipe")
    (summary,) = outcome
    if isinstance(summary, BaseException):
        raise summary
    assert store.get("CN306123456S") is not None
    assert store.get("CN114123456A") is not None
    assert _refusals(summary) == {"b.pipe": ("file", pipe), "stream.xml": ("file", pipe)}


def test_a_linked_folder_is_read_once_and_a_link_up_the_tree_is_no_loop(tmp_path: Path) -> None:
    """A delivery linked into the folder read is read (it was passed over without a word);
    two links to it read it once, and a link back to the folder itself ends the walk."""
    delivery = tmp_path / "elsewhere" / "2026-11"
    delivery.mkdir(parents=True)
    (delivery / "export.csv").write_text("公开（公告）号,名称\n", encoding="utf-8")
    inbox = tmp_path / "inbox"
    (inbox / "own").mkdir(parents=True)
    (inbox / "own" / "a.csv").write_text("公开（公告）号,名称\n", encoding="utf-8")
    (inbox / "linked").symlink_to(delivery, target_is_directory=True)
    (inbox / "linked-again").symlink_to(delivery, target_is_directory=True)
    (inbox / "own" / "up").symlink_to(inbox, target_is_directory=True)
    found = [Path(s.name).name for s in sources.walk([inbox])]
    assert sorted(found) == ["a.csv", "export.csv"]
