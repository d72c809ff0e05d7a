"""Patent, trademark and copyright lists as CSV (RFC 4180), JSON Lines, a JSON array, or Excel.

Columns are mapped to record fields with ``ingest.parsers.mapped`` (Chinese CNIPA export
headers by default, a JSON mapping file on top; ``="…"`` cells unwrapped); a table of marks
(注册号, 商标名称, 国际分类 …) gives trademarks, one of registrations (登记号, 软件全称 …)
copyright registrations (``mapped.build_record``).

CSV is read as UTF-16 after that byte-order mark (Excel's "Unicode text"), else as UTF-8 (with
or without BOM) or, when the first 64 KiB are GBK, as GB18030 (the superset of the GBK that
Chinese tools export; ``charsets.is_gbk``); a row holding bytes not in that encoding, or a NUL,
is quarantined alone, and so is one whose field opens with a quote never closed (the rows it
would swallow are read on their own: ``_records``). Tab- and semicolon-separated files are
recognised by their header. JSON is streamed (``json_stream``): one record in memory at a time.
Workbooks are read with python-calamine, a sheet at a time — .xlsx up to :data:`CALAMINE_XML`
of sheet XML, Excel 97–2003 .xls (at most 65,536 rows a sheet) always — and a larger .xlsx is
streamed by openpyxl in read-only mode. In a CSV or a sheet the header is the first of the
first rows that maps the required fields (``mapped.find_header``); a workbook loads every sheet
that has one. Of columns of one name (two 名称, a Chinese title then an English one), the
first with a value in a row is read (``_keys``). One position per data row, and one record: a
row that names its grant's publication beside its own (授权公告号) is still one application
(``mapped.build_patent``); a row of empty cells (``,,,``: a blank row saved by Excel) is none.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import IO, Any

from ingest.parsers import json_stream
from ingest.parsers.base import Item, Quarantined, guarded, release, text_stream
from ingest.parsers.charsets import UNDECODABLE, undecodable, visible
from ingest.parsers.mapped import (
    DEFAULT_MAPPING,
    MissingColumns,
    build_record,
    find_header,
    missing_columns,
)

#: an archive member cannot seek, as openpyxl's zip reader must: it is read into memory up to
#: this size (a file on disk is read in place, at any size)
MAX_XLSX = 512 * 1024 * 1024
MAX_XLS = 256 * 1024 * 1024  # an .xls is read whole (65,536 rows a sheet at most)
#: an .xlsx whose sheets hold at most this much XML (≈90,000 rows of title and abstract) is
#: read by python-calamine, a sheet at a time, each whole: ≈10× faster than openpyxl, and with
#: no sizing pass over a sheet that lacks <dimension>; a larger one is streamed by openpyxl's
#: read-only mode, so memory stays bounded at any size
CALAMINE_XML = 128 * 1024 * 1024
_SHEET_PARTS = ("xl/worksheets/", "xl/sharedStrings.xml")


def parse(
    stream: IO[bytes], skip: int = 0, *, fmt: str = "csv", mapping: Mapping[str, str] | None = None
) -> Iterator[Item]:
    for position, row in split(stream, skip, fmt=fmt, mapping=mapping):
        yield from parse_document(position, row, fmt=fmt, mapping=mapping)


def split(
    stream: IO[bytes], skip: int = 0, *, fmt: str = "csv", mapping: Mapping[str, str] | None = None
) -> Iterator[tuple[str, Any]]:
    """``(position, row)`` per data row (a :class:`Quarantined` for one that cannot be read).

    A CSV or spreadsheet whose header lacks a column for a required field is quarantined whole,
    with the columns it lacks, before any row: each of its rows would fail for that reason.
    """
    columns = mapping or DEFAULT_MAPPING
    if fmt == "csv":
        rows = _csv_rows(stream, columns)
    elif fmt == "xlsx":
        rows = _xlsx_rows(stream, columns)
    elif fmt == "xls":
        rows = _xls_rows(stream, columns)
    else:
        rows = _jsonl_rows(stream) if fmt == "jsonl" else _json_rows(stream)
    try:
        yield from islice(rows, skip, None)
    except MissingColumns as exc:
        yield "file", Quarantined("file", str(exc))
    except (ValueError, OSError, KeyError) as exc:
        yield (
            "file",
            Quarantined("file", f"无法读取 {fmt} / unreadable {fmt}: {type(exc).__name__}: {exc}"),
        )


def parse_document(
    position: str, row: Any, *, fmt: str = "csv", mapping: Mapping[str, str] | None = None
) -> list[Item]:
    """One row from :func:`split` as a patent, or quarantined with the reason."""
    if isinstance(row, Quarantined):
        return [row]

    def raw() -> str:
        return json.dumps(row, ensure_ascii=False, default=str)

    if not isinstance(row, dict):
        return [Quarantined(position, "不是 JSON 对象 / not a JSON object (a row)", raw())]
    columns = mapping or DEFAULT_MAPPING
    return list(guarded(position, raw, lambda: build_record(row, columns, fmt)))


#: what separates a table's columns: commas, tabs (Excel's "Unicode text"), or semicolons (CSV
#: saved by Excel where the decimal mark is a comma, as in much of Europe)
_DELIMITERS = (",", "\t", ";")


def _delimiter(line: str) -> str:
    """The delimiter a (header) line holds most of; a comma when it holds none or ties."""
    return max(_DELIMITERS, key=line.count)


#: stands where a NUL byte stood, so that the csv module (which refuses NUL) reads on and the
#: row that held it is quarantined alone; a private-use character no export writes
_NUL = "\U000fdead"


def _csv_rows(stream: IO[bytes], columns: Mapping[str, str]) -> Iterator[tuple[str, Any]]:
    text = text_stream(stream)
    lines: list[str] = []
    dirty = 0  # lines read with a NUL, or bytes not in the file's encoding

    def read() -> Iterator[str]:
        nonlocal dirty
        for line in iter(text.readline, ""):
            if "\x00" in line:  # a stray NUL in a dirty export: that row, not the file's rest
                dirty += 1
                line = line.replace("\x00", _NUL)
            elif UNDECODABLE in line:
                dirty += 1
            yield line

    physical = read()

    def candidates() -> Iterator[list[str]]:
        for line in physical:
            lines.append(line)
            yield next(csv.reader([line], delimiter=_delimiter(line)), [])

    try:
        skipped, fields = find_header(candidates(), columns)
        keys = _keys(fields)
        delimiter = _delimiter(lines[-1])
        for i, (values, record) in enumerate(_records(physical, delimiter, len(fields))):
            position = f"row {i + skipped + 1}"
            if values is None:  # a quote opened and never closed: this line alone
                yield position, Quarantined(position, _UNCLOSED, _raw(record.rstrip("\r\n")))
                continue
            row: dict[str | None, Any] = dict(zip(keys, values, strict=False))
            if len(values) > len(fields):  # as csv.DictReader keeps them
                row[None] = values[len(fields) :]
            bad = _dirty(row, text.encoding) if dirty else None
            if bad is not None:
                yield (
                    position,
                    Quarantined(position, bad, _raw(json.dumps(row, ensure_ascii=False))),
                )
            else:
                yield position, row
    finally:
        release(text)  # the caller owns (and closes) the byte stream


def _keys(header: Sequence[str]) -> list[str]:
    """The keys of a row's values: its columns' names, one already taken with a space after it
    for each column of that name before. Keyed by the names alone, a row kept the last of
    columns of one name, though empty (a title blanked, the row quarantined for want of it),
    and an English title over the Chinese one before it. The mapping reads a name without its
    spaces (``mapped.fold``), so such a column maps as the first of its name does, and the
    first of them with a value in the row is read, as of any columns of one field
    (``mapped.apply_mapping``); a quarantined row's raw text keeps every column's value."""
    keys: list[str] = []
    taken: set[str] = set()
    for name in header:
        key = name
        while key in taken:
            key += " "
        taken.add(key)
        keys.append(key)
    return keys


_UNCLOSED = (
    "引号未闭合：此行的一个引号没有配对 / a quote opened in this row is never closed"
    " (the rows after it are read on their own)"
)


def _records(
    lines: Iterator[str], delimiter: str, width: int
) -> Iterator[tuple[list[str] | None, str]]:
    """``(values, first line)`` per non-blank CSV record of ``lines``, as ``csv.reader`` reads
    them, except a record whose quoted field ran on over whole rows: a field that opens with a
    quote never closed (``"互联网+`` in a title) swallows every line up to the next quote,
    and the rows in it were lost without a word. Such a record — one that is no CSV record
    read strictly (:func:`_closed`) and whose later lines read as rows (:func:`_runs_over_rows`)
    — comes as ``(None, its first line)``, and the lines after that are read again as records
    of their own. A quoted field spanning lines, closed where it should be, is one field
    whatever its lines hold (an English abstract's ``10 cells, 2 busbars, …``)."""
    feed = _Feed(lines)
    reader = csv.reader(feed, delimiter=delimiter)
    whole: list[str] = []  # the last record of one line
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a field past csv's size limit: an unclosed quote ran over many rows
            if not feed.taken:
                raise
            values = None
        record = feed.take()
        if values is None or (
            len(record) > 1
            and not _closed(record, delimiter)
            and _runs_over_rows(values, record, delimiter, width, whole)
        ):
            feed.again(record[1:])
            yield None, record[0]
        elif not _blank(values):  # blank lines are no records (csv.DictReader skips them), nor ,,,
            if len(record) == 1:
                whole = values
            yield values, record[0]


class _Feed:
    """The lines ``csv.reader`` reads: those given back (:meth:`again`) first, then the file's;
    ``taken`` holds the lines of the record being read. Not a generator: one that met the end
    of the file could give no more, and a record that ran to the end gives its lines back."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.back: list[str] = []  # lines to read once more, last first
        self.taken: list[str] = []

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = self.back.pop() if self.back else next(self.lines)
        self.taken.append(line)
        return line

    def take(self) -> list[str]:
        """The lines of the record just read; the next record's start afresh."""
        taken, self.taken = self.taken, []
        return taken

    def again(self, lines: list[str]) -> None:
        """Read ``lines`` once more, in their order, before the file's next."""
        self.back.extend(reversed(lines))


def _closed(record: list[str], delimiter: str) -> bool:
    """Whether the lines ``record`` are one CSV record read strictly: each quote that opens a
    field closes it before a delimiter or a line's end. A stray quote's field closes at the
    next quote the file holds — mostly one opening a later field, text after it — or not at
    all (the file ends inside it), so a record that swallowed rows is none such (one whose
    swallowing ends at a quote before a delimiter, ``5",``, is: it is read as csv reads it)."""
    try:
        return len(list(csv.reader(record, delimiter=delimiter, strict=True))) == 1
    except csv.Error:
        return False


def _runs_over_rows(
    values: list[str], record: list[str], delimiter: str, width: int, whole: list[str]
) -> bool:
    """Whether a record spanning the lines ``record`` swallowed rows: one of its later lines is
    a row on its own — as many columns as the header, and either a first value of the same
    shape as the record's (``CN202110123456.7``, a row number) or, where the first column is
    text (a title), a code in every column that held one in the last row of one line
    (``whole``: numbers, dates, classes; two at least) — as an abstract's line break is not."""
    shape = _shape(values[0]) if values else ""
    codes = _code_columns(whole)
    for line in record[1:]:
        alone = next(csv.reader([line], delimiter=delimiter), [])
        if len(alone) != width:
            continue
        if alone[0] and _shape(alone[0]) == shape:
            return True
        if len(codes) >= 2 and codes <= _code_columns(alone):
            return True
    return False


def _code_columns(values: list[str]) -> frozenset[int]:
    """The columns of a row holding a code: ASCII with a digit and no lowercase letter, as an
    application or publication number, a date or a classification is, and text mostly is not
    (nor English with numbers in it: ``It comprises 10 cells``)."""
    return frozenset(i for i, value in enumerate(values) if _is_code(value))


def _is_code(value: str) -> bool:
    return value.isascii() and any(c.isdigit() for c in value) and not any(map(str.islower, value))


def _shape(value: str) -> str:
    """``value`` with its digits as 9 and Latin letters as A: ``CN202110123456.7`` → ``AA9….9``."""
    return value.strip().translate(_SHAPES)


_SHAPES = str.maketrans(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "9" * 10 + "A" * 52
)


def _raw(text: str) -> str:
    """A row's text for the quarantine file: its NULs and undecodable bytes made visible."""
    return visible(text.replace(_NUL, "\\u0000"))


def _dirty(row: Mapping[str | None, Any], encoding: str) -> str | None:
    """Why a row holding a NUL or bytes not in the file's encoding is quarantined, else None."""
    values = [str(value) for value in row.values()]
    if any(_NUL in value for value in values):
        return "行内有 NUL 字符 / NUL byte in the row"
    if any(UNDECODABLE in value for value in values):
        return undecodable(encoding)
    return None


def _jsonl_rows(stream: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """A row per line, or per record of an API's page written on a line (none of an empty
    page: ``json_stream.paged_lines``)."""
    return json_stream.paged_lines(text_stream(stream))


def _json_rows(stream: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """An array's items, those of an object wrapping them (``{"Result": [...]}``), or one record
    object, or several one after another, streamed (``json_stream.records``). Broken JSON ends
    the file: after some items, with one entry quarantined at the item where it broke, for the
    rest of the file (``json_stream.broken``), the items before it loading; before any, with
    the file refused whole."""
    read = 0
    try:
        for obj in json_stream.records(stream):
            read += 1
            yield f"item {read}", json_stream.placed(f"item {read}", obj)
    except json_stream.JSONError as exc:
        if not read:
            raise ValueError(f"JSON 格式错误 / invalid JSON: {json_stream.reason(exc)}") from exc
        position = f"item {read + 1}"
        yield position, Quarantined(position, json_stream.broken(exc))


def _xlsx_rows(stream: IO[bytes], columns: Mapping[str, str]) -> Iterator[tuple[str, Any]]:
    source: IO[bytes] = stream
    if not stream.seekable():  # an archive member: a zip needs seeking, so it is held in memory
        data = stream.read(MAX_XLSX + 1)
        if len(data) > MAX_XLSX:
            raise ValueError(f"spreadsheet larger than {MAX_XLSX} bytes in an archive: unpack it")
        source = io.BytesIO(data)
    start = source.tell()
    try:
        with zipfile.ZipFile(source) as parts:
            xml = sum(i.file_size for i in parts.infolist() if i.filename.startswith(_SHEET_PARTS))
    except zipfile.BadZipFile as exc:
        raise ValueError(f"not an .xlsx workbook: {exc}") from exc
    source.seek(start)
    if xml <= CALAMINE_XML:
        yield from _calamine_rows(source, columns)
        return
    from openpyxl import load_workbook

    book = load_workbook(source, read_only=True, data_only=True)
    try:
        sheets = ((s.title, s.iter_rows(values_only=True)) for s in book.worksheets)
        yield from _sheets_rows(sheets, columns)
    finally:
        book.close()


def _xls_rows(stream: IO[bytes], columns: Mapping[str, str]) -> Iterator[tuple[str, Any]]:
    """An Excel 97–2003 workbook (.xls, as many Chinese systems and WPS still export). The
    format holds at most 65,536 rows a sheet."""
    data = stream.read(MAX_XLS + 1)
    if len(data) > MAX_XLS:
        raise ValueError(f"spreadsheet larger than {MAX_XLS} bytes")
    yield from _calamine_rows(io.BytesIO(data), columns)


def _calamine_rows(source: IO[bytes], columns: Mapping[str, str]) -> Iterator[tuple[str, Any]]:
    """The rows of a workbook read with python-calamine, a sheet at a time (each sheet whole)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(source)
        sheets = (
            (name, map(_whole_numbers, book.get_sheet_by_name(name).iter_rows()))
            for name in book.sheet_names
        )
        yield from _sheets_rows(sheets, columns)
    except CalamineError as exc:
        raise ValueError(f"{type(exc).__name__}: {exc}") from exc


def _whole_numbers(values: list[Any]) -> list[Any]:
    """Excel keeps every number as a double: 2021101234567.0 is the number 2021101234567."""
    return [int(v) if isinstance(v, float) and v.is_integer() else v for v in values]


def _sheets_rows(
    sheets: Iterable[tuple[str, Iterator[Sequence[Any]]]], columns: Mapping[str, str]
) -> Iterator[tuple[str, Any]]:
    """The rows of every sheet whose header (in its first rows) maps the required fields — an
    export may put a cover or notes sheet first, or split its rows over sheets; the others are
    left out, and a workbook with none is refused for its first sheet's header."""
    refusal: MissingColumns | None = None
    loaded = False
    for number, (title, rows) in enumerate(sheets):
        try:
            skipped, header = find_header(([_cell(c) for c in r] for r in rows), columns)
        except MissingColumns as exc:
            refusal = refusal or exc
            continue
        loaded = True
        prefix = f"{title} " if number else ""
        keys = _keys(header)
        for i, values in enumerate(rows):
            if not _blank(values):
                yield f"{prefix}row {i + skipped + 1}", dict(zip(keys, values, strict=False))
    if not loaded:
        raise refusal or missing_columns([], columns)  # (a workbook without sheets)


def _blank(values: Sequence[Any]) -> bool:
    """Whether a row holds nothing: no cell, or each empty or white space (``,,,`` is how
    Excel saves a blank row as CSV: each was read as a row, and quarantined for want of a
    publication number)."""
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _cell(value: object) -> str:
    return str(value or "").strip()
