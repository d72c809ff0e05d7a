"""Synthetic bulk files in every format of ``ingest.formats``, for benchmarks and generator tests.

``generate(fmt, directory, n)`` writes ``n`` records with distinct numbers, deterministic for a
seed. Patents carry bibliographic data and an abstract: English for ``uspto``
(``bench.synth_ingest.uspto_weekly``, with claims); a Chinese title and a ≈100-character
Chinese abstract for ``cnipa`` and ``cn-json``; CN documents with Chinese and English titles and
abstracts for ``epo``, as DOCDB has them; the CNIPA export rows of ``bench.ingest_bench.cn_row``
for ``csv`` (``cn_csv``), ``jsonl``, ``json`` and ``xlsx``, so those four differ only in the
container. ``st96`` and ``uspto-tm`` are trademarks (mark, goods and services, Nice classes,
holder). Applicants come from a small pool of Guangzhou companies and universities, so names
repeat as they do in office data. The XML follows the elements the parsers read
(``ingest/parsers``) and the fixtures under ``tests/fixtures/ingest``. CNIPA ships one document
a file (in archives); here the documents are wrapped in one ``cn-patent-documents`` root instead.
"""

from __future__ import annotations

import csv
import functools
import json
import random
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.ingest_bench import CN_HEADER, cn_csv, cn_row, zh_abstract, zh_title
from bench.synth_ingest import uspto_weekly, words
from iphub.numbers import cn_check_digit

HOLDERS_TSV = Path(__file__).resolve().parent / "data" / "guangzhou_holders.tsv"


@functools.cache
def holders() -> tuple[tuple[str, str, str], ...]:
    """(Chinese name, English name, address) of each applicant in ``data/guangzhou_holders.tsv``."""
    lines = HOLDERS_TSV.read_text(encoding="utf-8").splitlines()[1:]  # after the source line
    rows = csv.DictReader(lines, delimiter="\t")
    return tuple((row["name_zh"], row["name_en"], row["address"]) for row in rows)


#: (Chinese, DOCDB epodoc) surnames and given names of inventors
SURNAMES = tuple(
    zip(
        "李王张刘陈杨黄赵吴周",
        "LI WANG ZHANG LIU CHEN YANG HUANG ZHAO WU ZHOU".split(),
        strict=True,
    )
)
GIVEN = tuple(
    zip("伟芳敏静强磊军洋杰涛", "WEI FANG MIN JING QIANG LEI JUN YANG JIE TAO".split(), strict=True)
)
AGENCIES = (
    ("广州华进联合专利商标代理有限公司", "44224"),
    ("广州三环专利商标代理有限公司", "44202"),
)
IPC = ("H01M 10/0525", "B60L 53/00", "G06F 16/00", "H04W 4/00", "A61K 36/00", "G06N 3/08")
#: Nice class → (Chinese, English) goods and services.
GOODS = {
    3: ("化妆品；洗发液；牙膏", "Cosmetics; shampoos; toothpaste"),
    5: ("药品；中药成药；医用营养品", "Pharmaceutical preparations; herbal medicines"),
    9: ("计算机软件；智能手机；蓄电池", "Computer software; smartphones; batteries"),
    12: ("汽车；电动车辆；无人驾驶汽车", "Automobiles; electric vehicles; driverless cars"),
    30: ("茶；咖啡；糕点", "Tea; coffee; pastries"),
    35: ("广告；替他人推销；市场营销", "Advertising; sales promotion for others; marketing"),
    42: ("软件开发；技术研究；云计算", "Software development; technical research; cloud computing"),
}
MARK_ZH = "羊城 珠江 云帆 花城 岭南 越秀 天河 智造 优品 星辰 悦享 鲜饮".split()
MARK_EN = "CANTON PEARL CLOUD LINGNAN SKY RIVER SMART BLOOM FIVE RAMS STAR HARBOR".split()

Generator = Callable[[Path, int], Path]


def _date(year: int, i: int, sep: str = "") -> str:
    return f"{year}{sep}{1 + i % 12:02d}{sep}{1 + i % 28:02d}"


