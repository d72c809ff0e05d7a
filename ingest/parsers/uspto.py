"""USPTO patent grant and application full text, XML 4.x (Red Book / Yellow Book, 2005 onward).

Follows the USPTO ``us-patent-grant`` and ``us-patent-application`` DTDs v4.0 (``v40``), v4.2
and v4.5 (elements ``us-bibliographic-data-grant|application``, ``publication-reference``,
``application-reference``, ``invention-title``, ``classification-ipc`` (v4.0) and
``classifications-ipcr``, ``classifications-cpc``, ``parties`` (v4.0–4.2) and ``us-parties``
(v4.3+), ``assignees``, ``agents``, ``priority-claims``, ``related-documents`` /
``us-related-documents``, ``references-cited`` / ``us-references-cited``, ``abstract``,
``claims``).

A weekly bulk file is many documents concatenated, each with its own ``<?xml …?>`` and
``<!DOCTYPE …>``: :func:`split` cuts the byte stream at each declaration (read in blocks,
holding one document in memory at a time; a file in UTF-16 read as UTF-8) and
:func:`parse_document` parses one with the safe lxml options, so a broken document is
quarantined and the next one loads. A document's position names the file's line it starts on
(``document 3 at byte 5718, line 61``): lxml names the lines of the document it parses, and a
broken document's reason names the file's.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

from lxml import etree

from ingest.parsers import charsets, fragments
from ingest.parsers.base import (
    Item,
    Quarantined,
    below,
    buffered,
    child,
    children,
    document_id,
    edition_7_ipc,
    first,
    first_of,
    grouped,
    leaves,
    named_children,
    parse_date,
    pct_numbers,
    reason,
    related_documents,
    required,
    safe_fromstring,
    text_of,
)
from ingest.parsers.mapped import granted_on, patent_kind
from iphub.numbers import (
    NumberError,
    normalize_application_number,
    normalize_publication_number,
    publication_number_of,
)
from iphub.records import Agency, LocalizedText, Party, Patent, PatentKind, Priority

NAME = "uspto"
DECLARATION = re.compile(rb"<\?xml\s")
MAX_DOCUMENT = 64 * 1024 * 1024  # bytes; a larger "document" is a broken split, not a patent
#: bytes read at a time: real grants were cut at ≈68 µs each with 256 KB blocks, ≈105 with 1 MB
BLOCK = 1 << 18
_BOM = b"\xef\xbb\xbf"
_CONTENT = re.compile(rb"[^\s\xef\xbb\xbf]")  # anything but blanks and a byte order mark


def _starts(data: bytes, end: int) -> Iterator[int]:
    """Where documents start in ``data[:end]`` (whole lines): at each XML declaration (or the
    byte order mark just before it) — after blanks, after the document before written without a
    line break, or after what is left of a document cut off mid-line (a truncated one: it goes
    alone, and the next one loads), there if whole and followed by markup or the line's end
    (not one quoted in a comment or CDATA section); whatever stands before
    goes with the document before, as libxml2 takes nothing before a declaration but a byte
    order mark. ``<?xml-stylesheet`` and other processing instructions are not declarations,
    and a patent's XML holds no other (its text escapes ``<``)."""
    for match in DECLARATION.finditer(data, 0, end):
        at = match.start()
        line = data.rfind(b"\n", 0, at) + 1
        before = data[line:at].replace(_BOM, b"").rstrip()
        # at a line's start or after a tag, any declaration; after other text on its line (a
        # document cut off mid-line), one that is whole and followed by markup or the line's
        # end, not ``<?xml version="1.0"?>`` quoted in a comment or CDATA section
        if before and not before.endswith(b">") and not _WHOLE_DECLARATION.match(data, at, end):
            continue
        yield at - 3 if at >= 3 and data[at - 3 : at] == _BOM else at


#: a whole XML declaration and what follows it on its line: markup, or nothing
_WHOLE_DECLARATION = re.compile(
    rb"""<\?xml\s+version\s*=\s*["'][^"']*["'][^<>?]*\?>[ \t\r]*(?:<|\n|$)"""
)


