"""Flat rows (column name → value) to ``Patent``, or ``Trademark`` for a table of marks (注册号,
商标名称, 国际分类, 商品/服务, 专用权期限 …), ``Copyright`` for one of registrations (登记号,
软件全称, 著作权人 …; :func:`build_record`): the shared half of the tabular and JSON parsers.

The default column mapping is the CNIPA / 专利检索及分析 export header (申请号, 申请日,
公开（公告）号, 公开（公告）日, 名称, 摘要, 申请（专利权）人, 地址, 主分类号, 分类号, 代理机构,
代理人, 发明（设计）人 …), the names the commercial databases' exports use beside them (标题,
[标]原始申请（专利权）人, 当前权利人, IPC主分类号, 简单法律状态 …) and English field names;
headers are NFKC-folded first, so half- and full-width brackets both match. A mapping file
(JSON ``{"column": "field"}``) adds or overrides. The header is the first of a table's first
rows that has a column for each required field (:func:`find_header`): an export may open with
a title or its search query.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from ingest.parsers import charsets
from ingest.parsers.base import (
    NO_VALUE_MARKS,
    parse_date,
    parties,
    split_names,
    without_controls,
)
from ingest.parsers.dates import instant_date
from iphub import ipc as ipc_scheme
from iphub.numbers import (
    KIND_CODE,
    NumberError,
    application_number_as_written,
    copyright_id,
    kind_code_of,
    madrid_registration,
    normalize_publication_number,
    publication_number_as_written,
    trademark_id,
    trademark_number,
    whole_number,
)
from iphub.records import (
    Agency,
    AnyRecord,
    Copyright,
    CopyrightType,
    LegalEvent,
    LegalStatus,
    LocalizedText,
    Party,
    Patent,
    PatentKind,
    Priority,
    RelatedDocument,
    Trademark,
    TrademarkStatus,
)
from nlp.nfkc import nfkc
from nlp.segment import text_language

FIELDS = (
    "application_number application_date publication_number publication_date grant_date title"
    " abstract applicants current_applicants address ipc_main ipc locarno agency agents inventors"
    " kind legal_status priority_numbers priority_dates priorities grant_number"
).split()

_ZH = {
    "申请号": "application_number",
    "申请(专利)号": "application_number",  # CNKI, 专利之星 (申请（专利）号, 申请日期)
    "申请日": "application_date",
    "申请日期": "application_date",
    "公开(公告)号": "publication_number",
    "公开号": "publication_number",
    "公告号": "publication_number",
    "公开(公告)日": "publication_date",
    "公开日": "publication_date",
    "公告日": "publication_date",
    "授权公告日": "grant_date",
    "授权日": "grant_date",
    # the grant's publication beside the application's (CNKI, innojoy; PatSnap's 授权号): kept
    # on the row's one record as a related document (_grant_publication)
    "授权公告号": "grant_number",
    "授权号": "grant_number",
    "名称": "title",
    "发明名称": "title",
    "专利名称": "title",
    "标题": "title",  # the commercial databases' exports (标题, 当前申请(专利权)人, IPC主分类号 …)
    "专利标题": "title",
    "中文标题": "title",
    "摘要": "abstract",
    "中文摘要": "abstract",
    "申请(专利权)人": "applicants",
    "申请人": "applicants",
    "专利权人": "applicants",
    "原始申请(专利权)人": "applicants",
    "[标]原始申请(专利权)人": "applicants",  # PatSnap's names as it standardises them
    "标准化申请人": "applicants",  # incoPat's
    # the holder now, after transfers: the applicant only where the row names no original one
    # (build_patent), however the export orders its columns
    "当前申请(专利权)人": "current_applicants",
    "[标]当前申请(专利权)人": "current_applicants",
    "当前权利人": "current_applicants",  # incoPat
    "标准化当前权利人": "current_applicants",
    "当前专利权人": "current_applicants",
    "地址": "address",
    "申请人地址": "address",
    "申请(专利权)人地址": "address",
    "主申请人地址": "address",
    "主分类号": "ipc_main",
    "IPC主分类": "ipc_main",
    "IPC主分类号": "ipc_main",
    "分类号": "ipc",
    "IPC分类号": "ipc",
    "IPC": "ipc",
    # a design's classes, in a column of their own in CNIPA's export: read for a design only
    "外观设计洛迦诺分类号": "locarno",
    "洛迦诺分类号": "locarno",
    "代理机构": "agency",
    "专利代理机构": "agency",  # SooPAT, 大为 innojoy, CNKI
    "[标]代理机构": "agency",  # PatSnap
    "代理人": "agents",
    "发明(设计)人": "inventors",
    "发明人": "inventors",
    "设计人": "inventors",
    "专利类型": "kind",
    "法律状态": "legal_status",
    "当前法律状态": "legal_status",
    "简单法律状态": "legal_status",
    "法律状态/事件": "legal_status",  # PatSnap: 授权 | 权利转移 …
    # the priorities claimed, one a line of a list (JP2020-123456;US62/812,345), their dates
    # in the same order
    "优先权号": "priority_numbers",
    "优先权号码": "priority_numbers",
    "优先权日": "priority_dates",
    "优先权日期": "priority_dates",
    # innojoy's and SooPAT's: number and date together, JP2020-123456 2020.07.01 (read where the
    # row has no 优先权号)
    "优先权": "priorities",
    "优先权信息": "priorities",
}


#: the fields a patent row cannot do without, each with the export column that usually holds it
REQUIRED = {"publication_number": "公开（公告）号", "application_number": "申请号", "title": "名称"}


class MissingColumns(ValueError):
    """A table whose header has no column for a required field: every row would fail alike."""


#: rows searched for the header: an export may open with a title or its search query
HEADER_ROWS = 10


def _absent(header: list[str], mapping: Mapping[str, str]) -> list[str]:
    fields = {mapping.get(fold(column)) for column in header}
    return [f"{REQUIRED[f]} ({f})" for f in REQUIRED if f not in fields]


def missing_columns(header: list[str], mapping: Mapping[str, str]) -> MissingColumns:
    shown = ", ".join(column for column in header[:30] if column)
    return MissingColumns(
        f"缺少必填列 / missing required columns: {'; '.join(_absent(header, mapping))}"
        " (商标表需 注册号 与 商标名称 或 国际分类，著作权表需 登记号 与 软件全称 或 作品名称 /"
        " a trademark table needs 注册号 and 商标名称 or 国际分类, a copyright table 登记号 and"
        f" 软件全称 or 作品名称) — 表头 / header: {shown or '(empty)'}; 用 --mapping 文件映射列名 /"
        " map the columns with --mapping FILE"
    )


def find_header(rows: Iterator[list[str]], mapping: Mapping[str, str]) -> tuple[int, list[str]]:
    """``(rows read, header)``: the first of the first :data:`HEADER_ROWS` rows with a column
    for each required field of a patent, or a trademark or copyright table's (:func:`other_kind`;
    ``rows`` is left just after it); else :class:`MissingColumns` for the row most like a
    header (most known columns; the first non-empty one if none)."""
    best: tuple[int, list[str]] | None = None
    for n, row in enumerate(islice(rows, HEADER_ROWS), 1):
        if not _absent(row, mapping) or other_kind(row, mapping):
            return n, row
        known = sum(mapping.get(fold(column)) is not None for column in row)
        if any(row) and (best is None or known > best[0]):
            best = known, row
    raise missing_columns(best[1] if best else [], mapping)


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's serial dates (1900 system)
_EXCEL_LAST = 2_958_465  # 9999-12-31
#: a serial day written as text (a CSV or JSON export of a sheet) is read as one in this range:
#: 1950-01-01 to 2100-12-31, five digits; another number stays text (20210201 is a date so)
_SERIAL_TEXT = range(
    (dt.date(1950, 1, 1) - _EXCEL_EPOCH).days, (dt.date(2101, 1, 1) - _EXCEL_EPOCH).days
)
#: … maybe with a fraction, the time of day (``44228.5`` is noon), or ``.0`` as a float
_SERIAL_DAY = re.compile(r"(\d{5})(?:\.\d*)?")
#: the date fields as the offices' exports head them, for a reason that names the field
_DATE_LABELS = {
    "application_date": "申请日",
    "publication_date": "公开（公告）日",
    "grant_date": "授权公告日",
    "priority_dates": "优先权日",
    "priorities": "优先权",
    "preliminary_publication_date": "初审公告日期",
    "registration_date": "注册（登记）日期",
    "expiry_date": "专用权到期日",
    "completion_date": "完成日期",
    "first_publication_date": "首次发表日期",
}


def _date(values: Mapping[str, Any], field: str) -> dt.date | None:
    """A date field: text as ``parse_date`` reads it, or a spreadsheet number in a cell not
    formatted as a date (Excel's serial day, 44228 = 2021-02-01), or such a number written as
    text by a CSV or JSON export of a sheet (``44228``, ``44228.0``, ``44228.5``: the fraction is
    the time of day), between 1950 and 2100. A number like 20210201 is past any serial day and
    is read as text; an instant (``1620662400000``, ``2021-05-10T16:00:00Z``) is its day in
    Beijing (``dates.instant_date``). A date that is none is refused naming its field."""
    value = instant_date(values.get(field))  # epoch milliseconds, a time in UTC: Beijing's day
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= _EXCEL_LAST:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    elif isinstance(value, str) and (serial := _SERIAL_DAY.fullmatch(value.strip())):
        if int(serial[1]) in _SERIAL_TEXT:
            return _EXCEL_EPOCH + dt.timedelta(days=int(serial[1]))
    try:
        return parse_date(value)
    except ValueError as exc:
        raise ValueError(f"{_DATE_LABELS.get(field, field)} / {field}: {exc}") from None


def _text(values: Mapping[str, Any], field: str) -> str:
    """A field's value as text, stripped ('' when absent), its control characters read as
    spaces (:func:`~ingest.parsers.base.without_controls`): a CSV cell's ``\x01``, a JSON
    value's ``\u0001``. Only the values a record takes are looked at."""
    value = values.get(field)
    return "" if value is None else without_controls(str(value)).strip()


def _required(values: Mapping[str, Any], field: str) -> str:
    text = _text(values, field)
    if not text:
        raise ValueError(f"缺少{REQUIRED[field]} / missing {field}")
    return text


@lru_cache(maxsize=4096)  # every row of a table asks again for the same few column names
def fold(header: str) -> str:
    return nfkc(header).strip().replace(" ", "")


DEFAULT_MAPPING: dict[str, str] = {fold(k): v for k, v in _ZH.items()} | {f: f for f in FIELDS}

#: a trademark row's fields (a table is of trademarks when its header has none of a patent's
#: publication number, and has a trademark number with a mark or a class)
TRADEMARK_FIELDS = (
    "number mark_text nice_classes goods_services applicants applicants_en address address_en"
    " application_date preliminary_publication_date registration_date term expiry_date status"
    " agency"
).split()

_TRADEMARK_ZH = {
    "注册号": "number",
    "申请号": "number",
    "注册/申请号": "number",
    "申请/注册号": "number",
    "商标注册号": "number",
    "商标申请号": "number",
    "商标名称": "mark_text",
    "商标": "mark_text",
    "商标文字": "mark_text",
    "国际分类": "nice_classes",
    "国际分类号": "nice_classes",
    "类别": "nice_classes",
    "商标类别": "nice_classes",
    "类号": "nice_classes",
    "商品/服务": "goods_services",
    "商品服务": "goods_services",
    "商品/服务项目": "goods_services",
    "商品服务项目": "goods_services",
    "申请人": "applicants",
    "申请人名称": "applicants",
    "申请人名称(中文)": "applicants",
    "注册人": "applicants",
    "商标注册人": "applicants",
    "申请人地址": "address",
    "申请人地址(中文)": "address",
    "注册人地址": "address",
    # the 商标局's English name and address of a foreign applicant: read only for a row with
    # no Chinese name (build_trademark), in whatever order the columns come
    "申请人名称(英文)": "applicants_en",
    "申请人地址(英文)": "address_en",
    "申请日期": "application_date",
    "申请日": "application_date",
    "初审公告日期": "preliminary_publication_date",
    "初审公告日": "preliminary_publication_date",
    "注册公告日期": "registration_date",
    "注册公告日": "registration_date",
    "注册日期": "registration_date",
    "专用权期限": "term",  # 2015年03月14日 至 2025年03月13日
    "专用期限": "term",
    "专用权到期日": "expiry_date",
    "到期日": "expiry_date",
    "商标状态": "status",
    "当前状态": "status",
    "商标流程状态": "status",
    "法律状态": "status",
    "商标状态详情": "status",  # 中国商标网's 商标查询
    "状态": "status",  # 企查查's list
    "流程状态": "status",  # 天眼查's
    "代理机构": "agency",
    "代理人名称": "agency",
    "代理/办理机构": "agency",  # 中国商标网
}
TRADEMARK_MAPPING: dict[str, str] = {fold(k): v for k, v in _TRADEMARK_ZH.items()} | {
    f: f for f in TRADEMARK_FIELDS
}


_COPYRIGHT_ZH = {
    "登记号": "number",
    "著作权登记号": "number",
    "软件全称": "title",
    "软件名称": "title",
    "作品名称": "title",
    "软件简称": "short_name",
    "版本号": "version",
    "著作权人": "applicants",
    "著作权人名称": "applicants",
    "著作权人(中文)": "applicants",
    "分类号": "category",
    "作品类别": "category",
    "作品类型": "category",
    "类别": "category",  # 天眼查's works (美术, 音乐 …); in a table of marks, the Nice class
    "开发完成日期": "completion_date",
    "创作完成日期": "completion_date",
    "完成日期": "completion_date",
    "首次发表日期": "first_publication_date",
    "首次发表日": "first_publication_date",
    "首次发布日期": "first_publication_date",  # 天眼查's works
    "登记日期": "registration_date",
    "登记批准日期": "registration_date",
    "批准日期": "registration_date",  # 天眼查's software
}
COPYRIGHT_FIELDS = (
    "number title short_name version applicants category completion_date"
    " first_publication_date registration_date"
).split()
COPYRIGHT_MAPPING: dict[str, str] = {fold(k): v for k, v in _COPYRIGHT_ZH.items()} | {
    f: f for f in COPYRIGHT_FIELDS
}


#: every column a record of a table is read from, by any of the kinds (folded: :func:`fold`)
RECORD_COLUMNS = frozenset(DEFAULT_MAPPING).union(TRADEMARK_MAPPING, COPYRIGHT_MAPPING)


def is_column(name: object) -> bool:
    """Whether ``name`` (a header's, a JSON object's key) is a column of a record's table."""
    return fold(str(name)) in RECORD_COLUMNS


class TableKind(NamedTuple):
    """A kind of record a table may hold besides patents, and how its header shows it."""

    kind: str
    mapping: dict[str, str]
    fields: tuple[str, ...]
    one_of: frozenset[str]  # beside the number, one of these columns (申请号 alone is a patent's)


OTHER_KINDS = (
    TableKind("trademark", TRADEMARK_MAPPING, tuple(TRADEMARK_FIELDS),
              frozenset({"mark_text", "nice_classes"})),
    TableKind("copyright", COPYRIGHT_MAPPING, tuple(COPYRIGHT_FIELDS), frozenset({"title"})),
)  # fmt: skip


def columns_of(kind: TableKind, mapping: Mapping[str, str]) -> dict[str, str]:
    """``kind``'s mapping, with the entries of a mapping file that name its fields."""
    extra = {k: v for k, v in mapping.items() if v in kind.fields and k not in DEFAULT_MAPPING}
    return kind.mapping | extra


def other_kind(header: list[str], mapping: Mapping[str, str]) -> TableKind | None:
    """The kind of a table whose header lacks a column a patent needs but has one for a
    trademark or copyright number and one of the kind's ``one_of`` (None if neither: a patent
    table, or none)."""
    if not _absent(header, mapping):
        return None
    for kind in OTHER_KINDS:
        columns = columns_of(kind, mapping)
        fields = {columns.get(fold(column)) for column in header}
        if "number" in fields and fields & kind.one_of:
            return kind
    return None


def load_mapping(path: str | Path | None) -> dict[str, str]:
    """The default mapping, overridden by a JSON mapping file ``{"column": "field"}``, in UTF-8
    (with or without BOM), GBK or UTF-16 with its BOM (:func:`_mapping_text`)."""
    mapping = dict(DEFAULT_MAPPING)
    if path is not None:
        try:
            extra = json.loads(_mapping_text(Path(path)))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(
                f"映射文件无法读取 / cannot read the mapping file {path}: {exc}"
            ) from exc
        if not isinstance(extra, dict) or not all(isinstance(v, str) for v in extra.values()):
            raise ValueError(
                f'映射文件应为 {{"列名": "字段"}} / the mapping file {path} must be one JSON object'
                ' {"column": "field"}'
            )
        known = {*FIELDS, *TRADEMARK_FIELDS, *COPYRIGHT_FIELDS}
        unknown = sorted(set(extra.values()) - known)
        if unknown:
            raise ValueError(
                f"映射文件字段未知 / unknown fields in mapping: {unknown}; known: "
                f"{', '.join(sorted(known))}"
            )
        mapping |= {fold(k): v for k, v in extra.items()}
    return mapping


def _mapping_text(path: Path) -> str:
    """A mapping file's text, its encoding told as a data file's is (``charsets.text_encoding``):
    Windows Notepad saves UTF-8 with a BOM, or in the ANSI code page (GBK on a Chinese system),
    or as "Unicode" (UTF-16 with its BOM). A file in none of them is refused, saying so in
    Chinese and English with the first byte that is not text."""
    data = path.read_bytes()
    encoding = charsets.text_encoding(data[: charsets.HEAD])
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"映射文件既不是 UTF-8 也不是 GBK 编码 / the mapping file {path} is neither UTF-8 nor"
            f" GBK text: 偏移 {exc.start} 处的字节 / the byte at offset {exc.start}:"
            f" {exc.object[exc.start : exc.end]!r}"
        ) from None


