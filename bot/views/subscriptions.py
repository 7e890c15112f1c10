"""Replies about subscriptions: what /sub saved or refused, the /list, what /unsub removed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.i18n import Html, Texts
from bot.subscriptions import Refusal, SubscribeOutcome
from bot.views.fit import clip, fits, pack
from bot.views.query import describe_query, query_error
from bot.views.tuning import snoozed_line
from storage import Chat, Subscription

__all__ = ["render_list", "render_outcomes", "render_removed", "render_unsub_missing"]

# Of a query shown in a /sub reply (UTF-16 units): a saved query is at most 256 characters,
# a refused one may be anything the user sent.
_DETAILED_UNITS = 600
_ECHO_UNITS = 120
_LIST_UNITS = 60  # of a query in /list, when all of them fit
_LIST_MIN_UNITS = 8
_TOPIC_UNITS = 40  # of a topic's name on a line of the whole group's list


def _outcome_block(o: SubscribeOutcome, tr: Texts, limit: int, detailed: bool) -> str:
    shown = clip(o.raw, _DETAILED_UNITS if detailed else _ECHO_UNITS)
    if o.subscription is not None and o.query is not None:
        block: str = tr("sub.saved", query=shown)
        if detailed:
            block += "\n" + describe_query(o.query, tr)
        return block
    if o.refusal == Refusal.DUPLICATE:
        return tr("sub.duplicate", query=shown)
    if o.refusal == Refusal.LIMIT:
        return tr("sub.limit", query=shown, limit=limit)
    if o.error is not None:
        return tr("sub.invalid", query=shown, error=query_error(o.error, tr))
    return tr("sub.invalid", query=shown, error=tr("qerr.empty"))


def render_outcomes(outcomes: Sequence[SubscribeOutcome], tr: Texts, limit: int) -> list[Html]:
    """One block per query: saved (and how it was understood) or why not.

    All of it in one message when it fits; otherwise one line per query, the queries
    shortened, over as few messages as Telegram's limits allow (at most three, then a count).
    No outcome at all (nothing but separators was sent) is said in one line.
    """
    if not outcomes:
        return [tr("sub.nothing")]
    saved = any(o.subscription is not None for o in outcomes)
    footer: list[str] = [tr("sub.footer")] if saved else []
    detailed = "\n\n".join([*(_outcome_block(o, tr, limit, True) for o in outcomes), *footer])
    if fits(detailed):
        return [Html(detailed)]
    blocks = [_outcome_block(o, tr, limit, False) for o in outcomes]
    messages = pack(blocks, more=lambda n: tr("sub.more", count=n), separator="\n")
    if footer and fits(messages[-1] + "\n\n" + footer[0]):
        messages[-1] = Html(messages[-1] + "\n\n" + footer[0])
    return messages


def render_list(
    subs: Sequence[Subscription],
    chat: Chat,
    limit: int,
    tr: Texts,
    *,
    topics: Mapping[int, str] | None = None,
    head: Sequence[str] = (),
) -> Html:
    """The numbered list in one message.

    Queries are shortened as much as it takes for the whole list to fit Telegram's limit,
    whatever their letters cost (a mathematical bold 𝐀 counts two units). `topics`: the
    forum topics' names by thread id, to mark each subscription made in a topic; `head`:
    lines above the list (the channel or topic it is about).
    """
    if not subs:
        return Html("\n".join([*head, tr("list.empty")]))
    top: list[str] = [*head, tr("list.header", count=len(subs), limit=limit)]
    if chat.paused:
        top.append(tr("list.chat_paused"))
    width = _LIST_UNITS
    while True:
        lines = [*top, ""]
        for n, sub in enumerate(subs, 1):
            line = _line(n, sub, clip(sub.query, width), chat, tr)
            if topics is not None and sub.thread_id:  # the whole group's list: which topic
                label = clip(topics.get(sub.thread_id) or f"#{sub.thread_id}", _TOPIC_UNITS)
                line = tr("list.in_topic", line=Html(line), topic=label)
            lines.append(line)
        lines += ["", tr("list.hint")]
        text = Html("\n".join(lines))
        if fits(text) or width <= _LIST_MIN_UNITS:
            return text
        width = width * 3 // 4


def _line(n: int, sub: Subscription, shown: str, chat: Chat, tr: Texts) -> str:
    if sub.snoozed_until is not None and not sub.paused:
        return snoozed_line(n, shown, sub.snoozed_until, chat, tr)
    key = "list.line_paused" if sub.paused else "list.line"
    return tr(key, n=n, query=shown)


def render_removed(sub: Subscription, tr: Texts) -> Html:
    return tr("unsub.done", query=clip(sub.query, _ECHO_UNITS))


def render_unsub_missing(typed: str, tr: Texts) -> Html:
    return tr("unsub.not_found", query=clip(typed, _ECHO_UNITS))
