"""``enrich(record) -> record``: applicant, region, industry and key-term tags on one record.

The only ``nlp`` module that knows the record schema (``iphub.records``); every tagger it calls
works on plain strings. Enrichment owns the fields it writes (a party's ``normalized_name``,
``key``, ``type``, ``state_owned``, region fields; a record's ``industries`` and ``keywords``), so
running it again after a table change (``iphub retag``) recomputes them; a country the source
gave is kept when the address does not name one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import overload

from iphub.records import AnyRecord, ApplicantType, Copyright, Party, Patent, Trademark
from nlp.applicant_types import applicant_type
from nlp.applicants import Applicant, is_chinese, is_state_owned, normalise, same_applicant
from nlp.industries import industries_for_patent, industries_for_trademark
from nlp.keywords import keywords
from nlp.pinyin import spelled
from nlp.regions import Region, locate, of_district


def _region(party: Party, applicant: Applicant) -> Region:
    if party.address:
        region = locate(party.address, None, party.country)
        if region.city and not region.district and applicant.district:
            seat = of_district(applicant.district)  # the registered seat, when in that city
            if seat.city == region.city:
                return seat
        if region.city or region.country not in (None, "CN"):
            return region
    if applicant.district:
        return of_district(applicant.district)
    return locate(None, applicant.name if applicant.lang == "zh" else party.name, party.country)


def _party(party: Party, applicant: Applicant, soe: frozenset[str] | None) -> Party:
    region = _region(party, applicant)
    kind = applicant.type or applicant_type(applicant.name)
    return party.model_copy(
        update={
            "normalized_name": applicant.name,
            "key": applicant.key,
            "type": ApplicantType(kind),
            "state_owned": is_state_owned(applicant, soe),
            "country": region.country or party.country,
            "province": region.province,
            "city": region.city,
            "district": region.district,
        }
    )


def _pair_scripts(printed: list[str], found: list[Applicant]) -> list[Applicant]:
    """Same applicants listed in Chinese and again in Latin script (PCT entries, bilingual
    sources): equal numbers pair up in order when each Latin name is its twin's alias or
    renders it in pinyin; a joint application with a foreign firm is left alone."""
    zh = [found[i] for i, name in enumerate(printed) if is_chinese(name)]
    latin = [i for i, name in enumerate(printed) if not is_chinese(name)]
    if not latin or len(zh) != len(latin):
        return found
    pairs = list(zip(latin, zh, strict=True))
    for i, twin in pairs:
        resolved = found[i].lang == "zh"
        if not (found[i].key == twin.key if resolved else same_applicant(twin.name, printed[i])):
            return found
    out = list(found)
    for i, twin in pairs:
        out[i] = twin
    return out


def enrich_parties(parties: list[Party], soe: frozenset[str] | None = None) -> list[Party]:
    """The parties with their enrichment fields; what it reads of a party is its name, address
    and country, so the same parties give the same result (remembered: applicants repeat)."""
    if any(p.model_fields_set - _READ_OR_WRITTEN for p in parties):  # fields it would keep
        return _enrich_parties(parties, soe)
    key = tuple((p.name, p.address, p.country) for p in parties)
    return list(_enriched(key, soe))


_READ_OR_WRITTEN = frozenset(
    {"name", "address", "country", "normalized_name", "key", "type", "state_owned"}
    | {"province", "city", "district"}
)


@lru_cache(maxsize=2048)  # a few KB an entry: parties of the applicants that repeat
def _enriched(
    key: tuple[tuple[str, str | None, str | None], ...], soe: frozenset[str] | None
) -> tuple[Party, ...]:
    parties = [Party(name=name, address=address, country=country) for name, address, country in key]
    return tuple(_enrich_parties(parties, soe))


def _enrich_parties(parties: list[Party], soe: frozenset[str] | None) -> list[Party]:
    names = [p.name for p in parties]
    found = _pair_scripts(names, [normalise(n) for n in names])
    return [_party(p, a, soe) for p, a in zip(parties, found, strict=True)]


@overload
def enrich(record: Patent, *, soe: frozenset[str] | None = None) -> Patent: ...
@overload
def enrich(record: Trademark, *, soe: frozenset[str] | None = None) -> Trademark: ...
@overload
def enrich(record: Copyright, *, soe: frozenset[str] | None = None) -> Copyright: ...
@overload
def enrich(record: AnyRecord, *, soe: frozenset[str] | None = None) -> AnyRecord: ...
def enrich(record: AnyRecord, *, soe: frozenset[str] | None = None) -> AnyRecord:
    """A copy of ``record`` with every enrichment field recomputed (copyrights: their owners).

    ``soe`` replaces the packaged city-owned enterprise list (keys from
    :func:`nlp.applicants.state_owned_keys`).
    """
    update: dict[str, object] = {"applicants": enrich_parties(record.applicants, soe)}
    if isinstance(record, Patent):
        title = " ".join([record.title.text, *(t.text for t in record.titles)])
        abstract = record.abstract.text if record.abstract else ""
        codes = record.ipc or ([record.ipc_main] if record.ipc_main else [])
        update["industries"] = industries_for_patent(codes, title)
        update["keywords"] = keywords(record.title.text, abstract)
    elif isinstance(record, Trademark):
        update["industries"] = industries_for_trademark(
            record.nice_classes, " ".join(record.goods_services)
        )
        # the mark spelled out, as the register writes it: searched with the mark (tm=yunshan)
        # and what the similar-mark search finds a mark of the same sound by; a source's own kept
        update["mark_pinyin"] = record.mark_pinyin or spelled(record.mark_text or "")
    return record.model_copy(update=update)
