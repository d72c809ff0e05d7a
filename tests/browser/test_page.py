"""What a person does on the page, in real Chromium against the app serving the test corpus."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from iphub.store.embedded import EmbeddedStore
from tests.browser.conftest import screenshot
from tests.conformance.contract import COPYRIGHTS

pytestmark = pytest.mark.browser


def _search(page: Page, query: str) -> None:
    box = page.locator("#q")
    box.fill(query)
    box.press("Enter")


def test_type_a_query(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/patents$"))
    _search(page, "锂电池")
    expect(page).to_have_url(re.compile(r"/patents\?q=%E9%94%82%E7%94%B5%E6%B1%A0$"))
    hits = page.locator("li.hit")
    expect(hits).to_have_count(3)
    expect(page.get_by_test_id("total")).to_have_text("共 3 条结果")
    first = page.locator('li.hit[data-id="CN114000001A"]')
    expect(first.locator("h3 em")).to_have_text("锂电池")
    expect(first).to_contain_text("华南理工大学")
    expect(page.get_by_test_id("freshness")).to_contain_text("fixture")
    screenshot(page, "search-results")
    page.locator('a.tab[data-kind="trademark"]').click()  # the words go along to the other tab
    expect(page).to_have_url(re.compile(r"/trademarks\?q=%E9%94%82%E7%94%B5%E6%B1%A0$"))
    expect(page.get_by_test_id("empty")).to_be_visible()


def test_select_facets_and_remove_chip(page: Page) -> None:
    page.goto("/patents?q=锂电池")
    expect(page.locator("li.hit")).to_have_count(3)
    page.locator('input[data-query="dist=番禺区"]').check()
    expect(page).to_have_url(re.compile(r"f=dist(=|%3D)%E7%95%AA%E7%A6%BA%E5%8C%BA"))
    expect(page.locator("li.hit")).to_have_count(1)
    expect(page.locator('li.hit[data-id="CN114000017A"]')).to_be_visible()
    page.locator('input[data-query="dist=天河区"]').check()  # same facet: ORed
    expect(page.locator("li.hit")).to_have_count(2)
    chips = page.locator(".chip")
    expect(chips).to_have_count(2)
    subclass = page.locator('[data-facet="ipc_subclass"] label.bucket', has_text="H01M")
    title = re.compile(r"^Processes or means, e\.g\. batteries")
    expect(subclass).to_have_attribute("title", title)
    screenshot(page, "search-facets")
    page.locator('.chip[data-filter="dist=番禺区"]').click()
    expect(page.locator("li.hit")).to_have_count(1)
    page.go_back()  # the URL holds the state
    expect(page.locator("li.hit")).to_have_count(2)


def test_search_within_a_key_industry_collection(page: Page) -> None:
    """An agency limits a prior-art search to a key-industry collection (专题数据库): a filter
    (``coll=``) shown by its name, kept in the URL, exported and removable as any other."""
    page.goto("/patents?q=电池")
    collections = page.locator('select[name="collection"]')
    expect(collections.locator("option")).to_contain_text(["不限", "智能与新能源汽车"])
    collections.select_option("nev")
    expect(page).to_have_url(re.compile(r"f=coll(=|%3D)nev"))
    api = page.request.get("/api/v1/patents/search", params={"q": "(电池) AND coll=nev"}).json()
    assert 0 < api["total"] < page.request.get("/api/v1/patents/search?q=电池").json()["total"]
    expect(page.get_by_test_id("total")).to_have_text(f"共 {api['total']} 条结果")
    expect(page.locator('.chip[data-filter="coll=nev"]')).to_contain_text(
        "专题数据库：智能与新能源汽车"
    )
    expect(page.get_by_test_id("export-csv")).to_have_attribute("href", re.compile("coll%3Dnev"))
    page.get_by_test_id("lang").click()
    expect(page.locator('.chip[data-filter="coll=nev"]')).to_contain_text(
        "key-industry collection: Intelligent and new-energy vehicles"
    )
    page.get_by_test_id("lang").click()
    page.locator('.chip[data-filter="coll=nev"]').click()
    expect(page).not_to_have_url(re.compile("coll"))
    expect(collections).to_have_value("")
    page.locator('a.tab[data-kind="trademark"]').click()  # collections are of patents
    expect(page.get_by_test_id("empty").or_(page.locator("li.hit")).first).to_be_visible()
    expect(page.locator('select[name="collection"]')).to_have_count(0)
    # nothing found within it: the hint to drop the collection names it
    page.goto("/patents?q=疫苗&f=coll%3Dnev")
    expect(page.get_by_test_id("empty")).to_contain_text("去掉条件 智能与新能源汽车")
    page.get_by_text("去掉条件 智能与新能源汽车").click()
    expect(page).to_have_url(re.compile(r"/patents\?q=%E7%96%AB%E8%8B%97$"))
    expect(page.locator("li.hit").first).to_be_visible()


def test_open_a_record_and_search_its_applicant(page: Page) -> None:
    page.goto("/patents?q=锂电池")
    page.locator('li.hit[data-id="CN114000001A"] h3 a').click()
    expect(page).to_have_url(re.compile(r"/records/CN114000001A$"))
    expect(page.locator("h1")).to_have_text("一种锂电池正极材料及其制备方法")
    expect(page.locator("h1")).to_be_focused()
    expect(page.locator('dd[data-field="application_number"]')).to_have_text("CN202110000001.6")
    expect(page.locator("table.parties")).to_contain_text("高校")
    expect(page.locator("table.parties")).to_contain_text("天河区")
    expect(page.get_by_test_id("search-ipc")).to_have_count(2)
    lithium = page.locator('[data-field="ipc"] li[data-code="H01M 10/0525"]')
    expect(lithium.get_by_test_id("ipc-title")).to_contain_text("Lithium-ion batteries")
    expect(lithium.get_by_test_id("ipc-path")).to_have_text(
        "H 电学 › H01 Basic electric elements › H01M Processes or means, e.g. batteries, for the "
        "direct conversion of chemical energy into electrical energy"
    )
    screenshot(page, "record")
    page.get_by_test_id("search-applicant").first.click()
    expect(page).to_have_url(re.compile(r"/patents\?q=pak(=|%3D)"))
    expect(page.locator("li.hit")).to_have_count(3)


def test_switch_language(page: Page) -> None:
    page.goto("/trademarks?q=tm%3D云山 AND nc%3D30")
    expect(page.locator("li.hit")).to_have_count(2)
    page.get_by_test_id("lang").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("total")).to_have_text("2 results")
    expect(page.locator("button.primary")).to_have_text("Search")
    expect(page.locator(".export")).to_have_text(
        re.compile(r"^Export: \s*CSV\s*JSONL \(up to 10,000 records\)$")
    )
    screenshot(page, "english")
    page.reload()  # the choice is kept
    expect(page.get_by_test_id("total")).to_have_text("2 results")
    page.get_by_test_id("lang").click()
    expect(page.get_by_test_id("total")).to_have_text("共 2 条结果")


def test_query_error_is_shown_at_its_position(page: Page) -> None:
    page.goto("/patents")
    _search(page, "ti=(电池")
    error = page.get_by_test_id("query-error")
    expect(error).to_contain_text("第 4 个字符处")
    expect(error).to_contain_text("左括号")
    expect(error.locator("mark")).to_be_visible()
    expect(page.locator("#q")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "query-error")
    _search(page, "ti=(电池)")
    expect(error).to_have_count(0)
    expect(page.locator("li.hit").first).to_be_visible()


def test_enter_searches_while_the_first_answer_is_still_loading(page: Page) -> None:
    # The page opens with a search of everything; a person who types at once and presses
    # Enter before that answer arrives must get their own search, and the late answer must
    # not replace it. The first answer is held back until after Enter.
    held: list[Route] = []

    def hold_first(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/api/v1/patents/search?*", hold_first)
    page.goto("/patents")
    for _ in range(100):  # the route handler runs while playwright waits: until the first comes
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1, "the page's first search never reached the server"
    expect(page.locator("p.loading")).to_be_visible()
    _search(page, "ti=(电池")
    error = page.get_by_test_id("query-error")
    expect(error).to_contain_text("第 4 个字符处")
    held[0].continue_()
    page.wait_for_load_state("networkidle")
    expect(error).to_contain_text("第 4 个字符处")
    expect(page.locator("li.hit")).to_have_count(0)


def test_error_position_maps_back_through_filters(page: Page) -> None:
    page.goto("/patents?q=ti%3D&f=dist%3D天河区")
    expect(page.get_by_test_id("query-error")).to_contain_text("第 4 个字符处")


def test_syntax_help_example(page: Page) -> None:
    page.goto("/trademarks")
    page.get_by_test_id("help-toggle").click()
    help_panel = page.get_by_test_id("help")
    expect(help_panel).to_contain_text("nc=")
    codes = help_panel.locator("dl")
    expect(codes).to_contain_text("注册号/申请号")  # pn=, as a trademark search reads it
    expect(codes).to_contain_text("初审公告日")
    expect(codes).not_to_contain_text("公开(公告)号")
    expect(codes).not_to_contain_text("coll=")  # collections are of patents
    screenshot(page, "syntax-help")
    help_panel.get_by_role("button", name="tm=云山 AND nc=30").click()
    expect(page.locator("#q")).to_have_value("tm=云山 AND nc=30")
    expect(page.locator("li.hit")).to_have_count(2)


def test_syntax_help_names_the_collections_coll_takes(page: Page) -> None:
    page.goto("/patents")
    page.get_by_test_id("help-toggle").click()
    codes = page.get_by_test_id("help").locator("dl")
    expect(codes).to_contain_text("专题数据库（重点产业）：nev new-energy biomedicine")


def test_empty_result_suggests_relaxing(page: Page) -> None:
    page.goto("/patents?q=ti%3D量子纠缠&f=dist%3D天河区")
    empty = page.get_by_test_id("empty")
    expect(empty).to_be_visible()
    screenshot(page, "empty")
    empty.get_by_role("link", name=re.compile("去掉条件 天河区")).click()
    expect(page).to_have_url(re.compile(r"/patents\?q=ti(=|%3D)%E9%87%8F"))
    expect(page.get_by_test_id("empty")).to_be_visible()


def test_sort_and_pages(page: Page) -> None:
    page.goto("/patents")
    expect(page.get_by_test_id("total")).to_have_text("共 20 条结果")
    page.get_by_test_id("sort").select_option("date_asc")
    expect(page).to_have_url(re.compile(r"sort=date_asc"))
    expect(page.locator("li.hit").first).to_have_attribute("data-id", "CN114000017A")
    expect(page.locator(".export")).to_have_text(
        re.compile(r"^导出：\s*CSV\s*JSONL\s*（最多 10,000 条）$")
    )
    csv_link = page.get_by_test_id("export-csv")
    expect(csv_link).to_have_attribute("href", re.compile(r"kind=patent"))
    export = page.request.get(csv_link.get_attribute("href") or "")
    assert export.ok
    assert export.text().startswith("\ufeffid,publication_number,")
    assert len(export.text().splitlines()) == 1 + 20


def test_phone_width_and_keyboard(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/patents?q=电池")
    expect(page.locator("li.hit").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "phone")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.locator("#q").focus()
    page.keyboard.press("Tab")
    expect(page.locator("form.searchbox button.primary")).to_be_focused()


def test_record_page_on_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/records/CN-TM-10000001")
    expect(page.locator("h1")).to_have_text("云山")
    refs = page.get_by_test_id("similar").locator(".ref")
    expect(refs.first).to_be_visible()
    lines = refs.evaluate_all("els => els.map((e) => e.getClientRects().length)")
    assert lines
    assert set(lines) == {1}  # a number and its date are never broken across lines
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "record-phone")


def test_unknown_record_says_so(page: Page) -> None:
    page.goto("/records/CN000000000A")
    expect(page.get_by_role("alert")).to_contain_text("未找到记录 CN000000000A")
    page.get_by_role("button", name=re.compile("返回检索结果")).click()
    expect(page).to_have_url(re.compile(r"/patents$"))


def test_a_divisional_names_its_parent_application(page: Page) -> None:
    page.goto("/records/CN114000002B")
    related = page.locator('[data-field="related"] li[data-relation="division"]')
    expect(related).to_contain_text("分案申请的原申请")
    expect(related).to_contain_text("2019-03-05")
    related.get_by_role("link", name="CN201910000011.2").click()
    expect(page).to_have_url(re.compile(r"/patents\?q=ap(=|%3D)(%22)?CN201910000011\.2"))


def test_copyright_registrations_have_their_tab(page: Page, served_store: EmbeddedStore) -> None:
    """An official looks a software registration up by its number, narrows by type, opens it
    and goes back to its owner's other registrations."""
    served_store.upsert(list(COPYRIGHTS))
    served_store.refresh()
    try:
        page.goto("/patents")
        page.locator('a.tab[data-kind="copyright"]').click()
        expect(page).to_have_url(re.compile(r"/copyrights$"))
        expect(page.locator("#q")).to_have_attribute("placeholder", re.compile("登记号"))
        _search(page, "测试版权")
        expect(page.locator("li.hit")).to_have_count(2)
        facet = page.locator('[data-facet="kind"]')
        expect(facet.locator("legend")).to_have_text("登记类型")
        expect(page.locator('[data-facet="applicant"] legend')).to_have_text("著作权人")
        facet.get_by_text("计算机软件").click()
        expect(page.locator("li.hit")).to_have_count(1)
        expect(page.locator("button.chip")).to_have_text(re.compile("^登记类型：计算机软件"))
        hit = page.locator('li.hit[data-id="CN-SC-2016SR999991"]')
        expect(hit).to_contain_text("登记号 2016SR999991")
        expect(hit).to_contain_text("著作权人：广州测试科技有限公司")
        screenshot(page, "copyright-search")
        hit.get_by_role("link").click()
        expect(page.locator("h1")).to_have_text("测试版权管理软件")
        expect(page.get_by_test_id("record-tag")).to_have_text("计算机软件")
        expect(page.locator('dd[data-field="registration_number"]')).to_have_text("2016SR999991")
        expect(page.locator("dt", has_text="登记日")).to_have_count(1)
        expect(page.locator("h2", has_text="著作权人")).to_have_count(1)
        page.get_by_role("button", name=re.compile("返回检索结果")).click()
        expect(page).to_have_url(re.compile(r"/copyrights\?"))
        page.goto("/copyrights?q=2016SR999991")
        expect(page.get_by_test_id("understood")).to_have_text("pn=2016SR999991")
        expect(page.locator("li.hit")).to_have_count(1)
        page.get_by_test_id("lang").click()  # and in English
        expect(page.locator('a.tab[data-kind="copyright"]')).to_have_text("Copyrights")
        expect(page.locator("li.hit")).to_contain_text("Registration 2016SR999991")
        expect(page.locator("li.hit")).to_contain_text("Owners: 广州测试科技有限公司")
        expect(page.locator('[data-facet="kind"] legend')).to_have_text("Registration type")
        page.get_by_test_id("lang").click()
    finally:
        served_store.delete([c.id for c in COPYRIGHTS])
        served_store.refresh()