def _cn_application(serial: int) -> str:
    """A 12-digit CNIPA invention application number (2021, type 1) and its check digit."""
    digits = f"20211{serial:07d}"
    return f"{digits}.{cn_check_digit(digits)}"


def _holders(rng: random.Random) -> list[tuple[str, str, str]]:
    """One applicant, sometimes two (a company with a university)."""
    first = rng.choice(holders())
    second = rng.choice(holders())
    return [first, second] if second != first and rng.random() < 0.2 else [first]


def _inventors(rng: random.Random) -> list[tuple[str, str]]:
    """Two or three (Chinese, DOCDB epodoc) inventor names."""
    names = []
    for _ in range(rng.randint(2, 3)):
        (s_zh, s_en), (g_zh, g_en) = rng.choice(SURNAMES), rng.choice(GIVEN)
        names.append((s_zh + g_zh, f"{s_en} {g_en}"))
    return names


def _write_lines(path: Path, lines: Iterator[str], head: str = "", tail: str = "") -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write(head)
        for line in lines:
            f.write(line)
        f.write(tail)
    return path


_CNIPA = """<cn-patent-document lang="zh" country="CN" doc-number="{number}" kind="A" \
date-publ="{pub_date}" dtd-version="2.1"><cn-bibliographic-data>
<cn-publication-reference><document-id><country>CN</country><doc-number>{number}</doc-number>\
<kind>A</kind><date>{pub_date}</date></document-id></cn-publication-reference>
<application-reference><document-id><country>CN</country><doc-number>{app}</doc-number>\
<date>{app_date}</date></document-id></application-reference>
<classifications-ipcr><classification-ipcr><text>{ipc}(2006.01)I</text></classification-ipcr>\
</classifications-ipcr>
<invention-title lang="zh">{title}</invention-title>
<cn-parties><cn-applicants>{applicants}</cn-applicants><cn-inventors>{inventors}</cn-inventors>
<cn-agents><cn-agent><cn-agency><name>{agency}</name></cn-agency><name>{agent}</name></cn-agent>\
</cn-agents></cn-parties>
<abstract lang="zh"><p>{abstract}</p></abstract>
</cn-bibliographic-data></cn-patent-document>
"""


def _cnipa_document(rng: random.Random, i: int) -> str:
    applicants = "".join(
        f'<cn-applicant sequence="{k}"><name>{zh}</name><address><text>{address}</text>'
        "</address></cn-applicant>"
        for k, (zh, _, address) in enumerate(_holders(rng), 1)
    )
    inventors = "".join(
        f'<cn-inventor sequence="{k}"><name>{zh}</name></cn-inventor>'
        for k, (zh, _) in enumerate(_inventors(rng), 1)
    )
    return _CNIPA.format(
        number=115_000_000 + i, pub_date=_date(2022, i), app=_cn_application(1_000_000 + i),
        app_date=_date(2021, i), ipc=rng.choice(IPC), title=zh_title(rng),
        applicants=applicants, inventors=inventors, agency=rng.choice(AGENCIES)[0],
        agent=rng.choice(SURNAMES)[0] + rng.choice(GIVEN)[0], abstract=zh_abstract(rng),
    )  # fmt: skip


def cnipa_xml(path: Path, n: int, seed: int = 11) -> Path:
    rng = random.Random(seed)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<cn-patent-documents>\n'
    docs = (_cnipa_document(rng, i) for i in range(n))
    return _write_lines(path, docs, head, "</cn-patent-documents>\n")


