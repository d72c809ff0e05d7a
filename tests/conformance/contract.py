"""Behaviour every store must show, on the named corpus (tests/fixtures/corpus.jsonl).

Each store's test module subclasses :class:`StoreContract` and provides a class-scoped ``store``
fixture loaded with the corpus; what a store cannot do is marked ``xfail(strict=True)`` there.
"""

from __future__ import annotations

import datetime as dt
import pickle
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest

from iphub.clearance import similar_marks
from iphub.collections import by_id
from iphub.describe import query_from_text
from iphub.query import QuerySyntaxError, parse
from iphub.records import AnyRecord, Copyright, LocalizedText, Party
from iphub.search import search
from iphub.store.aggregate import AggregateRequest
from iphub.store.base import Batch, SearchRequest, Store, UnknownFacet, this_process
from iphub.store.fields import RecordKind
from iphub.store.plan import MAX_EXPANSIONS, All, Bool, Terms, compile_query
from iphub.store.prepared import PreparedRecord
from nlp.enrich import enrich
from nlp.marks import related_classes
from tests.conformance.contract_stats import AggregateContract
from tests.utils.factories import load_corpus, make_patent, make_trademark

N_PATENTS = 20
N_TRADEMARKS = 10


def ids(store: Store, q: str, kind: RecordKind = "patent", **kw: object) -> set[str]:
    result = search(store, kind, q, size=100, **kw)  # type: ignore[arg-type]
    assert result.total == len(result.hits)
    return {h.id for h in result.hits}


def ordered(store: Store, q: str, kind: RecordKind = "patent", **kw: object) -> list[str]:
    return [h.id for h in search(store, kind, q, size=100, **kw).hits]  # type: ignore[arg-type]


def load(store: Store) -> None:
    """The corpus, every other record as a bulk load writes it: a ``PreparedRecord`` made in a
    worker process and pickled across (its JSON texts only, empty index fields left out), so
    every behaviour below holds for records loaded either way."""
    records = load_corpus()
    prepared = [
        pickle.loads(pickle.dumps(PreparedRecord.of(r, keep=False))) if i % 2 else r  # noqa: S301
        for i, r in enumerate(records)
    ]
    report = store.upsert(prepared)
    assert report.written == N_PATENTS + N_TRADEMARKS
    assert report.failed == []
    store.refresh()


COPYRIGHTS = (
    Copyright(
        id="CN-SC-2016SR999991", source="test", sources=["test"], copyright_type="software",
        registration_number="2016SR999991", title="测试版权管理软件", short_name="测试软件",
        version="V1.0", category="30000-0000", registration_date=dt.date(2016, 10, 9),
        applicants=[Party(name="广州测试科技有限公司")],
    ),
    Copyright(
        id="CN-WC-2016-F-00999992", source="test", sources=["test"], copyright_type="works",
        registration_number="国作登字-2016-F-00999992", title="测试版权吉祥物",
        category="美术", registration_date=dt.date(2016, 11, 1),
    ),
)  # fmt: skip


@contextmanager
def _copyrights(store: Store) -> Iterator[None]:
    """The two registrations of :data:`COPYRIGHTS` in the store while the block runs, the
    second as a bulk load writes it (prepared in a worker, pickled across)."""
    software, works = COPYRIGHTS
    sent = pickle.loads(pickle.dumps(PreparedRecord.of(works, keep=False)))  # noqa: S301
    assert store.upsert([software, sent]).written == 2
    store.refresh()
    try:
        yield
    finally:
        assert store.delete([software.id, works.id]) == 2
        store.refresh()


SIMILAR_MARKS = (
    ("CN-TM-70000001", "云山", [30], "registered"),
    ("CN-TM-70000002", "芸杉", [30], "registered"),
    ("CN-TM-70000003", "白云山食品", [29], "applied"),
    ("CN-TM-70000004", "康帅傅", [30], "registered"),
    ("CN-TM-70000005", "STARBUCKS", [43], "registered"),
    ("CN-TM-70000006", "云山", [9], "registered"),
    ("CN-TM-70000007", "云山", [30], "invalid"),
    ("CN-TM-70000008", "天马", [30], "registered"),
    ("CN-TM-70000009", "NLKE", [25], "registered"),
    ("CN-TM-70000010", "COCA COLA", [32], "registered"),
    ("CN-TM-70000011", "雲山", [], "applied"),  # no classes given: related to any
)


@contextmanager
def _marks(store: Store) -> Iterator[None]:
    """The trademarks of :data:`SIMILAR_MARKS`, enriched as a load enriches them (their pinyin
    spelled out), every other one as a bulk load writes it, in the store while the block runs."""
    records = [
        enrich(
            make_trademark(
                id=rid, application_number=rid[6:], mark_text=mark, nice_classes=classes,
                status=status, application_date=dt.date(2020, 1, day),
            )
        )
        for day, (rid, mark, classes, status) in enumerate(SIMILAR_MARKS, start=1)
    ]  # fmt: skip
    sent = [
        pickle.loads(pickle.dumps(PreparedRecord.of(r, keep=False))) if i % 2 else r  # noqa: S301
        for i, r in enumerate(records)
    ]
    with _written(store, sent, [r.id for r in records]):
        yield


@contextmanager
def _written(
    store: Store, sent: Sequence[AnyRecord | PreparedRecord], ids: list[str]
) -> Iterator[None]:
    """``sent`` (records, or records prepared) in the store while the block runs, and deleted
    after it (``ids``, theirs): the class's store is shared by its tests."""
    assert store.upsert(sent).written == len(ids)
    store.refresh()
    try:
        yield
    finally:
        assert store.delete(ids) == len(ids)
        store.refresh()


#: patents titled and filed in other writing than Chinese and English (DOCDB's originals: a
#: French title, a Korean or Japanese applicant as filed, a Russian title)
OTHER_SCRIPTS = (
    ("EP1000001A1", "MISE EN RÉSEAU BLUETOOTH", "fr", "Kylmänen Jari"),
    ("KR1000002A", "리튬 배터리의 제조 방법", "ko", "삼성전자주식회사"),
    ("JP1000003A", "リチウムイオン二次電池", "ja", "トヨタ自動車株式会社"),
    ("RU1000004C1", "Литиевая аккумуляторная БАТАРЕЯ", "ru", "Сбербанк"),
)


