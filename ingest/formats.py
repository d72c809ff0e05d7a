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

from ingest.parsers import charsets, json_stream
from ingest.parsers.base import UTF16_BOMS, Item
from ingest.sources import COMPRESSED

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
#: the bytes a file's format is told from: the first :data:`FIRST_BYTES` (an XML root, a
#: table's header, a workbook's parts), and for JSON up to a megabyte, where the first record's
#: keys may lie (after an API's ``GroupItems`` block, or keys sorted after a long Abstract)
SNIFF_BYTES = 1 << 20
FIRST_BYTES = 8192

Parser = Callable[[IO[bytes], int], Iterator[Item]]


def _element(name: str) -> str:
    """A start tag of ``name`` under any namespace prefix, or none: for the formats whose parser
    reads elements by local name, where an office binds its namespace to a prefix of its own
    (CNIPA's ``business:``, another tool's ``bz:``)."""
    return rf"<(?:[A-Za-z_][\w.-]*:)?{re.escape(name)}[\s/>]"


#: ST.96's trademark namespace, in every version of the schema: ``…/XMLSchema/ST96/Trademark``
#: and the first schemas' ``…/XMLSchema/Trademark/1`` (the USPTO's older TSDR files, rooted at
#: ``tmk:Transaction``)
_ST96_TRADEMARK = r"(?:ST96|wipo\.int/standards/XMLSchema)/Trademark\b"