_EPO = """<exch:exchange-document system="ops.epo.org" family-id="{family}" country="CN" \
doc-number="{number}" kind="A"><exch:bibliographic-data>
<exch:publication-reference><exch:document-id document-id-type="docdb"><exch:country>CN\
</exch:country><exch:doc-number>{number}</exch:doc-number><exch:kind>A</exch:kind>\
<exch:date>{pub_date}</exch:date></exch:document-id></exch:publication-reference>
<exch:classifications-ipcr><exch:classification-ipcr sequence="1"><exch:text>{ipc}</exch:text>\
</exch:classification-ipcr></exch:classifications-ipcr>
<exch:application-reference doc-id="{family}"><exch:document-id document-id-type="docdb">\
<exch:country>CN</exch:country><exch:doc-number>{app}</exch:doc-number><exch:kind>A</exch:kind>\
<exch:date>{app_date}</exch:date></exch:document-id></exch:application-reference>
<exch:priority-claims><exch:priority-claim sequence="1" kind="national">\
<exch:document-id document-id-type="epodoc"><exch:doc-number>CN{app}</exch:doc-number>\
<exch:date>{app_date}</exch:date></exch:document-id></exch:priority-claim></exch:priority-claims>
<exch:parties><exch:applicants>{applicants}</exch:applicants>\
<exch:inventors>{inventors}</exch:inventors></exch:parties>
<exch:invention-title lang="en" data-format="docdba">{title_en}</exch:invention-title>
<exch:invention-title lang="zh" data-format="original">{title_zh}</exch:invention-title>
</exch:bibliographic-data>
<exch:abstract lang="en" data-format="docdba"><exch:p>{abstract_en}</exch:p></exch:abstract>
<exch:abstract lang="zh" data-format="original"><exch:p>{abstract_zh}</exch:p></exch:abstract>
</exch:exchange-document>
"""


#: the same document as most of DOCDB's countries carry it: English title and abstract only
_EPO_EN = "".join(line + "\n" for line in _EPO.splitlines() if 'lang="zh"' not in line)


def _epo_parties(tag: str, names: list[tuple[str, str]]) -> str:
    """A DOCDB party list: each name in epodoc (``NAME [CN]``) and original format."""
    return "".join(
        f'<exch:{tag} sequence="{k}" data-format="{fmt}"><exch:{tag}-name><exch:name>{name}'
        f"</exch:name></exch:{tag}-name></exch:{tag}>"
        for k, (zh, epodoc) in enumerate(names, 1)
        for fmt, name in (("epodoc", f"{epodoc} [CN]"), ("original", zh))
    )


def _epodoc(english: str) -> str:
    return english.upper().replace(",", "").replace(".", "")


def _epo_document(rng: random.Random, i: int, english_only: bool = False) -> str:
    subclass, groups = rng.choice(IPC).split(" ")
    group, sub = groups.split("/")
    applicants = [(en if english_only else zh, _epodoc(en)) for zh, en, _ in _holders(rng)]
    return (_EPO_EN if english_only else _EPO).format(
        family=80_000_000 + i, number=116_000_000 + i, pub_date=_date(2022, i),
        ipc=f"{subclass}  {group}/{sub:<12}A I", app=f"20211{2_000_000 + i:07d}",
        app_date=_date(2021, i), applicants=_epo_parties("applicant", applicants),
        inventors=_epo_parties("inventor", _inventors(rng)), title_zh=zh_title(rng),
        title_en=words(rng, 8).capitalize(), abstract_zh=zh_abstract(rng),
        abstract_en=words(rng, 60).capitalize() + ".",
    )  # fmt: skip


def epo_docdb(
    path: Path, n: int, seed: int = 13, english_only: bool = False, latin_every: int = 0
) -> Path:
    """DOCDB exchange documents of CN publications with Chinese and English titles and
    abstracts (``english_only``: English ones, applicants' names in Latin script; with
    ``latin_every`` N, every Nth document so, as in a delivery of all countries)."""
    rng = random.Random(seed)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<exch:exchange-documents '
        'xmlns:exch="http://www.epo.org/exchange" date-of-exchange="20220301" '
        'dtd-version="2.5.6">\n'
    )
    docs = (
        _epo_document(rng, i, english_only or bool(latin_every and i % latin_every == 0))
        for i in range(n)
    )
    return _write_lines(path, docs, head, "</exch:exchange-documents>\n")


