"""The Bot API stand-in behaves like Telegram for the real aiogram client.

Every other chat and delivery test trusts this stand-in, so here it is checked against aiogram
itself: the same requests, the same exceptions a real Bot API would cause.
"""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.filters import Command, CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    CallbackQuery,
    ChatMemberAdministrator,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from tests.support.botapi import TEST_TOKEN, BotApiStub
from tests.support.html_check import HtmlError, parse_html
from tests.support.limits import Limits
from tests.support.updates import Chat, User

ALICE = User(101, "Алиса", "alice", "ru")
BOB = User(202, "Bob", "bob", "en")
GROUP = Chat.group(-1001234567890, "Новости")


# -- HTML subset (pure) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text", "bold"),
    [
        ("Сергея <b>Лаврова</b>", "Сергея Лаврова", ["Лаврова"]),
        ("<strong>a</strong> &amp; <i>b</i> &lt;c&gt; &quot;d&quot;", 'a & b <c> "d"', ["a"]),
        ("&#1051;&#x430;в > 2", "Лав > 2", []),
        ('<a href="https://x.ru/?a=1&amp;b=2"><b>Т</b>итул</a>', "Титул", ["Т"]),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st", []),
        (
            '<blockquote expandable>q</blockquote><pre><code class="language-py">x</code></pre>',
            "qx",
            [],
        ),
        ("<B>upper</B>", "upper", ["upper"]),
    ],
)
def test_valid_html_is_reduced_to_what_the_user_sees(
    html: str, text: str, bold: list[str]
) -> None:
    parsed = parse_html(html)
    assert (parsed.text, parsed.bold) == (text, bold)


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<script>alert(1)</script>", 'Unsupported start tag "script"'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("x</b>", "Unexpected end tag"),
        ("1 < 2", 'Unsupported start tag ""'),
        ("AT&T", "Character '&' is reserved"),
        ("&nbsp;", "Character '&' is reserved"),
        ("<br>", 'Unsupported start tag "br"'),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
        ('<a href="x', "Unclosed start tag"),
    ],
)
def test_html_telegram_would_refuse_is_refused(html: str, reason: str) -> None:
    with pytest.raises(HtmlError, match=r"^can't parse entities: ") as info:
        parse_html(html)
    assert reason in str(info.value)


def test_links_keep_their_text_and_address() -> None:
    parsed = parse_html('<a href="https://lenta.ru/1">Один</a> и <a href="tg://x">два</a>')
    assert parsed.links == [("Один", "https://lenta.ru/1"), ("два", "tg://x")]


# -- requests through the real aiogram Bot ----------------------------------------------------


async def test_get_me_describes_the_configured_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.username, me.is_bot) == ("alerts_test_bot", True)


async def test_a_token_outside_the_valid_set_is_unauthorized() -> None:
    async with BotApiStub(tokens={"1:good"}) as server:
        bot = server.make_bot("2:bad")
        with pytest.raises(TelegramUnauthorizedError):
            await bot.get_me()
        await bot.session.close()


async def test_sent_html_is_recorded_as_rendered(stub: BotApiStub, bot: Bot) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Отписаться", callback_data="unsub:1"),
            ]
        ]
    )
    text = '<a href="https://interfax.ru/1"><b>Заголовок</b></a>\nСергея <b>Лаврова</b> &amp; Ко'
    first = await bot.send_message(ALICE.id, text, reply_markup=markup)
    second = await bot.send_message(ALICE.id, "ещё")

    assert (first.message_id, second.message_id) == (1, 2)
    assert first.text == "Заголовок\nСергея Лаврова & Ко"
    assert first.reply_markup is not None
    assert first.reply_markup.model_dump(exclude_none=True) == markup.model_dump(exclude_none=True)
    [sent, _] = stub.messages(ALICE.id)
    assert sent.bold == ["Заголовок", "Лаврова"]
    assert sent.links == [("Заголовок", "https://interfax.ru/1")]
    assert sent.callback_data == ["unsub:1"]
    assert stub.calls("sendMessage")[0].params["reply_markup"] == markup.model_dump(
        exclude_none=True
    )


async def test_refused_html_raises_bad_request_and_sends_nothing(
    stub: BotApiStub, bot: Bot
) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(ALICE.id, "<b>unbalanced</i>")
    assert stub.messages() == []