#: a row's keys are its columns' names, and ``None`` for the cells past a CSV header's (as
#: ``csv.DictReader`` keys them): ``Any``, for a compiled caller checks the declared type
Row = Mapping[Any, Any]


def apply_mapping(row: Row, mapping: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column, value in row.items():
        field = mapping.get(fold(str(column)))
        if field and value not in (None, "") and field not in out:
            out[field] = _unwrap(value)
    return out


def _unwrap(value: Any) -> Any:
    """``="CN114123456A"`` → ``CN114123456A``: CSV exports write numbers as Excel formulas so
    that Excel keeps them as text (no leading zero or check digit lost)."""
    if isinstance(value, str) and value.startswith('="') and value.endswith('"'):
        return value[2:-1].replace('""', '"')
    return value


#: 专利类型 texts (as :func:`kind_text` reads a cell: 实用新型专利 is 实用新型) that name one kind
#: of document (a utility model and a design are granted as published)
KINDS = {
    "发明公布": PatentKind.INVENTION_APPLICATION,
    "发明公开": PatentKind.INVENTION_APPLICATION,
    "发明申请": PatentKind.INVENTION_APPLICATION,
    "发明授权": PatentKind.INVENTION_GRANT,
    "实用新型": PatentKind.UTILITY_MODEL,
    "外观设计": PatentKind.DESIGN,
}
#: 专利类型 texts that name an invention without saying whether the document is its application
#: or its grant: Chinese exports (企查查's KindCodeDesc too) write 发明专利 (CNIPA's own, 发明)
#: for both, so a kind code decides (CN114123456A is the application); without one, the row's
#: dates (:func:`_invention_by_dates`), else it is the application, the publication every
#: invention has (it was read as a grant, and a bare number counted under grants).
GENERIC_KINDS = frozenset({"发明专利", "发明"})
_KIND_TEXTS = frozenset(KINDS) | GENERIC_KINDS


def kind_text(desc: object) -> str:
    """A 专利类型 cell as it is compared: NFKC-folded, without spaces, and without a 中国 before
    or a 专利 after a kind they leave known (实用新型专利, 外观设计专利, 发明授权专利,
    中国实用新型专利 → 实用新型, 外观设计, 发明授权, 实用新型; 中国发明专利 → 发明专利)."""
    text = _SPACES.sub("", nfkc(str(desc or "")))
    bare = text.removeprefix("中国")
    for candidate in (bare, bare.removesuffix("专利")):
        if candidate in _KIND_TEXTS:
            return candidate
    return text


def _invention_by_dates(desc: str, published: dt.date | None, granted: dt.date | None) -> str:
    """The kind a generic 专利类型 (:data:`GENERIC_KINDS`) beside a number without a kind code
    takes from the row's dates: published on its grant date (授权公告日), the grant's
    publication (发明授权); published before it, the application's (发明公布, so A, as every
    application's publication is: the record carries the grant date). Else ``desc``: the
    application, its number left bare (it may be the grant's)."""
    if desc not in GENERIC_KINDS or published is None or granted is None:
        return desc
    if published == granted:
        return "发明授权"
    return "发明公布" if published < granted else desc


#: a kind code's letter → the kind, by the groups of WIPO ST.16: A a first publication (an
#: application); B and C a second and a third (grants: CNIPA's of 1993–2010 are C, as are DE's
#: patents, C1 and C2); E a US reissue; U, Y and Z utility models, W and X the other
#: utility-model documents; S designs, and D CNIPA's designs of 1993–2010. US plant patents
#: are P1 (the application) and P2, P3 (grants); the translations of European documents that
#: national offices publish are T1 for an application's claims and T2, T3, T (DE, ES, AT …)
#: for a granted patent. A letter of another group (H, L …, rare beside these) counts as an
#: invention publication — its code kept on the record — rather than lose the document: only
#: a code that is no kind code at all is refused.
_KIND_CODES = {"A": PatentKind.INVENTION_APPLICATION, "B": PatentKind.INVENTION_GRANT}
_KIND_CODES |= {"C": PatentKind.INVENTION_GRANT, "E": PatentKind.INVENTION_GRANT}
_KIND_CODES |= dict.fromkeys("UYZWX", PatentKind.UTILITY_MODEL)
_KIND_CODES |= {"S": PatentKind.DESIGN, "D": PatentKind.DESIGN}


def _named_by_kind_code(code: str) -> PatentKind | None:
    """The kind a publication's kind code (``B2``, ``C``, ``P3``) names by its group; None for
    a letter of no group here (H, L …) and for what is no kind code."""
    if not KIND_CODE.fullmatch(code):
        return None
    if code[0] in "PT":  # P1, T1: the application; the others: the grant
        return PatentKind.INVENTION_APPLICATION if code[1:] == "1" else PatentKind.INVENTION_GRANT
    return _KIND_CODES.get(code[0])


def _by_kind_code(code: str) -> PatentKind | None:
    """The kind a publication's kind code names (:func:`_named_by_kind_code`), an invention
    publication for a letter of another group; None for what is no kind code."""
    if not KIND_CODE.fullmatch(code):
        return None
    return _named_by_kind_code(code) or PatentKind.INVENTION_APPLICATION


#: a 专利类型 cell → the kind code every CN publication of that kind carries: an invention
#: application's publication has always been A
_CN_CODE_ALWAYS = {"发明公布": "A", "发明公开": "A", "发明申请": "A", "invention_application": "A"}
#: … and the code of the grants since 2011. Until 2010 CNIPA published grants as C, Y and D
#: (and before 1993 as B, U and S); the exact day of 2010 the codes changed is not at hand, so
#: a bare number published before 2011 keeps no kind code. "发明专利" names either an
#: application or a grant in the exports, and gives none.
_CN_CODE_SINCE_2011 = {
    "发明授权": "B", "invention_grant": "B", "实用新型": "U", "utility_model": "U",
    "外观设计": "S", "design": "S",
}  # fmt: skip
_CODES_CHANGED = dt.date(2011, 1, 1)


#: the type digit of a CN application number → the kind of patent it can only be: 2 a utility
#: model, 9 one entering China from a PCT application, 3 a design. An invention's (1, 8) may be
#: published as an application (A) or a grant, so it tells no kind.
_CN_APPLICATION_TYPES = {"2": "实用新型", "9": "实用新型", "3": "外观设计"}


def cn_application_kind(application_number: str) -> str | None:
    """The 专利类型 a normalised CN application number tells by its type digit (the fifth of
    ``CN202120123456.7``, the third of the eight before October 2003), where it tells one."""
    if not application_number.startswith("CN"):
        return None
    digits = application_number[2:].split(".", 1)[0]
    position = {12: 4, 8: 2}.get(len(digits))
    return None if position is None else _CN_APPLICATION_TYPES.get(digits[position])


def cn_kind_code(desc: object, published: dt.date | None) -> str | None:
    """The kind code of a CN publication number an export writes bare (``CN114123456``), from
    its 专利类型 cell and publication date, where they tell it for certain; else None. With the
    code the record has the id the offices' XML and DOCDB give it, so the two merge, and
    ``pn=CN114123456A`` finds it."""
    text = kind_text(desc)
    if text in _CN_CODE_ALWAYS:
        return _CN_CODE_ALWAYS[text]
    if text in _CN_CODE_SINCE_2011 and published is not None and published >= _CODES_CHANGED:
        return _CN_CODE_SINCE_2011[text]
    return None


def patent_kind(desc: object, kind_code: str | None, office: str | None = None) -> PatentKind:
    """The kind of a document, as its kind code names it (A the application's publication, B
    the grant: :func:`_named_by_kind_code`) whatever a 专利类型 cell (``desc``) says — some
    exports write there the kind the application reached, 发明授权 beside CN114123456A once it
    was granted (:func:`reached_grant`); else the cell's where it names one kind; else the
    code's, where the cell says only "invention" (:data:`GENERIC_KINDS`) or nothing; else, for
    "invention" and no code, the application. A US patent granted before 2001 carries kind
    ``A`` (in DOCDB and the exports; the USPTO published no applications then, and has written
    A1, A2, A9 for them since): a grant when ``office`` is US, unless the cell says
    otherwise."""
    text = kind_text(desc)
    if office == "US" and kind_code == "A":
        if not text:
            return PatentKind.INVENTION_GRANT
    elif kind_code and (named := _named_by_kind_code(kind_code)) is not None:
        return named
    if text in KINDS:
        return KINDS[text]
    if text in PatentKind.__members__.values():
        return PatentKind(text)
    if kind_code and (kind := _by_kind_code(kind_code)) is not None:
        return kind
    if text in GENERIC_KINDS:  # 发明专利, no kind code and no dates to say which
        return PatentKind.INVENTION_APPLICATION
    if not text and not kind_code:  # an export that writes its publication numbers bare
        raise ValueError(
            "无法判断专利类型：公开号没有类型代码（A、B、U、S），也没有专利类型列 / unknown patent"
            " kind: the publication number has no kind code (A, B, U, S) and no 专利类型 column"
            " gives it"
        )
    code_zh = f"类型代码 {kind_code!r}" if kind_code else "公开号没有类型代码"
    code_en = f"kind code {kind_code!r}" if kind_code else "no kind code on the publication number"
    raise ValueError(
        f"无法判断专利类型：专利类型 {text!r}，{code_zh} / unknown patent kind: type {text!r},"
        f" {code_en}"
    )


def reached_grant(desc: object) -> bool:
    """Whether a 专利类型 cell says the invention was granted (发明授权): beside an
    application's publication, the kind the application reached."""
    text = kind_text(desc)
    return KINDS.get(text) is PatentKind.INVENTION_GRANT or text == PatentKind.INVENTION_GRANT


def granted_on(kind: PatentKind, published: dt.date | None) -> dt.date | None:
    """The grant date a publication of ``kind`` carries, for an office's XML, which gives a
    grant no date of its own: its publication date when the publication is the grant — an
    invention patent (B, C, E, P2, T2 … of :func:`patent_kind`) or, granted as they are
    published, a utility model (CNIPA's U and Y) or a design (S, D) — and None for an
    application. The same kinds the store counts as granted (``iphub.store.fields``)."""
    return None if kind is PatentKind.INVENTION_APPLICATION else published


S = TypeVar("S")


def _ordered(table: Iterable[tuple[str, S]]) -> tuple[tuple[re.Pattern[str], S], ...]:
    """A table of ``(pattern, status)`` compiled, tried in its order (:func:`_first`)."""
    return tuple((re.compile(pattern), status) for pattern, status in table)


def _first(table: Iterable[tuple[re.Pattern[str], S]], text: str, otherwise: S) -> S:
    """The status of the first pattern of ``table`` found in ``text``, else ``otherwise``."""
    return next((status for pattern, status in table if pattern.search(text)), otherwise)


_OR = "[、/和及或]"  # 专利申请权、专利权: either
#: a 法律状态 cell (CNIPA's legal status words, the commercial databases' simple statuses, or
#: PatSnap's events, ``授权 | 权利转移``) → where the patent stands, tried in this order (the
#: first that matches decides): a procedure's stage before the bare words it holds. ``None``:
#: an event that concerns an application or a patent alike (:func:`legal_status`)
_LEGAL_STATUSES: tuple[tuple[re.Pattern[str], LegalStatus | None], ...] = _ordered(
    (
        # 宣告专利权全部无效 / declared wholly invalid, whatever the cell says before
        (r"全部无效", LegalStatus.INVALID),
        # 无效宣告请求, 无效宣告审查中, 部分无效, 维持专利权有效 / an invalidation under way, in
        # part or refused: the patent stands
        (r"无效宣告请求|无效程序|无效.*(?:审查|审理)中|部分无效|维持.*有效", LegalStatus.VALID),
        # 复审请求审查决定 / a refusal's review decided: upheld, or the application goes on
        (r"复审.*决定", LegalStatus.UNKNOWN),
        # 驳回复审中, 复审请求 / a refusal under review: the application is pending
        (r"复审", LegalStatus.PENDING),
        # PCT指定期满, PCT指定期限届满, PCT未进入指定期 / a PCT application that entered no
        # national phase in time (the bare 指定期 below read them as pending); PCT指定期内 /
        # one that still may (PatSnap's statuses)
        (r"指定期限?届?满|未进入指定期", LegalStatus.INVALID),
        (r"指定期内|指定期", LegalStatus.PENDING),
        (r"失效|驳回|撤回|终止|无效|放弃|届满", LegalStatus.INVALID),
        # 等年费滞纳金 / a patent whose fee is late, in its six months' grace: in force
        (r"滞纳金|等年费", LegalStatus.VALID),
        # 专利权的转移, 质押合同登记的生效, 实施许可合同备案的生效 / what concerns a patent in
        # force: a transfer, pledge, licence or preservation of it (not 专利申请权、专利权的转移:
        # below)
        (rf"授权|有效|恢复|(?<!{_OR})专利权|质押|许可|保全", LegalStatus.VALID),
        # 发明专利申请公布, 实质审查的生效, 专利申请权的转移 / an application published, under
        # examination or transferred
        (rf"公开|公布|实质审查|审中|受理|专利申请权(?!{_OR}专利权)", LegalStatus.PENDING),
        # 专利申请权、专利权的转移, 著录事项变更, PatSnap's 权利转移 / an application's or a
        # patent's, where nothing else in the cell says which
        (rf"申请权{_OR}专利权|著录事项变更|权利转移", None),
    )
)


def legal_status(desc: object, granted: bool = False) -> LegalStatus:
    """Where a patent stands by its 法律状态 cell (:data:`_LEGAL_STATUSES`). An event that may
    concern an application or a patent (著录事项变更, a change of the bibliographic data;
    专利申请权、专利权的转移) tells nothing sure by itself: it is valid on a ``granted`` record
    (a grant, a utility model or design, an application the row says was granted), as the
    latest event of a patent in force, else unknown."""
    status = _first(_LEGAL_STATUSES, str(desc or ""), LegalStatus.UNKNOWN)
    if status is None:  # an event of an application or a patent alike
        return LegalStatus.VALID if granted else LegalStatus.UNKNOWN
    return status


_AGENCY_CODE = re.compile(r"\s+\d{5}$")
#: what an agency or agent cell says where there is none: 中国商标网's 直接办理 (the applicant
#: filed without an agency), 自行办理, 无, 暂无, null … (any case), or dashes and slashes alone
_NO_AGENCY_WORDS = frozenset(
    "直接办理 自行办理 申请人自行办理 本人办理 无 暂无 无代理 无代理机构 未委托 没有 空 不详"
    " 未知 未填写 无数据 暂无数据 暂无信息 null none nil n/a na nan 0".split()
)
#: … and what such a cell starts with, whatever follows (``直接办理（无代理）``)
_NO_AGENCY_HEADS = (
    "直接办理", "自行办理", "申请人自行办理", "本人办理", "无代理", "未委托",
    "无(", "无（", "无[", "无【", "暂无",
)  # fmt: skip
#: a label an export writes before the name (``代理机构：…``)
_AGENCY_LABEL = re.compile(r"^\s*(?:代理机构|代理/办理机构|办理机构|代理人)\s*[:：]\s*")
#: brackets, dashes, slashes and dots around a name: not part of it
_AGENCY_TRIM = "()（）[]【】<>《》-‐‑–—―－_/／\\.。…· \t"
#: … and what a number cell says where there is none (a pending application's 授权公告号)
_NO_NUMBER_WORDS = frozenset("无 暂无 未授权 空 null none nil n/a na nan".split())


def _agency_names(raw: object) -> list[str]:
    """The names of an agency or agents cell (:func:`split_names`), without a label before them
    (``代理机构：``) and without those that say there is none (:data:`_NO_AGENCY_WORDS`, in
    brackets or not, and what starts like them, :data:`_NO_AGENCY_HEADS`; dashes, dots or
    ``0`` alone): a mark filed 直接办理 has no agency of that name."""
    out = []
    for name in split_names(raw):
        named = _AGENCY_LABEL.sub("", name)
        bare = nfkc(named).strip(_AGENCY_TRIM).casefold()
        if bare and bare not in _NO_AGENCY_WORDS and not bare.startswith(_NO_AGENCY_HEADS):
            out.append(named)
    return out


#: a priority number as the exports write it, its office first: ``JP2020-123456``,
#: ``US 62/812,345``, ``CN202010123456.7``
_PRIORITY = re.compile(r"([A-Z]{2})\s*(\S.*)")
_SPACES = re.compile(r"\s+")


def _priorities(values: Mapping[str, Any]) -> list[Priority]:
    """The priorities of a row's 优先权号 cell (a list, as :func:`split_names` reads one), each
    with the date of the same place in its 优先权日 cell; else those of a 优先权 cell that
    gives number and date together (:func:`_combined_priorities`). A date that is no date is
    refused naming its column."""
    numbers = _cells(values.get("priority_numbers"), _PRIORITY_NUMBER_SEPARATORS)
    if not numbers:
        return _combined_priorities(values.get("priorities"))
    dates = _cells(values.get("priority_dates"), _PRIORITY_DATE_SEPARATORS)
    out = []
    for i, number in enumerate(numbers):
        date = _date({"priority_dates": dates[i]}, "priority_dates") if i < len(dates) else None
        out.append(_priority(number, date))
    return out


#: what separates the numbers of a 优先权号 cell: ``;``, ``；``, ``|``, a line break, or a comma
#: or ``、`` before the next office's code (a comma in a number, ``US62/812,345``, stays)
_PRIORITY_NUMBER_SEPARATORS = re.compile(r"[;；|\r\n]+|[,，、]\s*(?=[A-Za-z]{2})")
#: … and the dates of a 优先权日 cell: those, a comma or a space (a date holds none)
_PRIORITY_DATE_SEPARATORS = re.compile(r"[;；|\r\n,，、\s]+")


def _cells(raw: object, separators: re.Pattern[str]) -> list[str]:
    """The items of a cell (or a JSON list's strings), in order, repeats kept: the numbers and
    dates of two cells are paired by place, and two priorities may share a date."""
    items = raw if isinstance(raw, list | tuple) else [raw]
    out: list[str] = []
    for item in items:
        if item in (None, ""):
            continue
        out.extend(p.strip() for p in separators.split(str(_unwrap(item))) if p.strip())
    return out


def _priority(number: str, date: dt.date | None) -> Priority:
    """A priority of ``number`` as an export writes it: the office is its first two letters
    (``JP2020-123456`` → JP, ``2020-123456``, as CNIPA's XML gives it; ``PCT/JP2020/012345``
    is WIPO's, WO), else none; the number is kept as written, without spaces."""
    text = _SPACES.sub("", nfkc(number))
    if text.upper().startswith("PCT/"):
        return Priority(country="WO", number=text.upper(), date=date)
    m = _PRIORITY.fullmatch(text.upper())
    country, own = (m[1], m[2]) if m else ("", text)
    return Priority(country=country, number=own, date=date)


#: what separates the priorities of a 优先权 cell: ``;``, ``；``, ``|`` or a line break (a
#: comma may be in a number: ``US62/812,345``)
_PRIORITY_SEPARATORS = re.compile(r"[;；|\r\n]")
#: a date beside a priority number: ``2020.07.01``, ``2020-7-1``, ``2020年7月1日``, ``20200701``
_PRIORITY_DATE = re.compile(r"\d{4}(?:[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{4})")
#: brackets around a date (``JP2020-123456（2020.07.01）``): read as spaces
_BRACKETS = re.compile(r"[()\[\]【】]")
_DATE_AHEAD = r"\s*(?=\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2})"
#: what a 优先权 cell is read with first, in order: the labels some exports write in it
#: (``优先权号：…``); a time after a date (``2020-07-01 00:00:00``); a date written day first
#: with dots (``01.07.2020``); a comma or 、 before another office's number (a separator: a
#: comma inside a number, ``US62/812,345``, is followed by digits); and a comma, slash or line
#: break before a date (it belongs to the number before it)
_PRIORITY_CLEANING = (
    (re.compile(r"优先权(?:号码?|日期?)?\s*[:：]"), " "),
    (re.compile(r"(?<=[0-9])T(?=[0-9]{1,2}:)"), " "),
    (
        re.compile(
            r"(?<![0-9])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:\s*[AaPp][Mm])?(?![0-9])"
        ),
        " ",
    ),
    (re.compile(r"(?<=[0-9])(?:Z|[+-][0-9]{2}:?[0-9]{2})(?=\s|$)"), " "),
    (re.compile(r"(?<![0-9.])([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})(?![0-9])"), r"\3.\2.\1"),
    (re.compile(r"[,，、]\s*(?=[A-Za-z]{2})"), ";"),
    (re.compile(r"[,，、/]" + _DATE_AHEAD), " "),
    (re.compile(r"[\r\n]+" + _DATE_AHEAD), " "),
)
#: a word of a 优先权 cell that is part of no number: no digit, and not an office's code
_NOT_NUMBER_WORD = re.compile(r"[^0-9]*")
_OFFICE_WORD = re.compile(r"[A-Za-z]{2}|PCT", re.IGNORECASE)


def _combined_priorities(raw: object) -> list[Priority]:
    """The priorities of a 优先权 cell as innojoy and SooPAT write them, each number with its
    date — ``JP2020-123456 2020.07.01``, ``2020.07.01 JP2020-123456``, ``JP2020123456
    20200701`` — several separated by ``;``, ``；`` or line breaks, or by spaces alone. The
    words between two dates are one number (``JP 2020-123456`` is ``JP2020-123456``), paired
    with the date after it, or before it where the cell begins with a date. A JSON row's list
    may hold objects too, ``{"country", "number", "date"}`` as iphub's own records give them
    (:func:`_priority_object`)."""
    if isinstance(raw, list | tuple):
        return [
            p
            for item in raw
            # a pair as a list of its own, ``["JP2020-123456", "2020-07-01"]``: one priority
            for p in _combined_priorities(
                " ".join(map(str, item)) if isinstance(item, list | tuple) else item
            )
        ]
    if isinstance(raw, dict):
        return _priority_object(raw)
    text = nfkc(str(raw or ""))
    for pattern, replacement in _PRIORITY_CLEANING:
        text = pattern.sub(replacement, text)
    out = []
    for entry in split_names(text, _PRIORITY_SEPARATORS):
        words = [
            w.strip(",，、;")
            for w in _BRACKETS.sub(" ", entry).split()
            if not _NOT_NUMBER_WORD.fullmatch(w) or _OFFICE_WORD.fullmatch(w)
        ]
        words = [w for w in words if w]
        dated = [_is_priority_date(w) for w in words]
        date_first = bool(dated) and dated[0]
        number: list[str] = []
        before: dt.date | None = None  # the date the number being read comes after
        for word, is_date in zip(words, dated, strict=True):
            if not is_date:
                number.append(word)
                continue
            date = _date({"priorities": word}, "priorities")
            if number:  # a date ends the number before it
                out.append(_priority("".join(number), before if date_first else date))
                number = []
            before = date
        if number:
            out.append(_priority("".join(number), before if date_first else None))
    return out


def _priority_object(item: Mapping[Any, Any]) -> list[Priority]:
    """The priority of an object in a JSON row's list, its ``number``, ``country`` and
    ``date`` — any case, and as the APIs name them too (``priority_number``,
    ``PriorityDate``, ``office``) —; none for one without a number. A number that repeats its
    office (``JP2020-123456`` beside ``JP``) is read as the office's own."""
    keys: dict[str, Any] = {}
    for k, v in item.items():
        if v in (None, ""):
            continue
        key = re.sub(r"[^a-z]", "", str(k).casefold())
        for name in ("number", "date", "country", "office"):
            if key.endswith(name):
                keys.setdefault("country" if name == "office" else name, v)
    number = _SPACES.sub("", nfkc(str(keys.get("number", ""))))
    if not number:
        return []
    date = _date({"priorities": keys.get("date")}, "priorities")
    country = str(keys.get("country", "")).strip().upper()
    if not country:
        return [_priority(number, date)]
    if number.upper().startswith(country):
        number = number[len(country) :]
    return [Priority(country=country, number=number, date=date)]


def _is_priority_date(word: str) -> bool:
    """Whether a word of a 优先权 cell is a date: written as one (a day that does not exist,
    ``2020.02.30``, is refused as :func:`_date` reads it), or eight digits that are one (more
    often a number's: ``20201234`` is none)."""
    if not _PRIORITY_DATE.fullmatch(word):
        return False
    if not word.isdigit():
        return True
    try:
        return parse_date(word) is not None
    except ValueError:
        return False


def _classes(raw: object, design: bool) -> list[str]:
    """A cell's classification symbols (``;``, ``|``, ``,`` or ``、`` between them; for IPC,
    spaces too: :func:`_ipc_symbols`). IPC symbols are written as the offices' XML gives them
    (``H01M 10/0525``, also from ``H01M10/0525`` or CNIPA's printed ``H01M 10/0525(2010.01)I``),
    so that they are searched, counted and tagged alike; a design's Locarno classes, and what is
    not an IPC symbol, stay as written."""
    codes = split_names(raw, _CLASS_SEPARATORS)
    if not design:
        codes = [symbol for code in codes for symbol in _ipc_symbols(code)]
    return list(dict.fromkeys(codes))


_CLASS_SEPARATORS = re.compile(r"[;；|,，、]")
#: an IPC (or CPC: section Y) symbol however an export spaces it — ``H01M10/0525``,
#: ``H01M 10/0525``, ``H01M  10/0525``, ``G06F 16/00 (2019.01)``, ``H01M 10/0525(2010.01)I`` —
#: for a list of them with only spaces between
_IPC_SYMBOL = re.compile(
    r"[A-HY]\d{2}[A-Z](?:\s*\d{1,4}\s*/\s*\d{1,6})?(?:\s*[(\[]\d{4}\.\d{2}[)\]][A-Z]?)?",
    re.IGNORECASE,
)


def _ipc_symbols(code: str) -> list[str]:
    """The IPC symbols of one item of a class cell: the item, when it is one symbol (spaces
    and all: ``H01M 10/0525``); else the symbols it lists with spaces between, when it is those
    and nothing more (``H01M10/613 H01M10/625 H05K7/20``); else the item as written."""
    if (symbol := ipc_scheme.normalised(code)) is not None:
        return [symbol]
    text = nfkc(code)
    found: list[str] = []
    end = 0
    for m in _IPC_SYMBOL.finditer(text):
        if text[end : m.start()].strip():
            return [code]
        found.append(ipc_scheme.normalised(m[0]) or m[0])
        end = m.end()
    return found if found and not text[end:].strip() else [code]


def build_patent(values: Mapping[str, Any], source: str) -> Patent:
    """A ``Patent`` from canonical field values (see :data:`FIELDS`); raises on bad input.

    The applicants are those the publication names (申请（专利权）人, 原始申请（专利权）人):
    the record is that publication, and CNIPA's XML and DOCDB, which it merges with, name them
    so; the holder an export gives as 当前申请（专利权）人 or 当前权利人 (after a transfer, a
    company that neither filed nor was published) is read only for a row that names no
    original applicant, rather than lose the names. Before, of the two the column that came
    first in the export was read, so the same patent had other owners by export."""
    # another office's numbers, letters and all (JPH11123456A), as it writes them
    pn = publication_number_as_written(whole_number(_required(values, "publication_number")), "CN")
    an = application_number_as_written(_required(values, "application_number"), pn[:2])
    kind_code = kind_code_of(pn)
    published = _date(values, "publication_date")
    granted = _date(values, "grant_date")
    desc = kind_text(values.get("kind"))
    if kind_code is None:
        desc = _invention_by_dates(desc, published, granted)
    if kind_code is None and pn.startswith("CN"):
        desc = desc or cn_application_kind(an) or ""
        kind_code = cn_kind_code(desc, published)
        if kind_code:
            pn = normalize_publication_number(pn + kind_code)
    kind = patent_kind(desc, kind_code, pn[:2])
    application = kind is PatentKind.INVENTION_APPLICATION
    grant = _grant_publication(values, pn, kind, granted)
    # the row says the invention was granted: a grant's own row, or an application's naming
    # its grant, its date or 发明授权
    says_granted = not application or bool(grant or granted or reached_grant(desc))
    applicants = parties(
        values.get("applicants") or values.get("current_applicants"),
        _text(values, "address") or None,
    )
    agency_names = _agency_names(values.get("agency"))
    agents = _agency_names(values.get("agents"))
    design = kind is PatentKind.DESIGN
    # a design's Locarno classes: CNIPA's export gives them their own column, the others write
    # them under 分类号; an invention's row leaves the Locarno column empty, and is not asked
    ipc = _classes((design and values.get("locarno")) or values.get("ipc"), design)
    ipc_main = next(iter(_classes(values.get("ipc_main"), design)), None) or (
        ipc[0] if ipc else None
    )
    abstract = _text(values, "abstract")
    title = _required(values, "title")
    classes = list(dict.fromkeys([ipc_main, *ipc] if ipc_main else ipc))
    return Patent(
        id=pn,
        source=source,
        sources=[source],
        jurisdiction=pn[:2],
        kind=kind,
        kind_code=kind_code,
        application_number=an,
        application_date=_date(values, "application_date"),
        publication_number=pn,
        publication_date=published,
        # the invention's grant date, on the application's publication too: the row is the
        # application's one record, and the store counts a patent with a grant date as granted
        # (a second record for the grant counted the invention as two applications); a grant
        # without 授权公告日 (a B, U or S row, a data API's record) granted as published, as
        # the offices' XML is read: else grant-year statistics had it under "no year"
        grant_date=granted or granted_on(kind, published),
        # an export names no language: its texts are labelled by their script, so that an
        # English title merges with the USPTO's or DOCDB's English one, not beside it
        title=LocalizedText(text=title, lang=text_language(title)),
        abstract=LocalizedText(text=abstract, lang=text_language(abstract)) if abstract else None,
        applicants=applicants,
        inventors=[Party(name=n) for n in split_names(values.get("inventors"))],
        # agents without an agency (no 代理机构 column, or 无 in it) are kept under a name the
        # row does not give: an office's record naming the agency is richer, and wins a merge
        agency=(
            Agency(name=_AGENCY_CODE.sub("", next(iter(agency_names), "")), agents=agents)
            if agency_names or agents
            else None
        ),
        ipc_main=None if design else ipc_main,
        ipc=[] if design else classes,
        locarno=classes if design else [],
        # the row's status, always: a later export of the source replaces an earlier one's
        # (ingest.merge), so January's "pending" gives way to December's "valid"
        legal_status=legal_status(values.get("legal_status"), granted=says_granted),
        priorities=_priorities(values),
        related=[grant] if grant else [],
        legal_events=(
            _grant_events(granted, grant.number if grant else None)
            if application and says_granted
            else []
        ),
    )


def _grant_events(granted: dt.date | None, number: str | None) -> list[LegalEvent]:
    """What a row says of the grant of an invention whose application's publication it is
    (专利类型 发明授权, a 授权公告日, the 授权公告号): a legal event, shown with the record's
    legal history."""
    return [LegalEvent(date=granted, description=f"授权（{number}）" if number else "授权")]


def _number_text(value: object) -> str:
    """A number cell as compared: ``="…"`` unwrapped, a float's ``.0`` dropped, without spaces,
    upper-cased; '' for none or a placeholder (``-``, 无, 未授权 …)."""
    text = _SPACES.sub("", nfkc(whole_number(str(_unwrap(value or ""))))).upper()
    if text.casefold() in _NO_NUMBER_WORDS or NO_VALUE_MARKS.fullmatch(text):
        return ""
    return text


#: the relation of the grant's publication a row names beside its own (授权公告号)
GRANT_PUBLICATION = "grant-publication"
#: the kinds granted as they are published: their grant is their publication
_GRANTED_AS_PUBLISHED = frozenset({PatentKind.UTILITY_MODEL, PatentKind.DESIGN})


def _grant_publication(
    values: Mapping[str, Any], pn: str, kind: PatentKind, granted: dt.date | None
) -> RelatedDocument | None:
    """The grant's publication a row names beside its own (授权公告号, PatSnap's 授权号), dated
    授权公告日, as a related document of the row's record (:data:`GRANT_PUBLICATION`): the
    store indexes it (``rel``), so the grant's number typed bare finds the application.

    Normalised as the row's own number is; a bare CN number takes the code its 授权公告日
    tells (B, or U and S for a utility model's or design's row: :func:`cn_kind_code`) or,
    without a date, the code CNIPA gives the grant of an application of the 9-digit numbering:
    B, under the same number (a utility model's or design's: its own). None for none, for the
    row's own number (a utility model is granted as published), and for a number that is not
    this application's grant — no publication number (见附件), an application's publication
    (A), another office's, or, in the 9-digit numbering, another number than the row's — which
    is dropped rather than cost the row."""
    text = _number_text(values.get("grant_number"))
    if not text:
        return None
    try:
        number = publication_number_as_written(text, pn[:2])
    except ValueError:
        return None
    if number[:2] != pn[:2]:
        return None
    code = kind_code_of(number)
    serial = _cn_serial(pn)
    if number.startswith("CN") and serial is not None and len(serial) == 9:
        if _cn_serial(number) != serial:
            return None
        if code is None and granted is None:
            code = "B" if kind is PatentKind.INVENTION_APPLICATION else kind_code_of(pn)
            number = normalize_publication_number(number + code) if code else number
    if code is None and number.startswith("CN"):
        reached = kind if kind in _GRANTED_AS_PUBLISHED else PatentKind.INVENTION_GRANT
        if code := cn_kind_code(reached.value, granted):
            number = normalize_publication_number(number + code)
    if number == pn:
        return None
    if code and patent_kind(None, code, number[:2]) is PatentKind.INVENTION_APPLICATION:
        return None
    return RelatedDocument(relation=GRANT_PUBLICATION, number=number, date=granted)


def _cn_serial(number: str) -> str | None:
    """The digits of a normalised CN publication number (``CN114123456A`` → ``114123456``);
    None for another office's."""
    if not number.startswith("CN"):
        return None
    code = kind_code_of(number)
    return number[2 : len(number) - len(code)] if code else number[2:]


#: a procedure still under way: 待审中, 审理中, 审查中, 申请中, 受理, 等待 …, or a status ending in
#: 中 (撤三中), or the request alone, filed (…申请, 申请收文)
_UNDER_WAY = r"(?:待审|审理中|审查中|申请中|办理中|受理|等待|收文|中$|申请$)"
#: what ends a mark: a cancellation, invalidation or surrender, a refusal, an expiry
_ENDED_MARK = "无效|驳回|注销|撤销|销亡|失效|未续展|过期"
#: a 商标状态 (中国商标网's 商标状态详情 and 商标流程, 企查查's 状态, 天眼查's 流程状态) → where the
#: mark stands, by what its words mean, tried in this order (the first that matches decides):
#: a procedure's stage before the procedure's bare name, and the bare words last
_TRADEMARK_STATUSES = _ordered(
    (
        # 驳回复审完成, 不予注册复审完成 / a refusal's review decided (a refusal after an
        # opposition's, too): upheld, or the mark goes on to publication or registration
        (r"(?:驳回|不予注册)复审.*(?:完成|决定|结束)", TrademarkStatus.UNKNOWN),
        # 驳回复审中, 部分驳回 / a refusal under review, or of part of the goods (the rest goes
        # on to publication): the application is pending
        (r"(?:驳回|不予注册)复审|部分驳回|部分不予注册", TrademarkStatus.APPLIED),
        # an opposition decided: 不予注册 (refused), 准予注册 (registered)
        (r"不予注册", TrademarkStatus.INVALID),
        (r"准予注册", TrademarkStatus.REGISTERED),
        # 异议期满, 商标已注册，异议期已过 / the opposition period over, no opposition filed:
        # the mark is registered (the bare 异议 below read it as opposed, preliminary) — unless
        # the text says what ended it since (异议期满，商标无效; 撤销三年不使用完成)
        (
            rf"^(?!.*(?:{_ENDED_MARK})).*异议期(?:已|已经)?(?:届满|满|过|结束)",
            TrademarkStatus.REGISTERED,
        ),
        # 异议完成 / an opposition done, its outcome not said; 商标异议申请中, 异议审查中 / a
        # published mark opposed: it waits as published
        (rf"^(?!.*(?:{_ENDED_MARK})).*异议.*(?:完成|结束)", TrademarkStatus.UNKNOWN),
        (rf"^(?!.*(?:{_ENDED_MARK})).*异议", TrademarkStatus.PRELIMINARY),
        # 撤销三年不使用待审中, 无效宣告审理中, 撤销/无效宣告申请审查中 / a cancellation,
        # invalidation or surrender of a registered mark under way: it stands until decided
        (rf"(?:撤销|撤三|无效宣告|注销).*{_UNDER_WAY}", TrademarkStatus.REGISTERED),
        # 期满未续展, 已过期 / the term ended unrenewed (before 续展: 未续展 holds it)
        (r"未续展|过期|届满|期满", TrademarkStatus.INVALID),
        # 续展完成, 转让完成, 许可备案完成, 变更注册人名义/地址完成 / a renewal, transfer, licence,
        # change or pledge of a registered mark, done or under way: it stands
        (r"续展|转让|转移|许可|变更|更正|补发|质押|质权", TrademarkStatus.REGISTERED),
        # 撤销三年不使用完成, 无效宣告完成, 已注销, 已销亡, 驳回通知发文 / what ends a mark: a
        # cancellation, invalidation or surrender done, a refusal, an expiry
        (_ENDED_MARK, TrademarkStatus.INVALID),
        (r"注册公告|注册证|已注册|注册商标|^注册$", TrademarkStatus.REGISTERED),
        (r"初审", TrademarkStatus.PRELIMINARY),
        (r"申请|受理|审查", TrademarkStatus.APPLIED),
    )
)


def trademark_status(desc: str) -> TrademarkStatus:
    """Where a mark stands by its status text (:data:`_TRADEMARK_STATUSES`): a cancellation or
    invalidation pending against a registered mark leaves it registered, and a refusal under
    review or in part leaves it pending, so that clearance (which leaves out invalid marks)
    still shows it and the registered marks are counted; unknown for a text none matches."""
    return _first(_TRADEMARK_STATUSES, desc, TrademarkStatus.UNKNOWN)


#: a Nice class number: one or two digits, not part of a longer number, or Chinese numerals
_CLASS_NUMBER = r"(?:(?<![\d.])\d{1,2}(?![\d.])|[一二三四五六七八九十]{1,3})"
#: Nice classes written with their label, ``第9类``, ``第九类``, and the list that goes on from
#: one, in either way of writing and with its label shared or not: ``第九类,第35类``,
#: ``第九类、三十五类``, ``第九、三十五类``. Where a cell has one, only those are read (a number
#: of its goods' text is none, nor is ``一类`` of ``一类医疗器械``: the list starts at a 第)
_CLASSES_LABELLED = re.compile(
    rf"第\s*{_CLASS_NUMBER}(?:\s*类?\s*[、,;/和及与]\s*(?:第\s*)?{_CLASS_NUMBER})*\s*类"
)
_CLASS_NUMBERS = re.compile(_CLASS_NUMBER)
_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
#: … else a number of one or two digits, ``.0`` after it read as a float's (``9.0`` is class
#: 9), not part of a longer number (``2012``, ``100``) nor an edition's (``第11版``)
_CLASS = re.compile(r"(?<![\d.])(\d{1,2})(?:\.0+)?(?![\d.]|\s*版)")


def _in_words(numeral: str) -> int | None:
    """A number below 100 in Chinese numerals (九 9, 十五 15, 三十五 35), else None."""
    tens, ten, units = numeral.partition("十")
    if not ten:
        return _DIGITS.get(numeral)
    if len(tens) > 1 or len(units) > 1:
        return None
    high = _DIGITS.get(tens, 0) if tens else 1
    low = _DIGITS.get(units, 0) if units else 0
    return high * 10 + low if (not tens or high) and (not units or low) else None


_GOODS_SEPARATORS = re.compile(r"[;；、,，]")
_DATE_IN_TEXT = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


def _nice_classes(raw: object) -> list[int]:
    """``第9类``, ``第九类``, ``09``, ``9;35``, 9, ``9.0`` → the Nice classes: the class numbers
    (one or two digits, or Chinese numerals) the cell holds, those written 第9类 where it has
    them, in any mix of digits and numerals (``第九类,第35类``, ``第九、三十五类``: one of the
    two ways was read, and a class lost) and beside them the items that are a bare number
    (``第9类;35``), but no other number (``第9类 科学仪器(2012版)`` is
    class 9, not 9, 20 and 12; ``100`` holds none, not 10 and 0). A cell that holds none is
    refused saying so (an empty one, or a placeholder, ``-``, 无, gives none); so is a number
    past 45, or 0, with the cell (the record's validation named neither it nor the column)."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = nfkc(str(raw if raw is not None else ""))
    if not _number_text(text):
        return []
    runs = list(_CLASSES_LABELLED.finditer(text))
    # the labelled classes, and the bare numbers of the items between them that say no 第…类
    # (第9类;35: 35 was lost), in the cell's order
    labelled = [n for piece in _labelled_out(text, runs) for n in piece] if runs else []
    found = [
        (c, n) for c in labelled or _CLASS.findall(text) if (n := _class_number(c)) is not None
    ]
    if not found:
        raise ValueError(
            f"国际分类 / nice_classes: 没有 1–45 的类号 / no Nice class (1 to 45) in {raw!r}"
        )
    for written, number in found:
        if not 1 <= number <= 45:
            shown = f"第{written}类" if labelled else written
            raise ValueError(
                f"国际分类 / nice_classes: {shown} 不是 1–45 的类号 / class {number} is no Nice"
                f" class (1 to 45) in {raw!r}"
            )
    return list(dict.fromkeys(number for _, number in found))


#: what separates the items of a class cell (not ``、``, written inside 第九、三十五类)
_CLASS_ITEMS = re.compile(r"[;；,，/|\n]")


def _labelled_out(text: str, runs: list[re.Match[str]]) -> Iterator[list[str]]:
    """The class numbers of ``text``, piece by piece in order: those of each labelled run
    (第9类, 第九、三十五类), and between runs, :func:`_bare_classes`."""
    at = 0
    for run in runs:
        yield _bare_classes(text[at : run.start()])
        yield _CLASS_NUMBERS.findall(run.group())
        at = run.end()
    yield _bare_classes(text[at:])


def _bare_classes(rest: str) -> list[str]:
    """The bare class numbers of what lies between labelled runs: those of each item that
    says no 第 or 类 (``;35``), none of a description (``科学仪器(2012版)``)."""
    out: list[str] = []
    for item in _CLASS_ITEMS.sub(" ", rest).split(" "):
        if item and "第" not in item and "类" not in item:
            out += _CLASS.findall(item)
    return out


def _class_number(written: str) -> int | None:
    """A class number written in digits or Chinese numerals; None for numerals of no number."""
    return int(written) if written.isdigit() else _in_words(written)


def _term_end(term: str) -> dt.date | None:
    """The last date of ``2015年03月14日 至 2025年03月13日``: when the exclusive right ends."""
    dates = _DATE_IN_TEXT.findall(term)
    return parse_date(re.sub(r"\s+", "", dates[-1])) if dates else None


def build_trademark(values: Mapping[str, Any], source: str) -> Trademark:
    """A ``Trademark`` from a trademark table's field values (:data:`TRADEMARK_FIELDS`).

    The applicants are the Chinese names (申请人名称（中文）); the English ones the 商标局
    lists beside them are read, with their English address, for a row that gives no Chinese
    name (a foreign applicant's mark), as the 企查查 JSON's ApplicantEn is (``cn_json``)."""
    written = _text(values, "number")
    if not written:
        raise ValueError("缺少注册号 / missing the trademark number (注册号 / 申请号)")
    # as its id has it: 16435657.0 (a column read as floats) 16435657, G-1234569 G1234569
    try:
        number = trademark_number(written)
    except NumberError as exc:  # said with its column, as other refused cells are
        raise ValueError(f"注册号 / number: {exc}") from None
    chinese = split_names(values.get("applicants"))
    names = values.get("applicants") if chinese else values.get("applicants_en")
    address = _text(values, "address" if chinese else "address_en") or None
    agency = _agency_names(values.get("agency"))
    goods = split_names(values.get("goods_services"), _GOODS_SEPARATORS)
    term = _text(values, "term")
    return Trademark(
        id=trademark_id(number),
        source=source,
        sources=[source],
        application_number=number,
        registration_number=number,
        international_registration_number=madrid_registration(number),
        mark_text=_text(values, "mark_text") or None,
        nice_classes=_nice_classes(values.get("nice_classes")),
        goods_services=goods,
        application_date=_date(values, "application_date"),
        preliminary_publication_date=_date(values, "preliminary_publication_date"),
        registration_date=_date(values, "registration_date"),
        expiry_date=_date(values, "expiry_date") or _term_end(term),
        status=trademark_status(_text(values, "status")),
        applicants=parties(names, address),
        agency=Agency(name=agency[0]) if agency else None,
    )


def build_copyright(values: Mapping[str, Any], source: str) -> Copyright:
    """A ``Copyright`` from a copyright table's field values (:data:`COPYRIGHT_FIELDS`)."""
    number = _text(values, "number")
    if not number:
        raise ValueError("缺少登记号 / missing the registration number (登记号)")
    rid = copyright_id(number)
    return Copyright(
        id=rid,
        source=source,
        sources=[source],
        copyright_type=CopyrightType.SOFTWARE if rid.startswith("CN-SC-") else CopyrightType.WORKS,
        registration_number=number,
        title=_text(values, "title"),
        short_name=_text(values, "short_name") or None,
        version=_text(values, "version") or None,
        category=_text(values, "category") or None,
        applicants=parties(values.get("applicants")),
        completion_date=_date(values, "completion_date"),
        first_publication_date=_date(values, "first_publication_date"),
        registration_date=_date(values, "registration_date"),
    )


_BUILDERS: dict[str, Callable[[Mapping[str, Any], str], AnyRecord]] = {
    "trademark": build_trademark,
    "copyright": build_copyright,
}


def build_record(row: Row, mapping: Mapping[str, str], source: str) -> AnyRecord:
    """A table row (column → value) as a patent, or as a trademark or copyright registration
    when its columns (a table's header, a JSON object's keys) say so (:func:`other_kind`, the
    rule the header search applies too)."""
    values = apply_mapping(row, mapping)
    if not values.keys() >= REQUIRED.keys():  # a patent's values all there: no more to ask
        kind = other_kind([str(c) for c in row], mapping)
        if kind is not None:
            return _BUILDERS[kind.kind](apply_mapping(row, columns_of(kind, mapping)), source)
    return build_patent(values, source)
