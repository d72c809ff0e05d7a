"""The supported formats, and which one a file is, sniffed from its first bytes and its name.

Each format is a module under ``ingest.parsers`` with ``parse(stream, skip=0)`` yielding one item
(a record or a :class:`~ingest.parsers.base.Quarantined`) per position, and the same work cut in
two for worker processes: ``split(stream, skip)`` yields ``(position, fragment)`` cheaply (a
document's bytes, an element's XML, a row) and ``parse_document(position, fragment)`` turns one
fragment into its item. Tabular formats take ``fmt`` and ``mapping`` keywords in all three
(:func:`options`).
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import IO, Any

from ingest.parsers.base import UTF16_BOMS, Item
from ingest.parsers.mapped import COPYRIGHT_MAPPING, DEFAULT_MAPPING, TRADEMARK_MAPPING, fold

FORMATS: dict[str, str] = {
    "uspto": "ingest.parsers.uspto",
    "epo": "ingest.parsers.epo",
    "cnipa": "ingest.parsers.cnipa",
    "st96": "ingest.parsers.st96",
    "uspto-tm": "ingest.parsers.uspto_tm",
    "cn-json": "ingest.parsers.cn_json",
    "csv": "ingest.parsers.tabular",
    "jsonl": "ingest.parsers.tabular",
    "json": "ingest.parsers.tabular",
    "xlsx": "ingest.parsers.tabular",
    "xls": "ingest.parsers.tabular",
}
SNIFF_BYTES = 8192

Parser = Callable[[IO[bytes], int], Iterator[Item]]

_XML_ROOTS: tuple[tuple[str, str], ...] = (
    ("<us-patent-grant", "uspto"),
    ("<us-patent-application", "uspto"),
    ("<cn-patent-document", "cnipa"),
    ("<business:cn-patent-document", "cnipa"),
    ("exchange-document", "epo"),
    ("world-patent-data", "epo"),
    ("ST96/Trademark", "st96"),
    ("<TrademarkTransaction", "st96"),
    ("<trademark-applications-daily", "uspto-tm"),
    ("<case-file", "uspto-tm"),
)
#: the package index files deliveries carry beside their records (EPO DOCDB's index.xml)
_MANIFESTS = (b"<docdb-package-index",)
MANIFEST = "manifest"  # the "format" of such a file: counted as an attachment, not loaded
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound document: .xls (also .doc, .msg)
#: an array opening with a JSON value, not a ``[section]`` of an INI file
_JSON_ARRAY = re.compile(r'\[\s*(?:[\[{"\]\-0-9]|true|false|null)')
_CN_JSON_KEYS = re.compile(r'"(PublicationNumber|RegNo|RegisterNo|AssigneestringList)"')


def module(name: str) -> ModuleType:
    if name not in FORMATS:
        raise ValueError(f"未知格式 / unknown format {name!r}; known: {', '.join(FORMATS)}")
    return importlib.import_module(FORMATS[name])


def options(name: str, mapping: dict[str, str] | None = None) -> dict[str, Any]:
    """Keyword arguments of a format's ``parse``, ``split`` and ``parse_document``."""
    if module(name).__name__.endswith("tabular"):
        return {"fmt": name, "mapping": mapping}
    return {}


def parser(name: str, mapping: dict[str, str] | None = None) -> Parser:
    """The ``parse(stream, skip)`` function for a format (tabular ones get the column mapping)."""
    return functools.partial(module(name).parse, **options(name, mapping))


