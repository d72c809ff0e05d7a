"""Record factories and the named test corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from iphub.records import LocalizedText, Party, Patent, Trademark
from iphub.store.base import RECORD_ADAPTER

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus.jsonl"


def load_corpus() -> list[Patent | Trademark]:
    with CORPUS.open(encoding="utf-8") as f:
        return [RECORD_ADAPTER.validate_json(line) for line in f if line.strip()]


def make_patent(**overrides: Any) -> Patent:
    fields: dict[str, Any] = {
        "id": "CN199999999A",
        "jurisdiction": "CN",
        "kind": "invention_application",
        "application_number": "CN202199999999.1",
        "application_date": dt.date(2021, 1, 1),
        "publication_number": "CN199999999A",
        "publication_date": dt.date(2021, 7, 1),
        "title": LocalizedText(text="一种测试装置"),
        "applicants": [Party(name="广州测试有限公司", key="广州测试有限公司", district="天河区")],
        "source": "test",
    }
    fields.update(overrides)
    return Patent(**fields)


def make_trademark(**overrides: Any) -> Trademark:
    fields: dict[str, Any] = {
        "id": "CN-TM-99999999",
        "application_number": "99999999",
        "mark_text": "测试",
        "nice_classes": [9],
        "application_date": dt.date(2020, 1, 1),
        "source": "test",
    }
    fields.update(overrides)
    return Trademark(**fields)
