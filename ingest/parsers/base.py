"""What every parser shares: the quarantine item, safe XML parsing, and small value helpers.

Safe XML follows the lxml FAQ and OWASP's XXE prevention sheet: no DTD loading or validation,
no network, no entity resolution (internal entities stay unexpanded, so a billion-laughs file
cannot grow), ``huge_tree`` off (libxml2's depth and size limits stay on). Every XML parser in
``ingest.parsers`` builds its parser or ``iterparse`` through :func:`safe_parser` /
:func:`safe_iterparse`.
"""

from __future__ import annotations

import datetime as dt
import html.entities
import io
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import IO, Any, TypeVar, cast

from lxml import etree
from pydantic import ValidationError

from ingest.parsers import charsets, fragments
from iphub import ipc as ipc_scheme
from iphub.numbers import (
    KIND_CODE,
    NumberError,
    application_number_as_written,
    normalize_application_number,
    publication_number_of,
)
from iphub.records import AnyRecord, Party, RelatedDocument

D = TypeVar("D")  # what a parser reads
R = TypeVar("R")  # what it gives
RAW_LIMIT = 2000  # characters of a bad record kept in the quarantine file

#: Options passed to every lxml parser; tests assert them on the parsers they build.
SAFE_XML_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_blank_text": False,
}


@dataclass(frozen=True)
class Quarantined:
    """A record (or whole file) that did not load, with where it was and why."""

    position: str  # e.g. "document 12 at byte 40960", "row 7", "file"
    reason: str
    raw: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw", self.raw[:RAW_LIMIT])

    def __reduce__(self) -> tuple[type[Quarantined], tuple[str, str, str]]:
        # built again by its constructor when it comes back from a worker: the compiled class
        # (``iphub.native``) refuses the attribute assignments pickle's default would make
        return Quarantined, (self.position, self.reason, self.raw)


@dataclass(frozen=True)
class Withdrawn:
    """A document the delivery withdraws (DOCDB's status ``D``, a deleted document): the loader
    removes the store's copy when the withdrawing ``sources`` alone gave it, and quarantines the
    notice, saying so, when another source gave it too."""

    position: str
    id: str
    sources: tuple[str, ...]
    reason: str

    def __reduce__(self) -> tuple[type[Withdrawn], tuple[str, str, tuple[str, ...], str]]:
        return Withdrawn, (self.position, self.id, self.sources, self.reason)  # as Quarantined


class Withdrawal(Exception):
    """Raised by a converter for a record the delivery withdraws: :func:`convert_fragment`
    gives it as a :class:`Withdrawn`."""

    def __init__(self, record_id: str, sources: tuple[str, ...], reason: str) -> None:
        super().__init__(reason)
        self.record_id, self.sources = record_id, sources


Item = AnyRecord | Quarantined | Withdrawn


def safe_parser() -> etree.XMLParser:
    """This thread's parser with the safe options: one a thread, as a parser must not be
    shared between threads, and a new one for each record cost ≈6 µs of its ≈37 (DOCDB)."""
    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = etree.XMLParser(**SAFE_XML_OPTIONS, recover=False)
    return parser


_parsers = threading.local()


#: the C0 control characters XML 1.0 forbids (all but tab, line feed and carriage return),
#: as raw bytes or as character references (``&#1;``, ``&#x1F;``). No byte below 0x20 is part
#: of a multi-byte character in UTF-8, GBK or GB18030, so they are found in the bytes.
_XML_CONTROLS = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]"
    rb"|&#(?:x0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));"
)


def safe_fromstring(data: bytes) -> Any:
    """``data`` parsed with the safe options. A document that is not well-formed only because
    of control characters (a stray form feed or ``\\x01`` from the office's conversion, which
    XML forbids and no text needs) is parsed again with each of them a space, and loads;
    any other error is raised as it was, so its record is quarantined with that reason."""
    return or_cleaned(
        lambda d: etree.fromstring(d, parser=safe_parser()),
        data,
        lambda d: _XML_CONTROLS.sub(b" ", d),
        etree.XMLSyntaxError,
    )


