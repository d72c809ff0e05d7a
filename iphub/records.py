"""The one record schema: the contract between parsers, enrichment, stores and the API.

Parsers build these models and nothing else; stores keep them as JSON (``model_dump_json``) and
index the fields named in ``iphub.store.fields``. Numbers are normalised by ``iphub.numbers``
before they reach a model, so ``id`` is deterministic and re-ingesting is an upsert.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field


class PatentKind(StrEnum):
    INVENTION_APPLICATION = "invention_application"  # 发明公开
    INVENTION_GRANT = "invention_grant"  # 发明授权
    UTILITY_MODEL = "utility_model"  # 实用新型
    DESIGN = "design"  # 外观设计


class ApplicantType(StrEnum):
    ENTERPRISE = "enterprise"
    UNIVERSITY = "university"
    INSTITUTE = "institute"
    HOSPITAL = "hospital"
    GOVERNMENT = "government"
    INDIVIDUAL = "individual"
    OTHER = "other"


class LegalStatus(StrEnum):
    PENDING = "pending"  # 审中
    VALID = "valid"  # 有效
    INVALID = "invalid"  # 失效
    UNKNOWN = "unknown"


class TrademarkStatus(StrEnum):
    APPLIED = "applied"  # 申请中
    PRELIMINARY = "preliminary"  # 初审公告
    REGISTERED = "registered"  # 已注册
    INVALID = "invalid"  # 无效 / 注销 / 驳回
    UNKNOWN = "unknown"


#: the statuses' Chinese labels, as the page shows them (frontend/src/messages.js ``values``)
STATUS_LABELS_ZH: dict[str, str] = {
    LegalStatus.PENDING: "审中",
    LegalStatus.VALID: "有效",
    LegalStatus.UNKNOWN: "未知",
    TrademarkStatus.APPLIED: "申请中",
    TrademarkStatus.PRELIMINARY: "初审公告",
    TrademarkStatus.REGISTERED: "已注册",
}
#: ``invalid`` reads 失效 (lapsed) for a patent, 无效 for a trademark
INVALID_ZH = {"patent": "失效", "trademark": "无效"}


def status_label_zh(kind: str, status: str) -> str:
    """A legal status in Chinese (the code itself when it has no label)."""
    if status == "invalid":
        return INVALID_ZH.get(kind, "无效")
    return STATUS_LABELS_ZH.get(status, status)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Party(_Model):
    """An applicant, owner or inventor as printed, with its enrichment."""

    name: str = Field(min_length=1)
    normalized_name: str | None = None
    key: str | None = None  # stable key for facets and holdings
    type: ApplicantType | None = None
    state_owned: bool = False
    address: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    province: str | None = None
    city: str | None = None
    district: str | None = None


class LocalizedText(_Model):
    text: str
    lang: str = "zh"  # ISO 639-1


class Priority(_Model):
    country: str
    number: str
    date: dt.date | None = None


class RelatedDocument(_Model):
    """A document the office lists as related to this one by its filing (ST.36
    ``related-documents``): the parent application of a division or continuation, a provisional
    application, the application's own earlier publication."""

    #: the office's name for the relation: ``division``, ``continuation``,
    #: ``continuation-in-part``, ``reissue``, ``us-provisional-application``,
    #: ``related-publication`` (the same application published before) …
    relation: str
    number: str  # an application number; a publication number for ``related-publication``
    date: dt.date | None = None  # its filing (or publication) date
    status: str | None = None  # a parent application's status as printed: PENDING, GRANTED …
    patent: str | None = None  # a parent's patent number, when it was granted


class LegalEvent(_Model):
    """One event of a legal-status history (CNIPA 法律状态, INPADOC)."""

    date: dt.date | None = None
    code: str | None = None
    description: str
    #: the state the event is about, where the family member's office is not it: INPADOC's
    #: ``L501EP`` (``LU`` for a European patent lapsed in Luxembourg)
    country: str | None = None
    effective_date: dt.date | None = None  # when the event took effect (INPADOC ``L525EP``)
    #: what the office says besides its code: INPADOC's free text (``L510EP``, "LAPSE BECAUSE
    #: OF NON-PAYMENT OF DUE FEES") or national code (``L502EP``, "PL PATENT CEASED")
    detail: str | None = None


class Agency(_Model):
    name: str
    agents: list[str] = Field(default_factory=list)