def split(stream: IO[bytes], skip: int = 0) -> Iterator[tuple[str, bytes]]:
    """``(position, document bytes)`` per document (:func:`_starts`), the first ``skip`` unread;
    blank bytes before the first declaration are no document. The position names the
    document's number, the file's byte and line it starts on (:func:`start_line`).

    A file in UTF-16 (with a byte order mark or without, ``charsets.utf16``) is read as UTF-8,
    each document's declaration saying so (:func:`_from_utf16`): its ``<?xml`` is not ASCII
    bytes, so the file was one "document" that lxml refused whole. Any other file is cut as
    it is read, with no copy made for it.
    """
    reader = buffered(stream)
    head = reader.peek(4)[:4]
    codec = charsets.utf16(head)
    if codec is None:
        return _cut(reader, skip)
    if codec == "utf-16":  # its byte order mark read as a character, as a UTF-8 file's is
        codec = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
    return _from_utf16(reader, codec, skip)


def _from_utf16(reader: io.BufferedReader, codec: str, skip: int) -> Iterator[tuple[str, bytes]]:
    """:func:`_cut` of a UTF-16 file read as UTF-8, each document's declaration then naming
    UTF-8; positions count the file's bytes. A byte order mark, the file's or one before each
    document of files written one after another, is read as the character U+FEFF, which
    :func:`_starts` takes as a UTF-8 file's."""
    utf8 = io.BufferedReader(cast(Any, charsets.Utf8Stream(reader, codec, "surrogatepass")), BLOCK)
    for position, data in _cut(utf8, skip, _utf16_width):
        yield position, _DECLARED_ENCODING.sub(rb"\1UTF-8\2", data, count=1)


#: a document's declared encoding, after the byte order mark it may open with
_DECLARED_ENCODING = re.compile(
    rb"""^((?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\sencoding\s*=\s*["'])[^"']*(["'])"""
)
#: UTF-8's continuation bytes, and the lead bytes of its four-byte sequences
_CONTINUATION = bytes(range(0x80, 0xC0))
_FOUR_BYTE_LEADS = bytes(range(0xF0, 0xF8))


def _utf16_width(utf8: memoryview) -> int:
    """How many bytes text takes in UTF-16 that takes ``utf8`` in UTF-8: two a character, four
    one beyond the BMP (a four-byte sequence in UTF-8). Counted by lead bytes, so a character
    cut at the end of ``utf8`` is counted once, with the part of it that holds its lead byte."""
    leads = bytes(utf8).translate(None, _CONTINUATION)
    return 2 * (2 * len(leads) - len(leads.translate(None, _FOUR_BYTE_LEADS)))


def _cut(
    stream: IO[bytes], skip: int, width: Callable[[memoryview], int] | None = None
) -> Iterator[tuple[str, bytes]]:
    """:func:`split` of a stream in UTF-8, or in any encoding that writes ``<?xml`` as ASCII.
    Positions count the file's bytes: where the stream's are not the file's own, ``width``
    gives how many of the file's a stretch of them stands for (its UTF-16 width,
    :func:`_from_utf16`); a UTF-8 file, the hot path of a USPTO load, is counted as it is read.

    The stream is read in blocks and searched with a regular expression, not line by line (a
    full-text grant has a thousand lines and more), and a document's bytes are copied once, when
    it is given. One document (at most ``MAX_DOCUMENT`` + 1 bytes of it: a longer one is
    quarantined by :func:`parse_document`) and the blocks it spans are held.
    """
    index = start = 0  # documents given; where the current one starts in the file
    line = first = 1  # the file's line of ``data[pos]``; the line the current one starts on
    offset = measured = 0  # the file's offset of ``data[measured]``; measured is 0 for UTF-8
    parts: list[memoryview] = []  # the current document's bytes in the blocks read
    kept = 0
    blank = True  # the current document has nothing but blanks so far
    data = b""
    while True:
        block = stream.read(BLOCK)
        data = data + block if data else block
        # whole lines only, but for the end of the stream and a line longer than any document
        cut = len(data) if not block or len(data) > MAX_DOCUMENT else data.rfind(b"\n") + 1
        view = memoryview(data)
        pos = 0
        for at in (*_starts(data, cut), cut):
            if at > pos:
                if kept <= MAX_DOCUMENT:
                    parts.append(view[pos : min(at, pos + MAX_DOCUMENT + 1 - kept)])
                    kept += len(parts[-1])
                blank = blank and _CONTENT.search(data, pos, at) is None
                line += data.count(b"\n", pos, at)  # ≈0.45 ms a MB: 3% of parsing it
            if at == cut:
                break
            if not blank:
                if index >= skip:
                    yield f"document {index + 1} at byte {start}, line {first}", b"".join(parts)
                index += 1
            if width is not None:
                offset, measured = offset + width(view[measured:at]), at
            parts, kept, blank, start, pos, first = [], 0, True, offset + at - measured, at, line
        if width is not None:
            offset, measured = offset + width(view[measured:cut]), cut
        data, offset, measured = data[cut:], offset + cut - measured, 0
        if not block:
            break
    if not blank and index >= skip:
        yield f"document {index + 1} at byte {start}, line {first}", b"".join(parts)


