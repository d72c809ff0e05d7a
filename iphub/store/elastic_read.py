"""The Elasticsearch read paths, written once for the synchronous and the asynchronous client.

Each read (``search`` with its prefix expansions, ``get_many``, ``count``, ``similar``) is a
generator — a *flow* — that performs no I/O: it yields a :class:`Call` (a client method name and
its keyword arguments), is sent the response body, and returns the result. :func:`run` drives a
flow with ``Elasticsearch`` (the store, the CLI, ingest), :func:`run_async` with
``AsyncElasticsearch`` (the API), so query building, paging limits and response reading exist
once and the conformance suite holds both clients to them. Each flow takes the store's
:class:`IndexNames` and sends a read of one kind to that kind's index, a read by id or of every
kind to all of them. Both drivers turn "cannot answer
now" failures — connection errors, timeouts, 429/502/503/504 — into :class:`StoreUnavailable`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, AsyncElasticsearch, Elasticsearch

from iphub.records import AnyRecord
from iphub.store import plan as p
from iphub.store import similar
from iphub.store.base import (
    MAX_FACET_SIZE,
    RECORD_ADAPTER,
    FacetBucket,
    Hit,
    SearchRequest,
    SearchResult,
    StoreUnavailable,
)
from iphub.store.elastic_kinds import IndexNames
from iphub.store.elastic_query import Json, kind_query, prefixes
from iphub.store.fields import FACETS, RecordKind

T = TypeVar("T")

_UNAVAILABLE = frozenset({429, 502, 503, 504})
#: Buckets each shard returns per facet: counts are exact with one shard (the default) and the
#: top buckets stay exact across shards unless a facet has more keys than this.
FACET_SHARD_SIZE = 10_000
SORTS: dict[str, list[dict[str, Any]]] = {
    "relevance": [{"_score": "desc"}, {"id": "asc"}],
    "date_desc": [{"sort_date": {"order": "desc", "missing": "_last"}}, {"id": "desc"}],
    "date_asc": [{"sort_date": {"order": "asc", "missing": "_first"}}, {"id": "asc"}],
}


@dataclass(frozen=True)
class Call:
    """One request of a flow: ``getattr(client, method)(**kwargs)``; ``what`` names it in errors."""

    method: Literal["search", "mget", "count", "terms_enum"]
    kwargs: Json
    what: str


#: A read flow: yields calls, is sent their response bodies, returns its result.
Flow = Generator[Call, Json, T]


@contextmanager
def guard(what: str) -> Iterator[None]:
    """Turn 'cannot answer now' failures of either client into :class:`StoreUnavailable`."""
    try:
        yield
    except (TransportConnectionError, ConnectionTimeout) as exc:
        raise StoreUnavailable(f"Elasticsearch unreachable ({what}): {cause(exc)}") from exc
    except ApiError as exc:
        if exc.status_code in _UNAVAILABLE:
            raise StoreUnavailable(f"Elasticsearch answered {exc.status_code} ({what})") from exc
        raise


@contextmanager
def guard_open(server: str) -> Iterator[None]:
    """Opening a store on ``server`` (its indices made or checked, before its first read or
    write): every failure is :class:`StoreUnavailable`, in one line, for the operator to fix
    where the URL points — nothing listening; another web server there (its answers lack
    Elasticsearch's ``X-Elastic-Product`` header: a 404, 405 or 501 to an index request, a page
    of HTML, or no JSON); or Elasticsearch refusing the store (no access, a setting). Not
    :func:`guard`'s re-raised client error: it came out as a traceback."""
    try:
        yield
    except (TransportConnectionError, ConnectionTimeout) as exc:
        raise StoreUnavailable(
            f"无法连接 / cannot connect to Elasticsearch at {server}: {cause(exc)}"
        ) from exc
    except ApiError as exc:
        status = exc.status_code
        if status in (401, 403):  # Elasticsearch leaves its header off these
            raise StoreUnavailable(
                f"{server} 拒绝访问 / {server} refused access ({api_reason(exc)})"
            ) from exc
        if exc.meta.headers.get("x-elastic-product") != "Elasticsearch":
            raise StoreUnavailable(
                f"{server} 不是 Elasticsearch / {server} does not answer as Elasticsearch "
                f"(HTTP {status}, no X-Elastic-Product header)"
            ) from exc
        if status in _UNAVAILABLE:
            raise StoreUnavailable(f"Elasticsearch answered {status} (open)") from exc
        raise StoreUnavailable(
            f"Elasticsearch 拒绝打开存储 / Elasticsearch at {server} refused to open the store: "
            f"{api_reason(exc)}"
        ) from exc
    except TransportError as exc:  # an answer the client cannot read (SerializationError)
        raise StoreUnavailable(
            f"{server} 不是 Elasticsearch / {server} does not answer as Elasticsearch "
            f"({type(exc).__name__}: {exc.message})"
        ) from exc


