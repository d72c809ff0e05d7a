"""Record elements cut out by their tags: the same records and positions iterparse gives, and a
malformed record costs only itself."""

from __future__ import annotations

import io
import random

import pytest
from lxml import etree

from ingest.parsers import cnipa, fragments, st96
from ingest.parsers.base import Quarantined
from iphub.records import Patent, Trademark
from tests.ingest.conftest import FIXTURES

ST96 = "http://www.wipo.int/standards/XMLSchema/ST96/Trademark"


def _by_iterparse(data: bytes, name: str) -> list[tuple[int, bytes]]:
    """(line, canonical XML) of every ``name`` element, as iterparse sees them."""
    out = []
    for _, elem in etree.iterparse(io.BytesIO(data), events=("end",), tag=f"{{*}}{name}"):
        if not any(etree.QName(a).localname == name for a in elem.iterancestors()):
            out.append((elem.sourceline, etree.tostring(elem, method="c14n")))
    return out


def _by_fragments(data: bytes, name: str) -> list[tuple[int, bytes]]:
    out = []
    for position, fragment in fragments.split(io.BytesIO(data), (name,)):
        (record,) = etree.fromstring(fragment)
        out.append(
            (int(position.rsplit("line ", 1)[1].rstrip(")")), etree.tostring(record, method="c14n"))
        )
    return out


