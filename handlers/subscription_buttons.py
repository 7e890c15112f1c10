"""The buttons of /list (pause, resume, delete), of /unsub, and «Отписаться» under alerts.

Each action has its own handler. A press whose subscription is gone is answered so, and the
list under it is still redrawn to show what is true now (in a forum topic: the topic's list;
its button switches between the topic's and the whole group's).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import ListCb, SubAction, SubCb
from bot.config import Settings
from bot.i18n import Texts
from bot.keyboards import unsub_keyboard
from bot.middlewares import MANAGE
from bot.subscriptions import SubscriptionService
from bot.topics import topic_of
from bot.views.subscriptions import render_removed
from handlers.buttons import edit, editable
from handlers.subscriptions import list_view, listed
from storage import Chat, Repository

_MANAGE = {MANAGE: True}


async def _redraw_list(
    query: CallbackQuery, repo: Repository, settings: Settings, chat: Chat, tr: Texts
) -> None:
    """The list under the pressed button, redrawn so it shows what is true now."""
    message = editable(query)
    if message is not None:
        topic = topic_of(message)
        await edit(message, *await list_view(repo, chat, topic, settings, tr))


async def scope_button(
    query: CallbackQuery,
    callback_data: ListCb,
    repo: Repository,
    settings: Settings,
    chat_record: Chat,
    topic: int,
    tr: Texts,
) -> None:
    """/list in a forum topic: the whole group's subscriptions, or back to the topic's."""
    message = editable(query)
    if message is not None:
        view = await list_view(repo, chat_record, topic, settings, tr, callback_data.scope)
        await edit(message, *view)


async def pause_button(
    query: CallbackQuery,
    callback_data: SubCb,
    callback_answer: CallbackAnswer,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    paused = await subscription_service.set_paused(chat_record.id, callback_data.sub_id, True)
    callback_answer.text = tr.plain("cb.paused" if paused is not None else "cb.stale_sub")
    await _redraw_list(query, repo, settings, chat_record, tr)


async def resume_button(
    query: CallbackQuery,
    callback_data: SubCb,
    callback_answer: CallbackAnswer,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    resumed = await subscription_service.set_paused(chat_record.id, callback_data.sub_id, False)
    callback_answer.text = tr.plain("cb.resumed" if resumed is not None else "cb.stale_sub")
    await _redraw_list(query, repo, settings, chat_record, tr)


async def delete_button(
    query: CallbackQuery,
    callback_data: SubCb,
    callback_answer: CallbackAnswer,
    repo: Repository,
    subscription_service: SubscriptionService,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    removed = await subscription_service.remove(chat_record.id, callback_data.sub_id)
    callback_answer.text = tr.plain("cb.deleted" if removed is not None else "cb.stale_sub")
    await _redraw_list(query, repo, settings, chat_record, tr)


async def _unsubscribe(
    query: CallbackQuery,
    sub_id: int,
    callback_answer: CallbackAnswer,
    subscription_service: SubscriptionService,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """Delete one subscription and say so under the message pressed."""
    removed = await subscription_service.remove(chat_record.id, sub_id)
    callback_answer.text = tr.plain("cb.deleted" if removed is not None else "cb.stale_sub")
    message = editable(query)
    if removed is not None and message is not None:
        await message.answer(render_removed(removed, tr))


async def unsub_button(
    query: CallbackQuery,
    callback_data: SubCb,
    callback_answer: CallbackAnswer,
    subscription_service: SubscriptionService,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """Under an alert: the alert stays as it was sent."""
    sub_id = callback_data.sub_id
    await _unsubscribe(query, sub_id, callback_answer, subscription_service, chat_record, tr)


async def pick_button(
    query: CallbackQuery,
    callback_data: SubCb,
    callback_answer: CallbackAnswer,
    repo: Repository,
    subscription_service: SubscriptionService,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """On the /unsub picker: the picker is redrawn with the subscriptions left."""
    sub_id = callback_data.sub_id
    await _unsubscribe(query, sub_id, callback_answer, subscription_service, chat_record, tr)
    message = editable(query)
    if message is not None:
        subs = await listed(repo, chat_record, topic_of(message))
        if subs:
            await edit(message, tr("unsub.ask"), unsub_keyboard(subs, tr))
        else:
            await edit(message, tr("list.empty"), None)


def create_router() -> Router:
    router = Router(name=__name__)
    buttons = (
        (pause_button, SubAction.PAUSE),
        (resume_button, SubAction.RESUME),
        (delete_button, SubAction.DELETE),
        (unsub_button, SubAction.UNSUB),
        (pick_button, SubAction.PICK),
    )
    for handler, action in buttons:
        router.callback_query.register(
            handler, SubCb.filter(F.action == action), flags={MANAGE: True}
        )
    router.callback_query.register(scope_button, ListCb.filter())
    return router
