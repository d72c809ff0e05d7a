"""Elasticsearch's error answers, told in one line (pure: no server)."""

from __future__ import annotations

from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import ApiError

from iphub.store.elastic_read import api_reason, error_text

SHARD_FAILURE = {
    "type": "search_phase_execution_exception",
    "reason": "all shards failed",
    "caused_by": {"type": "too_many_clauses", "reason": "maxClauseCount is set to 1024"},
}


def _answer(status: int, body: object) -> ApiError:
    meta = ApiResponseMeta(status, "1.1", HttpHeaders(), 0.01, NodeConfig("http", "x", 9200))
    return ApiError("error", meta, body)


def test_an_error_names_its_type_reason_and_cause() -> None:
    """A bulk item's failure and an answer's say the same, the cause included (an answer's
    left its cause out: "all shards failed" said nothing of why)."""
    said = (
        "search_phase_execution_exception: all shards failed "
        "(too_many_clauses: maxClauseCount is set to 1024)"
    )
    assert error_text(SHARD_FAILURE) == said
    assert api_reason(_answer(400, {"error": SHARD_FAILURE, "status": 400})) == f"HTTP 400 {said}"


def test_an_answer_without_elasticsearchs_error_is_its_status() -> None:
    assert api_reason(_answer(502, "<html>Bad Gateway</html>")) == "HTTP 502"
    assert api_reason(_answer(404, {"error": "no such index"})) == "HTTP 404 no such index"
    assert error_text("status 429") == "status 429"
