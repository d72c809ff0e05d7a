"""The subscriptions page (订阅): an agency saves a search as an Atom feed or an e-mail alert
with its organisation's API key, and pauses, resumes and deletes it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from iphub.config import Settings
from iphub.store.embedded import EmbeddedStore
from search_api.alerts.db import open_db
from search_api.alerts.keys import create_owner
from search_api.alerts.worker import WorkerStats, run_once
from tests.browser.conftest import screenshot
from tests.utils.smtp import running_smtp

pytestmark = pytest.mark.browser


@pytest.fixture
def api_key(served_store: EmbeddedStore) -> Iterator[str]:
    """A new owner's key in the alerts database the page's server opens (beside its store)."""
    database = open_db(_alerts_db(served_store))
    try:
        with database.session() as session:
            _, key = create_owner(session, "黄埔知识产权代理", "agency@example.com")
        yield key
    finally:
        database.close()


def _alerts_db(store: EmbeddedStore) -> str:
    return f"sqlite:///{store.path.parent / 'alerts.db'}"


def _use_key(page: Page, key: str) -> None:
    page.locator('input[name="key"]').fill(key)
    page.get_by_test_id("key-form").locator("button.primary").click()


def test_subscribe_to_a_search_as_a_feed_and_an_email(page: Page, api_key: str) -> None:
    page.goto("/patents?q=锂电池")
    page.get_by_test_id("subscribe").click()
    expect(page).to_have_url(re.compile(r"/alerts\?kind=patent&q=%E9%94%82%E7%94%B5%E6%B1%A0$"))
    expect(page.locator("h1")).to_have_text("订阅与预警")
    expect(page.get_by_test_id("new-subscription")).to_have_count(0)  # not without a key

    _use_key(page, "not-a-key")
    expect(page.get_by_test_id("key-refused")).to_have_text("API 密钥无效或已停用。")
    _use_key(page, api_key)
    expect(page.get_by_test_id("key-refused")).to_have_count(0)
    expect(page.get_by_test_id("no-subscriptions")).to_be_visible()
    form = page.get_by_test_id("new-subscription")
    expect(form.locator('input[name="query"]')).to_have_value("锂电池")  # from the search
    expect(form.locator('input[name="name"]')).to_have_value("锂电池")

    # a query the matcher could not run is refused, saying why
    form.locator('input[name="query"]').fill("锂电池 AND coll=nope")
    form.locator("button.primary").click()
    expect(page.get_by_test_id("subscription-problem")).to_contain_text("未知专题库“nope”")

    form.locator('input[name="query"]').fill("coll=nev AND dist=黄埔")
    form.locator('input[name="name"]').fill("黄埔新能源汽车")
    form.locator("button.primary").click()
    created = page.get_by_test_id("created")
    expect(created).to_contain_text("已创建订阅“黄埔新能源汽车”")
    feed_url = page.get_by_test_id("feed-url").inner_text()
    feed = page.request.get(urlsplit(feed_url).path)  # the configured public URL's path
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "黄埔新能源汽车" in feed.text()
    rows = page.get_by_test_id("subscriptions").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("coll=nev AND dist=黄埔")
    expect(rows.first.get_by_test_id("status")).to_have_text("生效中")
    screenshot(page, "alerts")

    rows.first.get_by_test_id("toggle").click()
    expect(rows.first.get_by_test_id("status")).to_have_text("已暂停")
    rows.first.get_by_test_id("toggle").click()
    expect(rows.first.get_by_test_id("status")).to_have_text("生效中")

    form.locator('select[name="channel"]').select_option("email")
    form.locator('input[name="target"]').fill("ops@example.com")
    form.locator('select[name="digest"]').select_option("daily")
    form.locator('input[name="name"]').fill("锂电池日报")
    form.locator('input[name="query"]').fill("锂电池")
    form.locator("button.primary").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("subscriptions")).to_contain_text("ops@example.com")
    listed = page.request.get("/api/v1/subscriptions", headers={"X-API-Key": api_key}).json()
    assert {(s["name"], s["channel"], s["digest"]) for s in listed} == {
        ("黄埔新能源汽车", "atom", "none"),
        ("锂电池日报", "email", "daily"),
    }

    # edited in place: what it follows, its address and frequency; not its channel
    rows.filter(has_text="锂电池日报").get_by_test_id("edit").click()
    expect(page.get_by_text("编辑订阅“锂电池日报”")).to_be_visible()
    expect(form.locator('select[name="channel"]')).to_be_disabled()
    expect(form.locator('input[name="target"]')).to_have_value("ops@example.com")
    form.locator('input[name="query"]').fill("锂电池 AND coll=nope")
    form.locator("button.primary").click()
    expect(page.get_by_test_id("subscription-problem")).to_contain_text("未知专题库“nope”")
    form.locator('input[name="query"]').fill("锂电池 AND dist=番禺")
    form.locator('input[name="target"]').fill("ip@example.com")
    form.locator('select[name="digest"]').select_option("none")
    form.locator("button.primary").click()
    expect(page.get_by_text("新建订阅")).to_be_visible()  # the form is a new one's again
    expect(rows.filter(has_text="锂电池日报")).to_contain_text("ip@example.com")
    listed = page.request.get("/api/v1/subscriptions", headers={"X-API-Key": api_key}).json()
    daily = next(s for s in listed if s["name"] == "锂电池日报")
    assert (daily["query"], daily["target"], daily["digest"], daily["channel"]) == (
        "锂电池 AND dist=番禺",
        "ip@example.com",
        "none",
        "email",
    )

    # the saved query opens as a search
    rows.filter(has_text="锂电池日报").locator("a").click()
    expect(page).to_have_url(re.compile(r"/patents\?q=%E9%94%82%E7%94%B5%E6%B1%A0\+AND\+dist="))
    expect(page.locator("#q")).to_have_value("锂电池 AND dist=番禺")
    page.go_back()

    page.once("dialog", lambda dialog: dialog.accept())
    rows.filter(has_text="黄埔新能源汽车").get_by_test_id("remove").click()
    expect(rows).to_have_count(1)
    assert page.request.get(urlsplit(feed_url).path).status == 404

    page.reload()  # the key stays for the tab
    expect(rows).to_have_count(1)
    page.get_by_test_id("lang").click()
    expect(page.locator("h1")).to_have_text("Subscriptions and alerts")
    expect(rows.first.get_by_test_id("status")).to_have_text("Active")
    page.get_by_test_id("lang").click()
    page.get_by_test_id("forget-key").click()
    expect(page.get_by_test_id("new-subscription")).to_have_count(0)
    page.reload()
    expect(page.locator('input[name="key"]')).to_have_value("")


def test_a_test_message_is_sent_by_e_mail_and_listed(
    page: Page, api_key: str, served_store: EmbeddedStore
) -> None:
    """An agency checks its e-mail alert: 试发送 queues a message through the normal delivery
    path; once the delivery worker has run (a round of it here, as `iphub serve` runs it) the
    message is in the inbox of a real SMTP server and the row's deliveries say so."""
    page.goto("/alerts?kind=patent&q=电池")
    _use_key(page, api_key)
    form = page.get_by_test_id("new-subscription")
    form.locator('select[name="channel"]').select_option("email")
    form.locator('input[name="target"]').fill("ops@example.com")
    form.locator("button.primary").click()
    row = page.get_by_test_id("subscriptions").locator("tbody tr").first
    expect(row).to_contain_text("ops@example.com")
    row.get_by_test_id("deliveries").click()
    expect(page.get_by_test_id("history")).to_have_text("还没有投递。")
    row.get_by_test_id("deliveries").click()  # closed again
    expect(page.get_by_test_id("history")).to_have_count(0)

    row.get_by_test_id("test").click()
    expect(row.get_by_test_id("note")).to_have_text("已排队试发送，投递后见记录。")
    with running_smtp() as inbox:
        database = open_db(_alerts_db(served_store))
        try:
            settings = Settings(store=f"sqlite:///{served_store.path}", smtp_port=inbox.port)
            while run_once(database, settings, "browser-test", WorkerStats()):
                pass
        finally:
            database.close()
    assert [m["To"] for m in inbox.messages] == ["ops@example.com"]
    assert "测试消息" in str(inbox.messages[0]["Subject"])
    row.get_by_test_id("deliveries").click()
    expect(page.get_by_test_id("history")).to_contain_text("测试消息 · 已送达")
    page.get_by_test_id("lang").click()
    expect(page.get_by_test_id("history")).to_contain_text("Test message · delivered")


