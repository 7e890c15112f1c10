"""A Telegram Bot API stand-in served over real HTTP on 127.0.0.1.

Tests drive the real aiogram Bot (and the real `python -m bot` process) against it instead of
mocking aiogram, so request encoding, response validation and error mapping are all exercised.
It answers the way Telegram does: same JSON shapes, same error codes and descriptions, long
polling, flood limits (when enabled) and injected faults.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import aiohttp
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiohttp import web

from bot.session import BotApiSession
from tests.support.documents import (
    MAX_DOWNLOAD,
    MAX_UPLOAD,
    SentDocument,
    StoredFile,
    UploadedFile,
    caption_of,
)
from tests.support.limits import Limits, TelegramWindows
from tests.support.records import ApiError, Call, SentMessage, decode_params
from tests.support.updates import (
    Chat,
    User,
    addressed_to_other_bot,
    callback_payload,
    document_payload,
    inaccessible_message,
    message_payload,
    my_chat_member_payload,
)
from tests.support.validation import commands_key, content_of, markup_of, require_int

FaultKind = Literal["429", "500", "502", "drop", "drop_after", "hang", "timeout"]
MemberStatus = Literal["creator", "administrator", "member", "left", "kicked"]

TEST_TOKEN = "123456:TEST-token-for-the-Bot-API-stand-in"  # BotFather's shape, as Settings wants
_WRITES = frozenset(
    {
        "sendmessage",
        "senddocument",
        "editmessagetext",
        "editmessagereplymarkup",
        "deletemessage",
        "sendchataction",
    }
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_send_welcome_messages",
)
_CHANNEL_RIGHTS = ("can_post_messages", "can_edit_messages")
# Served only when asked for by allowed_updates, as in Telegram.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class _Topic:
    name: str
    state: Literal["open", "closed", "deleted"] = "open"


@dataclass
class _Fault:
    method: str
    kind: FaultKind
    remaining: int
    retry_after: int
    seconds: float
    chat_id: int | None


class _Signal:
    """Wakes every waiter on each change; waiters re-check their own condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for loses a cancellation that
        # arrives as the event fires.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(seconds, 0.0)):
                await self._event.wait()


