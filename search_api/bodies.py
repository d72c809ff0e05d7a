"""The base of every JSON request body the API reads.

FastAPI validates a body after ``json.loads``, so pydantic's lax mode would take ``true`` for
the integer 1, ``"5"`` for 5 or ``1`` for ``true`` — values the OpenAPI schema refuses, and a
client sending them has a bug it should hear of. Request bodies are strict: a value must have
its JSON type (an integer is also a number), and an unknown field is an error too. Both give
the API's 422 ``invalid_parameter`` problem naming the field. Request bodies hold no dates or
enums, which strict Python-mode validation would only take as ``datetime.date`` or enum
members (literals of strings are fine).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RequestBody(BaseModel):
    """A JSON request body: unknown fields and values of another JSON type are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)