@contextmanager
def _other_scripts(store: Store) -> Iterator[None]:
    records = [
        make_patent(
            id=rid, publication_number=rid, jurisdiction=rid[:2],
            title=LocalizedText(text=title, lang=lang), applicants=[Party(name=applicant)],
        )
        for rid, title, lang, applicant in OTHER_SCRIPTS
    ]  # fmt: skip
    with _written(store, records, [r.id for r in records]):
        yield


class StoreContract(AggregateContract):
    # --- counting and fetching ----------------------------------------------------------------

    def test_counts(self, store: Store) -> None:
        assert store.count("patent") == N_PATENTS
        assert store.count("trademark") == N_TRADEMARKS
        assert store.count() == N_PATENTS + N_TRADEMARKS

    def test_get_round_trips_every_field(self, store: Store) -> None:
        original = next(r for r in load_corpus() if r.id == "CN114000002B")
        assert store.get("CN114000002B") == original

    def test_get_unknown_is_none(self, store: Store) -> None:
        assert store.get("CN000000000A") is None

    def test_match_all_by_kind(self, store: Store) -> None:
        assert len(ids(store, "")) == N_PATENTS
        assert "CN-TM-10000001" in ids(store, "", "trademark")

    # --- words and segmentation ---------------------------------------------------------------

    def test_chinese_word(self, store: Store) -> None:
        assert ids(store, "锂电池") == {"CN114000001A", "CN114000010A", "CN114000017A"}

    def test_traditional_characters_find_what_simplified_ones_find(self, store: Store) -> None:
        """Records and tables are in simplified characters: ``鋰電池`` found nothing at all,
        nor ``dist=黃埔``. A mark may be filed in traditional ones: ``tm=雲山`` finds both."""
        assert ids(store, "鋰電池") == ids(store, "锂电池") != set()
        assert ids(store, "ti=鋰電池") == ids(store, "ti=锂电池")
        assert ids(store, '"鋰電池"') == ids(store, '"锂电池"')
        assert ids(store, "dist=黃埔") == ids(store, "dist=黄埔区") != set()
        assert ids(store, "鋰電池 NOT dist=黃埔") == ids(store, "锂电池 NOT dist=黄埔")
        with _marks(store):
            assert {"CN-TM-70000001", "CN-TM-70000011"} <= ids(store, "tm=雲山", "trademark")

    def test_sub_word_finds_compound(self, store: Store) -> None:
        found = ids(store, "电池")
        assert {"CN114000001A", "CN114000002B", "CN214000003U", "CN114000020A"} <= found
        assert "CN114000004A" not in found

    def test_english_stemming(self, store: Store) -> None:
        assert ids(store, "battery") == {"US11000011B2"}
        assert ids(store, "batteries") == {"US11000011B2"}

    def test_hyphenated_and_punctuated_words_are_literal(self, store: Store) -> None:
        assert ids(store, "multi-agent") == {"US20220000012A1"}
        assert ids(store, "who's") == set()
        assert ids(store, "20.04") == set()

    def test_implicit_and(self, store: Store) -> None:
        assert ids(store, "电池 散热") == {"CN214000003U"}

    def test_or_and_not(self, store: Store) -> None:
        assert ids(store, "抗体 OR 疫苗") == {"CN114000006A", "CN114000019B"}
        assert ids(store, "抗体 或 疫苗") == {"CN114000006A", "CN114000019B"}
        assert ids(store, "锂电池 NOT 固态") == {"CN114000001A", "CN114000017A"}
        assert ids(store, "锂电池 -固态") == {"CN114000001A", "CN114000017A"}

    def test_not_alone(self, store: Store) -> None:
        assert len(ids(store, "NOT 电池")) == N_PATENTS - len(ids(store, "电池"))

    def test_lucene_syntax_is_literal(self, store: Store) -> None:
        for q in ("ti:x", "/re.*/", "x~2", "x^3", "_exists_:ti", '{"query": {"match_all": {}}}'):
            assert ids(store, q) == set(), q

    # --- fields -------------------------------------------------------------------------------

    def test_words_of_other_scripts_and_accented_letters_are_found(self, store: Store) -> None:
        """Accented Latin letters are found with or without their marks; Korean and Japanese
        words inside longer ones (no space follows a word: 배터리의 is 배터리 + 의); Cyrillic
        words as words. The segmentation dropped them all: a Korean applicant as filed was
        unsearchable, ``réseau`` found nothing."""
        with _other_scripts(store):
            assert ids(store, "réseau") == ids(store, "RESEAU") == {"EP1000001A1"}
            assert ids(store, "pa=kylmanen") == ids(store, "pa=Kylmänen") == {"EP1000001A1"}
            assert ids(store, "pa=KYLMAENEN") == {"EP1000001A1"}  # as EPO's ASCII forms spell it
            assert ids(store, "배터리의제조") == {"KR1000002A"}  # unspaced, as Korean may write it
            assert ids(store, "배터리") == ids(store, '"배터리"') == {"KR1000002A"}
            assert ids(store, "pa=삼성전자") == ids(store, "배터*") == {"KR1000002A"}
            assert ids(store, "pa=トヨタ") == ids(store, "ti=イオン") == {"JP1000003A"}
            assert ids(store, "батарея") == ids(store, "ti=батар*") == {"RU1000004C1"}
            assert ids(store, "pa=сбербанк") == {"RU1000004C1"}
            assert ids(store, "배터리 AND réseau") == set()
            (hit,) = search(store, "patent", "배터리").hits
            assert hit.highlights["title"] == "리튬 <em>배터리</em>의 제조 방법"
            (hit,) = search(store, "patent", "reseau").hits
            assert hit.highlights["title"] == "MISE EN <em>RÉSEAU</em> BLUETOOTH"
            (hit,) = search(store, "patent", "БАТАРЕЯ").hits
            assert hit.highlights["title"] == "Литиевая аккумуляторная <em>БАТАРЕЯ</em>"
        assert store.count("patent") == N_PATENTS

    def test_a_word_or_a_query_too_long_to_search_is_refused_saying_so(self, store: Store) -> None:
        """A 1,999-character Chinese string typed as one word was ≈1,000 tokens, each looked
        for in every text field: Elasticsearch refused the query and the API answered 500,
        where the embedded store searched on. Both refuse it now, with the reason (a 400)."""
        rng = random.Random(7)

        def chinese(n: int) -> str:
            return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))

        with pytest.raises(QuerySyntaxError) as long_word:
            ids(store, chinese(1999))
        assert long_word.value.code == "word_too_long"
        passage = (  # an abstract's two hundred characters, pasted unquoted: searched
            "本发明公开了一种锂离子电池正极材料及其制备方法，所述正极材料包括镍钴锰三元材料、"
            "导电剂和粘结剂，通过共沉淀法制备前驱体，经高温固相烧结得到正极材料。该方法工艺"
            "简单，成本低廉，所得材料具有较高的比容量和优异的循环稳定性，可广泛应用于电动汽车"
            "和储能系统领域。本发明还公开了采用该正极材料的锂离子电池及其在新能源汽车中的应用，"
            "所述电池能量密度高，安全性能好，使用寿命长，适合大规模工业化生产。"
        )
        assert len(passage) > 190
        assert ids(store, passage) == set()  # no record holds all its words; asked, not refused
        assert ids(store, f'"{chinese(300)}"') == set()  # as a phrase: one clause a field
        with pytest.raises(QuerySyntaxError) as complex_query:
            ids(store, " ".join(chinese(40) for _ in range(40)))
        assert complex_query.value.code == "too_many_clauses"

    def test_title_field(self, store: Store) -> None:
        assert ids(store, "ti=电解液") == {"CN114000002B"}
        assert ids(store, "ab=电解液") == {"CN114000010A", "CN114000002B"}

    def test_claims_field(self, store: Store) -> None:
        assert ids(store, "cl=三元") == {"CN114000001A"}

    def test_applicant_field(self, store: Store) -> None:
        assert ids(store, "pa=华南理工大学") == {"CN114000001A", "CN114000002B", "CN114000018A"}

    def test_applicant_key_exact(self, store: Store) -> None:
        assert ids(store, "pak=中山大学") == {"CN114000006A"}

    def test_inventor_field(self, store: Store) -> None:
        assert ids(store, "in=张伟") == {"CN114000001A"}

    def test_ipc_levels(self, store: Store) -> None:
        assert ids(store, "ipc=H01M10/0525") == {"CN114000001A"}
        assert "CN114000020A" in ids(store, "ipc=H01M")
        assert ids(store, "ipc=C07K") == {"CN114000006A"}
        assert ids(store, "ipc=A61K") == {"CN114000006A", "CN114000019B"}

    def test_number_fields(self, store: Store) -> None:
        assert ids(store, "pn=CN114000001A") == {"CN114000001A"}
        assert ids(store, "pn=CN114000001") == {"CN114000001A"}
        assert ids(store, "pn=US11000011B2") == {"US11000011B2"}
        assert ids(store, "ap=CN202110000001") == {"CN114000001A"}
        # spaced, as printed on a document; ZL + application number, a certificate number
        assert ids(store, "pn=CN 114000001 A") == {"CN114000001A"}
        assert ids(store, "pn=CN 114000001 A AND 锂电池") == {"CN114000001A"}
        assert ids(store, "ap=CN 2021 1 0000001.6") == {"CN114000001A"}
        assert ids(store, "pn=ZL202110000001.6") == ids(store, "ZL202110000001.6")
        assert ids(store, "pn=ZL 2021 1 0000001.6") == {"CN114000001A"}
        # related applications and publications (a divisional's parent, a grant's A1)
        assert ids(store, "rel=CN201910000011.2") == {"CN114000002B"}
        assert ids(store, "rel=CN201910000011") == {"CN114000002B"}
        assert ids(store, "rel=US20190012345A1") == {"US11000011B2"}
        assert ids(store, "rel=CN114000001A") == set()

    def test_bare_number_and_ipc_are_guessed(self, store: Store) -> None:
        assert ids(store, "CN114000001A") == {"CN114000001A"}
        assert ids(store, "US 11,000,011 B2") == set()  # three words: each needs its own match
        assert ids(store, "CN202110000001") == {"CN114000001A"}
        # a number also finds the documents that name it: the divisional by its parent, the
        # grant by its earlier publication (not loaded itself)
        assert ids(store, "CN201910000011.2") == {"CN114000002B"}
        assert ids(store, "US20190012345A1") == {"US11000011B2"}
        assert ids(store, "C07K") == {"CN114000006A"}
        assert ids(store, "10000007", "trademark") == {"CN-TM-10000007"}

    def test_family_field(self, store: Store) -> None:
        assert ids(store, "fam=FAM-LI-1") == {"CN114000001A", "US11000011B2"}
        assert ids(store, "fam=FAM-NONE") == set()

    def test_keyword_fields(self, store: Store) -> None:
        assert ids(store, "dist=黄埔区") == {
            "CN114000004A",
            "CN114000005A",
            "CN114000014A",
            "CN114000015A",
        }
        assert ids(store, "dist=黄埔") == ids(store, "dist=黄埔区")
        assert ids(store, "kind=design") == {"CN306000008S"}
        assert ids(store, "kind=实用新型") == {"CN214000003U"}
        assert ids(store, "status=valid AND ctry=US") == {"US11000011B2"}
        assert ids(store, "ind=生物与健康") == {"CN114000006A", "CN114000019B"}
        assert ids(store, "type=individual") == {"CN114000017A"}

    def test_coded_fields_take_their_chinese_names(self, store: Store) -> None:
        """The names the page shows in Chinese are values too, where one names one code."""
        assert ids(store, "type=个人") == ids(store, "type=individual") != set()
        assert ids(store, "type=医院") == {"CN114000019B"}
        assert ids(store, "type=大学") == ids(store, "type=university") != set()
        assert ids(store, "kind=外观设计") == {"CN306000008S"}
        assert ids(store, "kind=发明") == ids(store, "kind=A OR kind=B")
        assert ids(store, "ctry=中国") == ids(store, "ctry=cn") != set()
        assert (
            ids(store, "ctry=美国")
            == ids(store, "ctry=US")
            == {
                "US11000011B2",
                "US20220000012A1",
            }
        )
        assert ids(store, "status=有效") == ids(store, "status=valid")

    def test_a_trademark_status_in_the_words_of_patents(self, store: Store) -> None:
        """A valid mark is a registered one (as the holdings statistics count it), a pending one
        applied for or preliminarily approved."""
        registered = {
            "CN-TM-10000001",
            "CN-TM-10000002",
            "CN-TM-10000004",
            "CN-TM-10000007",
            "CN-TM-10000008",
        }
        for value in ("valid", "有效", "已注册", "registered"):
            assert ids(store, f"status={value}", "trademark") == registered, value
        pending = {"CN-TM-10000003", "CN-TM-10000005", "CN-TM-10000009", "CN-TM-10000010"}
        for value in ("pending", "在审", "审中"):
            assert ids(store, f"status={value}", "trademark") == pending, value
        assert ids(store, "status=申请中", "trademark") == pending - {"CN-TM-10000003"}
        assert ids(store, "status=失效", "trademark") == {"CN-TM-10000006"}

    @pytest.mark.parametrize(
        ("query", "kind", "listed"),
        [
            ("status=bogus", "patent", "在审"),
            ("电池 AND kind=bogus", "patent", "实用新型"),
            ("flag=bogus", "patent", "state_owned"),
            ("flag=madrid", "patent", "pct"),
            ("type=企", "patent", "企业"),
            ("status=已注册", "patent", "有效"),
            ("status=bogus", "trademark", "已注册"),
            ("kind=发明", "copyright", "软件"),
            ("ctry=中", "patent", "CN"),
        ],
    )
    def test_an_unknown_value_of_a_coded_field_lists_those_it_takes(
        self, store: Store, query: str, kind: RecordKind, listed: str
    ) -> None:
        """A coded field's value is one of its list: anything else is named where it stands,
        never a search that silently finds nothing."""
        with pytest.raises(QuerySyntaxError) as exc:
            ids(store, query, kind)
        assert exc.value.code == "bad_value"
        assert exc.value.position == query.rfind(" ") + 1  # the field of the value
        assert listed in exc.value.message_zh
        assert listed in exc.value.message_en

    def test_a_key_industry_collection_is_its_definition(self, store: Store) -> None:
        """``coll=`` finds what the collection's definition (``iphub.collections``) finds, is
        combined like any field, and an unknown collection is named where it stands."""
        for collection in by_id().values():
            assert ids(store, f"coll={collection.id}") == ids(store, collection.query)
        assert ids(store, "coll=nev") == {
            "CN114000001A",
            "CN114000002B",
            "CN114000010A",
            "CN114000017A",
            "CN114000020A",
            "CN214000003U",
            "EP4000013A1",
        }
        assert ids(store, "coll=NEV NOT ipc=H01M10") == {"CN114000020A", "EP4000013A1"}
        assert ids(store, "coll=(biomedicine OR robotics)") == {
            "CN114000006A",
            "CN114000014A",
            "CN114000019B",
        }
        with pytest.raises(QuerySyntaxError) as exc:
            ids(store, "电池 AND coll=nope")
        assert (exc.value.code, exc.value.position) == ("unknown_collection", 7)
        assert "nev" in exc.value.message_en  # the known ones are listed
        with pytest.raises(QuerySyntaxError) as exc:
            ids(store, "coll=nev", "trademark")
        assert exc.value.code == "field_not_for_kind"

    def test_date_ranges(self, store: Store) -> None:
        assert ids(store, "ti=电池 AND pd>=2023") == {"CN114000009A", "CN114000010A"}
        assert ids(store, "pd=2012") == {"CN114000017A"}
        assert ids(store, "ad=2015:2018") == {"CN114000016A", "CN114000019B"}
        assert ids(store, 'ad within "2015,2018"') == {"CN114000016A", "CN114000019B"}
        assert ids(store, "pd<2013-01-01") == {"CN114000017A"}
        assert ids(store, "gd=2022-08-19") == {"CN114000002B"}
        # the first and last searchable years: bounds past them are still dates every store holds
        assert ids(store, "pd>2200-12-31") == ids(store, "pd<1700") == set()
        assert ids(store, 'pd within "1700,2200"') == ids(store, "pd>=1700") != set()
        assert ids(store, "rd>2200", "trademark") == set()

    def test_trademark_fields(self, store: Store) -> None:
        # 白云山 contains 云山: clearance must show it
        assert ids(store, "tm=云山", "trademark") == {
            "CN-TM-10000001",
            "CN-TM-10000002",
            "CN-TM-10000003",
            "CN-TM-10000010",
        }
        assert ids(store, "云山", "trademark") == ids(store, "tm=云山", "trademark")
        assert ids(store, "nc=30", "trademark") == {
            "CN-TM-10000001",
            "CN-TM-10000009",
            "CN-TM-10000010",
        }
        assert ids(store, "yunshan", "trademark") == {"CN-TM-10000001"}
        assert ids(store, "gs=啤酒", "trademark") == {"CN-TM-10000007"}
        assert ids(store, "status=registered AND ad<2013", "trademark") == {
            "CN-TM-10000002",
            "CN-TM-10000007",
        }

    def test_field_of_other_kind_is_error(self, store: Store) -> None:
        with pytest.raises(QuerySyntaxError) as exc:
            ids(store, "电池 AND nc=9")
        assert exc.value.code == "field_not_for_kind"
        assert exc.value.position == 7

    # --- phrases and truncation ---------------------------------------------------------------

    def test_chinese_phrase_is_exact_substring(self, store: Store) -> None:
        assert ids(store, '"液冷板"') == {"CN214000003U"}
        assert ids(store, "“锂电池”") == {"CN114000001A", "CN114000010A", "CN114000017A"}
        assert ids(store, '"池锂"') == set()

    def test_english_phrase(self, store: Store) -> None:
        assert ids(store, '"coated particles"') == {"US11000011B2"}
        assert ids(store, '"particles coated"') == set()

    def test_truncation(self, store: Store) -> None:
        assert ids(store, "lithi*") == {"US11000011B2"}
        assert ids(store, "ti=neur* OR ab=neur*") == {"US20220000012A1"}
        assert ids(store, "ipc=H01M10/*") == {
            "CN114000001A",
            "CN114000002B",
            "CN214000003U",
            "CN114000010A",
            "CN114000017A",
        }

    def test_a_whole_word_truncated_finds_what_the_word_finds(self, store: Store) -> None:
        """English words are indexed stemmed (``particles`` as ``particl``): a prefix is also
        matched on the words as written, so truncating a whole word never loses the word."""
        for word in ("particles", "vehicle", "coated", "batteries", "systems", "networks"):
            assert ids(store, f"{word}*") >= ids(store, word) != set(), word
        assert ids(store, "particles*") == {"US11000011B2"}
        assert ids(store, "ti=vehicle*") == {"EP4000013A1"}
        assert ids(store, "pearl*", "trademark") == {"CN-TM-10000006"}

    def test_short_truncation_is_refused(self, store: Store) -> None:
        with pytest.raises(QuerySyntaxError) as exc:
            ids(store, "a*")
        assert exc.value.code == "short_truncation"

    def test_truncation_expansion_limit(self, store: Store) -> None:
        extra = [
            make_patent(
                id=f"CN19{i:07d}A",
                publication_number=f"CN19{i:07d}A",
                title=make_patent().title.model_copy(update={"text": f"zq{i:04d}"}),
            )
            for i in range(MAX_EXPANSIONS + 1)
        ]
        store.upsert(extra)
        store.refresh()
        try:
            with pytest.raises(QuerySyntaxError) as exc:
                ids(store, "zq*")
            assert exc.value.code == "too_many_expansions"
            assert len(ids(store, "zq000*")) == 10
        finally:
            store.delete(r.id for r in extra)
            store.refresh()
        assert store.count("patent") == N_PATENTS

    # --- ranking, sorting, paging -------------------------------------------------------------

    def test_title_match_ranks_first(self, store: Store) -> None:
        assert ordered(store, "电池")[0] == "CN114000020A"

    def test_sort_by_date(self, store: Store) -> None:
        desc = ordered(store, "电池", sort="date_desc")
        dates = [store.get(i).publication_date for i in desc]  # type: ignore[union-attr]
        assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
        assert ordered(store, "电池", sort="date_asc") == desc[::-1]

    def test_paging_is_stable_and_complete(self, store: Store) -> None:
        pages = [
            h.id
            for page in (1, 2, 3, 4)
            for h in search(store, "patent", "", page=page, size=6, sort="date_desc").hits
        ]
        assert len(pages) == N_PATENTS
        assert set(pages) == ids(store, "")

    # --- facets -------------------------------------------------------------------------------

    def test_facets_count_whole_match_set(self, store: Store) -> None:
        result = search(
            store, "patent", "", size=1, facets=("district", "year", "kind"), facet_size=20
        )
        district = {b.key: b.count for b in result.facets["district"]}
        assert district["黄埔区"] == 4
        assert district["天河区"] == 4
        kinds = {b.key: b.count for b in result.facets["kind"]}
        assert kinds == {
            "invention_application": 14,
            "invention_grant": 4,
            "utility_model": 1,
            "design": 1,
        }
        assert sum(b.count for b in result.facets["year"]) == N_PATENTS

    def test_facets_follow_the_query(self, store: Store) -> None:
        result = search(store, "patent", "锂电池", facets=("applicant", "ipc_subclass"))
        assert {b.key: b.count for b in result.facets["ipc_subclass"]} == {"H01M": 3, "H02J": 1}
        assert {b.key for b in result.facets["applicant"]} == {
            "华南理工大学",
            "比亚迪股份有限公司",
            "陈明",
        }

    def test_facet_bucket_query_selects_bucket(self, store: Store) -> None:
        result = search(store, "patent", "电池", facets=("district", "applicant"))
        for name in ("district", "applicant"):
            for bucket in result.facets[name]:
                narrowed = search(store, "patent", f"电池 AND {bucket.query}")
                assert narrowed.total == bucket.count, bucket

    def test_facet_size_caps_buckets(self, store: Store) -> None:
        result = search(store, "patent", "", facets=("applicant",), facet_size=3)
        assert len(result.facets["applicant"]) == 3
        assert result.facets["applicant"][0].key == "华南理工大学"

    def test_trademark_facets(self, store: Store) -> None:
        result = search(store, "trademark", "", facets=("nice_class", "status"))
        nice = {b.key: b.count for b in result.facets["nice_class"]}
        assert nice["30"] == 3
        assert {b.key: b.count for b in result.facets["status"]}["registered"] == 5

    def test_unknown_facet(self, store: Store) -> None:
        with pytest.raises(UnknownFacet):
            SearchRequest(
                kind="patent", plan=compile_query(parse(""), "patent"), facets=("nice_class",)
            )

    # --- highlighting -------------------------------------------------------------------------

    def test_highlights(self, store: Store) -> None:
        hit = search(store, "patent", "锂电池 正极").hits[0]
        assert hit.id == "CN114000001A"
        assert hit.highlights["title"] == "一种<em>锂电池正极</em>材料及其制备方法"
        hit = search(store, "patent", "battery").hits[0]
        assert "<em>batteries</em>" in hit.highlights["abstract"]

    def test_highlights_mark_a_field_querys_terms_in_that_field(self, store: Store) -> None:
        """``ti=锂电池 AND ab=正极``: the title marks 锂电池 alone, the abstract 正极 alone (each
        text marked every term of the query, whichever field it was searched in)."""
        (hit,) = search(store, "patent", "ti=锂电池 AND ab=正极").hits
        assert hit.highlights["title"] == "一种<em>锂电池</em>正极材料及其制备方法"
        assert "<em>正极</em>" in hit.highlights["abstract"]
        assert "<em>锂" not in hit.highlights["abstract"]

    # --- similar records (more like this) -----------------------------------------------------

    def test_similar_battery_patents_are_neighbours(self, store: Store) -> None:
        solid_state = [h.id for h in store.similar("CN114000010A", 3)]
        assert set(solid_state) == {"CN114000001A", "CN114000002B", "CN114000017A"}
        # the order of these two near-equal neighbours depends on term statistics, which count
        # Elasticsearch's not yet merged-away deleted documents (earlier tests write and delete)
        management = {h.id for h in store.similar("CN114000017A", 2)}
        assert management == {"CN114000010A", "CN114000020A"}

    def test_similar_is_same_kind_best_first_never_itself(self, store: Store) -> None:
        hits = store.similar("CN114000001A", 100)
        assert hits
        assert "CN114000001A" not in {h.id for h in hits}
        assert all(h.record.record_type == "patent" for h in hits)
        scores = [h.score or 0.0 for h in hits]
        assert scores == sorted(scores, reverse=True)
        marks = store.similar("CN-TM-10000009", 100)
        assert [h.id for h in marks][:1] == ["CN-TM-10000010"]
        assert all(h.id.startswith("CN-TM-") for h in marks)

    def test_similar_unknown_or_nothing_in_common(self, store: Store) -> None:
        assert store.similar("CN000000000A", 5) == []
        assert store.similar("CN114000001A", 0) == []
        assert len(store.similar("CN114000001A", 2)) == 2

    # --- a description as a query (按技术描述检索) ------------------------------------------------

    def test_a_description_finds_the_patents_that_share_most_of_its_terms(
        self, store: Store
    ) -> None:
        described = query_from_text(
            "我们的产品用固态电解质代替液态电解液，做成固态锂电池，能量密度更高，不易起火。"
        )
        assert {"固态", "电解质", "锂电池"} <= set(described.terms)
        ranked = ordered(store, described.query)
        assert ranked[0] == "CN114000010A"  # solid electrolyte, solid-state battery
        assert {"CN114000001A", "CN114000017A"} <= set(ranked)  # other lithium batteries
        assert "CN114000005A" not in ranked  # a 5G antenna shares no term

    # --- similar marks (近似商标查询) ------------------------------------------------------------

    def test_similar_marks_by_sound_shape_containment_and_translation(self, store: Store) -> None:
        with _marks(store):
            found = similar_marks(store, "云山", [30], size=100)
            scores = {h.record.mark_text: h.signals for h in found.hits}
            assert found.searched_classes == sorted(related_classes(30))
            # 芸杉 shares no character with 云山: only its pinyin, put there by enrichment
            assert "pinyin_identical" in scores["芸杉"]
            assert scores["白云山食品"][0] == "contains"
            assert "related_class" in scores["白云山食品"]  # class 29, of 30's group
            assert "天马" not in scores  # nothing in common
            assert all(h.record.nice_classes != [9] for h in found.hits)  # unrelated goods
            assert [h.score for h in found.hits] == sorted(
                (h.score for h in found.hits), reverse=True
            )
            assert found.hits[0].signals[0] == "identical"
            # the identical live marks (the earlier filed first) before the identical dead one
            # (the corpus has a 云山 too)
            mine = [h.id for h in found.hits if h.id.startswith("CN-TM-7")]
            assert mine[:3] == ["CN-TM-70000001", "CN-TM-70000011", "CN-TM-70000007"]
            live = similar_marks(store, "云山", [30], live_only=True, size=100)
            assert "CN-TM-70000007" not in {h.id for h in live.hits}
            shape = similar_marks(store, "康师傅", [30]).hits
            assert [(h.record.mark_text, h.signals[0]) for h in shape] == [
                ("康帅傅", "shape_similar")
            ]
            meaning = similar_marks(store, "星巴克", [43]).hits
            assert [(h.record.mark_text, h.signals[0]) for h in meaning] == [
                ("STARBUCKS", "translation")
            ]
            inside = similar_marks(store, "星巴克咖啡", [43]).hits
            assert [(h.record.mark_text, h.signals[0]) for h in inside] == [
                ("STARBUCKS", "translation_contains")
            ]
            # a Latin imitation shares no word with the mark: one letter is a look-alike
            latin = similar_marks(store, "NIKE", [25]).hits
            assert [h.record.mark_text for h in latin] == ["NLKE"]
            # one word against two
            joined = similar_marks(store, "CocaCola", [32]).hits
            assert [h.record.mark_text for h in joined] == ["COCA COLA"]
            unclassed = [h for h in found.hits if h.id == "CN-TM-70000011"]
            assert [h.signals for h in unclassed] == [["identical", "any_class"]]
            # a mark of many polyphones and look-alikes: its query stays within every engine's
            # clause limit (Elasticsearch's is 1,024 at the least)
            assert similar_marks(store, "拔墓入大藏冶得", [30]).candidates >= 0
            everywhere = similar_marks(store, "云山", [], size=100)
            assert {"CN-TM-70000006"} <= {h.id for h in everywhere.hits}  # class 9 too

    # --- writes -------------------------------------------------------------------------------

    def test_upsert_replaces_by_id(self, store: Store) -> None:
        record = make_patent(id="CN188888888A", publication_number="CN188888888A")
        store.upsert([record])
        store.upsert(
            [
                record.model_copy(
                    update={"title": record.title.model_copy(update={"text": "一种改进的测试装置"})}
                )
            ]
        )
        store.refresh()
        try:
            assert ids(store, "pn=CN188888888A") == {"CN188888888A"}
            assert ids(store, "改进") == {"CN188888888A"}
            assert store.count("patent") == N_PATENTS + 1
        finally:
            assert store.delete(["CN188888888A"]) == 1
            store.refresh()
        assert store.get("CN188888888A") is None
        assert ids(store, "改进") == set()

    def test_an_id_written_again_is_one_document(self, store: Store) -> None:
        """The same id twice in one upsert, again in the next before a commit, and again after
        it: one record, one index document (a search counts it once), the last version."""

        def version(n: int) -> object:
            title = f"一种第{n}版测试装置"
            return make_patent(id="CN177777777A", publication_number="CN177777777A").model_copy(
                update={"title": make_patent().title.model_copy(update={"text": title})}
            )

        store.upsert([version(1), version(2)])
        store.refresh()
        try:
            assert search(store, "patent", "pn=CN177777777A", size=10).total == 1
            store.upsert([version(3)])
            store.refresh()
            store.upsert([PreparedRecord.of(version(4))])  # type: ignore[arg-type]
            store.refresh()
            found = search(store, "patent", "pn=CN177777777A", size=10)
            assert (found.total, [h.id for h in found.hits]) == (1, ["CN177777777A"])
            assert search(store, "patent", "第4版", size=10).total == 1
            assert search(store, "patent", "第3版 OR 第2版 OR 第1版", size=10).total == 0
            assert store.count("patent") == N_PATENTS + 1
        finally:
            assert store.delete(["CN177777777A"]) == 1
            store.refresh()
        assert search(store, "patent", "pn=CN177777777A").total == 0

    def test_trademark_upsert_and_delete(self, store: Store) -> None:
        store.upsert([make_trademark()])
        store.refresh()
        try:
            assert ids(store, "tm=测试", "trademark") == {"CN-TM-99999999"}
        finally:
            store.delete(["CN-TM-99999999"])
            store.refresh()
        assert ids(store, "tm=测试", "trademark") == set()

    def test_copyright_registrations_are_kept_and_counted_apart(self, store: Store) -> None:
        """Copyright registrations (a third kind) round-trip, count on their own, group by their
        type, and never turn up in a patent or trademark search; one comes as a bulk load
        writes it (prepared in a worker, pickled across)."""
        software, works = COPYRIGHTS
        with _copyrights(store):
            assert store.count("copyright") == 2
            assert (store.count("patent"), store.count("trademark")) == (N_PATENTS, N_TRADEMARKS)
            assert store.count() == N_PATENTS + N_TRADEMARKS + 2
            assert store.get_many([software.id, works.id]) == {
                software.id: software,
                works.id: works,
            }
            by_type = store.aggregate(AggregateRequest("copyright", All(), ("kind",)))
            assert by_type.total == 2
            assert {g.key: g.count for g in by_type.groups} == {"software": 1, "works": 1}
            assert ids(store, "测试版权") == set()
            assert ids(store, "测试版权", "trademark") == set()
        assert store.count("copyright") == 0

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("测试版权", {"CN-SC-2016SR999991", "CN-WC-2016-F-00999992"}),  # title words
            ("吉祥物", {"CN-WC-2016-F-00999992"}),
            ("ti=测试软件", {"CN-SC-2016SR999991"}),  # a software's short name
            ("2016SR999991", {"CN-SC-2016SR999991"}),  # a bare registration number
            ("pn=2016sr999991", {"CN-SC-2016SR999991"}),
            ("pn=CN-SC-2016SR999991", {"CN-SC-2016SR999991"}),  # the id
            ("国作登字-2016-F-00999992", {"CN-WC-2016-F-00999992"}),
            ("pn=国作登字2016F00999992", {"CN-WC-2016-F-00999992"}),
            ("pa=广州测试科技", {"CN-SC-2016SR999991"}),  # the owner
            ("测试版权 AND kind=软件", {"CN-SC-2016SR999991"}),
            ("kind=works", {"CN-WC-2016-F-00999992"}),
            ("rd>=2016-11-01", {"CN-WC-2016-F-00999992"}),
            ("一种锂电池", set()),  # patents' words are not a registration's
        ],
    )
    def test_copyright_registrations_are_searched(
        self, store: Store, q: str, expected: set[str]
    ) -> None:
        with _copyrights(store):
            assert ids(store, q, "copyright") == expected

    def test_copyright_search_facets_and_sorts(self, store: Store) -> None:
        with _copyrights(store):
            found = search(
                store, "copyright", "测试版权", sort="date_desc", facets=("kind", "year")
            )
            assert [h.id for h in found.hits] == ["CN-WC-2016-F-00999992", "CN-SC-2016SR999991"]
            kinds = {b.key: (b.count, b.query) for b in found.facets["kind"]}
            assert kinds == {"software": (1, "kind=software"), "works": (1, "kind=works")}
            assert [(b.key, b.count) for b in found.facets["year"]] == [("2016", 2)]
            assert found.hits[0].highlights == {"title": "<em>测试版权</em>吉祥物"}

    @pytest.mark.parametrize(
        ("q", "understood", "expected"),
        [
            # cut 池 / 正极 / 材 as a query; no record has 池 or 材 as a word of its own
            ("池正极材", '"池正极材"', {"CN114000001A"}),
            ("锂电池正 AND pd>=2020", '"锂电池正" AND pd within "2020-01-01,"', {"CN114000001A"}),
            ("pa=华南理工大", 'pa="华南理工大"', {"CN114000001A", "CN114000002B", "CN114000018A"}),
        ],
    )
    def test_chinese_words_that_find_nothing_are_searched_as_strings(
        self, store: Store, q: str, understood: str, expected: set[str]
    ) -> None:
        """A Chinese word cut otherwise than in the records (a name typed in part) finds the
        records that hold it as a string, as CNIPA's substring search does; the answer says
        so, and shows the strings quoted."""
        found = search(store, "patent", q, size=100)
        assert (found.as_strings, found.query) == (True, understood)
        assert {h.id for h in found.hits} == expected

    def test_a_string_is_marked_where_it_stands(self, store: Store) -> None:
        (hit,) = search(store, "patent", "池正极材").hits
        assert hit.highlights["title"] == "一种锂电<em>池正极材</em>料及其制备方法"

    @pytest.mark.parametrize("q", ["电池", "量子纠缠", "battery"])
    def test_words_are_not_retried_as_strings_unless_they_found_nothing(
        self, store: Store, q: str
    ) -> None:
        found = search(store, "patent", q, size=100)
        assert (found.as_strings, found.query) == (False, q)

    def test_scan_streams_every_match_in_id_order(self, store: Store) -> None:
        plan = compile_query(parse("电池"), "patent")
        scanned = [r.id for r in store.scan("patent", plan)]
        assert scanned == sorted(ids(store, "电池"))

    # --- batches, checkpoints, sources --------------------------------------------------------

    def test_batches_and_checkpoints(self, store: Store) -> None:
        batch = store.begin_batch("unit-test")
        store.finish_batch(batch, 7)
        found = [b for b in store.batches() if b.id == batch]
        assert len(found) == 1
        assert (found[0].records, found[0].source) == (7, "unit-test")
        assert found[0].finished is not None
        assert store.get_checkpoint("contract:key") in (None, "1")
        store.set_checkpoint("contract:key", "1")
        assert store.get_checkpoint("contract:key") == "1"

    def test_a_batch_records_its_process_heartbeat_and_alerts(self, store: Store) -> None:
        """A batch names the host and process that began it (a loader finishes a batch left
        open whose process is gone), its heartbeat moves on when touched, and it is marked
        once the alerts have matched it (no later run matches it again)."""
        batch = store.begin_batch("ingest:contract-owner")

        def found() -> Batch:
            (one,) = [b for b in store.batches() if b.id == batch]
            return one

        begun = found()
        assert (begun.host, begun.pid) == this_process()
        assert begun.heartbeat is not None
        assert (begun.finished, begun.alerted) == (None, None)
        time.sleep(0.01)
        store.touch_batch(batch)
        touched = found()
        assert touched.heartbeat is not None
        assert touched.heartbeat > begun.heartbeat
        store.finish_batch(batch, 0)
        assert found().finished is not None
        assert found().alerted is None  # finished, not yet matched
        store.mark_alerted(batch)
        assert found().alerted is not None
        store.touch_batch("nope")  # an unknown batch: nothing to do, as finishing one
        store.mark_alerted("nope")
        assert "nope" not in {b.id for b in store.batches()}

    def test_an_open_batch_is_resumed_by_its_id(self, store: Store) -> None:
        """A stopped crawl writes into its batch again: the records written then belong to it."""
        batch = store.begin_batch("contract-resumed")
        store.resume_batch(batch)
        record = make_patent(id="CN177777779A", publication_number="CN177777779A", batch_id=batch)
        store.upsert([record])
        store.refresh()
        store.finish_batch(batch, 1)
        try:
            (found,) = [b for b in store.batches() if b.id == batch]
            assert (found.source, found.records) == ("contract-resumed", 1)
            assert list(store.scan_ids("patent", Terms("batch", (batch,)))) == ["CN177777779A"]
        finally:
            store.delete(["CN177777779A"])

    def test_plan_restricted_to_a_batch(self, store: Store) -> None:
        """The alerts matcher ANDs a subscription's plan with ``Terms("batch", (id,))``."""
        batch = store.begin_batch("contract-batch")
        fresh = [
            make_patent(id="CN177777771A", publication_number="CN177777771A", batch_id=batch),
            make_patent(
                id="CN177777772A",
                publication_number="CN177777772A",
                batch_id=batch,
                title=make_patent().title.model_copy(update={"text": "一种锂电池测试装置"}),
            ),
            make_trademark(id="CN-TM-77777773", batch_id=batch),
        ]
        store.upsert(fresh)
        store.refresh()
        store.finish_batch(batch, len(fresh))
        try:
            in_batch = Terms("batch", (batch,))

            def scan(q: str, kind: RecordKind = "patent") -> list[str]:
                plan = Bool(must=(compile_query(parse(q), kind), in_batch))
                return [r.id for r in store.scan(kind, plan)]

            assert scan("锂电池") == ["CN177777772A"]  # the corpus's 锂电池 patents are not in it
            plan = Bool(must=(compile_query(parse("锂电池"), "patent"), in_batch))
            assert list(store.scan_ids("patent", plan)) == ["CN177777772A"]
            assert scan("") == ["CN177777771A", "CN177777772A"]
            assert scan("", "trademark") == ["CN-TM-77777773"]
            assert [r.id for r in store.scan("patent", Terms("batch", ("nope",)))] == []
            assert search(store, "patent", "锂电池").total == 4
        finally:
            store.delete(r.id for r in fresh)
            store.refresh()

    def test_a_batch_is_scanned_whole_each_record_once(self, store: Store) -> None:
        """``scan_batch``/``scan_batch_ids`` (what the alerts read after each load): every
        record of the kind the batch wrote last, once, records and ids in the same order; a
        record written again by a later batch is that batch's."""
        first = store.begin_batch("contract-scan-batch")
        patents = [
            make_patent(id=f"CN1888888{n:02d}A", publication_number=f"CN1888888{n:02d}A")
            for n in range(30)
        ]
        mark = make_trademark(id="CN-TM-88888801")
        for r in [*patents, mark]:
            r.batch_id = first
        store.upsert([*patents, mark])
        store.refresh()
        store.finish_batch(first, len(patents) + 1)
        second = store.begin_batch("contract-scan-batch")
        again = patents[7].model_copy(update={"batch_id": second})
        store.upsert([again])
        store.refresh()
        store.finish_batch(second, 1)
        try:
            got = list(store.scan_batch_ids("patent", first))
            assert sorted(got) == sorted(r.id for r in patents if r.id != again.id)
            assert [r.id for r in store.scan_batch("patent", first)] == got
            assert all(r.batch_id == first for r in store.scan_batch("patent", first))
            assert list(store.scan_batch_ids("trademark", first)) == [mark.id]
            assert [r.id for r in store.scan_batch("patent", second)] == [again.id]
            assert list(store.scan_batch_ids("patent", "nope")) == []
            assert list(store.scan_batch("trademark", second)) == []
        finally:
            store.delete([*(r.id for r in patents), mark.id])
            store.refresh()

    def test_sources(self, store: Store) -> None:
        summary = {(s.source, s.kind): s for s in store.sources()}
        assert summary[("fixture", "patent")].records == N_PATENTS
        assert summary[("fixture", "patent")].latest_date == dt.date(2025, 5, 5)
        assert summary[("fixture", "trademark")].records == N_TRADEMARKS