class _RecordBase(_Model):
    id: str = Field(min_length=3, max_length=64)
    source: str = "unknown"
    batch_id: str | None = None
    industries: list[str] = Field(default_factory=list)
    applicants: list[Party] = Field(default_factory=list)
    agency: Agency | None = None
    #: every source that contributed to this record (merged loads); empty when only ``source``
    sources: list[str] = Field(default_factory=list)
    #: of a record merged from several sources, the fields whose value another source than
    #: ``source`` gave, and that source (``ingest.merge``: a source's corrected delivery
    #: replaces what it gave itself); None when ``source`` gave every field
    provenance: dict[str, str] | None = None


class Patent(_RecordBase):
    record_type: Literal["patent"] = "patent"
    jurisdiction: str = Field(min_length=2, max_length=2)
    kind: PatentKind
    kind_code: str | None = None  # office kind code: A, B, U, S, B2 ...
    application_number: str
    application_date: dt.date | None = None
    publication_number: str
    publication_date: dt.date | None = None
    grant_date: dt.date | None = None
    title: LocalizedText
    titles: list[LocalizedText] = Field(default_factory=list)  # other languages
    abstract: LocalizedText | None = None
    abstracts: list[LocalizedText] = Field(default_factory=list)  # other languages
    claims: list[str] = Field(default_factory=list)
    inventors: list[Party] = Field(default_factory=list)
    ipc_main: str | None = None
    ipc: list[str] = Field(default_factory=list)
    cpc: list[str] = Field(default_factory=list)
    locarno: list[str] = Field(default_factory=list)
    priorities: list[Priority] = Field(default_factory=list)
    related: list[RelatedDocument] = Field(default_factory=list)
    pct_application_number: str | None = None
    pct_publication_number: str | None = None
    legal_status: LegalStatus = LegalStatus.UNKNOWN
    legal_events: list[LegalEvent] = Field(default_factory=list)
    cited_documents: list[str] = Field(default_factory=list)
    family_id: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Trademark(_RecordBase):
    record_type: Literal["trademark"] = "trademark"
    jurisdiction: str = Field(default="CN", min_length=2, max_length=2)
    application_number: str
    registration_number: str | None = None
    mark_text: str | None = None
    mark_pinyin: str | None = None
    #: word, figurative, combined, sound, 3d, colour; from ST.96 also hologram, motion, position,
    #: pattern, multimedia, olfactory and other (``ingest.parsers.st96``)
    mark_type: str | None = None
    nice_classes: list[Annotated[int, Field(ge=1, le=45)]] = Field(default_factory=list)
    goods_services: list[str] = Field(default_factory=list)
    application_date: dt.date | None = None
    preliminary_publication_date: dt.date | None = None
    registration_date: dt.date | None = None
    expiry_date: dt.date | None = None
    status: TrademarkStatus = TrademarkStatus.UNKNOWN
    vienna_codes: list[str] = Field(default_factory=list)
    international_registration_number: str | None = None


class CopyrightType(StrEnum):
    SOFTWARE = "software"  # 计算机软件著作权登记 (e.g. 2016SR309930)
    WORKS = "works"  # 作品著作权登记 (e.g. 国作登字-2016-F-00269796)


class Copyright(_RecordBase):
    """A copyright registration (CPCC): software (软著) or works (作品).

    Owners (著作权人) are ``applicants``; ids come from ``iphub.numbers.copyright_id``.
    """

    record_type: Literal["copyright"] = "copyright"
    jurisdiction: str = Field(default="CN", min_length=2, max_length=2)
    copyright_type: CopyrightType
    registration_number: str
    title: str = Field(min_length=1)  # 软件名称 / 作品名称
    short_name: str | None = None  # 软件简称
    version: str | None = None  # 版本号
    category: str | None = None  # 分类号 (software) or 作品类别 (works: 美术, 音乐 ...)
    application_date: dt.date | None = None
    completion_date: dt.date | None = None  # 开发完成 / 创作完成日期
    first_publication_date: dt.date | None = None  # 首次发表日期
    registration_date: dt.date | None = None  # 登记日期 / 登记批准日期


Record = Annotated[Patent | Trademark | Copyright, Field(discriminator="record_type")]
AnyRecord = Patent | Trademark | Copyright
RecordKind = Literal["patent", "trademark", "copyright"]
#: every kind, in that order
RECORD_KINDS: tuple[RecordKind, ...] = get_args(RecordKind)


def title_of(record: AnyRecord) -> str:
    """What a record is called in a list or a message: a patent's (first) title, a copyright
    registration's title, a trademark's mark ('' for a figurative mark without words)."""
    if isinstance(record, Patent):
        return record.title.text
    return record.title if isinstance(record, Copyright) else record.mark_text or ""