def _cn_json_patent(rng: random.Random, i: int) -> str:
    record = {
        "ApplicationNumber": "CN" + _cn_application(3_000_000 + i),
        "ApplicationDate": _date(2021, i, "-") + "T00:00:00",
        "PublicationNumber": f"CN{117_000_000 + i}A",
        "PublicationDate": _date(2022, i, "-") + "T00:00:00",
        "LegalStatusDesc": "实质审查的生效",
        "Title": zh_title(rng),
        "Abstract": zh_abstract(rng),
        "Agency": [" ".join(rng.choice(AGENCIES))],
        "Agent": json.dumps([rng.choice(SURNAMES)[0] + rng.choice(GIVEN)[0]], ensure_ascii=False),
        "KindCodeDesc": "发明公布",
        "IPCList": [rng.choice(IPC)],
        "InventorStringList": [zh for zh, _ in _inventors(rng)],
        "AssigneestringList": [zh for zh, _, _ in _holders(rng)],
        "PatentLegalHistory": [
            {"LegalStatusDate": _date(2022, i, "-") + "T00:00:00", "LegalStatus": "公开",
             "Desc": "公开"},
        ],
    }  # fmt: skip
    return json.dumps(record, ensure_ascii=False)


def _json_array(path: Path, objects: Iterator[str]) -> Path:
    """A JSON array written one object a line."""
    lines = ((",\n" if i else "") + text for i, text in enumerate(objects))
    return _write_lines(path, lines, "[\n", "\n]\n")


def cn_json(path: Path, n: int, seed: int = 17) -> Path:
    """Patents as a commercial CN data API returns them: a JSON array of objects."""
    rng = random.Random(seed)
    return _json_array(path, (_cn_json_patent(rng, i) for i in range(n)))


def _classes(rng: random.Random) -> list[int]:
    return sorted(rng.sample(sorted(GOODS), rng.randint(1, 3)))


_ST96 = """<tmk:Trademark><tmk:RegistrationOfficeCode>CN</tmk:RegistrationOfficeCode>
<com:ApplicationNumber><com:ApplicationNumberText>{number}</com:ApplicationNumberText>\
</com:ApplicationNumber><com:ApplicationDate>{app_date}</com:ApplicationDate>
<com:RegistrationNumber>{number}</com:RegistrationNumber>\
<com:RegistrationDate>{reg_date}</com:RegistrationDate><tmk:ExpiryDate>{expiry}</tmk:ExpiryDate>
<tmk:PublicationBag><tmk:Publication><com:PublicationDate>{pub_date}</com:PublicationDate>\
</tmk:Publication></tmk:PublicationBag>
<tmk:MarkCurrentStatusCode>Registered</tmk:MarkCurrentStatusCode>\
<tmk:MarkFeatureCategory>Word</tmk:MarkFeatureCategory>
<tmk:MarkRepresentation><tmk:MarkReproduction><tmk:WordMarkSpecification>\
<tmk:MarkVerbalElementText>{mark}</tmk:MarkVerbalElementText></tmk:WordMarkSpecification>\
</tmk:MarkReproduction></tmk:MarkRepresentation>
<tmk:GoodsServicesBag><tmk:GoodsServices><tmk:ClassDescriptionBag>{classes}\
</tmk:ClassDescriptionBag></tmk:GoodsServices></tmk:GoodsServicesBag>
<tmk:ApplicantBag><tmk:Applicant><com:Contact><com:Name><com:EntityName>{holder}</com:EntityName>\
</com:Name><com:PostalAddressBag><com:PostalAddress><com:PostalStructuredAddress>\
<com:AddressLineText>{address}</com:AddressLineText><com:CountryCode>CN</com:CountryCode>\
</com:PostalStructuredAddress></com:PostalAddress></com:PostalAddressBag></com:Contact>\
</tmk:Applicant></tmk:ApplicantBag>
<tmk:RepresentativeBag><tmk:Representative><com:Contact><com:Name><com:EntityName>{agency}\
</com:EntityName></com:Name></com:Contact></tmk:Representative></tmk:RepresentativeBag>
</tmk:Trademark>
"""