#: the same control characters in decoded text: a CSV cell, a spreadsheet cell, a JSON string
#: (``"\\u0001"`` is valid JSON); NUL is not among a CSV's values (its row is quarantined)
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def without_controls(value: str) -> str:
    """``value`` with each control character no text needs read as a space, as the XML and
    JSON readers read them (a stray ``\\x01`` in an exported title no longer splits a word
    unseen)."""
    if value.isprintable():  # nearly every value: half the cost of a regex search (≈0.2 µs)
        return value
    return _TEXT_CONTROLS.sub(" ", value)


def or_cleaned(
    parse: Callable[[D], R], data: D, clean: Callable[[D], D], error: type[Exception]
) -> R:
    """``parse(data)``; when that raises ``error`` and ``clean`` changes ``data``, ``parse`` of
    the cleaned data, and if that fails too, the first error (the reason a reader can act on).
    Control characters a format forbids are read as spaces so, by the XML and JSON readers."""
    try:
        return parse(data)
    except error as exc:
        cleaned = clean(data)
        if cleaned == data:
            raise
        try:
            return parse(cleaned)
        except error:
            raise exc from None


def safe_iterparse(stream: IO[bytes], tags: tuple[str, ...] | None = None) -> Any:
    """``iterparse`` over end events with the safe options; clear elements as you go."""
    kwargs: dict[str, Any] = dict(SAFE_XML_OPTIONS)
    kwargs.pop("remove_blank_text")
    return etree.iterparse(stream, events=("end",), tag=tags, **kwargs)


def split_elements(
    stream: IO[bytes],
    tags: tuple[str, ...],
    skip: int = 0,
    keep: Callable[[Any], bool] = lambda _: True,
) -> Iterator[tuple[str, bytes]]:
    """``(position, element XML)`` per element named by ``tags`` that ``keep`` accepts, read
    with iterparse: for files ``fragments`` cannot cut by their tags (UTF-32). The element is
    serialised with the namespace declarations in scope and converted by
    :func:`convert_fragment`; positions read as ``fragments.split`` gives them.
    """
    index = 0
    for _, elem in safe_iterparse(stream, tags):
        if not keep(elem):
            continue
        index += 1
        if index > skip:
            position = f"{local(elem.tag)} {index} (line {elem.sourceline})"
            data = etree.tostring(elem, encoding="utf-8", xml_declaration=False, with_tail=False)
            yield position, data
        clear(elem)


def convert_fragment(position: str, data: bytes, convert: Callable[[Any], AnyRecord]) -> list[Item]:
    """One element from :func:`split_elements` or ``fragments.split`` (wrapped) converted, or
    quarantined with its own XML."""
    try:
        root = safe_fromstring(data)
        if local(root.tag) == fragments.WRAPPER_TAG:  # it takes a default namespace in scope
            if len(root) != 1:
                raise ValueError("no complete record element (the file ends inside it?)")
            root = root[0]
        return [convert(root)]
    except Withdrawal as notice:
        return [Withdrawn(position, notice.record_id, notice.sources, str(notice))]
    except Exception as exc:  # noqa: BLE001 - whatever one record does costs that record alone
        own = fragments.unwrap(data)
        raw = own.decode(fragments.encoding_of(data[:200]) or "utf-8", "replace")
        # malformed XML's lines are the file's, as the position's
        return [Quarantined(position, reason(exc, lambda m: fragments.in_file(data, m)), raw)]


