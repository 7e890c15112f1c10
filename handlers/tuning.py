"""The tuning buttons under an alert: «Почему?», «Исключить слово», «Не показывать сюжет»,
«⋯» with «Отложить» (bot/tuning/keyboards.py draws them).

Every press passes the admin rule (`MANAGE`), must be one of the buttons the message shows, and
acts on the alert's own chat: the delivery is read back and must belong to the chat the button
was pressed in. Menus replace the alert's buttons in place; what changes a subscription is
said in a message (in a channel, in the presser's private chat: a channel post would reach
every reader).
"""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import TuneAction, TuneCb
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Html, Texts, texts
from bot.matching import QueryError, item_text
from bot.matching.offload import SlicedAnalysis
from bot.middlewares import MANAGE
from bot.subscriptions import SubscriptionService
from bot.timezones import load_zone
from bot.tuning.alert import AlertContext, exclusion_words, load_alert
from bot.tuning.keyboards import main_row, subscription_menu, subscriptions_menu, words_menu
from bot.tuning.snooze import Snooze, snooze_until
from bot.tuning.why import explain
from bot.tuning.words import CANDIDATES, POOL, word_tag
from bot.views.fit import clip
from bot.views.tuning import render_exclusion, render_snoozed, render_why, span_label
from handlers.buttons import OnMessage
from storage import Repository, Subscription

_LABEL = 28


async def _rekey(message: Message, markup: InlineKeyboardMarkup) -> None:
    """Replace the alert's buttons; a double press (nothing to change) or an alert Telegram
    no longer lets us edit leaves them as they are."""
    try:
        await message.edit_reply_markup(reply_markup=markup)
    except TelegramBadRequest as exc:
        if "not modified" not in exc.message and "can't be edited" not in exc.message:
            raise


async def _say(query: CallbackQuery, message: Message, bot: Bot, text: Html, tr: Texts) -> str:
    """Post a reply under the alert; in a channel, to the presser privately. Returns the
    toast to show when that could not be done ("" otherwise)."""
    if message.chat.type != ChatType.CHANNEL:
        await message.answer(text)
        return ""
    try:
        await bot.send_message(query.from_user.id, text)
    except (TelegramForbiddenError, TelegramBadRequest):
        return tr.plain("tune-cb-write_me")
    return ""


async def _context(
    callback_data: TuneCb,
    message: Message,
    repo: Repository,
    answer: CallbackAnswer,
    tr: Texts,
    *,
    subs: bool = True,
) -> tuple[AlertContext, Texts] | None:
    """The pressed alert and texts in its chat's language, or None, answered as stale: the
    alert is gone, or (`subs`: the button acts on them) every subscription that fired is."""
    ctx = await load_alert(repo, callback_data.alert, message.chat.id)
    if ctx is None:
        answer.text = tr.plain("tune-cb-stale_alert")
        return None
    tr = texts(ctx.chat.language)
    if subs and not ctx.subs:
        answer.text = tr.plain("cb.stale_sub")
        return None
    return ctx, tr


def _subscription(
    ctx: AlertContext, callback_data: TuneCb, answer: CallbackAnswer, tr: Texts
) -> Subscription | None:
    sub = ctx.sub(callback_data.sub)
    if sub is None:
        answer.text = tr.plain("cb.stale_sub")
    return sub


async def _main(message: Message, ctx: AlertContext, repo: Repository, clock: Clock) -> None:
    story = ctx.item.story
    muted = story is not None and await repo.tuning.is_muted(ctx.chat.id, story, clock())
    tr = texts(ctx.chat.language)
    await _rekey(message, main_row(ctx.delivery.id, tr, story=story is not None, muted=muted))


