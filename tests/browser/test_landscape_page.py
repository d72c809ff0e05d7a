"""The landscape page (专利导航) in real Chromium: an agency types a technology and reads its
trend, leading applicants, classes and geography, and downloads a block's figures."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_landscape_of_a_technology(page: Page) -> None:
    page.goto("/patents")
    page.locator('a.tab[data-kind="landscape"]').click()
    expect(page).to_have_url(re.compile(r"/landscape$"))
    expect(page.locator("h1")).to_have_text("专利导航")
    page.locator('input[name="q"]').fill("电池")
    page.get_by_test_id("landscape-form").locator("button.primary").click()
    expect(page).to_have_url(re.compile(r"/landscape\?q=%E7%94%B5%E6%B1%A0$"))

    api = page.request.get(f"/api/v1/stats/landscape?q={quote('电池')}").json()
    searched = page.request.get(f"/api/v1/patents/search?q={quote('电池')}").json()
    assert api["total"] == searched["total"] > 1  # the records the search box shows
    expect(page.get_by_test_id("landscape-total")).to_have_text(f"共 {api['total']} 条记录")
    expect(page.get_by_test_id("landscape-query")).to_have_text("电池")

    trend = page.locator('[data-block="trend"]')
    expect(trend.locator("svg")).to_be_visible()
    expect(trend.locator("svg")).to_contain_text("CN")  # a series per applicant country
    leaders = page.locator('[data-block="top_applicants"]')
    expect(leaders.locator("svg")).to_be_visible()
    leaders.locator("summary").click()
    expect(leaders.locator("thead th")).to_have_text(["申请人", "申请年", "数量"])
    expect(leaders.locator("tbody")).to_contain_text("华南理工大学")
    classes = page.locator('[data-block="classes"] tbody')  # a table only: open
    expect(classes).to_contain_text("IPC 小类")
    expect(classes).to_contain_text("H01M")
    expect(page.locator('[data-block="new_entrants"] .note')).to_contain_text("年首次申请")
    screenshot(page, "landscape")

    with page.expect_download() as info:
        page.get_by_test_id("csv-districts").click()
    download = info.value
    assert download.suggested_filename == "iphub-landscape-patent-districts.csv"
    lines = download.path().read_bytes().decode("utf-8-sig").strip().split("\r\n")
    assert lines[0] == "区,数量"
    expected = [f"{key or '未知'},{count}" for key, count in api["blocks"]["districts"]["rows"]]
    assert lines[1:] == expected

    page.get_by_test_id("lang").click()
    expect(page.locator("h1")).to_have_text("Patent landscape")
    expect(leaders.locator("thead th")).to_have_text(["Applicant", "Filing year", "Count"])
    expect(page.get_by_test_id("landscape-total")).to_have_text(f"{api['total']} records")
    page.get_by_test_id("lang").click()

    # an applicant in the table opens the search of the query and that applicant's filings
    filed = sum(r[2] for r in api["blocks"]["top_applicants"]["rows"] if r[0] == "华南理工大学")
    leaders.get_by_test_id("applicant-search").filter(has_text="华南理工大学").first.click()
    expect(page).to_have_url(re.compile(r"/patents\?q=%E7%94%B5%E6%B1%A0&f=pak"))
    expect(page.locator(".chip")).to_contain_text("华南理工大学")
    expect(page.get_by_test_id("total")).to_have_text(f"共 {filed} 条结果")


def test_landscape_of_trademarks_and_a_malformed_query(page: Page) -> None:
    page.goto(f"/landscape?kind=trademark&q={quote('云山')}")
    expect(page.locator('select[name="kind"]')).to_have_value("trademark")
    expect(page.get_by_test_id("landscape-total")).to_have_text(re.compile(r"^共 \d+ 条记录$"))
    expect(page.locator('[data-block="classes"] tbody')).to_contain_text("尼斯分类")
    expect(page.locator('[data-block="key_terms"]')).to_have_count(0)  # patents only
    page.locator('select[name="top"]').select_option("5")
    expect(page).to_have_url(re.compile(r"top=5"))
    years = page.locator('input[name="years"]')
    years.fill("25")  # the API takes 1-10: the form says so before asking it
    page.get_by_test_id("landscape-form").locator("button.primary").click()
    assert years.evaluate("e => e.validity.rangeOverflow")
    expect(page).not_to_have_url(re.compile(r"years="))

    page.goto(f"/landscape?q={quote('ti=')}")
    expect(page.get_by_test_id("error")).to_be_visible()
    expect(page.get_by_test_id("landscape-total")).to_have_count(0)


def test_landscape_of_a_key_industry_collection(page: Page) -> None:
    """An industry association picks its key-industry collection (专题数据库): the landscape
    is of the collection's definition, as the API answers for ``collection=``."""
    page.goto("/landscape")
    collections = page.locator('select[name="collection"]')
    expect(collections.locator("option")).to_contain_text(["不限", "智能与新能源汽车"])
    collections.select_option("nev")
    expect(page).to_have_url(re.compile(r"collection=nev"))
    api = page.request.get("/api/v1/stats/landscape?collection=nev").json()
    assert api["total"] > 0
    assert api["query"] == "coll=nev"  # the collection, as a search can name it
    expect(page.get_by_test_id("landscape-query")).to_have_text(api["query"])
    expect(page.get_by_test_id("landscape-total")).to_have_text(f"共 {api['total']} 条记录")
    # an applicant opens the search limited to the same collection, with the collection select
    leader = api["blocks"]["top_applicants"]["rows"][0][0]
    filed = sum(r[2] for r in api["blocks"]["top_applicants"]["rows"] if r[0] == leader)
    leaders = page.locator('[data-block="top_applicants"]')
    leaders.locator("summary").click()  # the table under the chart
    leaders.get_by_test_id("applicant-search").filter(has_text=leader).first.click()
    expect(page).to_have_url(re.compile(r"/patents\?f=coll(=|%3D)nev&f=pak"))
    expect(page.locator('select[name="collection"]')).to_have_value("nev")
    expect(page.get_by_test_id("total")).to_have_text(f"共 {filed} 条结果")
    page.go_back()
    page.locator('select[name="kind"]').select_option("trademark")  # defined over patents
    expect(page).to_have_url(re.compile(r"kind=trademark$"))
    expect(page.locator('select[name="collection"]')).to_have_count(0)


def test_landscape_on_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/landscape?q={quote('电池')}")
    expect(page.locator('[data-block="top_applicants"] svg')).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    lines = page.locator("a.tab").evaluate_all(
        "els => els.map((e) => { const r = document.createRange(); r.selectNodeContents(e);"
        " return r.getClientRects().length })"
    )
    assert lines == [1] * 7  # each tab's name on one line (著作权, not 著/作/权)
    screenshot(page, "landscape-phone")


def test_a_record_leads_to_the_landscape_of_its_technology(page: Page) -> None:
    """From a patent found in a search to the landscape of its IPC subclass."""
    page.goto("/records/CN114000001A")
    link = page.get_by_test_id("landscape-link")
    expect(link).to_contain_text("H01M 的专利导航")
    link.click()
    expect(page).to_have_url(re.compile(r"/landscape\?q=ipc(=|%3D)H01M$"))
    api = page.request.get("/api/v1/stats/landscape?q=ipc%3DH01M").json()
    expect(page.get_by_test_id("landscape-query")).to_have_text("ipc=H01M")
    expect(page.get_by_test_id("landscape-total")).to_have_text(f"共 {api['total']} 条记录")