def test_a_name_typed_in_part_is_found_as_a_string(page: Page) -> None:
    """A user types part of a title; the words find nothing, the string does, and the page
    says what it searched."""
    page.goto("/patents")
    _search(page, "池正极材")
    expect(page.get_by_test_id("understood")).to_have_text('"池正极材"')
    expect(page.get_by_test_id("as-strings")).to_contain_text("按连续字符串检索")
    expect(page.locator("li.hit")).to_have_count(1)
    expect(page.locator("li.hit h3 em")).to_have_text("池正极材")
    # a subscription to it saves the string, which the alert matcher runs as written
    expect(page.get_by_test_id("subscribe")).to_have_attribute(
        "href", "/alerts?kind=patent&q=%22%E6%B1%A0%E6%AD%A3%E6%9E%81%E6%9D%90%22"
    )
    screenshot(page, "as-strings")
    _search(page, "锂电池")
    expect(page.get_by_test_id("understood")).to_have_text("锂电池")
    expect(page.get_by_test_id("as-strings")).to_have_count(0)


def test_a_record_lists_the_records_most_like_it(page: Page) -> None:
    """Prior art from one document to the next: the record page lists similar records of its
    kind, and each opens its own page."""
    page.goto("/records/CN114000001A")
    similar = page.get_by_test_id("similar")
    expect(similar.locator("h2")).to_have_text("相似记录")
    first = similar.locator("li").first
    expect(first).to_have_attribute("data-id", re.compile(r"^CN\d+[A-Z]$"))
    expect(similar.locator('li[data-id="CN114000001A"]')).to_have_count(0)  # not itself
    title, number = (
        first.get_by_role("link").bounding_box(),
        first.locator("span").first.bounding_box(),
    )
    assert title
    assert number
    assert number["x"] >= title["x"] + title["width"] + 4  # not run together
    other = first.get_attribute("data-id")
    first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/records/{other}$"))
    expect(page.locator("article.record")).to_have_attribute("data-id", str(other))


