"""Documents in the Bot API stand-in, checked against the real aiogram client.

Sending: sendDocument as aiogram uploads it (multipart, `attach://` reference), kept with its
name, bytes and caption. Receiving: a user's document arrives as an update, getFile gives its
path and `bot.download` fetches it from `/file/bot<token>/<path>`, as from Telegram.
"""

from __future__ import annotations

import asyncio
import io

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message

from tests.support.botapi import BotApiStub
from tests.support.updates import Chat, User

ALICE = User(101, "Алиса", "alice", "ru")


async def test_a_sent_document_keeps_its_name_bytes_and_caption(
    stub: BotApiStub, bot: Bot
) -> None:
    data = "<opml>ленты</opml>".encode()
    sent = await bot.send_document(
        ALICE.id, BufferedInputFile(data, "feeds.opml"), caption="Ваши <b>ленты</b>"
    )
    [document] = stub.documents(ALICE.id)
    assert (document.file_name, document.data) == ("feeds.opml", data)
    assert (document.caption, document.bold) == ("Ваши ленты", ["ленты"])
    assert sent.document is not None and sent.document.file_name == "feeds.opml"
    assert sent.document.file_size == len(data)
    assert sent.caption == "Ваши ленты"


async def test_document_captions_follow_telegrams_rules(stub: BotApiStub, bot: Bot) -> None:
    file = BufferedInputFile(b"x", "a.txt")
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_document(ALICE.id, file, caption="я" * 1025)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_document(ALICE.id, file, caption="<b>open")
    stub.block_chat(ALICE.id)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_document(ALICE.id, file)
    assert stub.documents(ALICE.id) == []


async def test_a_document_without_a_file_is_refused(stub: BotApiStub, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(ALICE.id, "no-such-file-id")


async def test_a_users_document_can_be_downloaded_by_the_bot(stub: BotApiStub, bot: Bot) -> None:
    data = "Лавров\n⏸ Песков\n".encode()
    router = Router()
    received: list[bytes] = []

    @router.message(F.document)
    async def document(message: Message, bot: Bot) -> None:
        assert message.document is not None
        assert (message.document.file_name, message.document.file_size) == ("subs.txt", len(data))
        assert message.caption == "/import"
        out = io.BytesIO()
        await bot.download(message.document, destination=out)
        received.append(out.getvalue())

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    try:
        stub.send_document(ALICE, ALICE, "subs.txt", data, caption="/import")
        await stub.wait_for(lambda: bool(received))
    finally:
        await dispatcher.stop_polling()
        await polling
    assert received == [data]
    assert [c.method for c in stub.calls("getFile")] == ["getFile"]


async def test_a_document_with_a_command_as_caption_reaches_the_command_filter(
    stub: BotApiStub, bot: Bot
) -> None:
    router = Router()
    seen: list[str | None] = []

    @router.message(Command("import"))
    async def imported(message: Message) -> None:
        seen.append(message.document.file_name if message.document else None)

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    try:
        stub.send_document(ALICE, ALICE, "feeds.opml", b"<opml/>", caption="/import")
        await stub.wait_for(lambda: bool(seen))
    finally:
        await dispatcher.stop_polling()
        await polling
    assert seen == ["feeds.opml"]


async def test_files_over_the_bot_download_limit_have_no_path(stub: BotApiStub, bot: Bot) -> None:
    payload = stub.send_document(ALICE, ALICE, "huge.opml", b"<opml/>", size=25_000_000)
    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await bot.get_file(payload["document"]["file_id"])


async def test_a_sent_document_can_be_sent_on_by_its_file_id(stub: BotApiStub, bot: Bot) -> None:
    first = await bot.send_document(ALICE.id, BufferedInputFile(b"abc", "a.opml"))
    assert first.document is not None
    await bot.send_document(202, first.document.file_id)
    [again] = stub.documents(202)
    assert (again.file_name, again.data) == ("a.opml", b"abc")
    file = await bot.get_file(first.document.file_id)
    out = io.BytesIO()
    assert file.file_path is not None
    await bot.download_file(file.file_path, out)
    assert out.getvalue() == b"abc"


async def test_privacy_mode_hides_group_documents_without_a_command() -> None:
    group = Chat.group(-1001234567890, "Новости")
    async with BotApiStub(privacy_mode=True) as stub:
        stub.send_document(group, ALICE, "a.opml", b"<opml/>")
        assert stub.pending_updates == 0
        stub.send_document(group, ALICE, "a.opml", b"<opml/>", caption="/import")
        assert stub.pending_updates == 1