#: what each XML format's first bytes hold, first match wins
_XML_ROOTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(marker), fmt)
    for marker, fmt in (
        ("<us-patent-grant", "uspto"),
        ("<us-patent-application", "uspto"),
        (_element("cn-patent-document"), "cnipa"),
        ("exchange-document", "epo"),
        ("world-patent-data", "epo"),
        (_ST96_TRADEMARK, "st96"),
        (_element("TrademarkTransaction"), "st96"),
        ("<trademark-applications-daily", "uspto-tm"),
        ("<case-file", "uspto-tm"),
    )
)
#: the package index files deliveries carry beside their records (EPO DOCDB's index.xml)
_MANIFESTS = (b"<docdb-package-index",)
MANIFEST = "manifest"  # the "format" of such a file: counted as an attachment, not loaded
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound document: .xls (also .doc, .msg)
#: an array opening with a JSON value, not a ``[section]`` of an INI file
_JSON_ARRAY = re.compile(r'\[\s*(?:[\[{"\]\-0-9]|true|false|null)')
#: keys only the commercial Chinese data APIs give (``ingest.parsers.cn_json``), as keys
_CN_JSON_KEYS = re.compile(
    r'"(?:PublicationNumber|RegNo|RegisterNo|AssigneestringList|InventorStringList|KindCodeDesc'
    r'|PatentLegalHistory|FlowStatusDesc|RegisterAperDate)"\s*:'
)


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
    for a delivery's package index, or None. ``head`` is up to :data:`SNIFF_BYTES`: all but
    JSON is told from its first :data:`FIRST_BYTES`."""
    whole, head = head, head[:FIRST_BYTES]
    lower = _as_read(filename)
    if head.lstrip().startswith(b"<") and any(m in head for m in _MANIFESTS):
        return MANIFEST
    if head.startswith(b"PK\x03\x04"):  # an .xlsx, or a zip whose first parts are a workbook's
        named = lower.endswith((".xlsx", ".xlsm", ".xls"))
        return "xlsx" if named or (_spreadsheet(head) and not lower.endswith(".xlsb")) else None
    if head.startswith(_OLE2):  # an .xls whatever its name, but WPS's own .et, which is not
        workbook = _compound(head) == "xls" and not lower.endswith(".et")
        return "xls" if workbook or lower.endswith(".xls") else None
    utf16 = charsets.utf16(head)
    if utf16 is not None:  # Excel's "Unicode text" (tab-separated), or XML (with no BOM, too)
        return sniff(whole.decode(utf16, "ignore").encode("utf-8"), filename)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").decode("utf-8", "replace")
    if text.startswith("<"):
        return next((fmt for marker, fmt in _XML_ROOTS if marker.search(text)), None)
    if text.startswith("{") or _JSON_ARRAY.match(text):
        if _CN_JSON_KEYS.search(text) or _CN_JSON_KEYS.search(whole.decode("utf-8", "replace")):
            return "cn-json"
        first_line = text.split("\n", 1)[0].rstrip()
        if text.startswith("{") and first_line.endswith("}") and not _wraps_rows(first_line):
            return "jsonl"
        return "json"
    if not text.strip() or _nuls(head):
        return None
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


#: the streams that tell what a compound file holds: an Excel 97–2003 workbook (BIFF8, and
#: BIFF5's ``Book``), or an .xlsx encrypted with a password (ECMA-376 part 2 keeps the package
#: encrypted in a compound file, named .xlsx as before)
_COMPOUND_STREAMS = {
    "Workbook": "xls",
    "Book": "xls",
    "EncryptionInfo": "encrypted",
    "EncryptedPackage": "encrypted",
}
#: a BIFF5 or BIFF8 workbook globals BOF record, where the Workbook stream starts
_BIFF_BOF = re.compile(rb"\x09\x08[\x08\x10]\x00\x00[\x05\x06]\x05\x00")
#: what an encrypted package leaves in the small streams beside it (its data space names and
#: the encryption's XML), wherever the directory is
_ENCRYPTION_MARKS = (
    "EncryptedPackage".encode("utf-16-le"),
    "StrongEncryptionDataSpace".encode("utf-16-le"),
    b"http://schemas.microsoft.com/office/2006/encryption",
)


def _compound(head: bytes) -> str | None:
    """What the compound file starting with ``head`` holds, told from its first bytes (the
    rest is not at hand): ``"xls"`` for a workbook, ``"encrypted"`` for an encrypted .xlsx,
    ``"other"`` for another document (a Word or Outlook file), None where they do not tell.

    The directory names its streams, when it lies in ``head`` ([MS-CFB]); else a BIFF record
    opening a sector tells a workbook, and the names an encrypted package leaves in its small
    streams tell one."""
    names = _compound_names(head)
    kinds = {_COMPOUND_STREAMS[n] for n in names if n in _COMPOUND_STREAMS}
    if len(kinds) == 1:
        return kinds.pop()
    if names and not kinds:
        return "other"
    size = 1 << int.from_bytes(head[30:32], "little")
    if size in (512, 4096) and any(
        _BIFF_BOF.match(head, at) for at in range(size, len(head), size)
    ):
        return "xls"
    return "encrypted" if any(mark in head for mark in _ENCRYPTION_MARKS) else None


def _compound_names(head: bytes) -> set[str]:
    """The names in a compound file's directory, as far as its sectors (and the allocation
    table sectors chaining them) lie in ``head``."""
    size = 1 << int.from_bytes(head[30:32], "little") if len(head) >= 512 else 0
    if size not in (512, 4096):
        return set()

    def number(data: bytes, at: int) -> int:
        return int.from_bytes(data[at : at + 4], "little")

    def sector(n: int) -> bytes | None:
        start = (n + 1) * size
        return head[start : start + size] if n < 0xFFFFFFFA and start + size <= len(head) else None

    names: set[str] = set()
    seen: set[int] = set()
    n = number(head, 48)  # the directory's first sector
    while n not in seen and (data := sector(n)) is not None:
        seen.add(n)
        for at in range(0, size, 128):  # the directory entries
            length = int.from_bytes(data[at + 64 : at + 66], "little")
            if data[at + 66] in (1, 2) and 2 <= length <= 64:  # a storage or a stream
                names.add(data[at : at + length - 2].decode("utf-16-le", "replace"))
        fat_index, entry = divmod(n, size // 4)
        fat = sector(number(head, 76 + 4 * fat_index)) if fat_index < 109 else None
        if fat is None:
            break
        n = number(fat, 4 * entry)  # the next directory sector, from the allocation table
    return names


def _as_read(filename: str) -> str:
    """A file's name, lower case, as the loader reads it: without the ``.gz`` (``.bz2``,
    ``.xz``) it is decompressed from (``export.xlsx.gz`` is read as ``export.xlsx``)."""
    lower = filename.lower()
    return lower[: lower.rfind(".")] if lower.endswith(COMPRESSED) else lower


def _spreadsheet(head: bytes) -> bool:
    """Whether the zip starting with ``head`` is an Excel workbook's package: the local file
    headers in ``head`` name a part under ``xl/`` (the package's small parts come first, as
    Excel, WPS, LibreOffice and openpyxl write them), and not an .xlsb's binary workbook."""
    names = []
    at = head.find(b"PK\x03\x04")
    while 0 <= at and at + 30 <= len(head):
        end = at + 30 + int.from_bytes(head[at + 26 : at + 28], "little")
        names.append(head[at + 30 : end])
        at = head.find(b"PK\x03\x04", end)
    return any(n.startswith(b"xl/") for n in names) and b"xl/workbook.bin" not in names