def element_format(
    tags: tuple[str, ...],
    convert: Callable[[Any], AnyRecord],
    keep: Callable[[Any], bool] = lambda _: True,
) -> tuple[
    Callable[[IO[bytes], int], Iterator[Item]],
    Callable[[IO[bytes], int], Iterator[tuple[str, bytes]]],
    Callable[[str, bytes], list[Item]],
]:
    """``parse``, ``split`` and ``parse_document`` of a format whose records are one XML element
    each (named by ``tags``, matched on their local names):
    ``parse, split, parse_document = element_format(TAGS, _record)``.

    Records are cut out by their tags (``ingest.parsers.fragments``) and parsed one by one, in
    one process as in workers, so malformed XML costs only its record; a record inside another
    is read with it. A file in UTF-16 is transcoded to UTF-8 as it is read
    (``fragments.as_utf8``); one in another encoding that is not ASCII-compatible (UTF-32) is
    read with iterparse (:func:`split_elements`, which takes the elements ``keep`` accepts: it
    must refuse those inside another record).
    """
    names = tuple(dict.fromkeys(local(tag) for tag in tags))

    def split(stream: IO[bytes], skip: int = 0) -> Iterator[tuple[str, bytes]]:
        reader = fragments.as_utf8(buffered(stream))
        if fragments.splittable(reader.peek(256)[:256]):
            return fragments.split(reader, names, skip)
        return split_elements(reader, tags, skip, keep)

    def parse_document(position: str, data: bytes) -> list[Item]:
        return convert_fragment(position, data, convert)

    def parse(stream: IO[bytes], skip: int = 0) -> Iterator[Item]:
        for position, data in split(stream, skip):
            yield from parse_document(position, data)

    return parse, split, parse_document


def buffered(stream: IO[bytes]) -> io.BufferedReader:
    """``stream`` as a reader that can peek as far as a text's encoding is told from
    (``charsets.HEAD``; the loader's streams already are such readers)."""
    if isinstance(stream, io.BufferedReader):
        return stream
    return io.BufferedReader(cast(Any, stream), charsets.HEAD)


UTF16_BOMS = charsets.UTF16_BOMS


def text_stream(stream: IO[bytes]) -> io.TextIOWrapper:
    """``stream`` as text: UTF-16 when it starts with that byte-order mark (Excel's "Unicode
    text" export), else UTF-8 (with or without BOM) or, when its first text beyond ASCII is GBK
    (``charsets.text_encoding``), GB18030, its superset. A byte not in that encoding is read as
    ``charsets.UNDECODABLE``: the reader quarantines the row or line holding it. Detach it when
    done: the caller owns the byte stream."""
    reader = buffered(stream)
    encoding = charsets.text_encoding(reader.peek(charsets.HEAD)[: charsets.HEAD])
    return io.TextIOWrapper(reader, encoding=encoding, errors=charsets.MARK, newline="")


def release(text: io.TextIOWrapper) -> None:
    """Detach ``text`` from its byte stream, which the caller owns and closes. A run that
    stopped early may have closed that stream before a generator reading it is collected: then
    there is nothing left to detach from."""
    with suppress(ValueError):
        text.detach()


