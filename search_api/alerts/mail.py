"""Send one outbox row as e-mail over SMTP: ``multipart/alternative`` text and HTML (RFC 2046).

Written in the subscription's language (Chinese or English); a daily digest lists the day's
records in one message. The delivery id is the
``Message-ID``, so a mail system (or a reader) can drop a copy re-sent after a worker crash.
"""

from __future__ import annotations

import html
import smtplib
import time
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from search_api.alerts.models import Outbox, Subscription
from search_api.alerts.outbox import Attempt

TIMEOUT = 10.0
_TEXT = {
    "zh": {
        "subject": "【iphub】订阅“{name}”有 {n} 条新记录",
        "test": "【iphub】订阅“{name}”测试消息",
        "digest": "【iphub】订阅“{name}”每日汇总（{date}）：{n} 条新记录",
        "digest_intro": "您的订阅“{name}”在 {date} 匹配到以下 {n} 条新记录：",
        "intro": "您的订阅“{name}”匹配到以下新记录：",
        "none": "这是一条测试消息，投递通道工作正常。",
        "applicants": "申请人",
        "signals": "相似信号",
        "changed_subject": "【iphub】订阅“{name}”关注的 {n} 条记录有变更",
        "changed_intro": "您的订阅“{name}”关注的以下记录有变更：",
        "changes": "变更",
        "footer": "暂停或删除订阅：/api/v1/subscriptions/{id}",
    },
    "en": {
        "subject": "[iphub] {n} new record(s) for your subscription “{name}”",
        "test": "[iphub] Test message for your subscription “{name}”",
        "digest": "[iphub] Daily digest for “{name}” ({date}): {n} new record(s)",
        "digest_intro": "On {date} your subscription “{name}” matched these {n} new records:",
        "intro": "Your subscription “{name}” matched these new records:",
        "none": "This is a test message: the delivery channel works.",
        "applicants": "Applicants",
        "signals": "Signals",
        "changed_subject": "[iphub] {n} record(s) followed by your subscription “{name}” changed",
        "changed_intro": "These records followed by your subscription “{name}” have changed:",
        "changes": "Changes",
        "footer": "Pause or delete the subscription: /api/v1/subscriptions/{id}",
    },
}


def _lines(record: dict[str, Any], t: dict[str, str], lang: str) -> list[str]:
    lines = [f"{record.get('number', record.get('id'))}  {record.get('title', '')}"]
    lines.append(f"  {t['applicants']}: {', '.join(record.get('applicants', []))}")
    if record.get("date"):
        lines.append(f"  {record['date']}")
    if "changes" in record:  # a record watch's: what changed, in the reader's language
        changed = record.get("changed", {}).get(lang) or record.get("signals", [])
        lines.append(f"  {t['changes']}: {'; '.join(changed)}")
    elif record.get("signals"):
        lines.append(f"  {t['signals']}: {', '.join(record['signals'])}")
    return lines


def message(
    sub: Subscription, row: Outbox, payload: dict[str, Any], sender: str, base_url: str
) -> EmailMessage:
    t = _TEXT.get(sub.lang, _TEXT["zh"])
    records: list[dict[str, Any]] = payload.get("records", [])
    day = payload.get("digest", {}).get("date")
    fmt = {"name": sub.name, "n": len(records), "id": sub.id, "date": day}
    subject, intro_text = ("digest", "digest_intro") if day else ("subject", "intro")
    if row.event == "record.changed":  # records the reader follows changed: not new records
        subject, intro_text = "changed_subject", "changed_intro"
    msg = EmailMessage()
    msg["Subject"] = (t[subject] if records else t["test"]).format(**fmt)
    msg["From"] = sender
    msg["To"] = sub.target or ""
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = f"<{row.id}@iphub>"
    msg["X-Iphub-Delivery-Id"] = row.id
    text = [t[intro_text].format(**fmt) if records else t["none"], ""]
    items = []
    for record in records:
        lines = _lines(record, t, sub.lang)
        text += [*lines, f"  {base_url.rstrip('/')}/api/v1/records/{record['id']}", ""]
        link = f"{base_url.rstrip('/')}/api/v1/records/{html.escape(record['id'])}"
        rest = "<br>".join(html.escape(x.strip()) for x in lines[1:])
        items.append(f'<li><a href="{link}">{html.escape(lines[0])}</a><br>{rest}</li>')
    text.append(t["footer"].format(**fmt))
    msg.set_content("\n".join(text))
    intro = html.escape(t[intro_text].format(**fmt) if records else t["none"])
    msg.add_alternative(
        f'<html lang="{sub.lang}"><body><p>{intro}</p><ul>{"".join(items)}</ul>'
        f"<p><small>{html.escape(t['footer'].format(**fmt))}</small></p></body></html>",
        subtype="html",
    )
    return msg


def send(
    sub: Subscription,
    row: Outbox,
    payload: dict[str, Any],
    host: str,
    port: int,
    sender: str,
    base: str,
) -> Attempt:
    if not sub.target:
        return Attempt(False, error="subscription has no e-mail address", permanent=True)
    started = time.perf_counter()
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT) as smtp:
            smtp.send_message(message(sub, row, payload, sender, base))
    except (OSError, smtplib.SMTPException) as exc:
        permanent = isinstance(exc, smtplib.SMTPRecipientsRefused)
        return Attempt(False, error=f"{type(exc).__name__}: {exc}", permanent=permanent)
    return Attempt(True, 250, duration_ms=round((time.perf_counter() - started) * 1000, 1))