_LINE = re.compile(r", line ([0-9]+)$")


def start_line(position: str) -> int:
    """The file's line a document :func:`split` gave starts on, as its position names it (1
    for a position that names none: a document read on its own)."""
    m = _LINE.search(position)
    return int(m[1]) if m else 1


def parse(stream: IO[bytes], skip: int = 0) -> Iterator[Item]:
    for position, data in split(stream, skip):
        yield from parse_document(position, data)


def parse_document(position: str, data: bytes) -> list[Item]:
    if len(data) > MAX_DOCUMENT:
        return [Quarantined(position, f"document larger than {MAX_DOCUMENT} bytes", _raw(data))]
    try:
        return [_patent(_root(data))]
    except Exception as exc:  # noqa: BLE001 - bad numbers, validation: quarantine all
        said = reason(exc, lambda message: _in_file(position, data, message))
        return [Quarantined(position, said, _raw(data))]


#: the most stray bytes after a document's root that are dropped rather than refuse it
_STRAY_TAIL = 64


def _root(data: bytes) -> Any:
    """The document's root element. A few stray bytes between it and the next document's
    declaration (a Ctrl-Z, a non-breaking space a tool left at the end of a line) are dropped:
    only the document they follow was refused for them."""
    try:
        return safe_fromstring(data)
    except etree.XMLSyntaxError as exc:
        end = data.rfind(b">") + 1
        tail = data[end:]
        if not (0 < len(tail.strip()) <= _STRAY_TAIL and b"<" not in tail):
            raise
        try:
            return safe_fromstring(data[:end])
        except etree.XMLSyntaxError:
            raise exc from None


def _in_file(position: str, data: bytes, message: str) -> str:
    """lxml's ``message`` about a document :func:`split` gave, its lines the file's: moved by
    the line the document starts on (:func:`start_line`); a column on its first line (which it
    may share with the document before it) left out."""
    line = start_line(position)
    if line == 1:
        return message
    return fragments.lines_moved(message, line - 1)


def _raw(data: bytes) -> str:
    """The start of a quarantined document, as text (decoded only for those)."""
    return data[:2000].decode("utf-8", "replace")


def _docid(elem: Any) -> tuple[str, str, str, str]:
    country, number, kind, date = document_id(elem)
    return country or "US", number, kind, date


def _book(parts: dict[str, Any]) -> dict[str, Any]:
    """The name and address elements of a party, given its children by name: its
    ``addressbook``'s, else its own — the v4.0 DTD lets a party write its ``orgname`` (or
    ``last-name`` and ``first-name``) and ``address`` directly in it, as a grant of 2005 does
    its assignee: ``<assignee><orgname>Bluestreak.com</orgname><role>02</role></assignee>``."""
    book = parts.get("addressbook")
    return parts if book is None else children(book)