def test_search_prior_art_by_a_description(page: Page) -> None:
    """An SME pastes what its product does; the page searches the description's key terms and
    shows the query it ran, best matches first."""
    page.goto("/patents?q=%E5%A4%A9%E7%BA%BF&f=dist%3D%E5%A4%A9%E6%B2%B3%E5%8C%BA")
    page.get_by_test_id("describe").locator("summary").click()
    page.get_by_test_id("description").fill("的了吗")
    page.get_by_test_id("describe-search").click()
    expect(page.get_by_test_id("describe-problem")).to_contain_text("描述中没有可检索的词语")
    page.get_by_test_id("description").fill(
        "我们的产品用固态电解质代替液态电解液，做成固态锂电池，能量密度更高，不易起火。"
    )
    page.get_by_test_id("describe-search").click()
    expect(page).to_have_url(re.compile(r"/patents\?q=ta=[^&]+$"))  # the filters are dropped
    expect(page.locator("li.hit").first).to_have_attribute("data-id", "CN114000010A")
    expect(page.get_by_test_id("understood")).to_contain_text("ta=固态 OR ta=电解液")
    expect(page.locator('input[type="search"]').first).to_have_value(re.compile(r"^ta=固态 OR"))


def test_a_record_shows_agents_an_export_gave_without_their_agency(
    page: Page, served_store: EmbeddedStore
) -> None:
    """An export may name a patent's agents and no agency (no 代理机构 column): the record page
    shows the agents, not an empty name before them; an agency is shown with its agents."""
    from iphub.records import Agency, LocalizedText, Patent, PatentKind

    def patent(number: str, agency: Agency) -> Patent:
        return Patent(
            id=number, source="csv", jurisdiction="CN", kind=PatentKind.INVENTION_APPLICATION,
            application_number=f"CN20231099{number[-5:-1]}", publication_number=number,
            title=LocalizedText(text="代理人显示测试", lang="zh"), agency=agency,
        )  # fmt: skip

    records = [
        patent("CN116990001A", Agency(name="", agents=["张三", "李四"])),
        patent("CN116990002A", Agency(name="广州三环专利商标代理有限公司", agents=["王五"])),
    ]
    served_store.upsert(records)
    served_store.refresh()
    try:
        page.goto("/records/CN116990001A")
        expect(page.locator('dd[data-field="agency"]')).to_have_text("张三、李四")
        page.goto("/records/CN116990002A")
        expect(page.locator('dd[data-field="agency"]')).to_have_text(
            "广州三环专利商标代理有限公司（王五）"
        )
    finally:
        served_store.delete([r.id for r in records])
        served_store.refresh()