def test_watch_a_mark_and_follow_a_patent_from_their_pages(page: Page, api_key: str) -> None:
    """An SME that cleared its mark watches for similar filings; an agency follows a patent's
    legal status: each record's page opens the 订阅 page with the watch filled in."""
    page.goto("/records/CN-TM-10000004")
    page.get_by_test_id("watch-link").click()
    expect(page).to_have_url(
        re.compile(r"/alerts\?type=trademark_watch&mark=.+&nc=9&nc=36&holder=")
    )
    _use_key(page, api_key)
    form = page.get_by_test_id("new-subscription")
    expect(form.locator('select[name="type"]')).to_have_value("trademark_watch")
    expect(form.locator('input[name="mark"]')).to_have_value("羊城通")
    expect(form.locator('input[name="classes"]')).to_have_value("9 36")
    expect(form.locator('input[name="holder"]')).to_have_value("广州羊城通有限公司")
    form.locator('input[name="classes"]').fill("9 x")  # not a class: the API says which field
    form.locator("button.primary").click()
    expect(page.get_by_test_id("subscription-problem")).to_contain_text("nice_classes")
    form.locator('input[name="classes"]').fill("9，３６")
    form.locator("button.primary").click()
    rows = page.get_by_test_id("subscriptions").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("近似商标监测")
    expect(rows.first).to_contain_text("羊城通 · 9, 36")

    page.goto("/records/CN114000001A")
    page.get_by_test_id("watch-link").click()
    expect(page).to_have_url(re.compile(r"/alerts\?type=record_watch&pn=CN114000001A$"))
    form = page.get_by_test_id("new-subscription")
    expect(form.locator('textarea[name="numbers"]')).to_have_value("CN114000001A")
    form.locator('textarea[name="numbers"]').fill("CN114000001A\nCN119999999A")  # one to come
    form.locator('textarea[name="applicants"]').fill("华南理工大学")
    form.locator("button.primary").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("subscriptions")).to_contain_text(
        "CN114000001A, CN119999999A, 华南理工大学"
    )
    expect(page.get_by_test_id("unresolved")).to_have_text(
        "尚未入库：CN119999999A（入库后开始跟踪）"
    )
    screenshot(page, "alerts-watches")
    listed = page.request.get("/api/v1/subscriptions", headers={"X-API-Key": api_key}).json()
    watched = {s["type"]: s for s in listed}
    assert watched["trademark_watch"]["watch"] == {
        "mark": "羊城通",
        "nice_classes": [9, 36],
        "threshold": None,
        "holder": "广州羊城通有限公司",
    }
    assert watched["record_watch"]["records"] == {
        "numbers": ["CN114000001A", "CN119999999A"],
        "applicants": ["华南理工大学"],
    }
    assert watched["record_watch"]["unresolved"] == ["CN119999999A"]


