"""The similar-mark search page (近似商标): an SME checks a proposed mark against the register
before filing, reads why each mark is similar, opens one, and watches for new ones."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_clear_a_mark_before_filing(page: Page) -> None:
    page.goto("/trademarks")
    page.locator('a.tab[data-kind="marks"]').click()
    expect(page).to_have_url(re.compile(r"/marks$"))
    expect(page.locator("h1")).to_have_text("近似商标查询")
    page.get_by_test_id("mark").fill("云山")
    page.get_by_test_id("classes").fill("３０")  # full-width, as a Chinese keyboard types it
    page.get_by_test_id("search").click()
    expect(page).to_have_url(re.compile(r"/marks\?mark=%E4%BA%91%E5%B1%B1&nc=30$"))
    results = page.get_by_test_id("marks-results")
    expect(results.get_by_test_id("summary")).to_contain_text("近似商标")
    first = results.locator("ol.similar-marks > li").first
    expect(first).to_have_attribute("data-id", "CN-TM-10000001")
    expect(first.get_by_test_id("score")).to_have_text("100%")
    expect(first.get_by_test_id("signals")).to_have_text(re.compile(r"相同\s*同一类别"))
    expect(first).to_contain_text("高度近似")
    expect(first.get_by_test_id("goods")).to_have_text("商品/服务：茶；茶饮料")
    expect(results.locator('li[data-id="CN-TM-10000010"] [data-signal="contains"]')).to_have_text(
        "包含"
    )
    expect(
        results.locator('li[data-id="CN-TM-10000003"] [data-signal="related_class"]')
    ).to_have_text("类似群组")  # 云山雅居 in class 43, of class 30's group
    expect(results.locator('li[data-id="CN-TM-10000002"]')).to_have_count(0)  # 白云山: class 5
    screenshot(page, "marks")

    page.get_by_test_id("lang").click()
    expect(first.get_by_test_id("signals")).to_have_text(re.compile(r"identical\s*same class"))
    expect(page.locator("h1")).to_have_text("Similar-mark search")
    page.get_by_test_id("lang").click()

    page.get_by_test_id("mark").fill("别的")  # typed, not asked: the links keep the answer's
    expect(page.get_by_test_id("words")).to_have_attribute(
        "href", "/trademarks?q=tm=%E4%BA%91%E5%B1%B1"
    )
    page.get_by_test_id("watch").click()
    expect(page).to_have_url(re.compile(r"/alerts\?type=trademark_watch&mark=.+&nc=30$"))
    page.go_back()
    page.get_by_test_id("squatting").click()
    expect(page).to_have_url(re.compile(r"/alerts\?type=squatting_watch&mark=.+&nc=30$"))
    page.go_back()
    first.get_by_test_id("mark-link").click()
    expect(page).to_have_url(re.compile(r"/records/CN-TM-10000001$"))


def test_a_bad_class_is_said_and_nothing_found_is_said(page: Page) -> None:
    page.goto("/marks?mark=%E4%BA%91%E5%B1%B1&nc=99")
    expect(page.get_by_test_id("mark")).to_have_value("云山")
    expect(page.get_by_test_id("problem")).to_have_text("尼斯分类应为 1–45：99")
    page.get_by_test_id("classes").fill("30")
    page.get_by_test_id("search").click()
    expect(page.get_by_test_id("problem")).to_have_count(0)
    expect(page.get_by_test_id("marks-results")).to_be_visible()
    page.get_by_test_id("mark").fill("PEARL RIVER")
    page.get_by_test_id("classes").fill("")
    page.get_by_test_id("live").check()  # the only PEARL RIVER is invalid
    page.get_by_test_id("search").click()
    expect(page).to_have_url(re.compile(r"mark=PEARL\+RIVER&live=1$"))
    expect(page.get_by_test_id("none")).to_be_visible()


def test_marks_on_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/marks?mark=%E4%BA%91%E5%B1%B1&nc=30")
    expect(page.locator("ol.similar-marks > li").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_mark_search_and_a_marks_page_lead_to_its_similar_marks(page: Page) -> None:
    page.goto("/trademarks?q=%E4%BA%91%E5%B1%B1&f=nc%3D30")
    page.get_by_test_id("similar-marks").click()
    expect(page).to_have_url(re.compile(r"/marks\?mark=%E4%BA%91%E5%B1%B1&nc=30$"))
    expect(page.locator('li[data-id="CN-TM-10000001"]')).to_be_visible()
    page.goto("/trademarks?q=tm%3D%E4%BA%91%E5%B1%B1%20AND%20nc%3D30")  # a query, not a mark
    expect(page.locator("ol.hits li").first).to_be_visible()
    expect(page.get_by_test_id("similar-marks")).to_have_count(0)
    page.goto("/records/CN-TM-10000004")
    page.get_by_test_id("similar-marks").click()
    expect(page).to_have_url(re.compile(r"/marks\?mark=.+&nc=9,36$"))
    expect(page.locator('li[data-id="CN-TM-10000004"]')).to_be_visible()  # itself, identical


def test_the_register_says_which_classes_goods_are_filed_in(page: Page) -> None:
    """An SME that does not know the Nice classification names its goods; the register's own
    filings say the classes, and one click adds one to the search."""
    page.goto("/marks")
    page.get_by_test_id("classes").fill("9")
    page.get_by_test_id("goods-input").fill("茶饮料")
    page.get_by_test_id("suggest").click()
    suggested = page.get_by_test_id("suggested")
    expect(suggested).to_contain_text("已有商标多把这类商品/服务申请在")
    suggested.locator('button[data-class="30"]').click()
    expect(page.get_by_test_id("classes")).to_have_value("9 30")
    page.get_by_test_id("goods-input").fill("宇宙飞船")
    page.get_by_test_id("suggest").click()
    expect(suggested).to_have_text("没有商标申请过这类商品/服务，请换个说法。")