def _nuls(head: bytes) -> bool:
    """Binary, not text: NUL bytes in the first line, or more than 1 in 100."""
    return b"\x00" in head.split(b"\n", 1)[0] or head.count(b"\x00") * 100 > len(head)


def is_binary(head: bytes) -> bool:
    """Whether a file's first bytes are no text: a workbook, an archive, a PDF, NUL bytes (but
    UTF-16 text, which is half NULs, is text: after its byte order mark, or XML without one)."""
    head = head[:FIRST_BYTES]
    if head.startswith(UTF16_BOMS) or charsets.utf16(head) is not None:
        return False
    magics = (b"PK\x03\x04", _OLE2, *(magic for magic, _ in _KNOWN_OTHERS if magic != b"{\\rtf"))
    return head.startswith(magics) or _nuls(head)


#: the kinds of file the formats are in, for a reason; a forced ``--format`` of one kind on a
#: file plainly of another is refused whole, not read record by record into a flood of errors
_KINDS: dict[str, tuple[str, str]] = {
    "xml": ("XML", "XML"),
    "json": ("JSON", "JSON"),
    "csv": ("CSV 表格", "a CSV table"),
    "excel": ("Excel 工作簿", "an Excel workbook"),
}
_KIND_OF = {
    **dict.fromkeys(("uspto", "epo", "cnipa", "st96", "uspto-tm"), "xml"),
    **dict.fromkeys(("cn-json", "json", "jsonl"), "json"),
    "csv": "csv",
    **dict.fromkeys(("xlsx", "xls"), "excel"),
}


def kind_of(fmt: str) -> str:
    """What a format's files are: ``xml``, ``json``, ``csv`` or ``excel``."""
    return _KIND_OF[fmt]


#: kinds whose formats a forced one may override: a JSON file's records are read by each JSON
#: parser (cn-json's keys may lie past the first bytes), a workbook by the one reader. An XML
#: root names its format for certain.
_OVERRIDABLE = ("json", "excel")