@pytest.mark.parametrize(
    ("text", "fits"),
    [("я" * 4096, True), ("я" * 4097, False), ("&amp;" * 4096, True), ("<b>я</b>" * 4097, False)],
)
async def test_length_is_counted_after_entity_parsing(bot: Bot, text: str, fits: bool) -> None:
    if fits:
        await bot.send_message(ALICE.id, text)
    else:
        with pytest.raises(TelegramBadRequest, match="message is too long"):
            await bot.send_message(ALICE.id, text)


async def test_unknown_method_is_not_found_like_telegram(stub: BotApiStub) -> None:
    url = f"{stub.base_url}/bot{TEST_TOKEN}/sendTelepathy"
    async with aiohttp.ClientSession() as http, http.post(url) as response:
        assert response.status == 404
        assert await response.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }


# -- limits and faults ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "chats"),
    [
        (Limits(), [ALICE.id, ALICE.id]),  # 1 message per second in a private chat
        (Limits(overall_per_second=3), [1, 2, 3, 4]),  # overall cap
        (Limits(group_per_minute=2), [GROUP.id] * 3),  # per-group cap per minute
    ],
)
async def test_exceeding_a_limit_answers_429_with_retry_after(
    stub: BotApiStub, bot: Bot, limits: Limits, chats: list[int]
) -> None:
    stub.enable_limits(limits)
    for chat_id in chats[:-1]:
        await bot.send_message(chat_id, "ok")
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(chats[-1], "too fast")
    assert info.value.retry_after >= 1
    assert stub.count_429 == 1
    assert len(stub.messages()) == len(chats) - 1


async def test_an_edit_right_after_a_message_counts_against_the_chats_limit_too(
    stub: BotApiStub, bot: Bot
) -> None:
    stub.enable_limits(Limits())
    sent = await bot.send_message(ALICE.id, "first")
    with pytest.raises(TelegramRetryAfter):
        await bot.edit_message_text("edited", chat_id=ALICE.id, message_id=sent.message_id)
    assert stub.count_429 == 1
    assert stub.message(ALICE.id, sent.message_id).text == "first"


async def test_the_stand_in_can_be_started_at_a_port_chosen_in_advance() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = await BotApiStub().start(port)
    try:
        assert server.base_url == f"http://127.0.0.1:{port}"
        client = server.make_bot()
        assert (await client.get_me()).username == server.bot_user.username
        await client.session.close()
    finally:
        await server.close()


async def test_limits_are_off_by_default(stub: BotApiStub, bot: Bot) -> None:
    for _ in range(5):
        await bot.send_message(ALICE.id, "x")
    assert (len(stub.messages(ALICE.id)), stub.count_429) == (5, 0)


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("500", TelegramServerError),
        ("502", TelegramServerError),
        ("429", TelegramRetryAfter),
        ("drop", TelegramNetworkError),
    ],
)
async def test_injected_faults_hit_the_next_call_only(
    stub: BotApiStub, bot: Bot, kind: str, error: type[Exception]
) -> None:
    stub.fail_next("sendMessage", 1, kind, retry_after=7)  # type: ignore[arg-type]
    with pytest.raises(error) as info:
        await bot.send_message(ALICE.id, "first")
    if isinstance(info.value, TelegramRetryAfter):
        assert info.value.retry_after == 7
    await bot.send_message(ALICE.id, "second")
    assert [m.text for m in stub.messages(ALICE.id)] == ["second"]
    assert [c.ok for c in stub.calls("sendMessage")] == [False, True]


async def test_drop_after_delivers_but_loses_the_answer(stub: BotApiStub, bot: Bot) -> None:
    stub.fail_next("sendMessage", kind="drop_after")
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(ALICE.id, "delivered anyway")
    assert [m.text for m in stub.messages(ALICE.id)] == ["delivered anyway"]


async def test_a_hanging_call_times_out_on_the_client(stub: BotApiStub, bot: Bot) -> None:
    stub.fail_next("sendMessage", kind="hang", seconds=30)
    with pytest.raises(TelegramNetworkError, match="timeout"):
        await bot.send_message(ALICE.id, "slow", request_timeout=1)