def test_the_grant_an_export_names_links_to_its_number_typed_bare(
    page: Page, served_store: EmbeddedStore
) -> None:
    """An export's row names its grant (授权公告号) beside its own A publication: the record
    page's link searched ``pn=`` of the grant, which finds nothing unless the office's grant is
    loaded; typed bare, the number finds the record that names it (and the grant, if loaded)."""
    from iphub.records import LocalizedText, Patent, PatentKind, RelatedDocument

    record = Patent(
        id="CN116990003A", source="csv", sources=["csv"], jurisdiction="CN",
        kind=PatentKind.INVENTION_APPLICATION, application_number="CN202310990003.1",
        publication_number="CN116990003A", title=LocalizedText(text="授权链接测试", lang="zh"),
        related=[RelatedDocument(relation="grant-publication", number="CN116990003B")],
    )  # fmt: skip
    served_store.upsert([record])
    served_store.refresh()
    try:
        page.goto("/records/CN116990003A")
        related = page.locator('[data-field="related"] li[data-relation="grant-publication"]')
        expect(related).to_contain_text("授权公告")
        related.get_by_role("link", name="CN116990003B").click()
        expect(page).to_have_url(re.compile(r"/patents\?q=CN116990003B"))
        expect(page.locator('li.hit[data-id="CN116990003A"]')).to_have_count(1)
        page.goto("/records/CN116990003A")
        expect(page.get_by_text("全部来源")).to_have_count(1)
    finally:
        served_store.delete([record.id])
        served_store.refresh()