def test_the_alerts_page_on_a_phone(page: Page, api_key: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/alerts?kind=patent&q=锂电池")
    _use_key(page, api_key)
    page.get_by_test_id("new-subscription").locator("button.primary").click()
    expect(page.get_by_test_id("subscriptions").locator("tbody tr")).to_have_count(1)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0  # the table scrolls in its own box
    screenshot(page, "alerts-phone")


def test_copyright_searches_offer_no_subscription(page: Page) -> None:
    """Saved queries follow patents and trademarks (the matcher's kinds)."""
    page.goto("/trademarks?q=云山")
    expect(page.get_by_test_id("subscribe")).to_have_attribute(
        "href", "/alerts?kind=trademark&q=%E4%BA%91%E5%B1%B1"
    )
    page.goto("/copyrights?q=软件")
    expect(page.get_by_test_id("total")).to_be_visible()
    expect(page.get_by_test_id("subscribe")).to_have_count(0)


def test_a_squatting_watch_and_a_profile_feed_from_the_page(page: Page, api_key: str) -> None:
    """An owner warned of imitations of its marks, and a firm fed the filings closest to its own
    portfolio: both made, listed and edited on the page, not only through the API; a
    trademark's page opens the squatting watch filled in."""
    page.goto("/records/CN-TM-10000001")
    page.get_by_test_id("squatting-link").click()
    expect(page).to_have_url(re.compile(r"/alerts\?type=squatting_watch&mark=.+&nc=30&holder="))
    _use_key(page, api_key)
    form = page.get_by_test_id("new-subscription")
    expect(form.locator('select[name="type"]')).to_have_value("squatting_watch")
    expect(form.locator('textarea[name="marks"]')).to_have_value("云山")
    expect(form.locator('textarea[name="holders"]')).to_have_value("广州云山茶业有限公司")
    form.locator('textarea[name="marks"]').fill("云山\n云山茶语")
    form.locator('input[name="bulk"]').check()
    form.locator("button.primary").click()
    expect(page.get_by_test_id("created")).to_contain_text("已创建订阅“云山”")
    row = page.get_by_test_id("subscriptions").locator("tbody tr", has_text="抢注预警")
    expect(row).to_contain_text("云山, 云山茶语 · 30")

    row.get_by_test_id("edit").click()
    expect(form.locator('input[name="bulk"]')).to_be_checked()
    form.locator('input[name="classes"]').fill("30 43")
    form.locator("button.primary").click()
    expect(row).to_contain_text("云山, 云山茶语 · 30, 43")

    form.locator('select[name="type"]').select_option("profile")  # its name: the new type's
    form.locator('input[name="applicant"]').fill("华南理工大学")
    form.locator('input[name="top_n"]').fill("5")
    form.locator("button.primary").click()
    expect(page.get_by_test_id("created")).to_contain_text("已创建订阅“华南理工大学”")
    feed = page.get_by_test_id("subscriptions").locator("tbody tr", has_text="精准推送")
    expect(feed.locator("td").nth(2)).to_have_text("华南理工大学")  # what it follows: the firm
    feed.get_by_test_id("edit").click()
    expect(page.get_by_test_id("profile-apart")).to_contain_text("PUT /api/v1/subscriptions/")
    form.locator('input[name="name"]').fill("华工画像推送")
    form.locator("button.primary").click()
    expect(
        page.get_by_test_id("subscriptions").locator("tbody tr", has_text="精准推送")
    ).to_contain_text("华工画像推送")
    expect(feed.get_by_test_id("warning")).to_have_count(0)  # the firm has filings to profile


def test_a_profile_feed_of_a_firm_without_filings_says_it_has_nothing_yet(
    page: Page, api_key: str
) -> None:
    """A firm may file later, so its feed is made; the list says why it sends nothing yet."""
    page.goto("/alerts?type=profile")
    _use_key(page, api_key)
    form = page.get_by_test_id("new-subscription")
    form.locator('select[name="type"]').select_option("profile")
    form.locator('input[name="applicant"]').fill("不存在的公司XYZ")
    form.locator("button.primary").click()
    expect(page.get_by_test_id("created")).to_contain_text("已创建订阅")
    feed = page.get_by_test_id("subscriptions").locator("tbody tr", has_text="不存在的公司XYZ")
    expect(feed.get_by_test_id("warning")).to_be_visible()
    expect(feed.get_by_test_id("warning")).to_contain_text("未找到该申请人的专利")
