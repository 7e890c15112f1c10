"""/quiet (quiet hours), /digest (hourly or daily) and the urgent switch on /list: when a
chat's alerts may push.

Both change what the chat receives, so in groups only administrators may use them (`MANAGE`).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import SubAction, SubCb
from bot.clock import Clock
from bot.config import Settings
from bot.digests.parse import HOURLY, OFF, hhmm, parse_quiet, parse_time
from bot.digests.timing import release_if_due
from bot.i18n import Texts
from bot.middlewares import MANAGE
from bot.timezones import zone_label
from bot.topics import topic_of
from bot.views.fit import clip
from bot.views.settings import render_quiet, render_schedule
from handlers.buttons import edit, editable
from handlers.subscriptions import list_view
from storage import Chat, DeliverySchedule, Repository

_MANAGE = {MANAGE: True}
_TYPED_UNITS = 40


async def quiet_command(
    message: Message,
    command: CommandObject,
    repo: Repository,
    clock: Clock,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """`/quiet 23-8`, `/quiet 23:30-07:45`, `/quiet off`; alone, the current hours."""
    now = clock()
    typed = (command.args or "").strip()
    if not typed:
        await message.answer(tr("quiet.usage", current=render_quiet(chat_record, tr)))
        return
    if typed.casefold() in OFF:
        await repo.chats.set_quiet_hours(chat_record.id, None, now)
        await release_if_due(repo, chat_record.id, now, settings.default_timezone)
        await message.answer(tr("quiet.off"))
        return
    hours = parse_quiet(typed)
    if hours is None:
        await message.answer(tr("quiet.bad", typed=clip(typed, _TYPED_UNITS)))
        return
    await repo.chats.set_quiet_hours(chat_record.id, hours, now)
    await message.answer(
        tr(
            "quiet.saved",
            start=hhmm(hours[0]),
            end=hhmm(hours[1]),
            timezone=zone_label(chat_record.timezone, now, tr),
        )
    )


async def digest_command(
    message: Message,
    command: CommandObject,
    repo: Repository,
    clock: Clock,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """`/digest 9:00` (daily), `/digest hourly`, `/digest off`; alone, the current choice."""
    now = clock()
    typed = (command.args or "").strip()
    folded = typed.casefold()
    chat_id = chat_record.id
    if not typed:
        await message.answer(tr("digest.usage", current=render_schedule(chat_record, tr)))
        return
    if folded in OFF:
        await repo.chats.set_schedule(chat_id, DeliverySchedule.INSTANT, now)
        await release_if_due(repo, chat_id, now, settings.default_timezone)
        await message.answer(tr("digest.saved_off"))
        return
    if folded in HOURLY:
        await repo.chats.set_schedule(chat_id, DeliverySchedule.HOURLY, now)
        await message.answer(tr("digest.saved_hourly"))
        return
    minutes = parse_time(typed)
    if minutes is None:
        await message.answer(tr("digest.bad", typed=clip(typed, _TYPED_UNITS)))
        return
    await repo.chats.set_schedule(chat_id, DeliverySchedule.DAILY, now, digest_at=minutes)
    zone = zone_label(chat_record.timezone, now, tr)
    await message.answer(tr("digest.saved_daily", time=hhmm(minutes), timezone=zone))


async def urgent_button(
    query: CallbackQuery,
    callback_data: SubCb,
    callback_answer: CallbackAnswer,
    repo: Repository,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    urgent = callback_data.action is SubAction.URGENT
    sub = await repo.subscriptions.get(callback_data.sub_id)
    if sub is None or sub.chat_id != chat_record.id:
        callback_answer.text = tr.plain("cb.stale_sub")
    else:
        await repo.subscriptions.set_urgent(sub.id, urgent)
        callback_answer.text = tr.plain("cb.urgent_on" if urgent else "cb.urgent_off")
    message = editable(query)
    if message is not None:
        await edit(message, *await list_view(repo, chat_record, topic_of(message), settings, tr))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(quiet_command, Command("quiet"), flags=_MANAGE)
    router.message.register(digest_command, Command("digest"), flags=_MANAGE)
    router.callback_query.register(
        urgent_button,
        SubCb.filter(F.action.in_({SubAction.URGENT, SubAction.ORDINARY})),
        flags=_MANAGE,
    )
    return router