def sniff(head: bytes, filename: str) -> str | None:
    """The format of a file from its first bytes (and name for spreadsheets), :data:`MANIFEST`
    for a delivery's package index, or None."""
    lower = filename.lower()
    if head.lstrip().startswith(b"<") and any(m in head for m in _MANIFESTS):
        return MANIFEST
    if head.startswith(b"PK\x03\x04"):
        return "xlsx" if lower.endswith((".xlsx", ".xlsm", ".xls")) else None
    if head.startswith(_OLE2):
        return "xls" if lower.endswith(".xls") else None
    if head.startswith(UTF16_BOMS):  # Excel's "Unicode text" (tab-separated), or XML
        return sniff(head.decode("utf-16", "ignore").encode("utf-8"), filename)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").decode("utf-8", "replace")
    if text.startswith("<"):
        return next((fmt for marker, fmt in _XML_ROOTS if marker in text), None)
    if text.startswith("{") or _JSON_ARRAY.match(text):
        if _CN_JSON_KEYS.search(text):
            return "cn-json"
        first_line = text.split("\n", 1)[0].rstrip()
        if text.startswith("{") and first_line.endswith("}") and not _wraps_rows(first_line):
            return "jsonl"
        return "json"
    if (
        not text.strip()
        or b"\x00" in head.split(b"\n", 1)[0]
        or head.count(b"\x00") * 100 > len(head)
    ):
        return None  # binary: NUL bytes in the first line, or more than 1 in 100
    if lower.endswith((".csv", ".tsv")):
        return "csv"
    header = head.split(b"\n", 1)[0]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            line = header.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = line.replace("\t", " ").rstrip("\r").isprintable()
        if printable and ("," in line or "\t" in line):
            return "csv"
    return None


#: what a file in no supported format is, told from its first bytes: an archive iphub does not
#: open, or a document meant for people
_KNOWN_OTHERS = (
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包，请先解压 / a 7z archive: unpack it first"),
    (b"Rar!\x1a\x07", "RAR 压缩包，请先解压 / a RAR archive: unpack it first"),
    (b"\xfd7zXZ\x00", "xz 压缩文件，扩展名不是 .xz / an xz file not named .xz: rename it"),
    (b"BZh", "bzip2 压缩文件，扩展名不是 .bz2 / a bzip2 file not named .bz2: rename it"),
    (b"\x1f\x8b", "gzip 压缩文件，扩展名不是 .gz / a gzip file not named .gz: rename it"),
    (b"%PDF-", "PDF 文档 / a PDF document"),
    (b"{\\rtf", "RTF 文档 / an RTF document"),
)


_RECORD_KEYS = frozenset(DEFAULT_MAPPING).union(TRADEMARK_MAPPING, COPYRIGHT_MAPPING)


def _wraps_rows(line: str) -> bool:
    """Whether a one-line JSON object is a wrapper of table rows (``{"Result": [{…}, …],
    "Paging": {…}}`` written minified), to be read as JSON, and not one record of JSON lines:
    it holds an array of objects, and none of its own keys is a column of a record (a record
    of JSON lines may hold an array of objects too: its applicants)."""
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return (
        isinstance(obj, dict)
        and any(isinstance(v, list) and v and isinstance(v[0], dict) for v in obj.values())
        and not any(fold(str(key)) in _RECORD_KEYS for key in obj)
    )


def unsupported(head: bytes, filename: str) -> str:
    """Why a file :func:`sniff` found no format for is not loaded, as specific as its first
    bytes and name allow: the quarantine reason."""
    reason = "不支持的格式 / unsupported format (sniffed from the first bytes)"
    for magic, what in _KNOWN_OTHERS:
        if head.startswith(magic):
            return f"{what}; {reason}"
    lower = filename.lower()
    save_as = "请另存为 .xlsx / save it as .xlsx"
    if head.startswith(b"PK\x03\x04"):
        if lower.endswith((".xlsb", ".ods")):
            return f"此类工作簿不能直接读取，{save_as} (an .xlsb or .ods workbook); {reason}"
        if lower.endswith((".docx", ".pptx", ".odt")):
            return f"Office 文档 / an office document; {reason}"
        if not lower.endswith(".zip"):
            return (
                f"zip 压缩包，扩展名不是 .zip / a zip archive not named .zip: rename it; {reason}"
            )
    if head.startswith(_OLE2):
        if lower.endswith((".xlsx", ".xlsm")):  # OOXML encrypted is kept in a compound file
            return f"加密的工作簿，请去掉密码后{save_as} (a password-protected workbook); {reason}"
        if lower.endswith(".et"):
            return f"WPS 表格文件，{save_as} (a WPS spreadsheet); {reason}"
        return f"旧版 Office 文件 / an old Office file (only .xls workbooks are read); {reason}"
    return reason
