"""The statistics page in real Chromium: pick a district and an industry, read the charts,
the table and the CSV of exactly those figures; the plan indicators below."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from iphub.store.embedded import EmbeddedStore
from nlp.enrich import enrich
from tests.browser.conftest import screenshot
from tests.conformance.contract import COPYRIGHTS

pytestmark = pytest.mark.browser


def test_holdings_of_a_district_and_industry(page: Page) -> None:
    page.goto("/patents")
    page.locator('a.tab[data-kind="stats"]').click()
    expect(page).to_have_url(re.compile(r"/stats$"))
    expect(page.locator("h1")).to_have_text("知识产权统计")
    expect(page.locator('[data-test="bar-chart"] svg')).to_be_visible()
    expect(page.locator('[data-test="trend-chart"] svg')).to_be_visible()

    page.locator('select[name="dist"]').select_option("天河区")
    expect(page).to_have_url(re.compile(r"dist=%E5%A4%A9%E6%B2%B3%E5%8C%BA"))
    page.locator('select[name="ind"]').select_option("新能源与节能环保")
    page.locator('select[name="group_by"]').select_option("applicant")
    expect(page).to_have_url(re.compile(r"group_by=applicant"))
    understood = 'dist="天河区" AND ind="新能源与节能环保"'
    expect(page.get_by_test_id("stats-query")).to_have_text(understood)
    table = page.get_by_test_id("holdings-table")
    expect(table.locator("thead th")).to_have_text(["申请人", "申请量", "授权量", "有效量"])
    expect(table).to_contain_text("华南理工大学")
    totals = page.get_by_test_id("totals")
    expect(totals.locator("dd")).to_have_text(["2", "1", "1"])
    expect(page.locator('[data-test="bar-chart"] svg path').first).to_be_attached()

    indicators = page.get_by_test_id("indicators")
    expect(indicators.locator("tr[data-indicator]")).to_have_count(7)
    density = indicators.get_by_test_id("by-district").first
    expect(density.get_by_test_id("note")).to_have_text("无人口数据")  # in the page's language
    expect(density).to_contain_text(re.compile(r"件数 \d+，人口"))
    per_head = indicators.locator('tr[data-indicator="valid_invention_density"] [data-test="unit"]')
    expect(per_head).to_have_text("（件/万人）")  # the unit in the page's language
    screenshot(page, "stats")

    with page.expect_download() as info:
        page.get_by_test_id("csv").click()
    download = info.value
    assert download.suggested_filename == "iphub-patent-applicant.csv"
    text = download.path().read_bytes().decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0] == "申请人,申请量,授权量,有效量"
    rows = table.locator("tbody tr")
    assert len(lines) - 1 == rows.count()
    assert any(line.startswith("华南理工大学,") for line in lines[1:])

    page.reload()  # the URL holds the state
    expect(page.locator('select[name="dist"]')).to_have_value("天河区")
    expect(page.locator('select[name="group_by"]')).to_have_value("applicant")


def test_heatmap_of_two_dimensions(page: Page) -> None:
    page.goto("/stats?kind=trademark&group_by=district,year")
    expect(page.locator('[data-test="heatmap"] svg')).to_be_visible()
    expect(page.get_by_test_id("holdings-table").locator("thead th")).to_have_count(5)
    page.get_by_test_id("lang").click()
    expect(page.locator("h1")).to_have_text("IP statistics")
    expect(page.get_by_test_id("csv")).to_have_text("Download CSV")
    expect(page.get_by_test_id("holdings-table").locator("thead th")).to_have_text(
        ["District", "Filing year", "Applications", "Grants", "Valid"]
    )
    indicators = page.get_by_test_id("indicators")
    density = indicators.locator('tr[data-indicator="valid_invention_density"]')
    expect(density.locator("th")).to_contain_text("per 10,000 residents")
    expect(density.get_by_test_id("unit")).to_have_count(0)  # the name says it once
    by_district = indicators.get_by_test_id("by-district").first
    expect(by_district).to_contain_text(re.compile(r"Count \d+, Population"))
    expect(by_district.get_by_test_id("note")).to_have_text("no population figure")
    screenshot(page, "stats-heatmap")


def test_copyright_registrations_by_type(page: Page, served_store: EmbeddedStore) -> None:
    """An official counts the software and works registrations of the city's owners: one
    figure, the registrations; no industry (registrations are not tagged with one)."""
    software, works = (enrich(c) for c in COPYRIGHTS)
    registrations = [software, works.model_copy(update={"applicants": software.applicants})]
    served_store.upsert(registrations)
    served_store.refresh()
    try:
        page.goto("/stats")
        page.locator('select[name="kind"]').select_option("copyright")
        expect(page).to_have_url(re.compile(r"kind=copyright"))
        expect(page.locator('select[name="ind"]')).to_have_count(0)
        page.locator('select[name="group_by"]').select_option("kind")
        table = page.get_by_test_id("holdings-table")
        expect(table.locator("thead th")).to_have_text(["登记类型", "登记量"])
        expect(table.locator("tbody tr")).to_have_count(2)
        expect(table.locator("tbody td:first-child")).to_have_text(["计算机软件", "作品"])
        expect(page.get_by_test_id("bar-chart").locator("figcaption")).to_have_text(
            "按登记类型分布"
        )
        expect(page.get_by_test_id("totals").locator("dt")).to_have_text(["登记量"])
        expect(page.get_by_test_id("totals").locator("dd")).to_have_text(["2"])
        screenshot(page, "stats-copyrights")
    finally:
        served_store.delete([c.id for c in COPYRIGHTS])
        served_store.refresh()


def test_a_name_typed_in_part_is_counted_as_a_string(page: Page) -> None:
    """The figures of a query are those of the records the search box shows for it: part of a
    title, whose words find nothing, is counted as a string, and the page says so."""
    page.goto("/stats?q=池正极材")
    expect(page.get_by_test_id("stats-query")).to_have_text('"池正极材"')
    expect(page.get_by_test_id("stats-as-strings")).to_contain_text("按连续字符串检索")
    expect(page.get_by_test_id("totals").locator("dd").first).to_have_text("1")
    page.goto("/stats?q=锂电池")
    expect(page.get_by_test_id("stats-query")).to_have_text("锂电池")
    expect(page.get_by_test_id("stats-as-strings")).to_have_count(0)


def test_holdings_of_a_key_industry_collection(page: Page) -> None:
    """An official counts the holdings of a key-industry collection (专题数据库): the figures
    are the API's for ``collection=``, and the collection is for patents only."""
    page.goto("/stats")
    page.locator('select[name="collection"]').select_option("nev")
    expect(page).to_have_url(re.compile(r"collection=nev"))
    api = page.request.get("/api/v1/stats/holdings?collection=nev&group_by=district").json()
    assert api["total"]["applications"] > 0
    expect(page.get_by_test_id("stats-query")).to_have_text(api["query"])
    totals = page.get_by_test_id("totals").locator("dd")
    expect(totals.first).to_have_text(str(api["total"]["applications"]))
    page.locator('select[name="kind"]').select_option("trademark")
    expect(page).not_to_have_url(re.compile(r"collection="))
    expect(page.locator('select[name="collection"]')).to_have_count(0)


def test_holdings_lead_to_the_landscape_of_the_same_records(page: Page) -> None:
    page.goto("/stats?dist=天河区&q=电池")
    link = page.get_by_test_id("to-landscape")
    expect(link).to_contain_text("专利导航")
    link.click()
    expect(page).to_have_url(re.compile(r"/landscape\?q="))
    expect(page.get_by_test_id("landscape-query")).to_have_text('dist="天河区" AND 电池')
    page.goto("/stats?kind=copyright")
    expect(page.get_by_test_id("totals")).to_be_visible()
    expect(page.get_by_test_id("to-landscape")).to_have_count(0)  # no landscape of registrations
