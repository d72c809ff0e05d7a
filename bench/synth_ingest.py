"""Synthetic bulk files for ingest benchmarks and kill/resume tests.

``uspto_weekly`` writes a USPTO-style weekly file: ``n`` us-patent-grant v4.5 documents, each
with its own XML declaration and DOCTYPE, bibliographic data, an abstract of ~120 words and
three claims (about 3.5 KB a document). Deterministic for a seed.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "battery cathode lithium graphene coating sensor wireless signal processor memory network"
    " vehicle charging module thermal control electrode polymer membrane antenna circuit layer"
    " substrate semiconductor optical display image neural learning robot motor valve fluid"
).split()

_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v45-2014-04-03.dtd" [ ]>
<us-patent-grant lang="EN" dtd-version="v4.5 2014-04-03" file="US{num:08d}-20150106.XML" \
status="PRODUCTION" id="us-patent-grant" country="US" date-produced="20141219" date-publ="20150106">
<us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>{num:08d}</doc-number>\
<kind>B2</kind><date>2015{month:02d}{day:02d}</date></document-id></publication-reference>
<application-reference appl-type="utility"><document-id><country>US</country>\
<doc-number>{app}</doc-number><date>2012{month:02d}{day:02d}</date></document-id>\
</application-reference>
<classifications-ipcr><classification-ipcr><section>H</section><class>01</class>\
<subclass>M</subclass><main-group>{group}</main-group><subgroup>00</subgroup>\
</classification-ipcr></classifications-ipcr>
<invention-title id="d2e43">{title}</invention-title>
<us-parties><us-applicants><us-applicant sequence="001" app-type="applicant">\
<addressbook><orgname>{company}</orgname><address><city>Guangzhou</city><country>CN</country>\
</address></addressbook></us-applicant></us-applicants>
<inventors><inventor sequence="001"><addressbook><last-name>Li</last-name>\
<first-name>Wei {num}</first-name><address><country>CN</country></address></addressbook>\
</inventor></inventors></us-parties>
</us-bibliographic-data-grant>
<abstract id="abstract"><p id="p-0001" num="0000">{abstract}</p></abstract>
<claims id="claims">{claims}</claims>
</us-patent-grant>
"""


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def uspto_document(rng: random.Random, i: int) -> str:
    claims = "".join(
        f'<claim id="CLM-{c:05d}" num="{c:05d}"><claim-text>{c}. {words(rng, 30)}</claim-text>'
        "</claim>"
        for c in range(1, 4)
    )
    return _DOC.format(
        num=9_000_000 + i,
        app=13_000_000 + i,
        month=1 + i % 12,
        day=1 + i % 28,
        group=1 + i % 50,
        title=words(rng, 8).capitalize(),
        company=f"Guangzhou {rng.choice(WORDS).title()} Co., Ltd.",
        abstract=words(rng, 120),
        claims=claims,
    )


def uspto_weekly(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(uspto_document(rng, i))
    return path


def uspto_weekly_bytes(path: Path, size: int, seed: int = 7) -> int:
    """Write documents until ``size`` bytes; returns the number of documents."""
    rng = random.Random(seed)
    written = n = 0
    with path.open("w", encoding="utf-8") as f:
        while written < size:
            doc = uspto_document(rng, n)
            f.write(doc)
            written += len(doc)
            n += 1
    return n