def cause(exc: BaseException) -> str:
    """What a connection failure comes down to ("Connection refused", "Name or service not
    known", "timed out"): the innermost error's own words, not urllib3's six lines around it."""
    inner, seen = exc, {id(exc)}
    while (nxt := inner.__cause__ or inner.__context__) is not None and id(nxt) not in seen:
        inner = nxt
        seen.add(id(inner))
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror
    return str(inner) or str(exc) or type(inner).__name__


def error_text(error: object) -> str:
    """An ``error`` Elasticsearch gives (an answer's, a bulk item's) in one line: its type and
    reason, and its cause's (``caused_by``) where it names one."""
    if not isinstance(error, dict):
        return str(error)
    text = f"{error.get('type')}: {error.get('reason')}"
    cause = error.get("caused_by")
    return f"{text} ({cause.get('type')}: {cause.get('reason')})" if cause else text


def api_reason(exc: ApiError) -> str:
    """An error answer in one line: its status, and the type and reason Elasticsearch gives
    (not the page of HTML a proxy may send instead)."""
    status = f"HTTP {exc.status_code}"
    error = exc.body.get("error") if isinstance(exc.body, dict) else None
    return f"{status} {error_text(error)}" if isinstance(error, dict | str) else status


def run(client: Elasticsearch, flow: Flow[T]) -> T:
    """Drive ``flow`` with the synchronous client."""
    try:
        call = next(flow)
        while True:
            with guard(call.what):
                response = getattr(client, call.method)(**call.kwargs)
            call = flow.send(response.body)
    except StopIteration as done:
        return cast(T, done.value)


async def run_async(client: AsyncElasticsearch, flow: Flow[T]) -> T:
    """Drive ``flow`` with the asynchronous client: the same requests, awaited."""
    try:
        call = next(flow)
        while True:
            with guard(call.what):
                response = await getattr(client, call.method)(**call.kwargs)
            call = flow.send(response.body)
    except StopIteration as done:
        return cast(T, done.value)


def record_of(source: Json) -> AnyRecord:
    return RECORD_ADAPTER.validate_python(source["record"])


def _check_shards(resp: Json) -> None:
    if resp["_shards"].get("failed"):
        raise StoreUnavailable(f"{resp['_shards']['failed']} shards failed to answer")


# --- flows ------------------------------------------------------------------------------------


def expand_flow(index: str, node: p.Prefix) -> Flow[list[str]]:
    """The index terms starting with the prefix, at most ``MAX_EXPANSIONS`` (else a 400)."""
    field = f"{node.field}_terms" if node.field.endswith(("_w", "_c")) else node.field
    size = p.MAX_EXPANSIONS + 1
    kwargs = {"index": index, "field": field, "string": node.prefix, "size": size, "timeout": "5s"}
    resp = yield Call("terms_enum", kwargs, "expand prefix")
    terms: list[str] = resp["terms"]
    if len(terms) > p.MAX_EXPANSIONS:
        raise p.expansion_error(node.pos, node.prefix)
    if not resp["complete"]:
        raise StoreUnavailable(f"expanding {node.prefix!r}* did not complete in time")
    return terms


def query_flow(names: IndexNames, kind: str, plan: p.Plan) -> Flow[Json]:
    """The query DSL of ``plan`` restricted to ``kind``: first one expansion per prefix, from
    the terms of that kind's index."""
    terms: dict[p.Prefix, list[str]] = {}
    for node in prefixes(plan):
        if node not in terms:
            terms[node] = yield from expand_flow(names.of(kind), node)
    return kind_query(kind, plan, terms.__getitem__)