def _st96_trademark(rng: random.Random, i: int) -> str:
    holder, _, address = rng.choice(holders())
    classes = "".join(
        f"<tmk:ClassDescription><tmk:ClassNumber>{c}</tmk:ClassNumber>"
        f'<tmk:GoodsServicesDescriptionText com:languageCode="zh">{GOODS[c][0]}'
        "</tmk:GoodsServicesDescriptionText></tmk:ClassDescription>"
        for c in _classes(rng)
    )
    return _ST96.format(
        number=50_000_000 + i, app_date=_date(2020, i, "-"), reg_date=_date(2021, i, "-"),
        expiry=_date(2031, i, "-"), pub_date=_date(2020, i + 6, "-"),
        mark="".join(rng.sample(MARK_ZH, 2)), classes=classes, holder=holder,
        address=address, agency=rng.choice(AGENCIES)[0],
    )  # fmt: skip


def st96_xml(path: Path, n: int, seed: int = 19) -> Path:
    rng = random.Random(seed)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmk:TrademarkTransaction '
        'xmlns:tmk="http://www.wipo.int/standards/XMLSchema/ST96/Trademark" '
        'xmlns:com="http://www.wipo.int/standards/XMLSchema/ST96/Common">\n'
        "<tmk:TrademarkTransactionBody><tmk:TransactionContentDetails><tmk:TransactionData>"
        "<tmk:TrademarkBag>\n"
    )
    tail = (
        "</tmk:TrademarkBag></tmk:TransactionData></tmk:TransactionContentDetails>"
        "</tmk:TrademarkTransactionBody>\n</tmk:TrademarkTransaction>\n"
    )
    return _write_lines(path, (_st96_trademark(rng, i) for i in range(n)), head, tail)


_CASE_FILE = """<case-file><serial-number>{serial}</serial-number>\
<registration-number>{registration}</registration-number>\
<transaction-date>{transaction}</transaction-date>
<case-file-header><filing-date>{filing}</filing-date><registration-date>{reg_date}\
</registration-date><status-code>{status}</status-code><mark-identification>{mark}\
</mark-identification><mark-drawing-code>4000</mark-drawing-code>\
<published-for-opposition-date>{published}</published-for-opposition-date>\
<attorney-name>{attorney}</attorney-name></case-file-header>
<case-file-statements>{statements}</case-file-statements>
<classifications>{classes}</classifications>
<case-file-owners><case-file-owner><party-name>{owner}</party-name><nationality><country>CN\
</country></nationality><city>Guangzhou</city></case-file-owner></case-file-owners>
</case-file>
"""


def _uspto_case(rng: random.Random, i: int) -> str:
    classes = _classes(rng)
    statements = "".join(
        f"<case-file-statement><type-code>GS{c:03d}1</type-code><text>{GOODS[c][1]}</text>"
        "</case-file-statement>"
        for c in classes
    )
    codes = "".join(
        f"<classification><international-code-total-no>{len(classes)}"
        f"</international-code-total-no><international-code>{c:03d}</international-code>"
        "</classification>"
        for c in classes
    )
    (s_en, g_en) = rng.choice(SURNAMES)[1], rng.choice(GIVEN)[1]
    return _CASE_FILE.format(
        serial=90_000_000 + i, registration=f"{6_000_000 + i:07d}", transaction=_date(2023, i),
        filing=_date(2021, i), reg_date=_date(2023, i), status=700,
        mark=" ".join(rng.sample(MARK_EN, 2)), published=_date(2022, i),
        attorney=f"{g_en.title()} {s_en.title()}", statements=statements, classes=codes,
        owner=rng.choice(holders())[1],
    )  # fmt: skip


def uspto_tm_daily(path: Path, n: int, seed: int = 23) -> Path:
    rng = random.Random(seed)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<trademark-applications-daily>\n'
        "<version><version-no>2.0</version-no><version-date>20121023</version-date></version>\n"
        "<application-information><file-segments><file-segment>TRMK</file-segment>"
        "<action-keys><action-key>00</action-key>\n"
    )
    tail = "</action-keys></file-segments></application-information>\n"
    tail += "</trademark-applications-daily>\n"
    return _write_lines(path, (_uspto_case(rng, i) for i in range(n)), head, tail)