async def test_faults_can_target_one_chat(stub: BotApiStub, bot: Bot) -> None:
    stub.fail_next("sendMessage", 2, "500", chat_id=BOB.id)
    await bot.send_message(ALICE.id, "fine")
    with pytest.raises(TelegramServerError):
        await bot.send_message(BOB.id, "fails")
    assert len(stub.messages(ALICE.id)) == 1


@pytest.mark.parametrize(
    ("refuse", "error", "description"),
    [
        ("block_chat", TelegramForbiddenError, "bot was blocked by the user"),
        ("deactivate", TelegramForbiddenError, "user is deactivated"),
        ("unknown_chat", TelegramBadRequest, "chat not found"),
    ],
)
async def test_refused_chats_answer_like_telegram(
    stub: BotApiStub, bot: Bot, refuse: str, error: type[Exception], description: str
) -> None:
    getattr(stub, refuse)(ALICE.id)
    with pytest.raises(error, match=description):
        await bot.send_message(ALICE.id, "hello")
    stub.restore_chat(ALICE.id)
    await bot.send_message(ALICE.id, "hello again")


async def test_a_kicked_bot_is_forbidden_in_the_group(stub: BotApiStub, bot: Bot) -> None:
    stub.add_chat(GROUP)
    stub.kick(GROUP.id)
    with pytest.raises(TelegramForbiddenError, match="kicked from the supergroup chat"):
        await bot.send_message(GROUP.id, "hi")


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="x", callback_data="я" * 33),
            ]
        ]
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ALICE.id, "x", reply_markup=markup)


# -- edits, commands, members -----------------------------------------------------------------


async def test_edits_and_deletes_follow_telegram_rules(stub: BotApiStub, bot: Bot) -> None:
    sent = await bot.send_message(ALICE.id, "<b>v1</b>")
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(text="<b>v1</b>", chat_id=ALICE.id, message_id=sent.message_id)
    edited = await bot.edit_message_text(
        text="<i>v2</i>", chat_id=ALICE.id, message_id=sent.message_id
    )
    assert isinstance(edited, Message) and edited.text == "v2"
    assert stub.message(ALICE.id, sent.message_id).edits == ["v1"]
    await bot.delete_message(ALICE.id, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(ALICE.id, sent.message_id)
    assert stub.messages(ALICE.id)[0].deleted


async def test_commands_are_kept_per_scope_and_language(stub: BotApiStub, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand(command="sub", description="подписка")])
    await bot.set_my_commands(
        [BotCommand(command="sub", description="subscribe")], language_code="en"
    )
    await bot.set_my_commands(
        [BotCommand(command="list", description="list")], BotCommandScopeAllGroupChats()
    )
    assert stub.commands[("default", "en")] == [{"command": "sub", "description": "subscribe"}]
    assert [c.description for c in await bot.get_my_commands()] == ["подписка"]
    assert set(stub.commands) == {("default", ""), ("default", "en"), ("all_group_chats", "")}


async def test_member_status_is_configurable(stub: BotApiStub, bot: Bot) -> None:
    stub.add_chat(GROUP)
    stub.set_member_status(GROUP.id, ALICE.id, "creator")
    stub.set_member_status(GROUP.id, BOB.id, "administrator")
    assert isinstance(await bot.get_chat_member(GROUP.id, ALICE.id), ChatMemberOwner)
    assert (await bot.get_chat_member(GROUP.id, 303)).status == "member"
    admins = await bot.get_chat_administrators(GROUP.id)
    assert [type(a) for a in admins] == [ChatMemberOwner, ChatMemberAdministrator]
    assert (await bot.get_chat(GROUP.id)).title == "Новости"


# -- updates and long polling -----------------------------------------------------------------


async def test_get_updates_honours_offset(stub: BotApiStub, bot: Bot) -> None:
    stub.send_message(ALICE, ALICE, "/start")
    stub.send_message(GROUP, BOB, "/sub@alerts_test_bot Лавров")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == [
        "/start",
        "/sub@alerts_test_bot Лавров",
    ]
    message = updates[1].message
    assert message is not None and message.entities is not None
    assert [(e.type, e.length) for e in message.entities] == [("bot_command", 20)]
    assert await bot.get_updates(offset=updates[-1].update_id + 1) == []
    assert stub.pending_updates == 0