async def why_button(
    query: CallbackQuery,
    callback_data: TuneCb,
    callback_answer: CallbackAnswer,
    message: Message,
    bot: Bot,
    repo: Repository,
    subscription_service: SubscriptionService,
    analysis: SlicedAnalysis,
    tr: Texts,
) -> None:
    """«Почему?»: the words each fired subscription finds in the item, and how it reads."""
    found = await _context(callback_data, message, repo, callback_answer, tr)
    if found is None:
        return
    ctx, tr = found
    analyzer = subscription_service.analyzer
    doc = await analysis.document(analyzer, item_text(ctx.item.title, ctx.item.text))
    rows = []
    for sub in ctx.subs:
        try:
            compiled = subscription_service.compile(sub.query)
        except QueryError:  # stored before a change of the language: nothing to explain
            continue
        rows.append((sub, explain(compiled, doc, len(ctx.item.title))))
    callback_answer.text = await _say(query, message, bot, render_why(rows, tr), tr)


async def exclude_button(
    query: CallbackQuery,
    callback_data: TuneCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    subscription_service: SubscriptionService,
    tr: Texts,
) -> None:
    """«Исключить…»: which subscription (when several fired), then its candidate words."""
    found = await _context(callback_data, message, repo, callback_answer, tr)
    if found is None:
        return
    ctx, tr = found
    alert = ctx.delivery.id
    if callback_data.sub == 0 and len(ctx.subs) > 1:
        subs = [(s.id, s.query) for s in ctx.subs]
        await _rekey(message, subscriptions_menu(alert, subs, TuneAction.EXCLUDE, tr))
        callback_answer.text = tr.plain("tune-cb-pick_exclude")
        return
    sub = (
        ctx.subs[0]
        if callback_data.sub == 0
        else _subscription(ctx, callback_data, callback_answer, tr)
    )
    if sub is None:
        return
    words = await exclusion_words(subscription_service, repo, ctx, sub, CANDIDATES)
    if not words:
        callback_answer.text = tr.plain("tune-cb-no_words")
        return
    menu = words_menu(alert, sub.id, [w.text for w in words], tr, back_to_list=len(ctx.subs) > 1)
    await _rekey(message, menu)
    callback_answer.text = tr.plain("tune-cb-words", query=clip(sub.query, _LABEL))


async def word_button(
    query: CallbackQuery,
    callback_data: TuneCb,
    callback_answer: CallbackAnswer,
    message: Message,
    bot: Bot,
    repo: Repository,
    subscription_service: SubscriptionService,
    clock: Clock,
    tr: Texts,
) -> None:
    """One word: «-word» joins the subscription (every alternative of it), and it is said."""
    found = await _context(callback_data, message, repo, callback_answer, tr)
    if found is None:
        return
    ctx, tr = found
    sub = _subscription(ctx, callback_data, callback_answer, tr)
    if sub is None:
        return
    pool = await exclusion_words(subscription_service, repo, ctx, sub, POOL)
    word = next((w.text for w in pool if word_tag(w.text) == callback_data.ref), None)
    if word is None:  # the list changed since it was drawn (the query, the stream)
        callback_answer.text = tr.plain("tune-cb-word_gone")
        return
    outcome = await subscription_service.exclude(ctx.chat.id, sub.id, word)
    if outcome is None:
        callback_answer.text = tr.plain("cb.stale_sub")
        return
    text = render_exclusion(outcome, word, sub.query, tr)
    failed = await _say(query, message, bot, text, tr)
    if outcome.refusal is None:
        callback_answer.text = failed or tr.plain("tune-cb-excluded", word=clip(word, _LABEL))
        await _main(message, ctx, repo, clock)
    else:
        callback_answer.text = failed or tr.plain("tune-cb-not_excluded")


async def mute_button(
    query: CallbackQuery,
    callback_data: TuneCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    clock: Clock,
    tr: Texts,
) -> None:
    """«Не показывать сюжет» (and, once pressed, «show it again»)."""
    found = await _context(callback_data, message, repo, callback_answer, tr, subs=False)
    if found is None:
        return
    ctx, tr = found
    story = ctx.item.story
    if story is None:
        callback_answer.text = tr.plain("tune-cb-stale_alert")
        return
    if callback_data.action is TuneAction.MUTE:
        await repo.tuning.mute(ctx.chat.id, story, clock())
        callback_answer.text = tr.plain("tune-cb-muted")
    else:
        await repo.tuning.unmute(ctx.chat.id, story)
        callback_answer.text = tr.plain("tune-cb-unmuted")
    await _main(message, ctx, repo, clock)