def _document(rng: random.Random) -> bytes:
    """Records under prefixed and default namespaces, nested same-name and look-alike tags,
    empty elements, attributes with '>' and '/', and text between records."""
    parts = [b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- Trademark list -->\n']
    parts.append(b'<!DOCTYPE tmk:Bag [\n<!ENTITY quoted "<tmk:Trademark/>">\n]>\n')
    parts.append(f'<tmk:Bag xmlns:tmk="{ST96}" xmlns:com="urn:common">\n'.encode())
    records = [
        b'<tmk:Trademark a="x/y"><com:N>1</com:N></tmk:Trademark>',
        b"<tmk:Trademark>\n  <tmk:TrademarkBag><tmk:Trademark><com:N>in</com:N></tmk:Trademark>"
        b"</tmk:TrademarkBag>\n</tmk:Trademark>",
        b'<tmk:Trademark\n   kind="word"><tmk:TrademarkClass/><com:N>2 &amp; 3</com:N>'
        b"</tmk:Trademark>",
        b"<tmk:Trademark/>",
        b'<Trademark xmlns="urn:other"><N>default</N></Trademark>',
        b"<tmk:TrademarkCategory>not a record</tmk:TrademarkCategory>",
        # commented out, quoted, or in a processing instruction: not records, nor their ends
        b"<!-- <tmk:Trademark><com:N>commented out</com:N></tmk:Trademark> -->",
        b"<!--\n<tmk:Trademark>\n-->",
        b"<tmk:Trademark><com:N><![CDATA[</tmk:Trademark> <tmk:Trademark> & < >]]></com:N>"
        b"</tmk:Trademark>",
        b"<tmk:Trademark><!-- </tmk:Trademark> <tmk:Trademark> --><com:N>c</com:N></tmk:Trademark>",
        b"<?note <tmk:Trademark> ?><tmk:Trademark><?pi </tmk:Trademark>?></tmk:Trademark>",
        b'<tmk:Trademark note="a/>b" other=\'>\'\n><com:N q="/>">q</com:N></tmk:Trademark>',
        b"<tmk:Trademark k='\"'/>",
    ]
    for _ in range(60):
        parts.append(rng.choice(records) + rng.choice([b"\n", b"", b"\n\n  ", b"<x>text</x>"]))
    parts.append(b"</tmk:Bag>\n")
    return b"".join(parts)


@pytest.mark.parametrize("block", [1, 13, 100, 4096, 1 << 20])
def test_same_records_and_lines_as_iterparse(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fragments, "BLOCK", block)
    for seed in range(3):
        data = _document(random.Random(seed))
        assert _by_fragments(data, "Trademark") == _by_iterparse(data, "Trademark")
    fixture = (FIXTURES / "st96-trademarks.xml").read_bytes()
    assert _by_fragments(fixture, "Trademark") == _by_iterparse(fixture, "Trademark")


def test_skip_and_positions() -> None:
    data = (FIXTURES / "st96-trademarks.xml").read_bytes()
    every = list(fragments.split(io.BytesIO(data), ("Trademark",)))
    assert [p for p, _ in every] == ["Trademark 1 (line 5)", "Trademark 2 (line 27)"]
    assert list(fragments.split(io.BytesIO(data), ("Trademark",), skip=1)) == every[1:]


def test_a_malformed_record_is_quarantined_alone() -> None:
    """An unescaped & and a broken tag each cost their own record; a control character, which
    XML forbids too, costs nothing: it is read as a space."""
    fixture = (FIXTURES / "st96-trademarks.xml").read_bytes()
    start = fixture.index(b"<tmk:Trademark>")
    end = fixture.index(b"</tmk:Trademark>", start) + len(b"</tmk:Trademark>")
    record = fixture[start:end]
    bad = [
        record.replace(b"45678901", b"80000000").replace(
            "羊城智造".encode(), "羊城\x01智造".encode()
        ),
        record.replace(b"45678901", b"4567 & 8901"),
        record.replace(b"</com:ApplicationDate>", b"</com:ApplicationDat>"),
    ]
    numbers = [f"{90000000 + i}".encode() for i in range(4)]
    body = b"".join(
        record.replace(b"45678901", numbers[i]) + b"\n" + (bad[i] if i < 3 else b"")
        for i in range(4)
    )
    data = fixture[:start] + body + fixture[end:]
    items = list(st96.parse(io.BytesIO(data)))
    loaded = [i for i in items if isinstance(i, Trademark)]
    expected = [n.decode() for n in numbers]
    assert [t.application_number for t in loaded] == expected[:1] + ["80000000"] + expected[1:]
    assert loaded[1].mark_text == "羊城 智造"
    broken = [i for i in items if isinstance(i, Quarantined) and "malformed XML" in i.reason]
    assert len(broken) == 2
    assert all(q.raw.startswith("<tmk:Trademark>") for q in broken)
    # and the fixture's own bad record (a number that is not one) after them
    assert "unrecognised trademark number" in getattr(items[-1], "reason", "")


def test_gbk_records_keep_their_encoding_and_a_bad_byte_costs_one() -> None:
    doc = (FIXTURES / "cnipa-invention-gbk.xml").read_bytes()
    head, _, body = doc.partition(b"?>")
    body = body.strip()
    second = body.replace(b"114123456", b"114123457")
    broken = body.replace(b"114123456", b"114123458").replace("锂".encode("gbk"), b"\x81\x20", 1)
    data = head + b"?>\n<cn-patent-documents>\n" + body + b"\n" + broken + b"\n" + second
    data += b"\n</cn-patent-documents>\n"
    items = list(cnipa.parse(io.BytesIO(data)))
    patents = [i for i in items if isinstance(i, Patent)]
    assert [p.id for p in patents] == ["CN114123456A", "CN114123457A"]
    assert patents[0].title.text == next(iter(cnipa.parse(io.BytesIO(doc)))).title.text  # type: ignore[union-attr]
    assert "锂" in patents[0].title.text
    (bad,) = [i for i in items if isinstance(i, Quarantined)]
    assert bad.position.startswith("cn-patent-document 2")


def _gbk_body() -> bytes:
    return (FIXTURES / "cnipa-invention-gbk.xml").read_bytes().partition(b"?>")[2].strip()


@pytest.mark.parametrize(
    "declaration",
    [
        b"",
        b'<?xml version="1.0" encoding="UTF-8"?>\n',
        b'<?xml version="1.0" encoding="GB2312"?>\n',
    ],
)
def test_a_gbk_file_that_says_otherwise_or_nothing_is_read_as_gb18030(declaration: bytes) -> None:
    """Chinese tools write GBK under a UTF-8 declaration, or none, or declare GB2312 and use
    characters only GBK has (堃, 喆): every record failed with "Invalid bytes in character
    encoding" (the one GB2312 lacks, with an iconv error)."""
    body = _gbk_body().replace("王芳".encode("gbk"), "王堃喆".encode("gbk"))
    second = body.replace(b"114123456", b"114123457")
    data = declaration + b"<cn-patent-documents>\n" + body + b"\n" + second
    data += b"\n</cn-patent-documents>\n"
    items = list(cnipa.parse(io.BytesIO(data)))
    assert [getattr(i, "id", i) for i in items] == ["CN114123456A", "CN114123457A"]
    patent = items[0]
    assert isinstance(patent, Patent)
    assert patent.title.text == "一种石墨烯包覆的锂电池正极材料"
    assert [p.name for p in patent.inventors] == ["李伟", "王堃喆"]


def test_a_utf8_file_with_a_bad_byte_stays_utf8() -> None:
    """A byte or two that are not UTF-8 do not make a UTF-8 file GBK: the record holding them is
    quarantined and the others load as they are."""
    fixture = (FIXTURES / "st96-trademarks.xml").read_bytes()
    start = fixture.index(b"<tmk:Trademark>")
    end = fixture.index(b"</tmk:Trademark>", start) + len(b"</tmk:Trademark>")
    record = fixture[start:end]
    numbers = [f"{90000000 + i}".encode() for i in range(6)]
    records = [record.replace(b"45678901", n) for n in numbers]
    records[2] = records[2].replace(
        "羊城智造".encode(), "羊城".encode() + b"\xb5" + "智造".encode()
    )
    data = fixture[:start] + b"\n".join(records) + fixture[end:]
    assert fragments.reading_encoding(fragments.encoding_of(data), data) == "UTF-8"
    items = list(st96.parse(io.BytesIO(data)))
    marks = [i.mark_text for i in items if isinstance(i, Trademark)]
    assert marks[:5] == ["羊城智造"] * 5  # and the fixture's own second record after them
    assert isinstance(items[2], Quarantined)
    assert "Invalid bytes" in items[2].reason or "not proper UTF-8" in items[2].reason


def test_reading_encoding() -> None:
    gbk = "一种锂电池正极材料".encode("gbk") * 10
    assert fragments.reading_encoding(None, b"<a>" + gbk) == "GB18030"
    assert fragments.reading_encoding("utf-8", b"<a>" + gbk[:-1]) == "GB18030"  # cut mid-character
    assert fragments.reading_encoding(None, "<a>锂电池".encode()) is None
    assert fragments.reading_encoding(None, "<a>锂电池".encode()[:-1]) is None  # cut: still UTF-8
    assert fragments.reading_encoding("GBK", b"<a/>") == "GB18030"
    assert fragments.reading_encoding("ISO-8859-1", b"<a>\xe9</a>") == "ISO-8859-1"
    assert fragments.reading_encoding(None, b"<a>\xff\xfe junk</a>") is None  # not GB18030 either
    assert fragments.reading_encoding(None, b"<a>" + gbk + b"\xff" + gbk) == "GB18030"  # a bad byte
    utf8 = "一种锂电池正极材料".encode() * 10
    assert fragments.reading_encoding(None, b"<a>" + utf8 + b"\xff" + utf8) is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_cut_by_their_tags_as_utf8_files_are(encoding: str) -> None:
    """Windows tools write XML in UTF-16, with a byte order mark or without: transcoded as it
    is read, it gives the positions and records of the same file in UTF-8."""
    fixture = (FIXTURES / "st96-trademarks.xml").read_text(encoding="utf-8")
    data = fixture.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(encoding)
    assert not fragments.splittable(data[:256])
    assert fragments.splittable(fragments.as_utf8(io.BufferedReader(io.BytesIO(data))).peek(256))
    got, expected = (list(st96.split(io.BytesIO(d))) for d in (data, fixture.encode()))
    assert [position for position, _ in got] == [position for position, _ in expected]
    items = list(st96.parse(io.BytesIO(data)))
    assert [(type(i), getattr(i, "id", None)) for i in items] == [
        (type(i), getattr(i, "id", None)) for i in st96.parse(io.BytesIO(fixture.encode()))
    ]
    assert isinstance(items[0], Trademark)
    assert items[0].mark_text == "羊城智造"


def test_a_malformed_record_of_a_utf16_file_costs_only_itself() -> None:
    """Read with iterparse, the first bare ``&`` of a UTF-16 file quarantined the rest of it.
    A lone surrogate (half a character) costs its record too, not the file."""
    fixture = (FIXTURES / "st96-trademarks.xml").read_text(encoding="utf-8")
    first = fixture[fixture.index("<tmk:Trademark>") : fixture.index("</tmk:Trademark>") + 16]
    records = [
        first.replace("羊城智造", "羊城 & 智造"),  # not well-formed
        first.replace("45678901", "45678902"),
        first.replace("45678901", "45678903").replace("羊城智造", "羊城\ud800智造"),
        first.replace("45678901", "45678904"),
    ]
    head, tail = fixture.split(first, 1)
    text = head.replace('encoding="UTF-8"', 'encoding="UTF-16"') + "\n".join(records)
    data = (text + tail[tail.index("</tmk:TrademarkBag>") :]).encode("utf-16", "surrogatepass")
    items = list(st96.parse(io.BytesIO(data)))
    assert [type(i).__name__ for i in items] == [
        "Quarantined", "Trademark", "Quarantined", "Trademark"
    ]  # fmt: skip
    assert [getattr(i, "id", None) for i in items[1::2]] == ["CN-TM-45678902", "CN-TM-45678904"]
    bad = [i for i in items if isinstance(i, Quarantined)]
    assert bad[0].position == "Trademark 1 (line 5)"
    assert "xmlParseEntityRef" in bad[0].reason
    assert "羊城 & 智造" in bad[0].raw
    assert "Invalid bytes" in bad[1].reason or "not proper UTF-8" in bad[1].reason


def test_an_over_long_record_is_cut_and_the_next_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fragments, "MAX_RECORD", 200)
    monkeypatch.setattr(fragments, "BLOCK", 64)
    data = b"<r><T><x>" + b"y" * 1000 + b"</x></T>\n<T><x>ok</x></T></r>"
    got = list(fragments.split(io.BytesIO(data), ("T",)))
    assert len(got) == 2
    assert fragments.unwrap(got[1][1]) == b"<T><x>ok</x></T>"
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(got[0][1])