class BotApiStub:
    def __init__(
        self,
        *,
        username: str = "alerts_test_bot",
        bot_id: int = 7000001,
        first_name: str = "Alerts Test",
        tokens: Iterable[str] | None = None,
        limits: Limits | None = None,
        privacy_mode: bool = False,
        default_member_status: MemberStatus = "member",
    ) -> None:
        self.bot_user = User(bot_id, first_name, username, None, is_bot=True)
        self.tokens = set(tokens) if tokens is not None else None
        self.privacy_mode = privacy_mode
        self.default_member_status = default_member_status
        self.count_429 = 0
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self._windows = TelegramWindows(limits) if limits else None
        self._calls: list[Call] = []
        self._sent: list[SentMessage] = []
        self._sent_to: dict[int, list[SentMessage]] = {}
        self._by_id: dict[tuple[int, int], SentMessage] = {}
        self._next_message_id: dict[int, int] = {}
        self._chats: dict[int, Chat] = {}
        self._users: dict[int, User] = {}
        self._members: dict[tuple[int, int], MemberStatus] = {}
        self._refused: dict[int, ApiError] = {}
        # Forum topics: (chat, thread id) -> name and state; messages' topics by (chat, id).
        self._topics: dict[tuple[int, int], _Topic] = {}
        self._threads: dict[tuple[int, int], int] = {}
        # Rights other than the defaults, by (chat, user): e.g. the bot's can_post_messages.
        self._rights: dict[tuple[int, int], dict[str, bool]] = {}
        self._faults: list[_Fault] = []
        self._updates: list[dict[str, Any]] = []
        self._files: dict[str, StoredFile] = {}
        self._documents: list[SentDocument] = []
        self._file_ids = itertools.count(1)
        self._update_ids = itertools.count(100001)
        self._query_ids = itertools.count(1)
        self._open_queries: set[str] = set()
        self._allowed: list[str] = []
        self._poll_generation = 0
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None
        self._changed: _Signal | None = None
        self.base_url = ""
        # Webhook mode (setWebhook): where updates are posted, and every post made.
        self.webhook: Webhook | None = None
        self.webhook_posts: list[WebhookPost] = []
        self._poster: asyncio.Task[None] | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self, port: int = 0) -> BotApiStub:
        """Serve on 127.0.0.1:`port` (0: any free port; a fixed one lets a test start the
        stand-in late, at the address a bot was already told to use)."""
        self._closing = asyncio.Event()
        self._changed = _Signal()
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def close(self) -> None:
        """Releases held long polls and hangs first, so shutdown is prompt."""
        if self._closing is not None:
            self._closing.set()
        self._notify()
        await self._stop_posting()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def make_bot(self, token: str = TEST_TOKEN, parse_mode: str | None = "HTML") -> Bot:
        """A real aiogram Bot talking to this stand-in; the caller closes bot.session."""
        session = BotApiSession(self.base_url)
        return Bot(token, session=session, default=DefaultBotProperties(parse_mode=parse_mode))

    async def __aenter__(self) -> BotApiStub:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- configuration -----------------------------------------------------------------------

    def enable_limits(self, limits: Limits | None = None) -> None:
        self._windows = TelegramWindows(limits or Limits())

    def disable_limits(self) -> None:
        self._windows = None

    def add_chat(self, chat: Chat) -> Chat:
        self._chats[chat.id] = chat
        return chat

    def set_member_status(self, chat_id: int, user_id: int, status: MemberStatus) -> None:
        self._members[(chat_id, user_id)] = status

    def fail_next(
        self,
        method: str,
        n: int = 1,
        kind: FaultKind = "500",
        *,
        retry_after: int = 1,
        seconds: float = 5.0,
        chat_id: int | None = None,
    ) -> None:
        """The next n calls of method (to chat_id, if given) fail as kind; 'hang' waits seconds
        and then answers normally ('timeout' is the same), 'drop_after' performs the call and
        then drops the reply (delivered, but the client sees a network error)."""
        self._faults.append(_Fault(method.lower(), kind, n, retry_after, seconds, chat_id))

    def block_chat(self, chat_id: int) -> None:
        self._refused[chat_id] = ApiError(403, "Forbidden: bot was blocked by the user")

    def kick(self, chat_id: int) -> None:
        kind = "supergroup" if self._chat(chat_id).type == "supergroup" else "group"
        self._refused[chat_id] = ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")

    def not_started(self, user_id: int) -> None:
        """A user who never opened the bot: Telegram lets no bot write to them first."""
        self._refused[user_id] = ApiError(
            403, "Forbidden: bot can't initiate conversation with a user"
        )

    def deactivate(self, chat_id: int) -> None:
        self._refused[chat_id] = ApiError(403, "Forbidden: user is deactivated")

    def unknown_chat(self, chat_id: int) -> None:
        self._refused[chat_id] = ApiError(400, "Bad Request: chat not found")

    def restore_chat(self, chat_id: int) -> None:
        self._refused.pop(chat_id, None)

    # -- injecting updates -------------------------------------------------------------------

    def send_message(
        self,
        chat: Chat | User | int,
        user: User | int,
        text: str,
        *,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """Queues a user's message as a Message update and returns the message payload.

        `thread_id`: written in that forum topic (see `create_topic`); None: General, or a
        chat without topics. With privacy_mode, group messages a real bot would not see are
        not queued."""
        the_user = self._remember_user(user)
        the_chat = self.add_chat(self._as_chat(chat))
        replied = self._by_id.get((the_chat.id, reply_to)) if reply_to is not None else None
        reply = self._render(replied, the_chat) if replied else None
        message_id = self._new_message_id(the_chat.id)
        topic = None
        if thread_id is not None:
            topic = (thread_id, self._topics[(the_chat.id, thread_id)].name)
        payload = message_payload(the_chat, the_user, message_id, text, reply, topic)
        username = self.bot_user.username or ""
        visible = text.startswith("/") or replied is not None or not self.privacy_mode
        if the_chat.is_group and (not visible or addressed_to_other_bot(text, username)):
            return payload
        self.push_update("message", payload)
        return payload

    def press_button(
        self, chat: Chat | User | int, user: User | int, message_id: int, callback_data: str
    ) -> str:
        """Queues a CallbackQuery for a button under a bot message; returns the query id."""
        the_user = self._remember_user(user)
        the_chat = self._as_chat(chat)
        sent = self._by_id.get((the_chat.id, message_id))
        if sent is None or sent.deleted:
            message = inaccessible_message(the_chat, message_id)
        else:
            message = self._render(sent, the_chat)
        query_id = str(next(self._query_ids))
        self._open_queries.add(query_id)
        payload = callback_payload(query_id, the_chat, the_user, message, callback_data)
        self.push_update("callback_query", payload)
        return query_id

    def send_document(
        self,
        chat: Chat | User | int,
        user: User | int,
        file_name: str,
        data: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        size: int | None = None,
    ) -> dict[str, Any]:
        """Queues a user's document (with an optional caption) and returns the message payload.

        `size` claims a file size other than len(data), as a huge upload would have. With
        privacy_mode, a group document without a command as its caption is not queued."""
        the_user = self._remember_user(user)
        the_chat = self.add_chat(self._as_chat(chat))
        stored = self._store_file(file_name, data, mime_type, size)
        message_id = self._new_message_id(the_chat.id)
        payload = document_payload(the_chat, the_user, message_id, stored.to_api(), caption)
        if the_chat.is_group and self.privacy_mode and not (caption or "").startswith("/"):
            return payload  # a real bot in privacy mode does not see it
        self.push_update("message", payload)
        return payload

    # -- observing ---------------------------------------------------------------------------

    def documents(self, chat_id: int | None = None) -> list[SentDocument]:
        """Documents the bot sent, oldest first."""
        return [d for d in self._documents if chat_id is None or d.chat_id == chat_id]

    async def wait_documents(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentDocument]:
        await self.wait_for(lambda: len(self.documents(chat_id)) >= count, timeout)
        return self.documents(chat_id)

    def calls(self, method: str | None = None) -> list[Call]:
        wanted = method.lower() if method else None
        return [c for c in self._calls if wanted is None or c.method.lower() == wanted]

    def messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent (deleted ones included, flagged), oldest first."""
        return list(self._sent if chat_id is None else self._sent_to.get(chat_id, []))

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        return self._by_id[(chat_id, message_id)]

    def topic_messages(self, chat_id: int, thread_id: int | None) -> list[SentMessage]:
        """Messages the bot sent into one forum topic (None: General), oldest first."""
        return [
            m
            for m in self.messages(chat_id)
            if self._threads.get((chat_id, m.message_id)) == thread_id
        ]

    async def wait_topic_messages(
        self,
        chat_id: int,
        thread_id: int | None,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        await self.wait_for(lambda: len(self.topic_messages(chat_id, thread_id)) >= count, timeout)
        return self.topic_messages(chat_id, thread_id)

    # -- forum topics and channels -----------------------------------------------------------

    def create_topic(self, chat: Chat, name: str) -> int:
        """Opens a topic in a forum chat; returns its thread id (its service message's id)."""
        assert chat.is_forum, "topics exist only in forum supergroups"
        self.add_chat(chat)
        thread_id = self._new_message_id(chat.id)
        self._topics[(chat.id, thread_id)] = _Topic(name)
        return thread_id

    def close_topic(self, chat_id: int, thread_id: int) -> None:
        self._topics[(chat_id, thread_id)].state = "closed"

    def reopen_topic(self, chat_id: int, thread_id: int) -> None:
        self._topics[(chat_id, thread_id)].state = "open"

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        self._topics[(chat_id, thread_id)].state = "deleted"

    def set_rights(self, chat_id: int, user_id: int, **rights: bool) -> None:
        """Administrator rights other than the stand-in's defaults (all granted)."""
        self._rights[(chat_id, user_id)] = rights

    def bot_status_changed(
        self,
        channel: Chat,
        by: User,
        status: MemberStatus,
        *,
        can_post_messages: bool = True,
        announce: bool = True,
    ) -> int | None:
        """`by` changed the bot's membership of a channel: its rights change here and the
        bot gets `my_chat_member`, as from Telegram (unless not `announce`: an update the bot
        missed). Returns the update's id."""
        self.add_chat(channel)
        self._remember_user(by)
        bot_id = self.bot_user.id
        old = self._member(channel.id, bot_id)
        self._members[(channel.id, bot_id)] = status
        self._rights[(channel.id, bot_id)] = {"can_post_messages": can_post_messages}
        if status in ("left", "kicked"):
            self._refused[channel.id] = ApiError(
                403, "Forbidden: bot is not a member of the channel chat"
            )
        else:
            self._refused.pop(channel.id, None)
        new = self._member(channel.id, bot_id)
        if not announce:
            return None
        payload = my_chat_member_payload(channel, self._users[by.id], old, new)
        return self.push_update("my_chat_member", payload)

    @property
    def pending_updates(self) -> int:
        """Injected updates the bot has not confirmed yet (by a later getUpdates offset)."""
        return len(self._updates)

    async def wait_for(self, predicate: Callable[[], object], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Returns once predicate() is truthy, re-checking after every request."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = [f"{c.method}:{c.status}" for c in self._calls[-10:]]
                raise AssertionError(f"condition not met in {timeout}s; last calls: {recent}")
            assert self._changed is not None, "stub not started"
            await self._changed.wait(min(remaining, 0.1))

    async def wait_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        await self.wait_for(lambda: len(self.messages(chat_id)) >= count, timeout)
        return self.messages(chat_id)

    async def wait_calls(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Call]:
        await self.wait_for(lambda: len(self.calls(method)) >= count, timeout)
        return self.calls(method)

    # -- HTTP --------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        call = Call(method, {}, _loop_time())
        self._calls.append(call)
        try:
            if self.tokens is not None and request.match_info["token"] not in self.tokens:
                raise ApiError(401, "Unauthorized")
            handler = getattr(self, f"_m_{method.lower()}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            call.params = decode_params(await self._read_params(request))
            fault = self._take_fault(method.lower(), call.params.get("chat_id"))
            if fault is not None and fault.kind == "drop":
                return self._drop(request, call)
            if fault is not None and fault.kind in ("hang", "timeout"):
                await self._sleep(fault.seconds)
            elif fault is not None and fault.kind != "drop_after":
                raise ApiError(*_fault_error(fault))
            self._check_chat(method.lower(), call.params.get("chat_id"))
            try:
                result = await handler(call.params)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise ApiError(400, f"Bad Request: invalid parameters: {exc}") from exc
            if fault is not None and fault.kind == "drop_after":
                return self._drop(request, call)
            body: dict[str, Any] = {"ok": True, "result": result}
        except ApiError as error:
            call.status, call.description = error.status, error.description
            body = error.payload()
        self._notify()
        return web.json_response(body, status=call.status)

    @staticmethod
    async def _read_params(request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            try:
                data = await request.json()
            except ValueError as exc:
                raise ApiError(400, "Bad Request: can't parse JSON request body") from exc
            params.update(data if isinstance(data, dict) else {})
        elif request.method == "POST":
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[key] = UploadedFile(
                        value.filename, value.file.read(), value.content_type
                    )
        return params

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """A file's bytes at `/file/bot<token>/<file_path>`, where `bot.download` asks."""
        if self.tokens is not None and request.match_info["token"] not in self.tokens:
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        path = request.match_info["path"]
        stored = next((f for f in self._files.values() if f.file_path == path), None)
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").payload(), status=404)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    def _drop(self, request: web.Request, call: Call) -> web.Response:
        call.status, call.description = 0, "dropped"
        if request.transport is not None:
            request.transport.close()
        self._notify()
        return web.Response(status=500)

    def _take_fault(self, method: str, chat_id: Any) -> _Fault | None:
        for fault in self._faults:
            if fault.method == method and fault.chat_id in (None, chat_id):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _check_chat(self, method: str, chat_id: Any) -> None:
        if chat_id is None:
            return
        if not isinstance(chat_id, int):
            known = [c for c in self._chats.values() if f"@{c.username}" == chat_id]
            if not known:
                raise ApiError(400, "Bad Request: chat not found")
            chat_id = known[0].id
        refusal = self._refused.get(chat_id)
        if refusal is not None and (refusal.status == 400 or method in _WRITES):
            raise refusal

    async def _sleep(self, seconds: float) -> None:
        assert self._closing is not None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._closing.wait()

    # -- state helpers -----------------------------------------------------------------------

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.notify()

    def _chat(self, chat_id: int) -> Chat:
        return self._chats.get(chat_id) or Chat.from_id(chat_id)

    def _as_chat(self, chat: Chat | User | int) -> Chat:
        """A User stands for the private chat with that user."""
        if isinstance(chat, Chat):
            return chat
        if isinstance(chat, User):
            return self._chats.get(chat.id) or Chat.private(chat)
        return self._chat(chat)

    def _remember_user(self, user: User | int) -> User:
        the_user = user if isinstance(user, User) else self._users.get(user, User(user))
        self._users[the_user.id] = the_user
        return the_user

    def _new_message_id(self, chat_id: int) -> int:
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def push_update(self, kind: str, payload: dict[str, Any]) -> int:
        """Queues any other update (e.g. my_chat_member) as is; returns its update_id."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, kind: payload})
        self._notify()
        return update_id

    def _wanted(self, update: dict[str, Any]) -> bool:
        kinds = set(update) - {"update_id"}
        if self._allowed:
            return bool(kinds & set(self._allowed))
        return not kinds <= _OPT_IN_UPDATES

    def _member(self, chat_id: int, user_id: int) -> dict[str, Any]:
        if user_id == self.bot_user.id:
            user = self.bot_user
        else:
            user = self._users.get(user_id, User(user_id))
        status = self._members.get((chat_id, user_id), self.default_member_status)
        data: dict[str, Any] = {"status": status, "user": user.to_api()}
        if status in ("creator", "administrator"):
            data["is_anonymous"] = False
        if status == "administrator":
            data.update(dict.fromkeys(_ADMIN_RIGHTS, True), can_be_edited=False)
            if self._chat(chat_id).type == "channel":
                data.update(dict.fromkeys(_CHANNEL_RIGHTS, True))
            data.update(self._rights.get((chat_id, user_id), {}))
        if status == "kicked":
            data["until_date"] = 0
        return data

    def _store_file(
        self, file_name: str, data: bytes, mime_type: str | None, size: int | None = None
    ) -> StoredFile:
        number = next(self._file_ids)
        stored = StoredFile(
            f"BQACAgIAAx-file-{number}", f"AgAD{number}", file_name, data, mime_type, size
        )
        self._files[stored.file_id] = stored
        return stored

    def _target(self, params: dict[str, Any]) -> tuple[Chat, SentMessage]:
        chat = self._chat(require_int(params, "chat_id"))
        sent = self._by_id.get((chat.id, require_int(params, "message_id")))
        if sent is None or sent.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        return chat, sent

    def _render(self, sent: SentMessage, chat: Chat) -> dict[str, Any]:
        data = sent.to_api(chat.to_api(), self.bot_user.to_api())
        thread_id = self._threads.get((chat.id, sent.message_id))
        if thread_id is not None:
            data["message_thread_id"] = thread_id
            data["is_topic_message"] = True
        return data

    def _may_post(self, chat: Chat) -> None:
        """In a channel only an administrator with the post right may send (a member is
        refused, as a demoted bot is)."""
        if chat.type != "channel":
            return
        member = self._member(chat.id, self.bot_user.id)
        if member["status"] != "administrator" or not member.get("can_post_messages"):
            raise ApiError(400, "Bad Request: need administrator rights in the channel chat")

    def _thread_of(self, chat: Chat, params: dict[str, Any]) -> int | None:
        """The topic a send names, refused as Telegram refuses a deleted or closed one."""
        thread_id = params.get("message_thread_id")
        if thread_id is None:
            return None
        if not isinstance(thread_id, int):
            raise ApiError(400, "Bad Request: invalid message thread identifier")
        topic = self._topics.get((chat.id, thread_id))
        if topic is None or topic.state == "deleted":
            raise ApiError(400, "Bad Request: message thread not found")
        if topic.state == "closed":
            raise ApiError(400, "Bad Request: TOPIC_CLOSED")
        return thread_id

    # -- Bot API methods (named _m_<lowercase method>) ---------------------------------------

    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return {
            **self.bot_user.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
        }

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        assert self._closing is not None and self._changed is not None
        if self.webhook is not None:
            raise ApiError(409, _WEBHOOK_ACTIVE)
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        if isinstance(params.get("allowed_updates"), list):
            self._allowed = [str(kind) for kind in params["allowed_updates"]]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(int(params.get("timeout") or 0), 0)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that "
                    "only one bot instance is running",
                )
            ready = [u for u in self._updates if self._wanted(u)][:limit]
            if ready or self._closing.is_set() or loop.time() >= deadline:
                return ready
            await self._changed.wait(deadline - loop.time())

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        await self._stop_posting()
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> Any:
        return {
            "url": self.webhook.url if self.webhook is not None else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _flood_control(self, chat: Chat) -> None:
        """Telegram's message limits (when enabled): sends and edits alike."""
        if self._windows is None:
            return
        now = _loop_time()
        wait = self._windows.check(chat.id, chat.is_group, now)
        if wait is not None:
            self.count_429 += 1
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        self._windows.record(chat.id, now)

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        chat = self._chat(require_int(params, "chat_id"))
        text, entities, markup = content_of(params)
        thread_id = self._thread_of(chat, params)
        self._may_post(chat)
        self._flood_control(chat)
        sent = SentMessage(
            chat.id,
            self._new_message_id(chat.id),
            text,
            str(params["text"]),
            params.get("parse_mode"),
            entities,
            markup,
            _loop_time(),
            int(time.time()),
        )
        self._sent.append(sent)
        self._sent_to.setdefault(chat.id, []).append(sent)
        self._by_id[(chat.id, sent.message_id)] = sent
        if thread_id is not None:
            self._threads[(chat.id, sent.message_id)] = thread_id
        return self._render(sent, chat)

    async def _m_senddocument(self, params: dict[str, Any]) -> Any:
        chat = self._chat(require_int(params, "chat_id"))
        document = params.get("document")
        if isinstance(document, str) and document.startswith("attach://"):
            document = params.get(document.removeprefix("attach://"))
        if isinstance(document, UploadedFile):
            stored = self._store_file(document.file_name, document.data, document.content_type)
        elif isinstance(document, str) and document in self._files:
            stored = self._files[document]
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        caption, entities, source = caption_of(params)
        markup = markup_of(params)
        self._flood_control(chat)
        message_id = self._new_message_id(chat.id)
        sent = SentDocument(
            chat.id,
            message_id,
            stored,
            caption,
            entities,
            source,
            params.get("parse_mode"),
            markup,
            _loop_time(),
            int(time.time()),
        )
        self._documents.append(sent)
        return sent.to_api(chat.to_api(), self.bot_user.to_api())

    async def _m_getfile(self, params: dict[str, Any]) -> Any:
        stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.size > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return {**stored.to_api(), "file_path": stored.file_path}

    async def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        chat, sent = self._target(params)
        text, entities, markup = content_of(params)
        if (text, entities, markup) == (sent.text, sent.entities, sent.reply_markup):
            raise ApiError(400, _NOT_MODIFIED)
        self._flood_control(chat)
        sent.edits.append(sent.text)
        sent.text, sent.entities, sent.reply_markup = text, entities, markup
        sent.source, sent.parse_mode = str(params["text"]), params.get("parse_mode")
        return self._render(sent, chat)

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        chat, sent = self._target(params)
        markup = markup_of(params)
        if markup == sent.reply_markup:
            raise ApiError(400, _NOT_MODIFIED)
        self._flood_control(chat)
        sent.reply_markup = markup
        sent.edits.append(sent.text)
        return self._render(sent, chat)

    async def _m_deletemessage(self, params: dict[str, Any]) -> Any:
        key = (require_int(params, "chat_id"), require_int(params, "message_id"))
        sent = self._by_id.get(key)
        if sent is None or sent.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        sent.deleted = True
        return True

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID "
                "is invalid",
            )
        self._open_queries.discard(query_id)
        self.callback_answers[query_id] = params
        return True

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        self.commands[commands_key(params)] = commands
        return True

    async def _m_getmycommands(self, params: dict[str, Any]) -> Any:
        return self.commands.get(commands_key(params), [])

    async def _m_deletemycommands(self, params: dict[str, Any]) -> Any:
        self.commands.pop(commands_key(params), None)
        return True

    async def _m_setchatmenubutton(self, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id")
        self.menu_buttons[chat_id if isinstance(chat_id, int) else None] = params.get(
            "menu_button"
        ) or {"type": "default"}
        return True

    async def _m_getchatmenubutton(self, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id")
        return self.menu_buttons.get(
            chat_id if isinstance(chat_id, int) else None, {"type": "commands"}
        )

    async def _m_sendchataction(self, params: dict[str, Any]) -> Any:
        require_int(params, "chat_id")
        return True

    async def _m_getchat(self, params: dict[str, Any]) -> Any:
        return self._chat(require_int(params, "chat_id")).to_full_api()

    async def _m_getchatmember(self, params: dict[str, Any]) -> Any:
        user_id = require_int(params, "user_id")
        if user_id in self._token_ids():  # aiogram's `bot.id` is read from the token
            user_id = self.bot_user.id
        return self._member(require_int(params, "chat_id"), user_id)

    def _token_ids(self) -> set[int]:
        tokens = {TEST_TOKEN, *(self.tokens or ())}
        return {int(t.split(":", 1)[0]) for t in tokens if t.split(":", 1)[0].isdigit()}

    async def _m_getchatadministrators(self, params: dict[str, Any]) -> Any:
        chat_id = require_int(params, "chat_id")
        admins = [
            user
            for (chat, user), status in self._members.items()
            if chat == chat_id and status in ("creator", "administrator")
        ]
        return [self._member(chat_id, user) for user in admins]

    # -- webhook mode (setWebhook): updates are posted to the bot instead of polled ----------

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        """Like a self-hosted Bot API server: any http(s) URL (Telegram itself wants https on
        443, 80, 88 or 8443); the secret is checked as Telegram checks it."""
        url = str(params.get("url") or "")
        if not url:
            return await self._m_deletewebhook(params)
        if not url.startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: invalid webhook URL specified")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if isinstance(params.get("allowed_updates"), list):
            self._allowed = [str(kind) for kind in params["allowed_updates"]]
        self.webhook = Webhook(url, None if secret is None else str(secret), dict(params))
        if self._poster is None or self._poster.done():
            self._poster = asyncio.create_task(self._post_updates(), name="stub-webhook")
        return True

    async def post_update(self, update: dict[str, Any], *, secret: str | None) -> tuple[int, str]:
        """POST one raw update to the webhook with `secret` in Telegram's header (None: no
        header), as an impostor would; returns the status and body. Not queued, not retried."""
        assert self.webhook is not None, "no webhook set"
        headers = {} if secret is None else {SECRET_HEADER: secret}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook.url, json=update, headers=headers) as response,
        ):
            return response.status, await response.text()

    async def _post_updates(self) -> None:
        """Telegram's side of a webhook: queued updates posted in order with the secret; one
        not answered 2xx stays queued and is posted again a moment later."""
        assert self._closing is not None and self._changed is not None
        async with aiohttp.ClientSession() as session:
            while self.webhook is not None and not self._closing.is_set():
                ready = [u for u in self._updates if self._wanted(u)]
                if not ready:
                    await self._changed.wait(1.0)
                    continue
                update, hook = ready[0], self.webhook
                headers = {} if hook.secret is None else {SECRET_HEADER: hook.secret}
                try:
                    async with session.post(hook.url, json=update, headers=headers) as response:
                        status = response.status
                        await response.read()
                except aiohttp.ClientError:
                    status = 0
                self.webhook_posts.append(WebhookPost(update["update_id"], status))
                if 200 <= status < 300:
                    self._updates = [u for u in self._updates if u is not update]
                    self._notify()
                else:
                    await self._sleep(0.2)

    async def _stop_posting(self) -> None:
        poster, self._poster = self._poster, None
        if poster is not None and poster is not asyncio.current_task():
            poster.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poster


SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)


@dataclass
class Webhook:
    url: str
    secret: str | None
    params: dict[str, Any]  # everything setWebhook was called with


@dataclass(frozen=True)
class WebhookPost:
    update_id: int
    status: int  # the bot's answer; 0: no answer (connection refused, dropped)


def _loop_time() -> float:
    """Calls and messages are stamped with the loop's clock (`time.monotonic()` on an ordinary
    loop), so gaps read right on a virtual-time loop too (tests/support/virtual_time.py)."""
    return asyncio.get_running_loop().time()


def _fault_error(fault: _Fault) -> tuple[int, str, int | None]:
    if fault.kind == "429":
        return 429, f"Too Many Requests: retry after {fault.retry_after}", fault.retry_after
    if fault.kind == "502":
        return 502, "Bad Gateway", None
    return 500, "Internal Server Error", None
