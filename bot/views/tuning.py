"""Replies of the tuning buttons: why an alert came, what an exclusion or a snooze changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Html, Texts
from bot.subscriptions import Refusal, SubscribeOutcome
from bot.timezones import load_zone
from bot.tuning.why import Explanation
from bot.views.fit import clip, fits
from bot.views.query import describe_query, query_error
from storage import Chat, Subscription

__all__ = [
    "render_exclusion",
    "render_snoozed",
    "render_why",
    "snoozed_line",
    "span_label",
]

_QUERY_UNITS = 120  # of a query echoed in a reply
_FORM_UNITS = 40  # of one matched form


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def snoozed_line(n: int, query: str, until: datetime, chat: Chat, tr: Texts) -> Html:
    """A /list line of a snoozed subscription: «2. Лавров — ⏰ до 08:00» (the chat's clock)."""
    return tr(
        "tune-list-snoozed", n=n, query=query, until=local_time(until, load_zone(chat.timezone))
    )


def span_label(minutes: float, tr: Texts) -> str:
    """The short snooze on its button: «1 час», «30 минут» (seconds for a test's short one)."""
    if minutes < 1:
        return tr.plain("tune-span-seconds", count=max(1, round(minutes * 60)))
    whole = round(minutes)
    if whole % 60 == 0:
        return tr.plain("tune-span-hours", count=whole // 60)
    return tr.plain("tune-span-minutes", count=whole)


def _why_block(sub: Subscription, explanation: Explanation, tr: Texts, detailed: bool) -> str:
    lines: list[str] = [tr("tune-why-sub", query=clip(sub.query, _QUERY_UNITS))]
    if not explanation.matches:
        lines.append(tr("tune-why-no_match"))
    for found in explanation.found:
        forms = ", ".join(f"«{clip(f, _FORM_UNITS)}»" for f in found.forms)
        key = "tune-why-found_title" if found.in_title else "tune-why-found"
        line: str = tr(key, term=found.term, forms=forms)
        if found.names:
            line += " " + tr("tune-why-as_name", names=", ".join(found.names))
        lines.append(line)
    if detailed:
        lines += [tr("tune-why-reading"), describe_query(explanation.query, tr)]
    return "\n".join(lines)


def render_why(rows: Sequence[tuple[Subscription, Explanation]], tr: Texts) -> Html:
    """One block per subscription that fired: the words found, in their forms, and how its
    query is read. When that is too long for one message, the readings are left out, and
    then the blocks that do not fit («…»)."""
    header = tr("tune-why-header")
    detailed = Html("\n\n".join([header, *(_why_block(s, e, tr, True) for s, e in rows)]))
    if fits(detailed):
        return detailed
    text: str = header
    for sub, explanation in rows:
        longer = f"{text}\n\n{_why_block(sub, explanation, tr, False)}"
        if not fits(longer + "\n…"):
            return Html(text + "\n…")
        text = longer
    return Html(text)


def render_exclusion(outcome: SubscribeOutcome, word: str, before: str, tr: Texts) -> Html:
    """What «-word» did to the subscription once `before`: added, or refused and why."""
    old = clip(before, _QUERY_UNITS)
    if outcome.refusal is None and outcome.subscription is not None:
        return tr("tune-excluded", word=word, old=old, query=outcome.subscription.query)
    if outcome.refusal is Refusal.DUPLICATE:
        return tr("tune-exclude_duplicate", word=word, query=clip(outcome.raw, _QUERY_UNITS))
    error = query_error(outcome.error, tr) if outcome.error is not None else tr("qerr.empty")
    return tr("tune-exclude_refused", word=word, query=old, error=error)


def render_snoozed(sub: Subscription, until: datetime, zone: ZoneInfo, tr: Texts) -> Html:
    return tr("tune-snoozed", query=clip(sub.query, _QUERY_UNITS), until=local_time(until, zone))