def clear(elem: Any) -> None:
    """Free a finished element and the siblings before it (the lxml streaming idiom)."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def local(tag: object) -> str:
    """The local name of an element tag, without ``{namespace}``."""
    return str(tag).rsplit("}", 1)[-1]


def text_of(elem: Any) -> str:
    """All text inside ``elem`` with whitespace collapsed ('' for None).

    The hottest helper of the XML parsers (tens of calls a document): a leaf's own text without
    walking the tree; an element with children serialised as text by libxml2 (≈0.3 µs where
    joining ``itertext()`` took ≈1.5: a name, an abstract, a claim); and ``str.split`` (the
    whitespace of ``\\s``) instead of a regex. An unresolved entity reference (entities are
    never expanded, ``SAFE_XML_OPTIONS``) is read as the character its name stands for in the
    HTML/ISO entity sets the offices' DTDs use (``&alpha;`` → α), else kept as ``&name;``, as
    ``itertext`` gives it, where the serialiser would drop it or put in its value.
    """
    if elem is None:
        return ""
    if len(elem) == 0:
        text = elem.text or ""
    elif next(elem.iter(etree.Entity), None) is None:
        text = etree.tostring(elem, method="text", encoding=str, with_tail=False)
    else:
        declared = partial(_character, _declared(elem))
        text = _ENTITY_REF.sub(declared, "".join(elem.itertext()))
    return " ".join(text.split())


#: an entity reference left unexpanded (declared in a DTD that is never loaded)
_ENTITY_REF = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


def _character(declared: dict[str, str], ref: re.Match[str]) -> str:
    """What an entity reference stands for: the text the document's own DTD subset declares
    for it (``<!DOCTYPE … [<!ENTITY acme "Acme Corp">]>``), else the character its name
    stands for in the HTML/ISO entity sets of the offices' DTDs (``&alpha;`` → α), else the
    reference itself."""
    value = declared.get(ref[1])
    return value if value is not None else html.entities.html5.get(f"{ref[1]};", ref[0])


#: the longest declared entity text read in place of its reference: entities are never
#: expanded by the parser (a document of a few MB could declare one that grows to gigabytes);
#: short plain texts (a name, a symbol) are read, each reference once, nothing nested
_DECLARED_MAX = 64


def _declared(elem: Any) -> dict[str, str]:
    """The short plain-text entities declared in the internal DTD subset of ``elem``'s
    document (none with markup or references of their own, none over :data:`_DECLARED_MAX`)."""
    dtd = elem.getroottree().docinfo.internalDTD
    if dtd is None:
        return {}
    return {
        e.name: e.content
        for e in dtd.entities()
        if e.content is not None
        and len(e.content) <= _DECLARED_MAX
        and "&" not in e.content
        and "<" not in e.content
    }


def required(elem: Any, path: str) -> Any:
    """``elem.find(path)``, or a ValueError that names the missing element: the quarantine
    reason a reader can act on, where the next step would fail on ``None``."""
    found = elem.find(path)
    if found is None:
        name = _NAMESPACE.sub("", path)
        raise ValueError(f"缺少元素 / missing element <{name}> in <{local(elem.tag)}>")
    return found


_NAMESPACE = re.compile(r"\{[^}]*\}")


def first(elem: Any, path: str, ns: dict[str, str] | None = None) -> str:
    found = elem.find(path, ns) if elem is not None else None
    return text_of(found)


def named_children(elem: Any) -> Iterator[tuple[str, Any]]:
    """``(local name, child)`` for each child element of ``elem`` (comments and processing
    instructions left out)."""
    for child in elem:
        tag = child.tag
        if isinstance(tag, str):
            yield tag[tag.rfind("}") + 1 :], child


def along(elem: Any, *path: str) -> list[Any]:
    """The elements at ``path`` (local names) below ``elem``, in document order ([] for None):
    ``elem.iterfind("{*}a/{*}b")`` as ``along(elem, "a", "b")``, without ElementPath (a
    ``find`` costs ≈1.5–3 µs; this a fraction of it for the few children a record has)."""
    found = [elem] if elem is not None else []
    for name in path:
        found = _children_named(found, name, True)
    return found


def _children_named(parents: list[Any], name: str, any_namespace: bool) -> list[Any]:
    """The child elements of ``parents`` named ``name`` (in any namespace, or in none)."""
    braced = "}" + name
    return [
        child
        for parent in parents
        for child in parent
        if isinstance(tag := child.tag, str)
        and (tag == name or any_namespace and tag.endswith(braced))
    ]


def child(elem: Any, *path: str) -> Any:
    """The first element at ``path`` below ``elem`` (:func:`along`), or None:
    ``elem.find("{*}a/{*}b")``."""
    found = along(elem, *path)
    return found[0] if found else None


def children(elem: Any) -> dict[str, Any]:
    """Local name → the first child element of that name ({} for None): one pass over the
    children instead of a ``find`` per name (≈1 µs each), for converters that read many."""
    out: dict[str, Any] = {}
    if elem is not None:
        for name, child in named_children(elem):
            out.setdefault(name, child)
    return out


def of_latest_role(listed: list[tuple[int | None, R]], latest_first: bool = False) -> list[R]:
    """The parties of the latest role, where each of ``listed`` (``(role, party)``, a role a
    number growing with time: the USPTO's party types) states one; else all of them, in their
    order or, ``latest_first``, the latest role first (the given order within a role). A
    trademark's owners of record: its earlier owners and first applicants are listed too."""
    roles = [role for role, _ in listed if role is not None]
    if roles and len(roles) == len(listed):
        latest = max(roles)
        return [party for role, party in listed if role == latest]
    if latest_first:
        listed = sorted(listed, key=lambda entry: entry[0] or 0, reverse=True)
    return [party for _, party in listed]


def grouped(elem: Any) -> dict[str, list[Any]]:
    """Local name → every child element of that name, in order (:func:`children` keeps the
    first): one pass where a ``find`` or ``.//`` search per part cost ≈1.5–6 µs each."""
    out: dict[str, list[Any]] = {}
    for name, child in named_children(elem):
        out.setdefault(name, []).append(child)
    return out


def first_of(parts: dict[str, list[Any]], name: str) -> Any:
    """The first of the :func:`grouped` children named ``name`` (None if none)."""
    found = parts.get(name)
    return found[0] if found else None


def below(parts: dict[str, list[Any]], *path: str, ns: str = "") -> list[Any]:
    """The elements at ``path`` (local names) under the :func:`grouped` children ``parts``:
    ``below(parts, "assignees", "assignee")``; past the first, elements without a namespace
    (``ns=""``) or in any (``ns="{*}"``), as ``iterfind`` reads those paths."""
    if ns not in ("", "{*}"):
        raise ValueError(f"below() takes no namespace or any, not {ns!r}")
    found = parts.get(path[0], [])
    for name in path[1:]:
        found = _children_named(found, name, ns == "{*}")
    return found


def leaves(elem: Any) -> dict[str, str]:
    """Local name → :func:`text_of` of the first child of that name: a ``document-id``'s fields."""
    return {name: text_of(child) for name, child in children(elem).items()}


def document_id(elem: Any) -> tuple[str, str, str, str]:
    """``(country, doc-number, kind, date)`` of an ST.36-style ``document-id`` ('' for what it
    lacks, all four for None)."""
    f = leaves(elem)
    return f.get("country", ""), f.get("doc-number", ""), f.get("kind", ""), f.get("date", "")


def related_documents(country: str, *candidates: Any) -> list[RelatedDocument]:
    """The documents an ST.36 ``related-documents`` element lists — the first of ``candidates``
    that is there (USPTO ``us-related-documents`` or v4.0's ``related-documents``, CNIPA
    ``cn-related-documents``) —, each under its relation's element name: for a ``division``,
    ``continuation``, ``reissue`` … each ``relation/parent-doc`` (with its ``parent-status``
    and, once granted, ``parent-grant-document``); for an element with a ``document-id`` of its
    own (``us-provisional-application``, ``related-publication``) that document. Numbers are
    normalised where their form is known (``country`` where the office left it out), else kept
    as written; a date that reads as none is left out rather than the record lost for it; an
    entry without a number is passed over."""
    out: list[RelatedDocument] = []
    elem = next((e for e in candidates if e is not None), None)
    if elem is None:
        return out
    for relation, entry in named_children(elem):
        parts = children(entry)
        parents = [r for name, r in named_children(entry) if name == "relation"]
        if not parents:  # the document itself: a provisional application, a publication
            c, number, kind, date = document_id(parts.get("document-id"))
            if number:
                publication = relation == "related-publication" or bool(KIND_CODE.fullmatch(kind))
                number = _related_number(c or country, number, kind, publication)
                out.append(RelatedDocument(relation=relation, number=number, date=_date(date)))
            continue
        for parent in parents:
            doc = children(children(parent).get("parent-doc"))
            c, number, kind, date = document_id(doc.get("document-id"))
            if not number:
                continue
            gc, grant, grant_kind, _ = document_id(
                children(doc.get("parent-grant-document")).get("document-id")
            )
            patent = _related_number(gc or country, grant, grant_kind, True) if grant else None
            out.append(
                RelatedDocument(
                    relation=relation,
                    number=_related_number(c or country, number, kind, False),
                    date=_date(date),
                    status=text_of(doc.get("parent-status")) or None,
                    patent=patent,
                )
            )
    return out


def _related_number(country: str, number: str, kind: str, publication: bool) -> str:
    with suppress(NumberError):
        if publication:
            return publication_number_of(country, number, kind)
        return application_number_as_written(number, country)
    return _as_written(country, number)


def _as_written(country: str, number: str) -> str:
    """A number of no form ``iphub.numbers`` knows, as written without blanks, its office
    before it where it does not start with it (nor with ``PCT``)."""
    written = "".join(number.split())
    return written if written.upper().startswith((country.upper(), "PCT")) else country + written


def pct_numbers(filed: Any, published: Any) -> tuple[str | None, str | None]:
    """The international application a national-stage entry comes from and its publication,
    from the ``document-id`` of its ``pct-or-regional-filing-data`` (``PCT/US2012/059999``) and
    of its ``…-publishing-data`` (the USPTO's WO ``2013/055555`` A1, CNIPA's ``WO2022/007777``),
    normalised (``iphub.numbers``) so that a document has one number whichever office's data
    gave it; a number of no form known there is kept as written, blanks dropped. The kind is
    kept where the ``document-id`` gives it (``WO2022007777A1``); its office is WO where it
    names none, for a number kept as written too."""
    application = "".join(text_of(child(filed, "doc-number")).split()) or None
    if application:
        with suppress(NumberError):
            application = normalize_application_number(application)
    country, number, kind, _ = document_id(published)
    if not number:
        return application, None
    # an international publication is WIPO's, whatever office a document names beside it
    # (CNIPA's may give CN and "WO2022/007777": CNWO2022/007777A1 was stored)
    country = "WO" if not country or number.lstrip().upper().startswith("WO") else country
    try:
        return application, publication_number_of(country, number, kind)
    except NumberError:  # "WO2022/0077777777": the office given once, the kind kept
        return application, _as_written(country, number) + kind


def _date(raw: str) -> dt.date | None:
    try:
        return parse_date(raw)
    except ValueError:
        return None


_IPCR_TEXT = re.compile(r"^\s*([A-H]\d\d[A-Z])\s*(\d+)\s*/\s*(\d+)")


def ipcr_symbol(text: str) -> str | None:
    """The IPC symbol that opens a ``classification-ipcr/text`` (``G06F  16/00   A I``: DOCDB
    and CNIPA follow it with version, level and source fields), written as
    ``iphub.ipc.normalised`` writes every symbol (``G06F 16/00``), as the tables' are."""
    m = _IPCR_TEXT.match(text)
    return ipc_scheme.normalised(m[0]) if m else None


#: the children of an edition-7 ``classification-ipc`` (ST.36) that hold a class
_EDITION_7 = ("main-classification", "further-classification", "text")


def edition_7_ipc(classification: Any) -> list[str]:
    """The IPC symbols of an edition-7 ``classification-ipc`` (documents from before the IPC
    reform of 2006: USPTO v4.0, CNIPA, DOCDB), written as :func:`ipcr_symbol` writes them,
    whatever blanks the office put in (``H01M10/40``, ``G06F015/00``, ``H 04B 7/185 A``)."""
    if classification is None:
        return []
    return [
        symbol
        for name, e in named_children(classification)
        if name in _EDITION_7 and (symbol := ipcr_symbol("".join(text_of(e).split())))
    ]


#: a date, the whole text: eight digits (``20150106``), or year, month and day with separators
#: (``2015-01-06``, ``2015/3/4``, ``2015.01.06``, ``2021年1月5日``), then maybe a time
#: (``0:00:00``, ``T00:00:00.000``, ``12:00:00 AM``) and a zone (``+08:00``, ``Z``). Anchored, so
#: that ``202101051`` or an Excel serial ``44228.5`` is no date rather than a wrong one.
_DATE = re.compile(
    r"(?:(\d{4})(\d{2})(\d{2})|(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?)"
    r"(?:[T\s]\s*\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AP]\.?M\.?)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
#: what exports write in a date cell that holds no date: 无, 暂无, 未发表 (a work not yet
#: published), null, N/A, NaN (pandas), NaT (pandas' missing time) …
_NO_DATE_WORDS = frozenset(
    "无 暂无 未发表 未公开 未公告 不详 未知 空 null none nil n/a na nan nat".split()
)
#: … or dashes and slashes alone: ``-``, ``--``, ``—``, ``/``
NO_VALUE_MARKS = re.compile(r"[-‐‑–—―－_/／.。\s]+")
#: .NET's ``DateTime.MinValue``, which Chinese data APIs write for a date they lack
_NULL_DATE = dt.date(1, 1, 1)
#: the dates every store can hold: Elasticsearch's and tantivy's are nanoseconds since 1970
#: (1677-09-21 to 2262-04-11), the days at both ends left out
EARLIEST_DATE = dt.date(1677, 9, 22)
LATEST_DATE = dt.date(2262, 4, 10)


def parse_date(raw: object) -> dt.date | None:
    """``20150106``, ``2015-01-06``, ``2015/3/4 0:00:00``, ``2016-05-27T00:00:00+08:00``,
    ``2021年1月5日`` → date. None for no date: empty, a placeholder (``无``, ``未发表``, ``-``,
    ``null`` …), zeros (``00000000``) and ``0001-01-01`` (.NET's null date). A ValueError,
    in Chinese and English with the text, for anything else that is not a whole date, a day
    that does not exist, and a date outside what every store can hold (:data:`EARLIEST_DATE`
    to :data:`LATEST_DATE`): refused here, its record is quarantined with its position."""
    if raw is None:
        return None
    text = str(raw).strip()
    m = _DATE.fullmatch(text)
    if m is None:
        if not text or text.casefold() in _NO_DATE_WORDS or NO_VALUE_MARKS.fullmatch(text):
            return None
        raise ValueError(f"无法识别的日期 / unrecognised date: {text!r}")
    year, month, day = (int(g) for g in (m[1] or m[4], m[2] or m[5], m[3] or m[6]))
    if year == 0 or month == 0 or day == 0:
        return None  # "00000000" placeholders in office data
    try:
        date = dt.date(year, month, day)
    except ValueError:  # 2021-13-40, 2021-02-30: Python's message named neither
        raise ValueError(f"日期不存在 / no such date: {text!r}") from None
    if date == _NULL_DATE:
        return None
    if not EARLIEST_DATE <= date <= LATEST_DATE:
        raise ValueError(
            f"日期超出可存储的范围 / date out of the range stores hold ({EARLIEST_DATE} –"
            f" {LATEST_DATE}): {text!r}"
        )
    return date


_NAME_SEPARATORS = re.compile(r"[;；|]")
#: the keys under which an object in a list of names (a JSON export's applicants,
#: ``[{"Name": "甲公司", "KeyNo": …}]``) holds the name, the address and the country, any case
_NAME_KEYS = frozenset({"name", "名称", "姓名"})
_ADDRESS_KEYS = frozenset({"address", "地址"})
_COUNTRY_KEYS = frozenset({"country", "国家"})
_COUNTRY = re.compile(r"[A-Z]{2}")


def split_names(raw: object, separators: re.Pattern[str] = _NAME_SEPARATORS) -> list[str]:
    """``"甲公司;乙公司"`` or a list → names, trimmed and de-duplicated in order, control
    characters read as spaces; other ``separators`` for other lists (classes, goods). Lists
    within the list are flattened, and an object in it gives its name (:func:`parties`)."""
    return list(dict.fromkeys(name for name, _ in _named(raw, separators)))


def parties(raw: object, address: str | None = None) -> list[Party]:
    """The parties a cell of names holds (:func:`split_names`), each with ``address``; an object
    in a list (``{"name": "广州甲科技有限公司", "address": "广州市黄埔区"}``) with its own address
    and its country where that is an ISO code. A name given twice is one party, the first."""
    out: dict[str, Party] = {}
    for name, item in _named(raw, _NAME_SEPARATORS):
        if name in out:
            continue
        own = _field(item, _ADDRESS_KEYS) if isinstance(item, dict) else ""
        country = _field(item, _COUNTRY_KEYS).upper() if isinstance(item, dict) else ""
        out[name] = Party(
            name=name,
            address=own or address,
            country=country if _COUNTRY.fullmatch(country) else None,
        )
    return list(out.values())


def _named(raw: object, separators: re.Pattern[str]) -> Iterator[tuple[str, object]]:
    """``(name, item)`` for each non-empty name ``raw`` holds: a text split by ``separators``;
    the items of a list, lists within it flattened; an object's name (:data:`_NAME_KEYS`), where
    ``str()`` gave its Python form (``"{'name': '广州甲科技有限公司', …}"``) as the name."""
    if raw is None:
        return
    if isinstance(raw, list | tuple):
        for item in raw:
            if isinstance(item, list | tuple):
                yield from _named(item, separators)
            elif (name := _name_of(item)) != "":
                yield name, item
        return
    if isinstance(raw, dict):
        if name := _name_of(raw):
            yield name, raw
        return
    for part in separators.split(str(raw)):
        if text := without_controls(part).strip():
            yield text, part


def _name_of(item: object) -> str:
    """An item's name: an object's under :data:`_NAME_KEYS` ('' for an empty object; a
    ValueError for one with values but no name, as no name can be made of it), else its text."""
    if not isinstance(item, dict):
        return "" if item is None else without_controls(str(item)).strip()
    name = _field(item, _NAME_KEYS)
    if not name and any(v not in (None, "") for v in item.values()):
        shown = json.dumps(item, ensure_ascii=False, default=str)[:200]
        raise ValueError(
            f"名单中的对象没有名称 / an object in a list of names has no name: {shown}"
        )
    return name


def _field(item: dict[Any, Any], keys: frozenset[str]) -> str:
    """The text of ``item``'s first value under one of ``keys`` (any case), '' if none."""
    for key, value in item.items():
        if str(key).casefold() in keys and value is not None:
            if text := without_controls(str(value)).strip():
                return text
    return ""


def guarded(position: str, raw: Callable[[], str], build: Any) -> Iterator[Item]:
    """Run ``build()`` and yield its record, or a :class:`Quarantined` with the reason and
    ``raw()``, the fragment as text (made only then: serialising every record cost more than
    building some)."""
    try:
        yield build()
    except Exception as exc:  # noqa: BLE001 - whatever one record does costs that record alone
        yield Quarantined(position, reason(exc), raw())


MALFORMED_XML = "XML 格式错误 / malformed XML: "


def reason(exc: Exception, lines: Callable[[str], str] | None = None) -> str:
    """Why a record failed, for its quarantine reason: the parsers' own message, Chinese first
    (``Type: message`` for an error of another kind, English only), malformed XML said so
    (lxml's message alone was English only) — its message through ``lines``, where given,
    which makes the lines it names the file's (a fragment's are counted from its start) — and a
    pydantic error on one line, each field with its message, ``; `` between them (pydantic's own
    text takes three lines a field, with the input's type and a link to its documentation; a
    reason is one line of a summary)."""
    if isinstance(exc, etree.XMLSyntaxError):
        return MALFORMED_XML + (lines(exc.msg) if lines is not None else str(exc))
    if isinstance(exc, ValidationError):
        fields = [
            f"{'.'.join(map(str, error['loc'])) or exc.title}: {error['msg']}"
            for error in exc.errors(include_url=False)
        ]
        return "字段值无效 / invalid value: " + "; ".join(fields)
    message = str(exc)
    if _CJK_CHAR.search(message):  # the parsers' own, already in both languages
        return message
    return f"{type(exc).__name__}: {message}"


_CJK_CHAR = re.compile("[\u3400-\u9fff]")
