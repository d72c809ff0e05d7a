"""Profile feed on both stores: the profile from the firm's records, its competitors, and what
a batch pushes with the reason."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from iphub.config import Settings
from iphub.records import LocalizedText, Party, Patent
from iphub.store.base import Store
from nlp.applicants import normalise
from search_api.alerts.db import AlertsDB
from search_api.alerts.matcher import run_matcher
from search_api.alerts.models import Match
from search_api.alerts.profiles import cosine
from search_api.main import create_app
from tests.alerts.conftest import ingest_batch as ingest
from tests.alerts.conftest import owner_key
from tests.utils.factories import make_patent

FIRM = "广州甲能源科技有限公司"
RIVAL = "广州乙电池有限公司"
OTHER = "广州丙制药有限公司"
NEWCOMER = "广州丁新材料有限公司"


def patent(n: int, owner: str, title: str, ipc: list[str], keywords: list[str]) -> Patent:
    pn = f"CN1777{n:05d}A"
    return make_patent(
        id=pn,
        publication_number=pn,
        title=LocalizedText(text=title),
        applicants=[Party(name=owner, key=normalise(owner).key)],
        ipc=ipc,
        keywords=keywords,
        industries=["新能源汽车"] if ipc[0].startswith("H01M") else ["生物医药"],
    )


def history() -> list[Patent]:
    battery = ["H01M 10/0525", "H01M 4/62"]
    return [
        *(patent(i, FIRM, f"一种锂电池电解液{i}", battery, ["锂电池", "电解液"]) for i in range(4)),
        patent(4, FIRM, "锂电池隔膜", ["H01M 50/409"], ["锂电池", "隔膜"]),
        *(
            patent(10 + i, RIVAL, f"锂电池正极材料{i}", battery, ["锂电池", "正极"])
            for i in range(3)
        ),
        *(patent(20 + i, OTHER, f"中药组合物{i}", ["A61K 36/00"], ["中药"]) for i in range(3)),
        patent(25, OTHER, "含锂电池的医疗设备", ["A61B 5/00", "H01M 10/42"], ["医疗"]),
    ]


def test_cosine() -> None:
    assert cosine({"a": 1, "b": 1}, {"a": 2, "b": 2}) == pytest.approx(1.0)
    assert cosine({"a": 1, "b": 0}, {"a": 1, "b": 1}) == pytest.approx(0.5**0.5)
    assert cosine({"a": 1}, {"b": 3}) == 0.0
    assert cosine({}, {"a": 1}) == 0.0


def test_profile_feed_pushes_close_records_and_competitors_with_the_reason(
    any_store: Store,
    sqlite_db: AlertsDB,
) -> None:
    ingest(any_store, history())
    headers = {"Authorization": f"Bearer {owner_key(sqlite_db, '甲')}"}
    app = create_app(Settings(rate_limit=0), store=any_store, alerts=sqlite_db)
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/subscriptions",
            json={
                "name": "精准推送",
                "type": "profile",
                "profile": {"applicant": FIRM},
                "channel": "atom",
            },
            headers=headers,
        )
        assert response.status_code == 201, response.text
        sub_id = response.json()["id"]
        summary = {"applicant": normalise(FIRM).key, "records": 5, "top_n": 10, "min_features": 2}
        assert response.json()["profile"] == summary  # in short, in the subscription itself
        listed = client.get("/api/v1/subscriptions", headers=headers).json()
        assert [s["profile"] for s in listed if s["id"] == sub_id] == [summary]
        profile = client.get(f"/api/v1/subscriptions/{sub_id}/profile", headers=headers).json()
        assert profile["applicant"] == normalise(FIRM).key
        assert profile["records"] == 5
        assert profile["ipc_groups"][:2] == [
            {"key": "H01M10", "count": 4},
            {"key": "H01M4", "count": 4},
        ]
        assert profile["terms"][0] == {"key": "锂电池", "count": 5}
        assert profile["industries"] == [{"key": "新能源汽车", "count": 5}]
        rivals = profile["competitors"]
        assert rivals[0]["key"] == normalise(RIVAL).key
        assert rivals[0]["shared"] == ["H01M10", "H01M4"]
        assert rivals[0]["similarity"] > 0.9
        assert all(c["key"] != normalise(FIRM).key for c in rivals)

        batch = ingest(
            any_store,
            [
                patent(30, NEWCOMER, "锂电池电解液添加剂", ["H01M 10/0567"], ["电解液"]),
                patent(31, RIVAL, "一种充电桩", ["B60L 53/00"], ["充电"]),
                patent(32, OTHER, "中药提取方法", ["A61K 36/00"], ["中药"]),
                patent(33, FIRM, "锂电池电解液回收", ["H01M 10/54"], ["锂电池"]),
            ],
        )
        report = run_matcher(any_store, sqlite_db, batch)
        assert report.matches == 2
        assert run_matcher(any_store, sqlite_db, batch).matches == 0
        with sqlite_db.session() as session:
            why = {m.record_id: m.summary["why"] for m in session.scalars(select(Match))}
        assert set(why) == {"CN177700030A", "CN177700031A"}
        assert why["CN177700030A"] == ["term:锂电池", "term:电解液", "ipc:H01M10"]
        assert why["CN177700031A"] == ["competitor:广州乙电池有限公司"]

        edited = client.put(
            f"/api/v1/subscriptions/{sub_id}/profile",
            json={"terms": ["充电桩"], "ipc_groups": ["B60L 53/00"], "competitors": []},
            headers=headers,
        )
        assert edited.status_code == 200, edited.text
        assert edited.json()["edited"] is True
        assert edited.json()["ipc_groups"] == [{"key": "B60L53", "count": 0}]
        rebuilt = client.put(
            f"/api/v1/subscriptions/{sub_id}/profile", json={"rebuild": True}, headers=headers
        ).json()
        assert rebuilt["edited"] is False
        assert rebuilt["records"] == 6
        other = {"Authorization": f"Bearer {owner_key(sqlite_db, '别人')}"}
        assert (
            client.get(f"/api/v1/subscriptions/{sub_id}/profile", headers=other).status_code == 404
        )
        bad = client.put(
            f"/api/v1/subscriptions/{sub_id}/profile", json={"top_n": 0}, headers=headers
        )
        assert bad.status_code == 422
        bad = client.put(
            f"/api/v1/subscriptions/{sub_id}/profile", json={"ipc_groups": ["H01"]}, headers=headers
        )
        assert bad.status_code == 400
        assert "not an IPC main group" in bad.json()["detail"]
