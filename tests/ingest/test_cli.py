"""``iphub ingest`` as a user runs it: summary table, quarantine path, bad options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ingest import sources
from iphub.cli import app
from iphub.cli.loading import common_folder
from iphub.store.base import StoreUnavailable
from iphub.store.embedded import EmbeddedStore
from tests.ingest.conftest import FIXTURES


def test_ingest_prints_summary_and_quarantine(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'iphub.db'}"
    args = ["ingest", str(FIXTURES / "uspto-weekly.xml"), "--store", store]
    args += ["--quarantine-dir", str(tmp_path / "q")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "uspto-weekly.xml" in result.output
    assert "│ uspto  │    3 │      2 │      0 │           1 │" in result.output
    assert "隔离记录 / quarantined records:" in result.output
    assert "订阅匹配 / alerts: 0 个订阅 / subscriptions, 0 条匹配 / matches" in result.output
    found = CliRunner().invoke(app, ["search", "pn=US9000001", "--json", "--store", store])
    assert '"id": "US9000001B2"' in found.output
    again = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert "uspto-weekly.xml (已载入过 / done before)" in again.output


def _loaded(tmp_path: Path, table: str) -> str:
    """The URL of a fresh store into which ``iphub ingest`` loaded ``table`` (a CSV export)."""
    export = tmp_path / "export.csv"
    export.write_text(table, encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'x.db'}"
    loaded = CliRunner().invoke(app, ["ingest", str(export), "--store", store,
                                      "--quarantine-dir", str(tmp_path / "q")])  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    return store


def test_search_shows_a_table_rows_application_date_when_it_has_no_publication_date(
    tmp_path: Path,
) -> None:
    store = _loaded(
        tmp_path,
        "申请号,申请日,公开（公告）号,名称\nCN202110123451.4,2021-01-02,CN114123451A,一种锂电池\n",
    )
    found = CliRunner().invoke(app, ["search", "锂电池", "--store", store], env={"COLUMNS": "200"})
    assert found.exit_code == 0, found.output
    assert "│ CN114123451A │ 2021-01-02 │ 一种锂电池" in found.output


def test_the_summary_counts_quarantined_records_by_reason(tmp_path: Path) -> None:
    """An operator sees at once what went wrong, and how often, without the quarantine file."""
    rows = ["申请号,公开（公告）号,名称"]
    rows += [f"CN202110123451.4,CN11412345{i},一种锂电池" for i in range(3)]  # no kind code: 3
    rows += ["CN202110123451.4,CN114123459A,", "CN202110123451.4,XX1,一种电机"]  # no title, bad pn
    export = tmp_path / "export.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = ["ingest", str(export), "--store", f"sqlite:///{tmp_path / 'x.db'}"]
    result = CliRunner().invoke(app, [*args, "--quarantine-dir", str(tmp_path / "q")],
                                env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 1, result.output  # nothing loaded: the run fails, after its summary
    listed = result.output.split("隔离原因 / quarantined records by reason:\n", 1)[1].splitlines()
    assert [line.split(None, 1) for line in listed[:3]] == [
        ["3", "无法判断专利类型：公开号没有类型代码（A、B、U、S），也没有专利类型列 /"
              " unknown patent kind: the publication number has no kind code (A, B, U, S) and no"
              " 专利类型 column gives it"],
        ["1", "缺少名称 / missing title"],
        ["1", "无法识别的公开号 / unrecognised publication number"],
    ]  # fmt: skip


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    args = ["ingest", str(FIXTURES / "uspto-weekly.xml"), "--format", "pdf"]
    result = CliRunner().invoke(app, [*args, "--store", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2
    assert "未知格式 / unknown format 'pdf'; 可选 / known: auto, uspto, epo" in result.output


def test_a_delivery_with_nothing_to_load_says_so_and_fails(tmp_path: Path) -> None:
    """An empty delivery folder (or one of scans only) is not a silent empty table: a nightly
    job that loads it must see the failure."""
    delivery = tmp_path / "2026-11"
    delivery.mkdir()
    (delivery / "00000001.tif").write_bytes(b"II*\x00")
    (delivery / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    args = ["ingest", str(delivery), "--store", f"sqlite:///{tmp_path / 'x.db'}"]
    result = CliRunner().invoke(app, [*args, "--quarantine-dir", str(tmp_path / "q")],
                                env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"没有可载入的文件 / no files to load in: {delivery} (1 个附件 / attachments)" in (
        result.output
    )
    assert "ingest batch" not in result.output


def test_a_run_that_loads_nothing_fails(tmp_path: Path) -> None:
    """Every file refused whole, or every record quarantined: the summary is shown and the run
    fails, so that a nightly job sees it; the same files again, done before, are no failure."""
    notes = tmp_path / "notes.txt"
    notes.write_text("检索说明：本文件不是专利数据\n", encoding="utf-8")
    export = tmp_path / "export.csv"
    bad = "申请号,公开（公告）号,名称\nCN202110123451.4,XX1,一种电机\n"  # no such number
    export.write_text(bad, encoding="utf-8")
    args = ["ingest", str(notes), str(export), "--store", f"sqlite:///{tmp_path / 'x.db'}"]
    args += ["--quarantine-dir", str(tmp_path / "q")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "合计 / total" in result.output  # the summary first
    assert "没有载入任何记录：每个文件都被整体拒绝或全部隔离 / nothing loaded" in result.output
    good = tmp_path / "good.csv"
    good.write_text("申请号,公开（公告）号,名称\nCN202110123451.4,CN114123451A,一种电机\n",
                    encoding="utf-8")  # fmt: skip
    loaded = CliRunner().invoke(app, [*args, str(good)], env={"COLUMNS": "200"})
    assert loaded.exit_code == 0, loaded.output  # one file loaded: the run did its work
    again = CliRunner().invoke(app, [*args[:1], str(good), *args[3:]], env={"COLUMNS": "200"})
    assert again.exit_code == 0, again.output  # done before


def test_an_api_page_of_no_records_is_no_failure(tmp_path: Path) -> None:
    """A crawl of a paged API saves its last page, empty: the run says the files hold no
    records and succeeds (it failed "nothing loaded: every file was refused whole or had every
    record quarantined", and a nightly job alarmed on nothing)."""
    page = tmp_path / "page-3.json"
    page.write_text('{"Status":"200","Paging":{"PageIndex":3},"Result":[]}', encoding="utf-8")
    args = ["ingest", str(page), "--store", f"sqlite:///{tmp_path / 'x.db'}"]
    result = CliRunner().invoke(app, [*args, "--quarantine-dir", str(tmp_path / "q")],
                                env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "文件中没有记录 / the files hold no records" in result.output
    assert "nothing loaded" not in result.output


def test_an_api_error_response_fails_the_run_saying_what_the_api_said(tmp_path: Path) -> None:
    """A nightly download that got an API's error (``{"Result": null, "Status": "500", …}``,
    ``{"code": 401, "msg": "token过期", "data": null}``) was taken for an empty page: "the
    files hold no records", exit code 0, and the failure went unnoticed. Such a file is refused
    whole with the API's status and message, every run, and the run fails; 企查查's Status 201
    (查询无结果: its query found nothing) is no failure."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.json").write_text('{"Result":null,"Status":"500","Message":"系统错误"}', "utf-8")
    (data / "b.json").write_text('{"code":401,"msg":"token过期","data":null}', "utf-8")
    args = ["ingest", str(data), "--store", f"sqlite:///{tmp_path / 'x.db'}"]
    args += ["--quarantine-dir", str(tmp_path / "q")]
    for _ in range(2):  # refused again by the next run: never done
        result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
        assert result.exit_code == 1, result.output
        listed = result.output.split("未载入的文件 / files not loaded:\n", 1)[1].splitlines()
        assert listed[:2] == [
            f"  {data / 'a.json'}: 接口返回失败（Status 500：系统错误），没有记录 / the API"
            " answered a failure (Status 500: 系统错误), no records",
            f"  {data / 'b.json'}: 接口返回失败（code 401：token过期），没有记录 / the API"
            " answered a failure (code 401: token过期), no records",
        ]
        assert "the files hold no records" not in result.output
        assert "nothing loaded" in result.output
    none = tmp_path / "none.json"
    none.write_text('{"Status":"201","Message":"查询无结果","OrderNumber":"ECI1","Result":null}')
    found_none = CliRunner().invoke(app, [*args[:1], str(none), *args[2:]], env={"COLUMNS": "200"})
    assert found_none.exit_code == 0, found_none.output
    assert "文件中没有记录 / the files hold no records" in found_none.output


def test_files_not_loaded_are_listed_with_the_reason(tmp_path: Path) -> None:
    """A file quarantined whole is named under the table with why, not only in the file; an
    image beside the data is only counted."""
    notes = tmp_path / "notes.txt"
    notes.write_text("检索说明：本文件不是专利数据\n", encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text("申请号,名称\nCN202110123456.7,一种电池\n", encoding="utf-8")
    image = tmp_path / "00000001.tif"
    image.write_bytes(b"II*\x00")  # an attachment: counted, not listed
    args = ["ingest", str(notes), str(export), str(image)]
    args += ["--store", f"sqlite:///{tmp_path / 'x.db'}"]
    result = CliRunner().invoke(app, [*args, "--quarantine-dir", str(tmp_path / "q")],
                                env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 1, result.output  # nothing loaded: the run fails, after its summary
    listed = result.output.split("未载入的文件 / files not loaded:\n", 1)[1].splitlines()
    assert listed[:2] == [
        f"  {notes}: 不支持的格式 / unsupported format (sniffed from the first bytes)",
        f"  {export}: 缺少必填列 / missing required columns: 公开（公告）号 (publication_number)"
        " (商标表需 注册号 与 商标名称 或 国际分类，著作权表需 登记号 与 软件全称 或 作品名称 /"
        " a trademark table needs 注册号 and 商标名称 or 国际分类, a copyright table 登记号 and"
        " 软件全称 or 作品名称) — 表头 / header: 申请号, 名称; 用 --mapping 文件映射列名 / map the"
        " columns with --mapping FILE",
    ]
    assert (
        "跳过的附件 / attachments left aside (images, PDFs, documents, DTDs, checksums): 1"
        in result.output
    )
    assert "00000001.tif" not in result.output


def test_a_bad_mapping_file_is_a_usage_error_that_says_why(tmp_path: Path) -> None:
    """Not a traceback: exit 2 and what is wrong with the file, Chinese first."""
    store = f"sqlite:///{tmp_path / 'x.db'}"
    cases = {
        "unknown.json": ('{"Pub No": "pubnumber"}', "映射文件字段未知 / unknown fields in mapping"),
        "broken.json": ("{broken", "映射文件无法读取 / cannot read the mapping file"),
        "list.json": ('["申请号"]', "映射文件应为"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        args = ["ingest", str(FIXTURES / "uspto-weekly.xml"), "--mapping", str(path)]
        result = CliRunner().invoke(app, [*args, "--store", store], env={"COLUMNS": "200"})
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "Traceback" not in result.output


def test_a_quarantine_directory_that_cannot_be_made_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    store = f"sqlite:///{tmp_path / 'iphub.db'}"
    result = CliRunner().invoke(
        app,
        ["ingest", str(FIXTURES / "uspto-weekly.xml"), "--store", store,
         "--quarantine-dir", str(blocker / "q")],
    )  # fmt: skip
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())  # the error box, unwrapped
    assert "cannot use quarantine directory" in said
    assert not (tmp_path / "iphub.db").exists()  # refused before the store was touched


def test_a_delivery_of_many_files_is_summed_up_not_listed_file_by_file(tmp_path: Path) -> None:
    """120 one-document files: the table lists the one with a quarantined record, sums up the
    rest in one row, and gives the totals."""
    delivery = tmp_path / "delivery"
    delivery.mkdir()
    one = (FIXTURES / "cnipa-design.xml").read_text(encoding="utf-8")
    for k in range(119):
        text = one.replace("306123456", f"{306000000 + k}")
        (delivery / f"CN{k:09d}.xml").write_text(text, encoding="utf-8")
    (delivery / "weekly.xml").write_bytes((FIXTURES / "uspto-weekly.xml").read_bytes())
    store = f"sqlite:///{tmp_path / 'iphub.db'}"
    args = ["ingest", str(delivery), "--store", store, "--quarantine-dir", str(tmp_path / "q")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in result.output.splitlines()]
    rows = [r for r in rows if r]
    assert len(rows) == 3, result.output  # one file listed, the rest summed up, the total
    assert rows[0][0].endswith("weekly.xml")
    assert rows[0][2:6] == ["3", "2", "0", "1"]
    assert rows[1][0] == "… 119 个文件，无隔离记录 / files, none quarantined"
    assert rows[1][2:6] == ["119", "119", "0", "0"]
    assert rows[2][0] == "合计 / total"
    assert rows[2][2:6] == ["122", "121", "0", "1"]


def test_the_summary_counts_the_documents_a_delivery_withdrew(tmp_path: Path) -> None:
    xml = (FIXTURES / "epo-docdb-cn.xml").read_text(encoding="utf-8")
    opening = 'doc-number="114123456" kind="A"'
    withdrawn = tmp_path / "withdrawn.xml"
    withdrawn.write_text(xml.replace(opening, f'{opening} status="D"', 1), encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'x.db'}"
    common = ["--store", store, "--quarantine-dir", str(tmp_path / "q")]
    first = CliRunner().invoke(app, ["ingest", str(FIXTURES / "epo-docdb-cn.xml"), *common])
    assert first.exit_code == 0, first.output
    assert "withdrew" not in first.output
    result = CliRunner().invoke(app, ["ingest", str(withdrawn), *common], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert (
        "撤回的文献，库中不再保留 / documents the delivery withdrew (DOCDB status D), no longer in"
        " the store: 1" in result.output
    )
    found = CliRunner().invoke(app, ["search", "pn=CN114123456A", "--json", "--store", store])
    assert '"total": 0' in found.output


@pytest.mark.parametrize(
    ("files", "folder"),
    [
        (["/d/a/x.xml", "/d/a/b/y.xml"], "/d/a"),
        (["/d/a/x.xml"], ""),  # one file: its own path says it all
        (["/d/p.zip!a.xml", "/d/p.zip!b.xml"], "/d"),  # members of one archive
        (["/d/p.zip!a.xml", "/d/q.zip!b.xml"], "/d"),
        (["/a/x.xml", "/b/y.xml"], ""),  # only the root in common
        (["data/a/x.xml", "data/b/y.xml"], "data"),  # as the user named them
        (["x.xml", "y.xml"], ""),
        (["/d/x.xml", "d/y.xml"], ""),
    ],
)
def test_common_folder(files: list[str], folder: str) -> None:
    assert common_folder(files) == folder


def test_a_logged_summary_names_the_files_below_their_folder_unwrapped(tmp_path: Path) -> None:
    """Output to a log (not a terminal, 80 columns): a delivery's long paths were folded over
    two or three lines a file. The table names each file below the folder they share, and is
    as wide as its names need."""
    delivery = tmp_path / "交付" / "2026-11-26-weekly-delivery-of-the-office"
    (delivery / "part-two").mkdir(parents=True)
    one = (FIXTURES / "cnipa-design.xml").read_text(encoding="utf-8")
    long_name = "CN306123456S-a-name-of-forty-or-more-characters.xml"
    (delivery / "part-two" / long_name).write_text(one, encoding="utf-8")
    (delivery / "weekly.xml").write_bytes((FIXTURES / "uspto-weekly.xml").read_bytes())
    store = f"sqlite:///{tmp_path / 'iphub.db'}"
    args = ["ingest", str(delivery), "--store", store, "--quarantine-dir", str(tmp_path / "q")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in result.output.splitlines()]
    names = [r[0] for r in rows if r and r[1]]  # file rows: a format beside the name
    assert sorted(names) == [f"part-two/{long_name}", "weekly.xml"], result.output
    assert f"文件位于 / files in: {delivery}" in result.output


def test_info_counts_and_search_finds_copyright_registrations(tmp_path: Path) -> None:
    """An official checking a load sees the copyright registrations it brought as well, and
    finds each by its number and by the words of its title."""
    store = _loaded(
        tmp_path,
        "登记号,软件全称,著作权人,登记日期\n"
        "2016SR309930,测试管理软件V1.0,广州测试科技有限公司,2016-10-27\n"
        "2017SR000001,测试分析软件V2.0,广州测试科技有限公司,2017-01-03\n",
    )
    shown = CliRunner().invoke(app, ["info", "--store", store])
    assert shown.exit_code == 0, shown.output
    counts = json.loads(shown.output)
    assert (counts["patents"], counts["trademarks"], counts["copyrights"]) == (0, 0, 2)
    assert [b["records"] for b in counts["batches"]] == [2]
    found = CliRunner().invoke(
        app, ["search", "2016SR309930", "--kind", "copyright", "--json", "--store", store]
    )
    assert found.exit_code == 0, found.output
    assert [h["id"] for h in json.loads(found.output)["hits"]] == ["CN-SC-2016SR309930"]

    def listed_for(words: str) -> Result:
        args = ["search", words, "--kind", "copyright", "--store", store]
        return CliRunner().invoke(app, args, env={"COLUMNS": "200"})

    listed = listed_for("分析软件")
    assert listed.exit_code == 0, listed.output
    assert "│ CN-SC-2017SR000001 │ 2017-01-03 │ 测试分析软件V2.0" in listed.output
    assert "连续字符串" not in listed.output
    partial = listed_for("试分析软")
    assert partial.exit_code == 0, partial.output
    assert '1 hits for "试分析软"' in partial.output
    assert "searched as exact strings" in partial.output


def test_a_mark_named_as_a_madrid_number_is_found_by_its_name(tmp_path: Path) -> None:
    """A bare ``G`` and digits in a trademark search was read as a Madrid designation's
    number alone (``pn=… OR ap=…``): marks named G7 or G2000 were not found by their names.
    G7 and G2000 are no Madrid numbers (WIPO's have 6 or 7 digits) and stay words; a word that
    is one is searched as the number and as the word, and the query shown reads the same when
    given back (a saved search, a statistic's query)."""
    store = _loaded(
        tmp_path,
        "注册号,商标名称,国际分类,申请人名称,商标状态\n"
        "30000001,G7,第九类,广州甲有限公司,注册商标\n"
        "30000002,G2000,35,广州乙有限公司,异议中\n"
        "30000003,G123456,9,广州丙有限公司,注册商标\n"
        "G1234567,LANCÔME,第3类,L'OREAL,商标已注册\n",
    )

    def found(query: str) -> tuple[str, list[str]]:
        args = ["search", query, "--kind", "trademark", "--json", "--store", store]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        answer = json.loads(result.output)
        return answer["query"], [h["id"] for h in answer["hits"]]

    assert found("G7") == ("G7", ["CN-TM-30000001"])
    assert found("G2000") == ("G2000", ["CN-TM-30000002"])
    as_number = "(pn=G123456 OR ap=G123456) OR G123456"
    assert found("G123456") == (as_number, ["CN-TM-30000003"])  # a name, read as both
    understood = "(pn=G1234567 OR ap=G1234567) OR G1234567"
    assert found("G1234567") == (understood, ["CN-TM-G1234567"])
    assert found(understood) == (understood, ["CN-TM-G1234567"])


def test_collections_lists_the_ids_a_query_names() -> None:
    """A data-centre user looks up the ids ``coll=`` takes, and their definitions."""
    shown = CliRunner().invoke(app, ["collections"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "nev" in shown.output
    assert "智能与新能源汽车" in shown.output
    listed = json.loads(CliRunner().invoke(app, ["collections", "--json"]).output)
    nev = next(c for c in listed["collections"] if c["id"] == "nev")
    assert nev["query"].startswith("(ipc=(B60L OR")


def test_a_path_not_there_is_named_in_both_languages(tmp_path: Path) -> None:
    missing = tmp_path / "2026-11.zip"
    args = ["ingest", str(missing), "--store", f"sqlite:///{tmp_path / 'x.db'}"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert f"文件或目录不存在 / no such file or directory: {missing}" in result.output
    mapped = CliRunner().invoke(
        app, [*args[:1], str(tmp_path), "--mapping", str(missing)], env={"COLUMNS": "300"}
    )
    assert mapped.exit_code == 2
    assert "文件或目录不存在 / no such file or directory" in mapped.output


def test_a_store_that_fails_while_the_run_writes_says_to_run_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails once the run began (a full disk): the run resumes from its last
    commit, and says so; a store that cannot be opened is said without that hint (the
    console script's tests)."""

    def full(*_args: object) -> None:
        raise StoreUnavailable("database or disk is full")

    monkeypatch.setattr(EmbeddedStore, "upsert", full)
    args = [
        "ingest",
        str(FIXTURES / "uspto-weekly.xml"),
        "--store",
        f"sqlite:///{tmp_path / 'x.db'}",
    ]
    result = CliRunner().invoke(app, [*args, "--quarantine-dir", str(tmp_path / "q")],
                                env={"COLUMNS": "300"})  # fmt: skip
    assert result.exit_code == 3, result.output
    assert (
        "存储不可用 / store unavailable: database or disk is full. 再次运行同一命令，即从各文件最后"
        "提交处续传 / run the same command again to resume each file from its last commit"
    ) in result.output


def _rows(output: str) -> list[list[str]]:
    """The summary table's rows, each as its cells."""
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in output.splitlines()]
    return [r for r in rows if r]


def test_a_file_refused_whole_is_refused_again_by_the_next_run(tmp_path: Path) -> None:
    """A file refused whole was marked done: the same command again listed it as "done before"
    with format ``?``, said nothing of the refusal and exited 0, so a nightly re-run of a bad
    delivery looked successful. It is read and refused again, with its reason; given what it
    needs (the right --format, a --mapping) it loads, and then it is done before, with the
    format it was read in."""
    notes = tmp_path / "notes.txt"
    notes.write_text("检索说明：本文件不是专利数据\n", encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text("申请号,名称,Pub No\nCN202110123456.7,一种电池,CN114123456A\n", "utf-8")
    weekly = FIXTURES / "uspto-weekly.xml"
    mapping = tmp_path / "cols.json"
    mapping.write_text('{"Pub No": "publication_number"}', encoding="utf-8")
    common = ["--store", f"sqlite:///{tmp_path / 'x.db'}", "--quarantine-dir", str(tmp_path / "q")]

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, ["ingest", *args, *common], env={"COLUMNS": "300"})

    for args, reason in (
        ([str(notes)], "不支持的格式 / unsupported format"),
        ([str(export)], "缺少必填列 / missing required columns: 公开（公告）号"),
        ([str(weekly), "--format", "jsonl"], "不是 jsonl 格式"),
    ):
        for _ in range(2):  # the second time as the first
            result = run(*args)
            assert result.exit_code == 1, result.output
            assert "done before" not in result.output
            refused = result.output.split("未载入的文件 / files not loaded:\n", 1)[1]
            assert refused.startswith(f"  {args[0]}: {reason}"), result.output
            assert "没有载入任何记录" in result.output
    for args, fmt in (([str(export), "--mapping", str(mapping)], "csv"), ([str(weekly)], "uspto")):
        loaded = run(*args)
        assert loaded.exit_code == 0, loaded.output
        assert "files not loaded" not in loaded.output
        again = run(*args)
        assert again.exit_code == 0, again.output
        ((name, shown, *_),) = _rows(again.output)
        assert (name, shown) == (f"{args[0]} (已载入过 / done before)", fmt)
    beside = run(str(notes), str(weekly))  # a bad file beside one done before: refused again
    assert beside.exit_code == 1, beside.output
    assert f"  {notes}: 不支持的格式 / unsupported format" in beside.output
    assert "(see above); 另有 1 个文件已载入过 / 1 more done before" in beside.output


def test_a_file_marked_done_when_refused_by_an_earlier_release_is_read_again(
    tmp_path: Path,
) -> None:
    """Refused whole, a file was checkpointed done with its format unknown (``?``): such a
    checkpoint is no reason to skip it."""
    notes = tmp_path / "notes.txt"
    notes.write_text("检索说明：本文件不是专利数据\n", encoding="utf-8")
    (src,) = sources.walk([notes])
    store = EmbeddedStore(tmp_path / "x.db")
    store.set_checkpoint(
        f"ingest:{sources.key(src)}",
        json.dumps({"fingerprint": src.fingerprint, "format": "auto", "read_as": "?",
                    "mapping": None, "position": 0, "done": True, "batches": ["old"]}),
    )  # fmt: skip
    store.close()
    args = ["ingest", str(notes), "--store", f"sqlite:///{tmp_path / 'x.db'}"]
    result = CliRunner().invoke(app, [*args, "--quarantine-dir", str(tmp_path / "q")],
                                env={"COLUMNS": "300"})  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "done before" not in result.output
    assert f"  {notes}: 不支持的格式 / unsupported format" in result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["ingest", "--batch-size", "0"], "应为 1 至 100,000，而非 0 / must be from 1 to 100,000"),
        (["ingest", "--workers", "0"], "应为 1 至 64，而非 0 / must be from 1 to 64, not 0"),
        (["ingest", "--workers", "65"], "应为 1 至 64，而非 65 / must be from 1 to 64, not 65"),
        (["ingest", "--commit-every", "0"], "应至少为 1，而非 0 / must be at least 1, not 0"),
        (["ingest", "--workers", "two"], "应为整数，而非 'two' / must be a whole number, not"),
        (["retag", "--batch-size", "100001"], "应为 1 至 100,000，而非 100,001 / must be from 1"),
        (["quarantine", "--top", "0"], "应至少为 1，而非 0 / must be at least 1, not 0"),
        (["search", "电池", "--size", "101"], "应为 1 至 100，而非 101 / must be from 1 to 100"),
        (["alerts", "run", "--poll", "0"], "应为至少 0.01 的秒数，而非 '0' / must be seconds"),
        (["alerts", "run", "--poll", "nan"], "应为至少 0.01 的秒数，而非 'nan' / must be"),
        (["alerts", "run", "--idle-exit", "-1"], "应为至少 0 的秒数，而非 '-1' / must be"),
    ],
)  # fmt: skip
def test_a_number_out_of_range_is_said_in_both_languages(
    args: list[str], says: str, tmp_path: Path
) -> None:
    """``--batch-size 0`` was answered in English alone ("Input should be greater than or
    equal to 1"): Chinese first, English beside it, exit code 2."""
    if args[0] == "ingest":
        args = [*args, str(FIXTURES / "uspto-weekly.xml")]
    store = ["--store", f"sqlite:///{tmp_path / 'x.db'}"] if args[0] != "quarantine" else []
    result = CliRunner().invoke(app, [*args, *store], env={"COLUMNS": "300"})
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert "Input should be" not in result.output
    assert not (tmp_path / "x.db").exists()


def test_a_logged_summary_of_many_files_keeps_its_summed_row_on_one_line(tmp_path: Path) -> None:
    """101 clean files written to a pipe (80 columns): no file listed, so the table's width
    came from no name at all, and "… 101 个文件，无隔离记录 / files, none quarantined" wrapped
    over five lines in a column of 20. The summed row's label counts, in cells."""
    delivery = tmp_path / "d"
    delivery.mkdir()
    one = (FIXTURES / "cnipa-design.xml").read_text(encoding="utf-8")
    for k in range(101):
        text = one.replace("306123456", f"{306000000 + k}")
        (delivery / f"CN{k:09d}.xml").write_text(text, encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'iphub.db'}"
    args = ["ingest", str(delivery), "--store", store, "--quarantine-dir", str(tmp_path / "q")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert [r[0] for r in rows] == [
        "… 101 个文件，无隔离记录 / files, none quarantined",
        "合计 / total",
    ], result.output
    assert rows[0][2:6] == ["101", "101", "0", "0"]


def test_reindex_of_the_embedded_store_counts_what_it_rebuilt(tmp_path: Path) -> None:
    """``iphub reindex`` rebuilds the embedded index with a progress bar and says how many
    records it indexed; the records are found as before."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    common = ["--store", url]
    loaded = CliRunner().invoke(
        app, ["ingest", str(FIXTURES / "uspto-weekly.xml"), *common, "--quarantine-dir",
              str(tmp_path / "q")],
    )  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    result = CliRunner().invoke(app, ["reindex", *common], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    store = EmbeddedStore(tmp_path / "x.db")
    try:
        n = store.count()
        assert f"重建索引 / reindexed {n:,} records" in result.output
        assert n > 0
        assert store._meta("index_state") == "ok"
    finally:
        store.close()


def test_reindex_of_a_store_whose_opening_took_up_a_stopped_rebuild_makes_no_second_pass(
    tmp_path: Path,
) -> None:
    """A stopped rebuild is taken up by whichever process opens the store: ``iphub reindex``
    itself, which then rebuilt everything a second time. It says what its opening did."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    loaded = CliRunner().invoke(
        app, ["ingest", str(FIXTURES / "uspto-weekly.xml"), "--store", url, "--quarantine-dir",
              str(tmp_path / "q")],
    )  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    store = EmbeddedStore(tmp_path / "x.db")
    try:
        n = store.count()
        store._set_meta("index_state", "rebuilding")  # as a killed `iphub reindex` leaves it
    finally:
        store.close()
    result = CliRunner().invoke(app, ["reindex", "--store", url], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"重建索引 / reindexed {n:,} records (on opening)" in result.output


_QICHACHA_KEY = "【无效请求】当前的KEY无效或者还未生效中"


@pytest.mark.parametrize(
    ("envelope", "failure"),
    [
        # 企查查: its failures are statuses below 400 too; 200 and 201 (查询无结果) are none
        (
            f'{{"Status":"101","Message":"{_QICHACHA_KEY}","Result":null}}',
            f"Status 101：{_QICHACHA_KEY}",
        ),
        (
            '{"Status":"102","Message":"【无效请求】当前的KEY已过期","Result":null}',
            "Status 102：【无效请求】当前的KEY已过期",
        ),
        ('{"Status":"107","Message":"被禁止的IP","Result":null}', "Status 107：被禁止的IP"),
        (
            '{"Status":"112","Message":"剩余使用量已不足","Result":null}',
            "Status 112：剩余使用量已不足",
        ),
        ('{"Status":"199","Message":"系统未知错误","Result":null}', "Status 199：系统未知错误"),
        ('{"Status":"202","Message":"请求失败","Result":null}', "Status 202：请求失败"),
        (
            '{"status":112,"message":"剩余使用量已不足","result":null}',
            "status 112：剩余使用量已不足",
        ),
        ('{"Status":"200","Message":"查询成功","Result":[]}', None),
        ('{"Status":"201","Message":"查询无结果","Result":null}', None),
        # 天眼查: 300000 is no result; its other error codes are failures
        ('{"result":null,"reason":"经查无结果","error_code":300000}', None),
        ('{"result":null,"reason":"请求失败","error_code":300001}', "error_code 300001：请求失败"),
        ('{"result":null,"reason":"账号失效","error_code":300002}', "error_code 300002：账号失效"),
        ('{"result":null,"reason":"ok","error_code":0}', None),
        # a code of 400 or more, or a word other than success; success false
        ('{"code":500,"msg":"系统繁忙","data":null}', "code 500：系统繁忙"),
        ('{"code":"A0230","msg":"用户登录已过期","data":null}', "code A0230：用户登录已过期"),
        ('{"code":"00000","msg":"一切ok","data":[]}', None),
        ('{"code":"SUCCESS","msg":"成功","data":null}', None),
        ('{"code":"0","msg":"ok","data":{"items":[]}}', None),
        ('{"success":false,"message":"签名错误","data":null}', "success false：签名错误"),
        ('{"success":true,"message":"","data":[]}', None),
    ],
)
def test_an_apis_envelope_alone_is_refused_with_its_message_or_loads_as_nothing(
    tmp_path: Path, envelope: str, failure: str | None
) -> None:
    """企查查's failures (Status 101 当前的KEY无效, 112 剩余使用量已不足 …) are below 400: they
    passed as empty pages, "the files hold no records", exit code 0, the file marked done, and
    a failed nightly download went unnoticed. 天眼查's ``error_code`` 300000 (经查无结果) is no
    result, but was refused as a failure."""
    page = tmp_path / "page.json"
    page.write_text(envelope, encoding="utf-8")
    args = ["ingest", str(page), "--store", f"sqlite:///{tmp_path / 'x.db'}"]
    args += ["--quarantine-dir", str(tmp_path / "q")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    if failure is None:
        assert result.exit_code == 0, result.output
        assert "文件中没有记录 / the files hold no records" in result.output
        return
    assert result.exit_code == 1, result.output
    listed = result.output.split("未载入的文件 / files not loaded:\n", 1)[1].splitlines()
    english = failure.replace("：", ": ", 1)
    assert listed[0] == (
        f"  {page}: 接口返回失败（{failure}），没有记录 / the API answered a failure ({english}),"
        " no records"
    )
    assert "the files hold no records" not in result.output