def get_many_flow(names: IndexNames, record_ids: list[str]) -> Flow[dict[str, AnyRecord]]:
    """The records of these ids, whatever their kind, in the order asked: one ``mget`` asking
    every kind's index for each id (real-time, as ``get`` is: unrefreshed writes are seen)."""
    wanted = list(dict.fromkeys(record_ids))
    if not wanted:
        return {}
    docs = [{"_index": index, "_id": rid} for rid in wanted for index in names.kinds]
    resp = yield Call("mget", {"docs": docs, "source_includes": ["record"]}, "mget")
    found = {d["_id"]: d["_source"] for d in resp["docs"] if d.get("found")}
    return {rid: record_of(found[rid]) for rid in wanted if rid in found}


def count_flow(names: IndexNames, kind: RecordKind | None) -> Flow[int]:
    query: Json = {"term": {"record_type": kind}} if kind else {"match_all": {}}
    index = names.of(kind) if kind else names.kinds
    resp = yield Call("count", {"index": index, "query": query}, "count")
    return int(resp["count"])


def search_flow(names: IndexNames, request: SearchRequest) -> Flow[SearchResult]:
    query = yield from query_flow(names, request.kind, request.plan)
    size = min(request.facet_size, MAX_FACET_SIZE)
    aggs = {
        name: {
            "terms": {
                "field": FACETS[request.kind][name],
                "size": size,
                "shard_size": max(size, FACET_SHARD_SIZE),
                "order": [{"_count": "desc"}, {"_key": "asc"}],
            }
        }
        for name in request.facets
    }
    resp = yield Call(
        "search",
        {
            "index": names.of(request.kind),
            "query": query,
            "from_": request.offset,
            "size": request.size,
            "sort": SORTS[request.sort],
            "track_total_hits": True,
            "source_includes": ["record"],
            "aggs": aggs or None,
        },
        "search",
    )
    _check_shards(resp)
    relevance = request.sort == "relevance"
    hits = [
        Hit(h["_id"], float(h["_score"]) if relevance else None, record_of(h["_source"]))
        for h in resp["hits"]["hits"]
    ]
    facets = {
        name: sorted(
            (
                FacetBucket(str(b["key"]), int(b["doc_count"]))
                for b in resp["aggregations"][name]["buckets"]
            ),
            key=lambda b: (-b.count, b.key),
        )
        for name in request.facets
    }
    return SearchResult(total=int(resp["hits"]["total"]["value"]), hits=hits, facets=facets)


def similar_flow(names: IndexNames, record_id: str, size: int) -> Flow[list[Hit]]:
    """More like this with an *artificial document*: the record's ``*_w`` fields as
    ``index_document`` makes them, since they are not in ``_source`` to be read back."""
    record = (yield from get_many_flow(names, [record_id])).get(record_id)
    fields = similar.like_fields(record) if record else {}
    if record is None or not fields or size < 1:
        return []
    index = names.of(record.record_type)
    mlt = {
        "fields": list(fields),
        "like": [{"_index": index, "doc": fields}],
        "min_term_freq": similar.MIN_TERM_FREQ,
        "min_doc_freq": similar.MIN_DOC_FREQ,
        "max_query_terms": similar.MAX_QUERY_TERMS,
        "minimum_should_match": 1,  # as tantivy: any chosen term
    }
    query = {
        "bool": {
            "must": [{"more_like_this": mlt}],
            "filter": [{"term": {"record_type": record.record_type}}],
            "must_not": [{"ids": {"values": [record_id]}}],
        }
    }
    kwargs = {
        "index": index,
        "query": query,
        "size": min(size, similar.MAX_SIZE),
        "sort": SORTS["relevance"],
        "source_includes": ["record"],
    }
    resp = yield Call("search", kwargs, "similar")
    return [
        Hit(h["_id"], float(h["_score"]), record_of(h["_source"])) for h in resp["hits"]["hits"]
    ]