def _cn_objects(n: int, seed: int = 3) -> Iterator[dict[str, str]]:
    """The rows of ``bench.ingest_bench.cn_csv`` as objects keyed by the CNIPA header."""
    rng = random.Random(seed)
    return (dict(zip(CN_HEADER, cn_row(rng, i), strict=True)) for i in range(n))


def cn_jsonl(path: Path, n: int) -> Path:
    lines = (json.dumps(o, ensure_ascii=False) + "\n" for o in _cn_objects(n))
    return _write_lines(path, lines)


def cn_json_array(path: Path, n: int) -> Path:
    return _json_array(path, (json.dumps(o, ensure_ascii=False) for o in _cn_objects(n)))


def cn_xlsx(path: Path, n: int, dimension: bool = True) -> Path:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("专利")
    sheet.append(CN_HEADER)
    for row in _cn_objects(n):
        sheet.append(list(row.values()))
    book.save(path)
    if dimension:
        _add_dimension(path, f"A1:{get_column_letter(len(CN_HEADER))}{n + 1}")
    return path


def _add_dimension(path: Path, ref: str) -> None:
    """Give the sheet the ``<dimension>`` element Excel, WPS and openpyxl's normal mode write
    (its write-only mode leaves it out, and openpyxl then reads the whole sheet once more to
    size it before the first row: the ``xlsx-no-dimension`` variant keeps such a file)."""
    member = "xl/worksheets/sheet1.xml"
    staged = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():  # streamed: the bench's own RSS is inherited by its children
            with old.open(info) as src, new.open(info.filename, "w") as dst:
                if info.filename == member:
                    head = src.read(1 << 16)
                    tag = f'<dimension ref="{ref}"/><sheetViews>'.encode()
                    dst.write(head.replace(b"<sheetViews>", tag, 1))
                shutil.copyfileobj(src, dst, 1 << 20)
    staged.replace(path)


#: format → (file suffix, generator); the suffix matters to sniffing (``.csv``, ``.xlsx``).
GENERATORS: dict[str, tuple[str, Generator]] = {
    "uspto": (".xml", uspto_weekly),
    "epo": (".xml", epo_docdb),
    "cnipa": (".xml", cnipa_xml),
    "st96": (".xml", st96_xml),
    "uspto-tm": (".xml", uspto_tm_daily),
    "cn-json": (".json", cn_json),
    "csv": (".csv", cn_csv),
    "jsonl": (".jsonl", cn_jsonl),
    "json": (".json", cn_json_array),
    "xlsx": (".xlsx", cn_xlsx),
}
TRADEMARK_FORMATS = frozenset({"st96", "uspto-tm"})
#: formats the bench cannot write, and why
NOT_SYNTHESISED = {
    "xls": "no maintained library writes Excel 97–2003 files (the tests read export.xls)",
}


#: variant name → (the format it is, file suffix, generator): files a format's users also meet
VARIANTS: dict[str, tuple[str, str, Generator]] = {
    "xlsx-no-dimension": ("xlsx", ".xlsx", functools.partial(cn_xlsx, dimension=False)),
    "epo-en": ("epo", ".xml", functools.partial(epo_docdb, english_only=True)),
}


def format_of(name: str) -> str:
    """The ingest format of a generator or variant name."""
    return VARIANTS[name][0] if name in VARIANTS else name


def generate(fmt: str, directory: Path, n: int) -> Path:
    """Write ``n`` records in ``fmt`` (a format or a variant) to
    ``directory/{fmt}-{n}{suffix}`` and return the path."""
    suffix, write = VARIANTS[fmt][1:] if fmt in VARIANTS else GENERATORS[fmt]
    directory.mkdir(parents=True, exist_ok=True)
    return write(directory / f"{fmt}-{n}{suffix}", n)
