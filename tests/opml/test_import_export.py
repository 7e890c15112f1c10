"""/export and /import in a chat: OPML files of feeds, text lists of subscriptions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.opml import parse_opml
from bot.sublist import read_list
from tests.chat.conftest import ALICE, BOB, GROUP, MEMBER, ChatBot
from tests.support.records import SentMessage
from tests.support.updates import Chat, User

PRIVATE_OK = {"ALLOW_PRIVATE_FEED_HOSTS": True}


def opml(*outlines: str) -> bytes:
    body = "\n".join(outlines)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="1.0"><head><title>Reader'
        f"</title></head><body>{body}</body></opml>"
    ).encode()


def outline(url: str, title: str = "Лента") -> str:
    return f'<outline type="rss" text="{title}" title="{title}" xmlUrl="{url}"/>'


async def send_file(
    chatbot: ChatBot,
    user: User,
    name: str,
    data: bytes,
    *,
    replies: int = 1,
    caption: str | None = None,
    chat: Chat | None = None,
    wait: float = 15.0,
    **options: Any,
) -> list[SentMessage]:
    """Send a document as `user`; return the bot's next `replies` messages."""
    where = chat or Chat.private(user)
    before = len(chatbot.stub.messages(where.id))
    chatbot.stub.send_document(where, user, name, data, caption=caption, **options)
    sent = await chatbot.stub.wait_messages(where.id, before + replies, wait)
    return sent[before:]


async def own_urls(chatbot: ChatBot, chat_id: int) -> list[str]:
    feeds = await chatbot.services.chat_feeds.for_chat(chat_id)
    return sorted(cf.feed.url for cf in feeds if cf.own and cf.enabled)


# -- export -----------------------------------------------------------------------------------


@pytest.mark.parametrize("bot_settings", [{"FEEDS": ["http://127.0.0.1:9/default"]}])
async def test_export_sends_the_chats_own_feeds_as_opml_without_the_defaults(
    chatbot: ChatBot,
) -> None:
    await chatbot.say(ALICE, "/start")
    await chatbot.say(BOB, "/start")
    now = datetime.now(UTC)
    await chatbot.repo.feeds.add_for_chat(
        ALICE.id, "https://a.example/rss?x=1&y=2", 'A & "B" <c>', now
    )
    await chatbot.repo.feeds.add_for_chat(ALICE.id, "https://b.example/feed", None, now)
    await chatbot.repo.feeds.add_for_chat(BOB.id, "https://bob.example/rss", "Bob's", now)
    chatbot.stub.send_message(ALICE, ALICE, "/export")
    [document] = await chatbot.stub.wait_documents(ALICE.id)
    assert document.file_name.endswith(".opml")
    feeds = parse_opml(document.data).feeds
    assert [(f.url, f.title) for f in feeds] == [
        ("https://a.example/rss?x=1&y=2", 'A & "B" <c>'),
        ("https://b.example/feed", "https://b.example/feed"),
    ]
    assert "2 своих ленты" in document.caption and "стандартных в файле нет" in document.caption


async def test_a_chat_without_feeds_of_its_own_gets_a_sentence_not_an_empty_file(
    chatbot: ChatBot,
) -> None:
    reply = await chatbot.last(ALICE, "/export")
    assert "нет своих лент" in reply.text and "/addfeed" in reply.text
    reply = await chatbot.last(BOB, "/export subs")
    assert reply.text.startswith("There are no subscriptions to export")
    assert chatbot.stub.documents() == []


async def test_export_subs_lists_one_query_a_line_with_paused_ones_marked(
    chatbot: ChatBot,
) -> None:
    await chatbot.say(ALICE, '/sub Лавров, "прямое авиасообщение", санкц*')
    subs = await chatbot.repo.subscriptions.for_chat(ALICE.id)
    await chatbot.services.subscription_service.set_paused(ALICE.id, subs[1].id, True)
    chatbot.stub.send_message(ALICE, ALICE, "/export subs")
    [document] = await chatbot.stub.wait_documents(ALICE.id)
    assert document.file_name == "subscriptions.txt"
    assert "3 подписки" in document.caption
    lines = read_list(document.data.decode("utf-8"))
    assert [(line.query, line.paused) for line in lines] == [
        ("Лавров", False),
        ('"прямое авиасообщение"', True),
        ("санкц*", False),
    ]


async def test_export_with_an_unknown_argument_says_how_to_use_it(chatbot: ChatBot) -> None:
    reply = await chatbot.last(BOB, "/export everything")
    assert "/export subs" in reply.text


# -- importing feeds --------------------------------------------------------------------------


