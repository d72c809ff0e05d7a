"""What the spiders yield: a parsed record page, or a page that could not be had or parsed.

``RecordPage.fields`` is not yet a record: the item pipeline validates it into the schema, so a
page whose fields do not validate is quarantined like one that did not parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class RecordPage:
    url: str
    kind: Literal["patent", "trademark"]
    fields: dict[str, Any]
    #: the listing's ``dateModified`` for the record, kept in the seen-set once it is stored
    modified: str = ""
    #: the page's raw HTML fragment for the quarantine file, should validation fail
    raw: str = field(default="", repr=False)


@dataclass
class FailedPage:
    url: str
    reason: str
    raw: str = field(default="", repr=False)
