"""Accuracy of the enrichment taggers against the hand-labelled sets in tests/fixtures/nlp/.

    python -m bench.nlp_accuracy          # prints the tables that docs/enrichment.md quotes

Applicants: canonical grouping (the key equals the key of the labelled canonical name), exact
canonical display name, type (accuracy and per-type precision/recall). Addresses: country,
province, city, district; district accuracy on Guangzhou addresses. Industries: micro
precision/recall of the tag sets, national and Guangzhou taxonomies apart.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nlp.applicant_types import applicant_type
from nlp.applicants import normalise
from nlp.industries import industries_for_patent
from nlp.regions import locate

GOLD = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "nlp"
NATIONAL_SUFFIX = "产业"


def read_gold(name: str) -> list[dict[str, str]]:
    with (GOLD / name).open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return [{k: v or "" for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


@dataclass
class PR:
    """Counts for precision and recall of one tag."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    n: int = 0
    correct: Counter[str] = field(default_factory=Counter)
    tags: dict[str, PR] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.n if self.n else 1.0

    def tally(self, tag: str, expected: set[str], got: set[str]) -> None:
        for value in expected | got:
            pr = self.tags.setdefault(f"{tag}:{value}", PR())
            if value in expected and value in got:
                pr.tp += 1
            elif value in got:
                pr.fp += 1
            else:
                pr.fn += 1

    def micro(self, prefix: str) -> PR:
        total = PR()
        for name, pr in self.tags.items():
            if name.startswith(prefix):
                total.tp, total.fp, total.fn = total.tp + pr.tp, total.fp + pr.fp, total.fn + pr.fn
        return total


def applicants() -> Report:
    report = Report()
    for row in read_gold("applicants.tsv"):
        report.n += 1
        found = normalise(row["name"])
        kind = found.type or applicant_type(found.name)
        checks = {
            "key": found.key == normalise(row["canonical"]).key,
            "name": found.name == row["canonical"],
            "type": kind == row["type"],
        }
        report.correct.update(k for k, ok in checks.items() if ok)
        report.tally("type", {row["type"]}, {kind})
        if not all(checks.values()):
            report.errors.append(f"{row['name']}: got {found.name} / {found.key} / {kind}")
    return report


def addresses() -> Report:
    report = Report()
    gz = Report()
    for row in read_gold("addresses.tsv"):
        report.n += 1
        region = locate(row["address"])
        got = {
            "country": region.country or "",
            "province": region.province or "",
            "city": region.city or "",
            "district": region.district or "",
        }
        checks = {k: got[k] == row[k] for k in got}
        report.correct.update(k for k, ok in checks.items() if ok)
        if all(checks.values()):
            report.correct["all"] += 1
        else:
            report.errors.append(f"{row['address']}: got {got}")
        report.tally("district", {row["district"]} - {""}, {got["district"]} - {""})
        if row["city"] == "广州市":
            gz.n += 1
            gz.correct["district"] += checks["district"]
    report.correct["gz_district"] = gz.correct["district"]
    report.tags["gz_n"] = PR(tp=gz.n)
    return report


def industries() -> Report:
    report = Report()
    for row in read_gold("industries.tsv"):
        report.n += 1
        codes = [row["ipc"]] if row["ipc"] else []
        got = set(industries_for_patent(codes, row["title"]))
        national = {t for t in got if t.endswith(NATIONAL_SUFFIX)}
        expected_national = set(filter(None, row["national"].split("|")))
        expected_city = set(filter(None, row["city"].split("|")))
        report.tally("national", expected_national, national)
        report.tally("city", expected_city, got - national)
        if got == expected_national | expected_city:
            report.correct["exact"] += 1
        else:
            report.errors.append(f"{row['ipc']} {row['title']}: got {sorted(got)}")
    return report


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def main() -> None:
    app, addr, ind = applicants(), addresses(), industries()
    gz_n = addr.tags["gz_n"].tp
    lines = [
        f"applicants (n={app.n}): canonical key {_pct(app.accuracy('key'))}, "
        f"canonical name {_pct(app.accuracy('name'))}, type {_pct(app.accuracy('type'))}",
        *(
            f"  type {name.split(':')[1]}: precision {_pct(pr.precision)}, recall {_pct(pr.recall)}"
            for name, pr in sorted(app.tags.items())
        ),
        f"addresses (n={addr.n}): country {_pct(addr.accuracy('country'))}, province "
        f"{_pct(addr.accuracy('province'))}, city {_pct(addr.accuracy('city'))}, district "
        f"{_pct(addr.accuracy('district'))}, all four {_pct(addr.accuracy('all'))}",
        f"  Guangzhou district accuracy (n={gz_n}): {_pct(addr.correct['gz_district'] / gz_n)}",
        f"  district precision {_pct(addr.micro('district').precision)}, "
        f"recall {_pct(addr.micro('district').recall)}",
        f"industries (n={ind.n}): exact tag set {_pct(ind.accuracy('exact'))}",
        f"  national precision {_pct(ind.micro('national').precision)}, "
        f"recall {_pct(ind.micro('national').recall)}",
        f"  Guangzhou precision {_pct(ind.micro('city').precision)}, "
        f"recall {_pct(ind.micro('city').recall)}",
        "errors:",
        *(f"  {e}" for e in app.errors + addr.errors + ind.errors),
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