async def test_long_poll_is_held_until_an_update_arrives(stub: BotApiStub, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await stub.wait_calls("getUpdates")
    assert not poll.done()
    stub.send_message(ALICE, ALICE, "привет")
    [update] = await asyncio.wait_for(poll, 5)
    assert update.message is not None and update.message.text == "привет"


async def test_a_held_poll_is_released_on_shutdown(stub: BotApiStub, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await stub.wait_calls("getUpdates")
    await asyncio.wait_for(stub.close(), 5)
    assert await asyncio.wait_for(poll, 5) == []


async def test_a_second_poller_terminates_the_first(stub: BotApiStub, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=20))
    await stub.wait_calls("getUpdates")
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError):
        await asyncio.wait_for(first, 5)
    assert await second == []


async def test_privacy_mode_hides_group_chatter() -> None:
    async with BotApiStub(privacy_mode=True) as server:
        server.send_message(GROUP, ALICE, "просто текст")
        server.send_message(GROUP, ALICE, "/sub@other_bot x")
        server.send_message(GROUP, ALICE, "/sub@alerts_test_bot x")
        server.send_message(ALICE, ALICE, "просто текст")
        assert server.pending_updates == 2


async def test_dispatcher_answers_commands_and_buttons_end_to_end(
    stub: BotApiStub, bot: Bot
) -> None:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        button = InlineKeyboardButton(text="Подписаться", callback_data="sub:Лавров")
        await message.answer(
            f"Привет, <b>{message.from_user.first_name if message.from_user else ''}</b>",
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]),
        )

    @router.message(Command("sub"))
    async def sub(message: Message) -> None:
        language = message.from_user.language_code if message.from_user else None
        await message.answer(f"lang={language}")

    @router.callback_query(F.data.startswith("sub:"))
    async def pressed(query: CallbackQuery) -> None:
        await query.answer("Готово")
        if isinstance(query.message, Message):
            await query.message.edit_text(f"Подписка: {query.data}")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    try:
        stub.send_message(ALICE, ALICE, "/start")
        [greeting] = await stub.wait_messages(ALICE.id, 1)
        assert (greeting.text, greeting.bold) == ("Привет, Алиса", ["Алиса"])

        query_id = stub.press_button(ALICE, ALICE, greeting.message_id, greeting.callback_data[0])
        await stub.wait_for(lambda: greeting.text == "Подписка: sub:Лавров")
        assert stub.callback_answers[query_id]["text"] == "Готово"

        stub.add_chat(GROUP)
        stub.send_message(GROUP, BOB, "/sub@alerts_test_bot Лавров")
        [reply] = await stub.wait_messages(GROUP.id, 1)
        assert reply.text == "lang=en"
    finally:
        await dispatcher.stop_polling()
        await polling
    assert polling.exception() is None


async def test_webhook_calls_succeed_and_other_updates_can_be_pushed(
    stub: BotApiStub, bot: Bot
) -> None:
    assert await bot.delete_webhook(drop_pending_updates=False)
    assert (await bot.get_webhook_info()).url == ""
    member = {"status": "kicked", "user": stub.bot_user.to_api(), "until_date": 0}
    stub.push_update(
        "my_chat_member",
        {
            "chat": Chat.private(ALICE).to_api(),
            "from": ALICE.to_api(),
            "date": 0,
            "old_chat_member": {"status": "member", "user": stub.bot_user.to_api()},
            "new_chat_member": member,
        },
    )
    [update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


async def test_waiting_for_what_never_comes_fails_with_the_recent_calls(
    stub: BotApiStub, bot: Bot
) -> None:
    await bot.get_me()
    with pytest.raises(AssertionError, match=r"not met in 0.2s; last calls: \['getMe:200'\]"):
        await stub.wait_messages(ALICE.id, 1, timeout=0.2)


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("method", "body", "content_type"),
    [
        ("sendMessage", "{not json", "application/json"),
        ("sendMessage", "chat_id=1&text=x&reply_markup=%7B", FORM),
        ("getUpdates", "offset=abc", FORM),
    ],
)
async def test_malformed_requests_get_a_400_not_a_crash(
    stub: BotApiStub, method: str, body: str, content_type: str
) -> None:
    url = f"{stub.base_url}/bot{TEST_TOKEN}/{method}"
    headers = {"Content-Type": content_type}
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as resp:
        assert (resp.status, (await resp.json())["ok"]) == (400, False)