async def more_button(
    query: CallbackQuery,
    callback_data: TuneCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    settings: Settings,
    tr: Texts,
) -> None:
    """«⋯»: the fired subscriptions (when several), then one's actions."""
    found = await _context(callback_data, message, repo, callback_answer, tr)
    if found is None:
        return
    ctx, tr = found
    alert = ctx.delivery.id
    if callback_data.sub == 0 and len(ctx.subs) > 1:
        subs = [(s.id, s.query) for s in ctx.subs]
        await _rekey(message, subscriptions_menu(alert, subs, TuneAction.MORE, tr))
        return
    sub = (
        ctx.subs[0]
        if callback_data.sub == 0
        else _subscription(ctx, callback_data, callback_answer, tr)
    )
    if sub is None:
        return
    hour = span_label(settings.snooze_minutes, tr)
    menu = subscription_menu(alert, sub.id, tr, hour_label=hour, back_to_list=len(ctx.subs) > 1)
    await _rekey(message, menu)
    callback_answer.text = clip(sub.query, _LABEL)


async def snooze_button(
    query: CallbackQuery,
    callback_data: TuneCb,
    callback_answer: CallbackAnswer,
    message: Message,
    bot: Bot,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    clock: Clock,
    tr: Texts,
) -> None:
    """«Отложить»: an hour (SNOOZE_MINUTES) or until 08:00 on the chat's clock."""
    found = await _context(callback_data, message, repo, callback_answer, tr)
    if found is None:
        return
    ctx, tr = found
    sub = _subscription(ctx, callback_data, callback_answer, tr)
    if sub is None:
        return
    if callback_data.ref not in {int(s) for s in Snooze}:  # no release of ours drew it
        callback_answer.text = tr.plain("cb.stale")
        return
    zone = load_zone(ctx.chat.timezone, settings.default_timezone)
    short = timedelta(minutes=settings.snooze_minutes)
    until = snooze_until(Snooze(callback_data.ref), clock(), zone, short)
    snoozed = await subscription_service.snooze(ctx.chat.id, sub.id, until)
    if snoozed is None:
        callback_answer.text = tr.plain("cb.stale_sub")
        return
    failed = await _say(query, message, bot, render_snoozed(snoozed, until, zone, tr), tr)
    callback_answer.text = failed or tr.plain("tune-cb-snoozed")
    await _main(message, ctx, repo, clock)


async def back_button(
    query: CallbackQuery,
    callback_data: TuneCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    clock: Clock,
    tr: Texts,
) -> None:
    """«← Назад»: the alert's own row again."""
    found = await _context(callback_data, message, repo, callback_answer, tr, subs=False)
    if found is not None:
        await _main(message, found[0], repo, clock)


async def stale_button(query: CallbackQuery, callback_answer: CallbackAnswer, tr: Texts) -> None:
    """A tuning payload the message does not show (forged, or from buttons since replaced)."""
    callback_answer.text = tr.plain("cb.stale")


def create_router() -> Router:
    router = Router(name=__name__)
    handlers = (
        (why_button, (TuneAction.WHY,)),
        (exclude_button, (TuneAction.EXCLUDE,)),
        (word_button, (TuneAction.WORD,)),
        (mute_button, (TuneAction.MUTE, TuneAction.UNMUTE)),
        (more_button, (TuneAction.MORE,)),
        (snooze_button, (TuneAction.SNOOZE,)),
        (back_button, (TuneAction.BACK,)),
    )
    for handler, actions in handlers:
        router.callback_query.register(
            handler,
            TuneCb.filter(F.action.in_(actions)),
            OnMessage(shown=True),
            flags={MANAGE: True},
        )
    # Past the admin rule too, so a group member is told that, not that the button is old.
    router.callback_query.register(stale_button, TuneCb.filter(), flags={MANAGE: True})
    return router
