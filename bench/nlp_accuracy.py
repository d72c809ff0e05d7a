"""Accuracy of the enrichment taggers against the labelled sets.

    python -m bench.nlp_accuracy          # prints the tables that docs/enrichment.md quotes

Two kinds of set: tests/fixtures/nlp/ (labelled by the authors of the rules) and the held-out
tests/data/applicants_gold.tsv (labelled blind from public names and addresses; each row an
applicant with its address, run through ``nlp.enrich.enrich_parties`` as a record's party is).

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

from iphub.records import Party
from nlp.applicant_types import applicant_type
from nlp.applicants import normalise
from nlp.enrich import enrich_parties
from nlp.industries import industries_for_patent
from nlp.regions import locate

TESTS = Path(__file__).resolve().parent.parent / "tests"
GOLD = TESTS / "fixtures" / "nlp"
HELD_OUT = TESTS / "data" / "applicants_gold.tsv"
NATIONAL_SUFFIX = "产业"
UNSCORED = "*"
REGION_FIELDS = ("country", "province", "city", "district")


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


def _tally(tags: dict[str, PR], tag: str, expected: set[str], got: set[str]) -> None:
    for value in expected | got:
        pr = tags.setdefault(f"{tag}:{value}", PR())
        if value in expected and value in got:
            pr.tp += 1
        elif value in got:
            pr.fp += 1
        else:
            pr.fn += 1


@dataclass
class Report:
    n: int = 0
    correct: Counter[str] = field(default_factory=Counter)
    tags: dict[str, PR] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.n if self.n else 1.0

    def tally(self, tag: str, expected: set[str], got: set[str]) -> None:
        _tally(self.tags, tag, expected, got)

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


@dataclass
class HeldOut:
    """Figures on the held-out set: each measure counts only the rows that score it."""

    n: int = 0
    scored: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    tags: dict[str, PR] = field(default_factory=dict)
    groups: int = 0
    groups_split: list[str] = field(default_factory=list)  # one holder, several keys
    groups_merged: list[str] = field(default_factory=list)  # several holders, one key
    errors: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.scored[name] if self.scored[name] else 1.0

    def score(self, name: str, ok: bool) -> None:
        self.scored[name] += 1
        self.correct[name] += ok

    def tally(self, tag: str, expected: str, got: str) -> None:
        _tally(self.tags, tag, {expected} - {""}, {got} - {""})

    @property
    def grouping(self) -> float:
        bad = len(self.groups_split) + len(self.groups_merged)
        return 1 - bad / self.groups if self.groups else 1.0


def _bracket_width(name: str) -> str:
    return name.replace("(", "（").replace(")", "）")


def held_out(path: Path = HELD_OUT) -> HeldOut:
    """Enrich every row of the held-out set as a one-applicant record and score it."""
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    report = HeldOut()
    keys: dict[str, set[str]] = {}
    for row in rows:
        report.n += 1
        party = enrich_parties([Party(name=row["name"], address=row["address"] or None)])[0]
        got = {
            "canonical": party.normalized_name or "",
            "type": party.type.value if party.type else "",
            "state_owned": "y" if party.state_owned else "n",
            **{f: getattr(party, f) or "" for f in REGION_FIELDS},
        }
        wrong = []
        for name, expected in row.items():
            if name not in got or expected == UNSCORED:
                continue
            same = (
                _bracket_width(got[name]) == _bracket_width(expected)
                if name == "canonical"
                else got[name] == expected
            )
            report.score(name, same)
            if not same:
                wrong.append(f"{name} {got[name] or '-'} (want {expected or '-'})")
        report.tally("type", row["type"], got["type"])
        if row["city"] == "广州市" and row["district"] != UNSCORED:
            report.score("gz_district", got["district"] == row["district"])
            report.tally("district", row["district"], got["district"])
        group = row["group"] or (row["canonical"] if row["canonical"] != UNSCORED else row["name"])
        keys.setdefault(_bracket_width(group), set()).add(party.key or "")
        if wrong:
            report.errors.append(f"{row['name']} | {row['address']}: " + "; ".join(wrong))
    holders: dict[str, list[str]] = {}
    for group, found in keys.items():
        if len(found) > 1:
            report.groups_split.append(f"{group}: keys {sorted(found)}")
        for key in found:
            holders.setdefault(key, []).append(group)
    report.groups_merged = [f"{k}: {sorted(g)}" for k, g in holders.items() if len(g) > 1]
    report.groups = len(keys)
    return report


def held_out_lines(report: HeldOut) -> list[str]:
    r = report
    return [
        f"held-out applicants (n={r.n}, {r.groups} holders): "
        f"holders resolved to one key of their own {_pct(r.grouping)}, "
        f"canonical name {_pct(r.accuracy('canonical'))} (n={r.scored['canonical']}), "
        f"type {_pct(r.accuracy('type'))}, "
        f"state-owned {_pct(r.accuracy('state_owned'))} (n={r.scored['state_owned']})",
        *(
            f"  type {name.split(':')[1]}: precision {_pct(pr.precision)}, "
            f"recall {_pct(pr.recall)} (n={pr.tp + pr.fn})"
            for name, pr in sorted(r.tags.items())
            if name.startswith("type:")
        ),
        "  region: "
        + ", ".join(f"{f} {_pct(r.accuracy(f))} (n={r.scored[f]})" for f in REGION_FIELDS),
        f"  Guangzhou district accuracy (n={r.scored['gz_district']}): "
        f"{_pct(r.accuracy('gz_district'))}",
        *(
            f"  district {name.split(':')[1]}: precision {_pct(pr.precision)}, "
            f"recall {_pct(pr.recall)} (n={pr.tp + pr.fn})"
            for name, pr in sorted(r.tags.items())
            if name.startswith("district:")
        ),
        "held-out errors:",
        *(f"  {e}" for e in r.errors),
        *(f"  one holder, several keys: {e}" for e in r.groups_split),
        *(f"  several holders, one key: {e}" for e in r.groups_merged),
    ]


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
        *held_out_lines(held_out()),
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