def mismatch(forced: str, head: bytes, filename: str) -> str | None:
    """Why a file is plainly not in the ``--format`` forced on it, from its first bytes: they
    are sniffed as another format (of the same kind, JSON or a workbook, only when JSON lines
    are forced on a JSON array), or they are binary where text is expected; else None, and the
    file is read in the format forced (one sniffed as none may be in it)."""
    sniffed = sniff(head, filename)
    kind = _KIND_OF.get(sniffed or "")
    looks: tuple[str, str] | None = None
    if (
        kind is not None
        and sniffed != forced
        and not (kind == _KIND_OF[forced] and kind in _OVERRIDABLE)
    ):
        zh, en = _KINDS[kind]
        looks = f"{zh}（{sniffed}）", f"{en} ({sniffed})"
    elif forced == "jsonl" and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[":
        looks = "JSON 数组", "a JSON array"
    elif kind is None and _KIND_OF[forced] != "excel" and is_binary(head):
        what = unsupported(head, filename).removesuffix(_UNSUPPORTED).removesuffix("; ")
        looks = "二进制数据", f"binary data{f': {what}' if what else ''}"
    if looks is None:
        return None
    return (
        f"不是 {forced} 格式，看来是{looks[0]} / not in the {forced} format forced: the file"
        f" looks like {looks[1]}; 请用正确的 --format，或不加以自动识别 / give the right"
        " --format, or none to sniff it"
    )


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


def _wraps_rows(line: str) -> bool:
    """Whether a one-line JSON object is an API's page of table rows (``{"Result": [{…}, …],
    "Paging": {…}}`` written minified; ``json_stream.is_page``), to be read as JSON, as it is
    pretty-printed, and not as one record of JSON lines."""
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return json_stream.is_page(obj)


_UNSUPPORTED = "不支持的格式 / unsupported format (sniffed from the first bytes)"


def unsupported(head: bytes, filename: str) -> str:
    """Why a file :func:`sniff` found no format for is not loaded, as specific as its first
    bytes and name allow: the quarantine reason."""
    reason = _UNSUPPORTED
    head = head[:FIRST_BYTES]
    for magic, what in _KNOWN_OTHERS:
        if head.startswith(magic):
            return f"{what}; {reason}"
    lower = _as_read(filename)
    save_as = "请另存为 .xlsx / save it as .xlsx"
    if head.startswith(b"PK\x03\x04"):
        if lower.endswith((".xlsb", ".ods")):
            return f"此类工作簿不能直接读取，{save_as} (an .xlsb or .ods workbook); {reason}"
        if lower.endswith((".docx", ".pptx", ".odt")):
            return f"Office 文档 / an office document; {reason}"
        compressed = lower != filename.lower()
        if compressed and "!" in filename:
            return (
                "压缩包内单独压缩的 zip 压缩包，请先解压外层 / a zip compressed whole inside an"
                f" archive: unpack the outer one first; {reason}"
            )
        if compressed and not lower.endswith(".zip"):
            return (
                "单独压缩的 zip 压缩包，请改名为 .zip.gz（或 .zip.bz2、.zip.xz）/ a zip archive"
                f" compressed whole: name it .zip.gz (.zip.bz2, .zip.xz) to have it read; {reason}"
            )
        if lower.endswith(".zip"):  # not listed as an archive: it holds a workbook's parts
            return (
                "扩展名为 .zip 的 Excel 工作簿，请改名为 .xlsx / an Excel workbook named .zip:"
                f" rename it .xlsx; {reason}"
            )
        return f"zip 压缩包，扩展名不是 .zip / a zip archive not named .zip: rename it; {reason}"
    if head.startswith(_OLE2):
        kind = _compound(head)
        if lower.endswith((".xlsx", ".xlsm")) and kind == "encrypted":
            return (
                "加密的工作簿，请去掉密码并另存为 .xlsx / a password-protected workbook: remove"
                f" the password and save it as .xlsx; {reason}"
            )
        if lower.endswith((".xlsx", ".xlsm")) and kind is None:  # its first bytes do not tell
            return (
                "加密的工作簿，或扩展名为 .xlsx 的 .xls 工作簿：无需密码即可打开的请改名为 .xls，"
                "否则请去掉密码后另存为 .xlsx / a password-protected workbook, or an .xls"
                " workbook named .xlsx: rename it .xls if it opens without a password, else"
                f" remove the password and save it as .xlsx; {reason}"
            )
        if lower.endswith(".et"):
            return f"WPS 表格文件，{save_as} (a WPS spreadsheet); {reason}"
        return f"旧版 Office 文件 / an old Office file (only .xls workbooks are read); {reason}"
    return reason
