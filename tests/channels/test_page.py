"""A channel's preview page read as a feed, on pages saved in Telegram's own markup."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.channels.page import FORMAT_CHANGED, NOT_PUBLIC, TITLE_CHARS, parse_channel_page
from bot.feeds import ParsedFeed
from tests.support.paths import DATA

PAGES = DATA / "channels"
URL = "https://t.me/s/newsroom_demo"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
HTML = "text/html; charset=utf-8"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def parse(body: bytes, url: str = URL) -> ParsedFeed:
    return parse_channel_page(body, url=url, content_type=HTML, fetched_at=NOW)


def by_id(parsed: ParsedFeed) -> dict[str, tuple[str, str]]:
    """Each post's (title, text) by its id."""
    return {item.guid.split("/")[1]: (item.title, item.text) for item in parsed.items}


def test_each_post_with_words_is_an_item_with_its_public_link_and_time_newest_first() -> None:
    parsed = parse(page("newsroom_demo.html"))

    assert parsed.ok and parsed.title == "Редакция: срочно"
    assert parsed.link == "https://t.me/newsroom_demo"
    assert [i.guid for i in parsed.items] == [
        "newsroom_demo/112",
        "newsroom_demo/110",
        "newsroom_demo/108",
        "newsroom_demo/107",
        "newsroom_demo/106",
        "newsroom_demo/103",
        "newsroom_demo/102",
    ]
    first = parsed.items[-1]
    assert first.link == first.canonical_link == "https://t.me/newsroom_demo/102"
    assert first.published_at == datetime(2026, 11, 30, 7, 24, 1, tzinfo=UTC)


def test_a_posts_first_line_is_its_title_and_the_rest_its_text_with_entities_decoded() -> None:
    post = parse(page("newsroom_demo.html")).items[-1]

    assert post.title == "⚡Лавров заявил о готовности к переговорам с США"
    assert post.text.startswith("Министр иностранных дел России Сергей Лавров сообщил")
    assert 'открыта для "предметного разговора" с Вашингтоном' in post.text
    assert "возобновлении прямого авиасообщения.\n\nПодробнее — на сайте & в нашем #МИД" in (
        post.text
    )
    assert "\xa0" not in post.text


def test_an_edited_post_is_the_same_item_as_before_its_edit() -> None:
    before = page("newsroom_demo.html").replace(b"edited &nbsp;", b"")
    edited = parse(page("newsroom_demo.html")).items[-1]
    original = parse(before).items[-1]
    assert edited.guid == original.guid == "newsroom_demo/102"


def test_an_album_caption_is_read_once_and_a_reply_quote_is_not_the_posts_text() -> None:
    texts = by_id(parse(page("newsroom_demo.html")))

    assert texts["103"] == (
        "Пожар на складе в Подольске локализован на площади 2 тыс. кв. м, сообщили в МЧС.",
        "Пострадавших нет.",
    )
    assert texts["107"] == ("Рубль после решения регулятора укрепился к доллару и евро.", "")


def test_a_forwarded_post_is_the_channels_item_and_remembers_where_it_came_from() -> None:
    forwarded = next(i for i in parse(page("newsroom_demo.html")).items if i.guid.endswith("106"))

    assert forwarded.link == "https://t.me/newsroom_demo/106"
    assert forwarded.title == "ЦБ сохранил ключевую ставку на уровне 16,5% годовых."
    assert forwarded.author == "Агентство: лента"


def test_service_messages_media_without_caption_and_stickers_are_no_items() -> None:
    ids = set(by_id(parse(page("newsroom_demo.html"))))

    assert not ids & {"101", "111"}  # photo changed, a post pinned
    assert "105" not in ids  # a photo alone
    assert "109" not in ids  # a sticker
    assert "104" not in ids  # the album's second photo is part of post 103


def test_a_poll_is_an_item_of_its_question_and_options() -> None:
    poll = next(i for i in parse(page("newsroom_demo.html")).items if i.guid.endswith("108"))
    assert poll.title == "Ждёте ли вы снижения ставки в декабре?"
    assert poll.text == "Да\n\nНет"