@pytest.mark.parametrize("bot_settings", [PRIVATE_OK])
async def test_an_opml_file_adds_its_feeds_and_reports_each_outcome(
    chatbot: ChatBot, site: str
) -> None:
    await chatbot.say(ALICE, "/start")
    now = datetime.now(UTC)
    await chatbot.repo.feeds.add_for_chat(ALICE.id, f"{site}/feed/old", "Старая", now)
    data = opml(
        '<outline text="Папка">',
        outline(f"{site}/feed/one", "Один"),
        '<outline text="Вложенная">',
        outline(f"{site}/feed/two", "Два"),
        "</outline></outline>",
        outline(f"{site}/feed/one", "Один снова"),
        outline(f"{site}/feed/old"),
        outline(f"{site}/missing"),
        outline(f"{site}/page"),
        outline("ftp://files.example/rss"),
        '<outline text="Сайт" htmlUrl="https://site.example/"/>',
    )
    checking, summary = await send_file(chatbot, ALICE, "feedly.opml", data, replies=2)
    assert checking.text.startswith("⏳ Проверяю 6 лент из файла")
    lines = summary.text.splitlines()
    assert lines[0] == ("📥 Ленты из файла: добавлены 2, 1 уже была подключена, 3 не добавлены.")
    assert "1 повтор в файле пропущен." in lines
    assert "1 ссылка на сайт без адреса ленты пропущена." in lines
    assert f"• {site}/missing — сайт ответил ошибкой 404" in lines
    assert f"• {site}/page — по адресу не RSS и не Atom" in lines
    assert "• ftp://files.example/rss — это не адрес http:// или https://" in lines
    assert await own_urls(chatbot, ALICE.id) == sorted(
        [f"{site}/feed/old", f"{site}/feed/one", f"{site}/feed/two"]
    )


async def test_feeds_of_an_imported_file_pass_the_address_guard(
    chatbot: ChatBot, site: str
) -> None:
    data = opml(outline(f"{site}/feed/one"), outline("http://10.0.0.1/rss"))
    _, summary = await send_file(chatbot, ALICE, "feeds.opml", data, replies=2)
    assert summary.text.splitlines()[0] == (
        "📥 Ленты из файла: добавлено 0, 0 уже были подключены, 2 не добавлены."
    )
    assert summary.text.count("адрес во внутренней сети или служебный") == 2
    assert await own_urls(chatbot, ALICE.id) == []


@pytest.mark.parametrize("bot_settings", [{**PRIVATE_OK, "MAX_FEEDS_PER_CHAT": 2}])
async def test_an_import_stops_adding_at_the_chats_limit_and_says_so(
    chatbot: ChatBot, site: str
) -> None:
    data = opml(*(outline(f"{site}/feed/{n}") for n in ("a", "b", "c", "d")))
    _, summary = await send_file(chatbot, BOB, "feeds.opml", data, replies=2)
    assert summary.text.splitlines()[0] == (
        "📥 Feeds from the file: 2 added, 0 were already there, 2 refused."
    )
    assert summary.text.count("the chat already has its limit of 2 own feeds") == 2
    assert len(await own_urls(chatbot, BOB.id)) == 2


@pytest.mark.parametrize("bot_settings", [PRIVATE_OK])
async def test_the_chat_stays_usable_while_an_import_is_checked(
    chatbot: ChatBot, site: str
) -> None:
    data = opml(outline(f"{site}/feed/slow"), outline(f"{site}/feed/slow?again"))
    [checking] = await send_file(chatbot, ALICE, "feeds.opml", data)
    assert checking.text.startswith("⏳")
    listed = await chatbot.last(ALICE, "/list")
    assert "подписок" in listed.text.casefold()
    busy = await send_file(chatbot, ALICE, "more.opml", data)
    assert "ещё загружаю ленты" in busy[0].text
    await chatbot.stub.wait_for(
        lambda: any("📥" in m.text for m in chatbot.stub.messages(ALICE.id)), timeout=15
    )
    assert len(await own_urls(chatbot, ALICE.id)) == 2


async def test_a_long_list_of_refusals_is_cut_to_one_message(chatbot: ChatBot) -> None:
    urls = [f"ftp://files.example/{'x' * 60}/{n}" for n in range(300)]
    _, summary = await send_file(
        chatbot, ALICE, "feeds.opml", opml(*map(outline, urls)), replies=2
    )
    assert summary.text.splitlines()[0].endswith("300 не добавлено.")
    assert summary.text.splitlines()[-1].startswith("…и ещё ")
    assert len(summary.text) <= 4096


# -- hostile and wrong files ------------------------------------------------------------------

LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<opml><body><outline text="&c;" xmlUrl="https://e.example/rss"/></body></opml>"""


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("bomb.opml", LAUGHS, "объявления XML"),
        ("feed.xml", b'<?xml version="1.0"?><rss><channel/></rss>', "Это не файл OPML"),
        ("broken.opml", b"<opml><body><outline", "это не XML"),
        ("w.opml", '<opml><body><outline text="Лента" xmlUrl="x"/>'.encode("cp1251"), "кодировке"),
        ("folders.opml", b"<opml><body><outline text='x'/></body></opml>", "нет ни одной ленты"),
        ("list.txt", "Лавров".encode("cp1251"), "не в кодировке UTF-8"),
        ("empty.txt", b"# only a comment\n\n", "нет ни одного запроса"),
    ],
)
async def test_a_wrong_or_hostile_file_gets_a_clear_message_and_changes_nothing(
    chatbot: ChatBot, name: str, data: bytes, expected: str
) -> None:
    [reply] = await send_file(chatbot, ALICE, name, data)
    assert expected in reply.text
    assert await own_urls(chatbot, ALICE.id) == []
    assert await chatbot.repo.subscriptions.for_chat(ALICE.id) == []


async def test_a_huge_or_unknown_file_is_refused_without_downloading_it(
    chatbot: ChatBot,
) -> None:
    [reply] = await send_file(chatbot, ALICE, "huge.opml", b"<opml/>", size=30_000_000)
    assert "Файл больше 1000 КБ" in reply.text
    [reply] = await send_file(chatbot, ALICE, "photo.jpg", b"\xff\xd8", mime_type="image/jpeg")
    assert "Этот файл не из них" in reply.text
    assert chatbot.stub.calls("getFile") == []


# -- importing subscriptions ------------------------------------------------------------------


@pytest.mark.parametrize("bot_settings", [{"MAX_SUBSCRIPTIONS_PER_CHAT": 4}])
async def test_a_text_list_subscribes_each_line_and_reports_failed_lines_by_number(
    chatbot: ChatBot,
) -> None:
    await chatbot.say(ALICE, "/sub Лавров")
    text = '# мои подписки\nЛавров\n⏸ Песков\n"незакрытая\nsanctions, G20\nМИД\nНАТО\n'
    [reply] = await send_file(chatbot, ALICE, "subs.txt", text.encode())
    lines = reply.text.splitlines()
    assert lines[0] == "📥 Подписки из списка: добавлены 3, 1 уже была, 3 не сохранены."
    assert "1 из них на паузе, как в списке." in lines
    assert any(line.startswith('• строка 4: "незакрытая') for line in lines)
    assert "• строка 6: МИД — в чате уже предел в 4 подписки" in lines
    assert "• строка 7: НАТО — в чате уже предел в 4 подписки" in lines
    subs = await chatbot.repo.subscriptions.for_chat(ALICE.id)
    assert [(s.query, s.paused) for s in subs] == [
        ("Лавров", False),
        ("Песков", True),
        ("sanctions", False),
        ("G20", False),
    ]


async def test_import_takes_a_list_written_after_it_or_asks_for_one(chatbot: ChatBot) -> None:
    reply = await chatbot.last(BOB, "/import\nLavrov\nPeskov")
    assert reply.text.startswith("📥 Subscriptions from the list: 2 added")
    prompt = await chatbot.last(BOB, "/import")
    assert prompt.text.startswith("Send an OPML file")
    reply = await chatbot.last(BOB, "Zakharova\n⏸ Rubio")
    assert "1 of them is paused" in reply.text
    assert len(await chatbot.repo.subscriptions.for_chat(BOB.id)) == 4


# -- groups -----------------------------------------------------------------------------------


async def test_in_a_group_only_administrators_import_and_only_when_asked(
    chatbot: ChatBot,
) -> None:
    chatbot.stub.add_chat(GROUP)
    chatbot.stub.set_member_status(GROUP.id, MEMBER.id, "member")
    [refused] = await send_file(
        chatbot, MEMBER, "subs.txt", b"Lavrov\n", caption="/import", chat=GROUP
    )
    assert refused.text == (await chatbot.last(MEMBER, "/sub x", GROUP)).text
    before = len(chatbot.stub.calls("getUpdates"))
    chatbot.stub.send_document(GROUP, ALICE, "shared.txt", b"Lavrov\n")
    await chatbot.stub.wait_calls("getUpdates", before + 2)
    chatbot.stub.set_member_status(GROUP.id, ALICE.id, "administrator")
    [done] = await send_file(
        chatbot, ALICE, "subs.txt", b"Lavrov\n", caption="/import", chat=GROUP
    )
    assert done.text.startswith("📥 Подписки из списка: добавлена 1")
    assert len(chatbot.stub.messages(GROUP.id)) == 3