def _addressbook(book: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """(name, address fields) of a party's :func:`_book`: its ``orgname``, else
    ``first-name last-name``; its ``address``'s leaves."""
    name = text_of(book.get("orgname")) or " ".join(
        p for p in (text_of(book.get("first-name")), text_of(book.get("last-name"))) if p
    )
    return name, leaves(book.get("address"))


def _party(elem: Any) -> Party | None:
    parts = children(elem)
    name, address = _addressbook(_book(parts))
    if not name:
        return None
    country = address.get("country") or first(parts.get("residence"), "country")
    return Party(
        name=name,
        country=country if len(country) == 2 and country.isalpha() else None,
        address=", ".join(p for p in (address.get("city"), address.get("state")) if p) or None,
    )


def _parties(elems: list[Any]) -> list[Party]:
    return [p for e in elems if (p := _party(e)) is not None]


def _agency(agents: list[Any]) -> Agency | None:
    """The agency of a document's ``agents``: the firm (the first agent named by an
    ``orgname``), with the others — its attorneys, in order — as its agents; without a firm,
    the first attorney stands for it. The USPTO lists attorneys and firms in any order:
    US6859910's agents are Joseph H. Born, then Foley Hoag LLP."""
    names: list[str] = []
    firm = None
    for e in agents:
        book = _book(children(e))
        if name := _addressbook(book)[0]:
            names.append(name)
            if firm is None and text_of(book.get("orgname")):
                firm = name
    if not names:
        return None
    firm = firm or names[0]
    names.remove(firm)
    return Agency(name=firm, agents=names)


def _ipc(elem: Any) -> str:
    fields = leaves(elem)
    group, sub = fields.get("main-group", ""), fields.get("subgroup", "")
    head = fields.get("section", "") + fields.get("class", "") + fields.get("subclass", "")
    return f"{head} {group}/{sub}" if group else head


def _citations(bib: Any) -> list[str]:
    out = []
    for cit in (d for p in bib.iter("patcit") for d in p if d.tag == "document-id"):
        country, number, kind, _ = _docid(cit)
        try:  # WO citations repeat the office ("WO 89/02682"): publication_number_of reads it
            out.append(publication_number_of(country, number, kind))
        except NumberError:
            out.append(f"{country}{number}{kind}")
    return list(dict.fromkeys(out))


def _patent(root: Any) -> Patent:
    grant = root.tag == "us-patent-grant"
    if root.tag not in ("us-patent-grant", "us-patent-application"):
        raise ValueError(f"not a USPTO patent document: <{root.tag}>")
    bib = required(
        root, "us-bibliographic-data-grant" if grant else "us-bibliographic-data-application"
    )
    parts = grouped(bib)  # one pass over its children where a ``find`` each cost ≈1–3 µs
    country, number, kind, pub_date = _docid(required(bib, "publication-reference/document-id"))
    app = required(bib, "application-reference")
    _, app_number, _, app_date = _docid(app.find("document-id"))
    pn = normalize_publication_number(f"{country}{number}{kind}")
    try:
        an = normalize_application_number(app_number, "US")
    except NumberError:
        an = f"US{app_number}"
    # by the kind code's ST.16 group (a statutory invention registration, H or H1, is in the
    # grant files until 2013 but grants no right: a publication), else by the document type
    if app.get("appl-type") == "design":
        patent = PatentKind.DESIGN
    elif kind:
        patent = patent_kind(None, kind)
    else:
        patent = PatentKind.INVENTION_GRANT if grant else PatentKind.INVENTION_APPLICATION
    ipc = [_ipc(e) for e in below(parts, "classifications-ipcr", "classification-ipcr")]
    ipc += edition_7_ipc(first_of(parts, "classification-ipc"))  # DTD v4.0
    parties = first_of(parts, "us-parties")
    if parties is None:
        parties = first_of(parts, "parties")
    applicants = _parties(below(parts, "assignees", "assignee"))
    inventors: list[Party] = []
    agency = None
    if parties is not None:
        groups = grouped(parties)
        inventors = _parties(below(groups, "inventors", "inventor"))
        if not inventors or not applicants:  # then the applicants stand in
            everyone = _parties(
                [e for _, group in named_children(parties) for e in group.iterfind("us-applicant")]
                + below(groups, "applicants", "applicant")
            )
            inventors = inventors or everyone
            applicants = applicants or everyone
        agency = _agency(below(groups, "agents", "agent"))
    abstract = text_of(root.find("abstract"))
    pct_application, pct_publication = pct_numbers(
        child(first_of(parts, "pct-or-regional-filing-data"), "document-id"),
        child(first_of(parts, "pct-or-regional-publishing-data"), "document-id"),
    )
    return Patent(
        id=pn,
        source=NAME,
        jurisdiction="US",
        kind=patent,
        kind_code=kind or None,
        application_number=an,
        application_date=parse_date(app_date),
        publication_number=pn,
        publication_date=parse_date(pub_date),
        grant_date=granted_on(patent, parse_date(pub_date)) if grant else None,
        title=LocalizedText(text=text_of(first_of(parts, "invention-title")), lang="en"),
        abstract=LocalizedText(text=abstract, lang="en") if abstract else None,
        claims=[t for c in root.iterfind("claims/claim") if (t := text_of(c))],
        applicants=applicants,
        inventors=inventors,
        agency=agency,
        pct_application_number=pct_application,
        pct_publication_number=pct_publication,
        ipc_main=ipc[0] if ipc else None,
        ipc=list(dict.fromkeys(ipc)),
        cpc=list(
            dict.fromkeys(
                _ipc(e)
                for group in parts.get("classifications-cpc", [])
                for e in group.iter("classification-cpc")
            )
        ),
        priorities=[
            Priority(
                country=first(e, "country"),
                number=first(e, "doc-number"),
                date=parse_date(first(e, "date")),
            )
            for e in below(parts, "priority-claims", "priority-claim")
        ],
        related=related_documents(
            "US", first_of(parts, "us-related-documents"), first_of(parts, "related-documents")
        ),
        cited_documents=_citations(bib),
        sources=[NAME],
    )