def test_markup_inside_a_post_is_text_and_a_script_element_is_dropped() -> None:
    text = by_id(parse(page("newsroom_demo.html")))["110"][0]

    assert '<script>alert("взлом")</script> и <b>жирный</b> текст' in text
    assert "injected" not in text and "document.title" not in text


def test_a_long_first_line_becomes_a_title_of_its_first_sentences() -> None:
    post = parse(page("newsroom_demo.html")).items[0]

    assert len(post.title) <= TITLE_CHARS
    assert post.title == (
        "Правительство внесло в Госдуму законопроект о поэтапном повышении НДС для компаний"
        " на упрощённой системе налогообложения с доходом выше 60 млн рублей в год."
    )
    assert post.text.startswith(post.title)  # a cut line stays whole in the text
    assert post.text.endswith("около 200 млрд рублей в 2027 году.")


def test_a_long_line_without_a_sentence_end_is_cut_at_a_word() -> None:
    words = " ".join(["слово"] * 80)
    body = page("newsroom_demo.html").replace(
        "Ждёте ли вы снижения ставки в&nbsp;декабре?".encode(), words.encode()
    )
    poll = next(i for i in parse(body).items if i.guid.endswith("108"))
    assert len(poll.title) <= TITLE_CHARS and poll.title.endswith("слово…")


def test_an_empty_channel_is_a_feed_without_items_not_an_error() -> None:
    parsed = parse(page("empty_demo.html"), "https://t.me/s/empty_demo")
    assert parsed.ok and parsed.title == "Пустой канал" and parsed.items == ()


def test_a_page_of_a_channel_without_public_preview_says_so() -> None:
    parsed = parse(page("no_preview.html"), "https://t.me/s/closed_demo")
    assert parsed.error is not None and parsed.error.startswith(NOT_PUBLIC)
    assert "@closed_demo" in parsed.error


def test_a_redesigned_page_is_a_format_error_not_a_quiet_channel() -> None:
    parsed = parse(page("newsroom_demo_redesigned.html"))
    assert parsed.items == ()
    assert parsed.error == f"{FORMAT_CHANGED}: no message list on the page"


def test_posts_no_longer_marked_as_messages_are_a_format_error() -> None:
    body = page("newsroom_demo.html").replace(b'class="tgme_widget_message ', b'class="tgme_post ')
    parsed = parse(body)
    assert parsed.error == f"{FORMAT_CHANGED}: the posts on the page are not marked as messages"


def test_a_message_list_with_nothing_in_it_is_an_empty_channel() -> None:
    body = page("empty_demo.html").replace(b"No posts found", b"").replace(b"tme_no_", b"tme_")
    parsed = parse(body, "https://t.me/s/empty_demo")
    assert parsed.ok and parsed.items == ()


def test_posts_whose_text_element_was_renamed_are_a_format_error_not_media_posts() -> None:
    body = (
        page("newsroom_demo.html")
        .replace(b"tgme_widget_message_text", b"tgme_message_body")
        .replace(b"tgme_widget_message_poll", b"tgme_poll")
    )
    parsed = parse(body)
    assert parsed.items == ()
    assert parsed.error == f"{FORMAT_CHANGED}: no post has text or media that can be read"


def test_a_page_without_the_channel_header_is_a_format_error() -> None:
    body = (
        page("newsroom_demo.html")
        .replace(b"tgme_channel_info_header_title", b"tgme_channel_name")
        .replace(b'property="og:title"', b'property="og:name"')
    )
    assert parse(body).error == f"{FORMAT_CHANGED}: no channel title on the page"


def test_garbage_and_an_empty_body_are_format_errors_and_nothing_raises() -> None:
    for body in (b"", b"   ", b"\x00\xff<<<not html", b"<html><body>Hello</body></html>"):
        parsed = parse(body)
        assert parsed.error is not None and parsed.error.startswith(FORMAT_CHANGED), body
