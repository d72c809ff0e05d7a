"""Property-based run of the API against its own OpenAPI schema: no 500, no off-schema reply."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from iphub.config import Settings
from iphub.store.embedded import EmbeddedStore
from search_api.main import create_app
from tests.conformance.contract import load


def _app() -> object:
    path = Path(__file__).resolve().parents[2] / "var" / "test-schemathesis" / "iphub.db"
    if path.parent.exists():
        for f in path.parent.glob("iphub.db*"):
            if f.is_dir():
                for g in f.iterdir():
                    g.unlink()
                f.rmdir()
            else:
                f.unlink()
    store = EmbeddedStore(path)
    load(store)
    return create_app(Settings(store=f"sqlite:///{path}", rate_limit=0), store=store)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    # Every other check stays on. Positive-data acceptance is off on purpose: ``q`` is free text
    # and a malformed query *must* be a 400 (with its position), which that check would flag.
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])


class ApiState(schema.as_state_machine()):  # type: ignore[misc]
    def validate_response(
        self, response: object, case: schemathesis.Case, **kwargs: object
    ) -> None:
        case.validate_response(
            response,  # type: ignore[arg-type]
            excluded_checks=[schemathesis.checks.positive_data_acceptance],
        )


TestApiStateful = ApiState.TestCase
TestApiStateful.settings = settings(max_examples=20, stateful_step_count=5, deadline=None)