def test_epo_records_and_positions_match_iterparse() -> None:
    """Family members hold their own exchange-documents: cut by tags, a member is one record
    with its document inside, exactly as iterparse (with ``keep``) reads them."""
    from ingest.parsers import epo
    from ingest.parsers.base import convert_fragment, split_elements
    from tests.ingest.conftest import SHARED

    files = [FIXTURES / "epo-docdb-cn.xml"]
    if SHARED.exists():  # the real OPS samples, where ../shared is beside the repository
        files += sorted((SHARED / "epo-ops").glob("*.xml"))
    for path in files:
        data = path.read_bytes()
        by_tags = list(epo.parse(io.BytesIO(data)))
        by_iterparse = [
            item
            for position, fragment in split_elements(io.BytesIO(data), epo.TAGS, 0, epo._standalone)
            for item in convert_fragment(position, fragment, epo._convert)
        ]

        def same(item: object) -> object:  # a quarantined raw is the file's own bytes now
            return (item.position, item.reason) if isinstance(item, Quarantined) else item

        assert [same(i) for i in by_tags] == [same(i) for i in by_iterparse], path.name
        assert by_tags, path.name


@pytest.mark.parametrize("block", [7, 1 << 20])
def test_a_commented_out_record_is_not_loaded_and_an_open_comment_is_quarantined(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fragments, "BLOCK", block)
    fixture = (FIXTURES / "cnipa-design.xml").read_bytes()
    start = fixture.index(b"<cn-patent-document")
    record = fixture[start : fixture.index(b"</cn-patent-document>") + 21]
    head = fixture[:start]
    commented = head + b"<root><!-- " + record + b" -->" + record + b"</root>"
    items = list(cnipa.parse(io.BytesIO(commented)))
    assert [type(i) for i in items] == [Patent]
    assert [i.id for i in items if isinstance(i, Patent)] == ["CN306123456S"]

    left_open = head + b"<root>" + record + b"<!-- " + record + b"</root>"
    first, last = list(cnipa.parse(io.BytesIO(left_open)))
    assert isinstance(first, Patent)
    assert isinstance(last, Quarantined)
    assert last.position.startswith("cn-patent-document 2 (line ")
    assert "Comment" in last.reason
    assert last.raw.startswith("<!-- <cn-patent-document")


def test_lxmls_lines_are_moved_to_the_files() -> None:
    """A wrapped record's lines, as lxml counts them, are moved to the file's: a line in the
    wrapper's head (its declaration and document type) is none of the file's and is left out,
    as is a column on the record's first line; data not wrapped here is said as it is."""
    doc = b'<?xml version="1.0"?>\n<!DOCTYPE d [\n<!ENTITY e "x">\n]>\n<d>\n\n  <r>\n<p>&e;</p></r>'
    ((position, wrapped),) = fragments.split(io.BytesIO(doc), ("r",))
    assert position == "r 1 (line 7)"
    head = wrapped.count(b"\n", 0, wrapped.index(b"<r>"))  # the record on the next line
    assert fragments.in_file(wrapped, f"E, line {head + 1}, column 40") == "E, line 7"
    assert fragments.in_file(wrapped, f"E, line {head + 2}, column 9") == "E, line 8, column 9"
    assert fragments.in_file(wrapped, f"t p line {head + 2} and r, line 2") == "t p line 8 and r"
    assert fragments.in_file(b"<r/>", "E, line 3, column 2") == "E, line 3, column 2"
