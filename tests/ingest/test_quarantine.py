"""The quarantine file counts its records' reasons by kind, for the run's summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import quarantine
from ingest.parsers.base import Quarantined
from ingest.quarantine import OTHER, QuarantineFile, read, reason_kind


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        (
            "无法识别的公开号 / unrecognised publication number: 'CN1000000000A'",
            "无法识别的公开号 / unrecognised publication number",
        ),
        (
            "校验位不符 / check digit mismatch: 'CN202110123456.1' (expected 7)",
            "校验位不符 / check digit mismatch",
        ),
        (
            "XMLSyntaxError: PCDATA invalid Char value 1, line 5, column 3 (<string>, line 5)",
            "XMLSyntaxError: PCDATA invalid Char value 1",
        ),
        (
            "invalid JSON: Expecting value: line 1 column 11 (char 10)",
            "invalid JSON: Expecting value",
        ),
        (
            "ValueError: 1 validation error for Patent\napplication_date\n  Input should be a date",
            "ValueError: 1 validation error for Patent",
        ),
        ("缺少申请号 / missing application_number", "缺少申请号 / missing application_number"),
    ],
)
def test_a_reason_is_counted_without_its_records_values(reason: str, kind: str) -> None:
    assert reason_kind(reason) == kind


def test_reasons_are_counted_by_kind_and_files_refused_whole_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = QuarantineFile(tmp_path, "batch")
    for number in ("CN1A", "CN2A", "CN3A"):
        reason = f"无法识别的公开号 / unrecognised publication number: {number!r}"
        q.write("a.csv", Quarantined("row 2", reason))
    q.write("a.csv", Quarantined("row 5", "缺少申请号 / missing application_number"))
    q.write("notes.bin", Quarantined("file", "不支持的格式 / unsupported format"))
    assert q.reasons.most_common() == [
        ("无法识别的公开号 / unrecognised publication number", 3),
        ("缺少申请号 / missing application_number", 1),
    ]
    monkeypatch.setattr(quarantine, "KINDS", 2)  # bounded: a run may meet millions of records
    q.write("a.csv", Quarantined("row 9", "a third kind"))
    q.write("a.csv", Quarantined("row 9", "缺少申请号 / missing application_number"))
    q.close()
    assert q.reasons[OTHER] == 1
    assert q.reasons["缺少申请号 / missing application_number"] == 2
    assert len(read(q.path)) == 7  # every record is in the file whatever its kind


def test_iphub_quarantine_counts_a_batch_by_reason_and_by_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from iphub.cli import app

    folder = tmp_path / "q"
    older = QuarantineFile(folder, "20261101T000000-aaaaaaaa")
    older.write("old.csv", Quarantined("row 2", "缺少申请号 / missing application_number"))
    older.close()
    newer = QuarantineFile(folder, "20261126T000000-bbbbbbbb")
    for i, file in enumerate(["a.csv", "a.csv", "b.xml"]):
        reason = f"无法识别的公开号 / unrecognised publication number: 'X{i}'"
        newer.write(file, Quarantined(f"row {i}", reason))
    newer.write("notes.bin", Quarantined("file", "不支持的格式 / unsupported format"))
    newer.close()
    newest = newer.path.stat().st_mtime
    __import__("os").utime(older.path, (newest - 60, newest - 60))

    def run(*args: str) -> str:
        result = CliRunner().invoke(
            app, ["quarantine", *args, "--quarantine-dir", str(folder)], env={"COLUMNS": "200"}
        )
        assert result.exit_code == 0, result.output
        return result.output

    out = run()  # the newest
    assert "3 records, 1 files refused" in out
    # when it was written: a run that quarantined nothing writes no file, so the newest file
    # may be an older run's
    written = __import__("datetime").datetime.fromtimestamp(newest).isoformat(timespec="seconds")
    assert f"(写于 / written {written})" in out
    assert "│       3 │ 无法识别的公开号 / unrecognised publication number" in out
    assert "│       2 │ a.csv" in out
    assert "notes.bin: 不支持的格式 / unsupported format" in out
    assert "1 records, 0 files refused" in run("20261101T000000-aaaaaaaa")
    assert "1 records" in run(str(older.path))
    missing = CliRunner().invoke(app, ["quarantine", "nope", "--quarantine-dir", str(folder)])
    assert missing.exit_code == 2
    assert "no quarantine file" in missing.output
    empty = CliRunner().invoke(app, ["quarantine", "--quarantine-dir", str(tmp_path / "none")])
    assert empty.exit_code == 0
    assert "nothing quarantined" in empty.output
