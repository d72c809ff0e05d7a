"""Trademark squatting signals (恶意抢注预警), on plain data.

After Trademark Law art. 4 (bad-faith filings without intent to use), art. 13 (well-known marks,
protected across goods once registered), art. 32 (pre-empting another's mark in use) and SAMR's
《关于规范商标申请注册行为的若干规定》(2019), three signals, each named in a warning:

- ``imitates`` / ``imitates_well_known``: a filing identical or similar (:mod:`nlp.marks`) to a
  watched mark or a well-known mark (``data/well_known_marks.tsv``) by an applicant that is not
  its holder (no shared applicant key). Well-known marks are compared across all classes, with
  the stricter :data:`WELL_KNOWN_THRESHOLD`.
- ``mass_imitation``: an applicant many of whose filings are similar to other holders' marks.
- ``class_spread`` with ``non_operating``: filings across many mutually unrelated Nice classes by
  an applicant that looks non-operating: an individual, or an enterprise with a trading/consulting
  name (``data/shell_hints.tsv``) that holds no patents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from nlp import marks
from nlp.applicants import normalise as normalise_applicant
from nlp.tables import read_table

#: A well-known mark is protected across classes, so only close imitations count.
WELL_KNOWN_THRESHOLD = 0.85
#: Similar filings (and their share of the applicant's examined filings) for ``mass_imitation``.
MASS_IMITATION_MIN = 3
MASS_IMITATION_SHARE = 0.5
#: Mutually unrelated Nice class groups for ``class_spread``.
CLASS_SPREAD_MIN = 5


@dataclass(frozen=True)
class Reference:
    """A mark to protect: a watched one, or a well-known one from the table."""

    mark: str
    holder_keys: frozenset[str]
    classes: tuple[int, ...] = ()
    well_known: bool = False


@dataclass(frozen=True)
class Imitation:
    reference: Reference
    score: float
    signals: tuple[str, ...]

    def label(self) -> str:
        kind = "imitates_well_known" if self.reference.well_known else "imitates"
        return f"{kind}:{self.reference.mark}({'+'.join(self.signals)})"


def holder_key(name: str) -> str:
    return normalise_applicant(name).key


@cache
def well_known() -> tuple[Reference, ...]:
    return tuple(
        Reference(
            row["mark"],
            frozenset(holder_key(h) for h in row["holders"].split("|") if h),
            tuple(int(c) for c in row["classes"].split("|") if c),
            well_known=True,
        )
        for row in read_table("well_known_marks.tsv")
    )


@cache
def _shell_hints() -> tuple[str, ...]:
    return tuple(row["hint"] for row in read_table("shell_hints.tsv"))


def imitations(
    mark: str,
    classes: Sequence[int],
    applicant_keys: Iterable[str],
    references: Iterable[Reference],
    threshold: float = marks.THRESHOLD,
) -> list[Imitation]:
    """The references this filing imitates, best first; a holder's own filings never count."""
    keys = set(applicant_keys)
    found = []
    for ref in references:
        if keys & ref.holder_keys:
            continue
        if ref.well_known:
            result = marks.text_similarity(ref.mark, mark)
            if result.score < max(threshold, WELL_KNOWN_THRESHOLD):
                continue
        else:
            result = marks.compare(ref.mark, mark, ref.classes, classes)
            if result.score < threshold:
                continue
        found.append(Imitation(ref, result.score, tuple(result.signals)))
    return sorted(found, key=lambda i: -i.score)


def class_spread(classes: Iterable[int]) -> int:
    """How many groups of mutually unrelated Nice classes ``classes`` fall into.

    Classes are joined when :func:`nlp.marks.classes_related` relates them (same similarity group
    in ``data/nice_related.tsv``); the count is the number of connected groups.
    """
    pending = sorted(set(classes))
    groups = 0
    while pending:
        groups += 1
        frontier = [pending.pop(0)]
        while frontier:
            c = frontier.pop()
            joined = [d for d in pending if marks.classes_related([c], [d]) is not None]
            for d in joined:
                pending.remove(d)
            frontier.extend(joined)
    return groups


def non_operating(name: str, applicant_type: str | None, patents_held: int) -> str | None:
    """``"individual"``, ``"shell"`` (a trading/consulting name and no patents) or ``None``."""
    if applicant_type == "individual":
        return "individual"
    if patents_held == 0 and any(h in name for h in _shell_hints()):
        return "shell"
    return None


def mass_imitation(similar: int, examined: int) -> bool:
    return similar >= MASS_IMITATION_MIN and similar >= MASS_IMITATION_SHARE * examined
