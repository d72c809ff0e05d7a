"""``iphub retag``: stale tags are recomputed as one batch, and a stopped run resumes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from iphub.cli import app
from iphub.cli.loading import RETAG_CHECKPOINT
from iphub.records import Party
from iphub.store.embedded import EmbeddedStore
from tests.utils.factories import make_patent

SCUT = Party(name="华南理工大学", address="广州市天河区五山路381号")


def _stale_store(path: Path, n: int) -> list[str]:
    """``n`` patents as a loader without enrichment would have stored them."""
    st = EmbeddedStore(path)
    ids = [f"CN1{i:08d}A" for i in range(n)]
    st.upsert(
        make_patent(id=i, publication_number=i, applicants=[SCUT], ipc=["H01M 10/0525"])
        for i in ids
    )
    st.refresh()
    st.close()
    return ids


def _run(path: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        app, ["retag", "--store", f"sqlite:///{path}", *extra], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_retag_fills_tags_as_one_batch(tmp_path: Path) -> None:
    path = tmp_path / "iphub.db"
    ids = _stale_store(path, 5)
    out = _run(path, "--batch-size", "2")
    assert "5 records changed" in out
    st = EmbeddedStore(path)
    try:
        record = st.get(ids[0])
        assert record is not None
        assert record.applicants[0].district == "天河区"
        assert record.applicants[0].type is not None
        assert record.industries  # H01M 10/0525 → new energy
        batch = next(b for b in st.batches() if b.source == "retag")
        assert (batch.records, record.batch_id) == (5, batch.id)
        assert json.loads(st.get_checkpoint(RETAG_CHECKPOINT) or "{}") == {}
    finally:
        st.close()
    assert "0 records changed" in _run(path)  # nothing stale any more


def test_stopped_retag_resumes_where_it_stopped(tmp_path: Path) -> None:
    path = tmp_path / "iphub.db"
    ids = _stale_store(path, 4)
    st = EmbeddedStore(path)
    batch = st.begin_batch("retag")
    # as a run killed after its first chunk of 2 leaves it: those 2 done, the rest not
    st.set_checkpoint(RETAG_CHECKPOINT, json.dumps({"batch": batch, "changed": 2, "patent": 2}))
    st.close()
    out = _run(path, "--batch-size", "2")
    assert f"4 records changed (batch {batch})" in out
    st = EmbeddedStore(path)
    try:
        # the first two were skipped (already done), the last two re-enriched in the same batch
        assert [st.get(i).batch_id for i in ids] == [None, None, batch, batch]  # type: ignore[union-attr]
    finally:
        st.close()
