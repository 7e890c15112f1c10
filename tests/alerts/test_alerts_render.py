"""The alert message: valid Telegram HTML, escaped, bounded, in the chat's time zone."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest

from bot.alerts.render import AlertView, render_alert, render_held_back, render_plain
from bot.alerts.summary import Summary, summarize
from tests.support.html_check import (
    TelegramHTMLError,
    assert_valid_message,
    visible_text,
)
from tests.support.html_check import (
    utf16_len as utf16_units,
)
from tests.support.paths import sample

MOSCOW = ZoneInfo("Europe/Moscow")
WHEN = datetime(2026, 2, 2, 10, 41, tzinfo=UTC)
LINK = "https://www.interfax.ru/russia/sample-1"


def view(**changes: object) -> AlertView:
    fields: dict[str, object] = {
        "title": "Заголовок новости",
        "link": LINK,
        "source": "Интерфакс",
        "published_at": WHEN,
        "summary": Summary("Сергея Лаврова спросили.", ((7, 14),)),
        "matched_queries": ["Лавров"],
    }
    fields.update(changes)
    return AlertView(**fields)  # type: ignore[arg-type]


def test_interfax_sample_end_to_end() -> None:
    entry = feedparser.parse(sample("interfax-sample.xml")).entries[0]
    text = entry["yandex_full-text"]
    spans = [(text.find(w), text.find(w) + len(w)) for w in ("Лаврова", "авиасообщения")]
    alert = AlertView(
        title=entry.title,
        link=entry.link,
        source="Интерфакс",
        published_at=datetime.fromtimestamp(calendar.timegm(entry.published_parsed), UTC),
        summary=summarize(text, spans),
        matched_queries=["Лавров", "авиасообщение"],
    )
    message = render_alert(alert, tz=MOSCOW)

    assert_valid_message(message)
    lines = message.split("\n")
    assert lines[0] == (
        f'<b><a href="{LINK}">МИД сообщил о почти беспрерывном диалоге между РФ и США на '
        "различных уровнях</a></b>"
    )
    assert lines[1] == "Интерфакс · 02.02.2026 13:41"
    assert lines[3].startswith("В МИД РФ заявили")
    assert "Сергея <b>Лаврова</b>" in lines[3] and "прямого <b>авиасообщения</b>" in lines[3]
    assert lines[-2:] == ["🔔 Лавров, авиасообщение", LINK]


def test_plain_fallback_is_the_visible_text_of_the_html() -> None:
    for alert in (view(), view(link=None, source=None), view(title="<b>a & b</b>", held_back=3)):
        plain = render_plain(alert, tz=MOSCOW)
        assert plain == visible_text(render_alert(alert, tz=MOSCOW))
        assert "<b>" not in plain or "<b>a & b</b>" in plain


HOSTILE_TITLES = [
    "<script>alert(1)</script>",
    "Tom & Jerry",
    "&amp; already escaped &lt;b&gt;",
    "<b>unbalanced",
    "</b></a>closing first",
    '<a href="javascript:alert(1)">x</a>',
    "&#0; &#xD800; &nbsp; &unknown;",
    "line\nbreaks\r\nand\ttabs\x00\x07 and controls",
    "lone \ud800 surrogate",
    "😀" * 5000,
    "Ж" * 10_000,
    "слово " * 2_000,
    "",
    "   ",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES, ids=range(len(HOSTILE_TITLES)))
def test_hostile_titles_render_valid_escaped_bounded(title: str) -> None:
    message = render_alert(view(title=title), tz=MOSCOW)
    shown = assert_valid_message(message)
    first_line = shown.split("\n")[0]
    assert utf16_units(first_line) <= 600 and len(first_line) <= 300
    clean = " ".join(title.replace("\x00", " ").replace("\x07", " ").split())
    if clean and len(clean) <= 300 and "\ud800" not in clean:
        assert first_line == clean  # shown exactly as the feed wrote it, escaped not stripped
    message.encode("utf-8")


def test_everything_from_the_feed_is_escaped() -> None:
    alert = view(
        title="<i>t</i>",
        source="<u>s</u> & co",
        summary=Summary("<pre>x</pre> & y", ((0, 5),)),
        matched_queries=["<code>q</code>", "a&b"],
    )
    message = render_alert(alert, tz=MOSCOW)
    assert_valid_message(message)
    for raw in ("<i>", "<u>", "<pre>", "<code>", " & "):
        assert raw not in message


def test_huge_everything_stays_within_4096_utf16_units() -> None:
    text = ("Лавров заявил. " + "😀 " * 300) * 200  # 100,000+ characters, emoji-heavy
    alert = view(
        title="<script>" * 1_250,
        source="S" * 5_000,
        summary=Summary(text, ((0, 6), (7, 13))),  # a caller that skipped summarize()
        matched_queries=[f"запрос{i} <&>" for i in range(2_000)],
        held_back=10**6,
    )
    message = render_alert(alert, tz=MOSCOW)
    shown = assert_valid_message(message)
    assert render_plain(alert, tz=MOSCOW) == shown
    assert utf16_units(shown) > 3_000  # trimmed to fit, not thrown away
    assert "<b>Лавров</b>" in message
    assert shown.rstrip().endswith("ещё 1000000 совпадений — /recent")


def test_emoji_are_counted_as_two_units() -> None:
    summary = Summary("😀" * 3_000)  # 3,000 characters but 6,000 UTF-16 units
    shown = assert_valid_message(render_alert(view(summary=summary), tz=MOSCOW))
    assert len(shown) < 4_096 / 2 + 200
    assert utf16_units(shown) > 4_000  # the cut is tight, not over-cautious


def test_trimming_order_summary_before_queries() -> None:
    summary = Summary("слово " * 1_000)
    queries = [f"подписка{i}" for i in range(300)]
    shown = assert_valid_message(
        render_alert(view(summary=summary, matched_queries=queries), tz=MOSCOW)
    )
    assert "подписка0, подписка1" in shown
    assert "слово слово" in shown


LINKS = [
    # (link as the feed gave it, href expected in the message or None for no link at all)
    (LINK, LINK),
    ("  https://example.com/a  ", "https://example.com/a"),
    ("https://example.com/?a=1&b=2", "https://example.com/?a=1&amp;b=2"),
    ('https://example.com/"onmouseover="x', "https://example.com/&quot;onmouseover=&quot;x"),
    ("https://example.com/<b>", "https://example.com/&lt;b&gt;"),
    ("HTTP://EXAMPLE.COM/", "HTTP://EXAMPLE.COM/"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(1)//https://x", None),
    ("javascript://example.com/%0Aalert(1)", None),  # has a host, still a script
    ("file://example.com/etc/passwd", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("tg://resolve?domain=x", None),
    ("ftp://example.com/file", None),
    ("//example.com/no-scheme", None),
    ("/relative/path", None),
    ("https://", None),
    ("https://exa mple.com/", None),
    ("https://example.com/\nnext", None),
    ("http://[::1", None),
    ("https://example.com/" + "a" * 3_000, None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("link", "href"), LINKS)
def test_only_http_links_become_hrefs(link: str | None, href: str | None) -> None:
    message = render_alert(view(link=link), tz=MOSCOW)
    shown = assert_valid_message(message)
    if href is None:
        assert "<a " not in message
        assert message.startswith("<b>Заголовок новости</b>")
        assert "javascript" not in shown.lower()
    else:
        assert message.startswith(f'<b><a href="{href}">Заголовок новости</a></b>')
        assert link is not None
        assert shown.split("\n")[-1] == link.strip()  # the link on its own line


@pytest.mark.parametrize(
    ("published_at", "tz", "shown"),
    [
        (WHEN, MOSCOW, "02.02.2026 13:41"),
        (WHEN, ZoneInfo("Asia/Vladivostok"), "02.02.2026 20:41"),
        (WHEN, ZoneInfo("America/New_York"), "02.02.2026 05:41"),  # EST in February
        (
            datetime(2026, 7, 2, 10, 41, tzinfo=UTC),
            ZoneInfo("America/New_York"),
            "02.07.2026 06:41",
        ),
        (datetime(2026, 2, 2, 22, 30, tzinfo=UTC), MOSCOW, "03.02.2026 01:30"),  # next day
        (datetime(2026, 2, 2, 10, 41), MOSCOW, "02.02.2026 13:41"),  # naive means UTC
        (datetime(9999, 12, 31, 23, 59, tzinfo=UTC), MOSCOW, "31.12.9999 23:59"),  # no overflow
    ],
)
def test_time_in_the_chats_zone(published_at: datetime, tz: ZoneInfo, shown: str) -> None:
    message = render_alert(view(published_at=published_at), tz=tz)
    assert message.split("\n")[1] == f"Интерфакс · {shown}"


def test_without_source_only_the_time_is_shown() -> None:
    assert render_alert(view(source=None), tz=MOSCOW).split("\n")[1] == "02.02.2026 13:41"
    assert render_alert(view(source="  "), tz=MOSCOW).split("\n")[1] == "02.02.2026 13:41"


def test_queries_are_deduplicated_in_order() -> None:
    message = render_alert(view(matched_queries=["б", "а", "б", " ", "в"]), tz=MOSCOW)
    assert "🔔 б, а, в" in message.split("\n")


@pytest.mark.parametrize(
    ("count", "lang", "text"),
    [
        (12, "ru", "ещё 12 совпадений — /recent"),
        (1, "ru", "ещё 1 совпадение — /recent"),
        (2, "ru", "ещё 2 совпадения — /recent"),
        (5, "ru", "ещё 5 совпадений — /recent"),
        (11, "ru", "ещё 11 совпадений — /recent"),
        (21, "ru", "ещё 21 совпадение — /recent"),
        (114, "ru", "ещё 114 совпадений — /recent"),
        (12, "en", "12 more matches — /recent"),
        (1, "en", "1 more match — /recent"),
        (3, "xx", "ещё 3 совпадения — /recent"),  # unknown language: Russian
    ],
)
def test_held_back_message(count: int, lang: str, text: str) -> None:
    assert render_held_back(count, lang) == text
    assert_valid_message(render_held_back(count, lang))


def test_held_back_line_is_appended_when_given() -> None:
    assert render_alert(view(held_back=12), tz=MOSCOW).endswith("\nещё 12 совпадений — /recent")
    assert "/recent" not in render_alert(view(), tz=MOSCOW)


@pytest.mark.parametrize(("lang", "untitled"), [("ru", "Без заголовка"), ("en", "Untitled")])
def test_missing_title_gets_a_placeholder(lang: str, untitled: str) -> None:
    assert f">{untitled}</a></b>" in render_alert(view(title=""), tz=MOSCOW, lang=lang)


def test_deterministic() -> None:
    alert = view(matched_queries=["в", "а", "б"])
    assert render_alert(alert, tz=MOSCOW) == render_alert(alert, tz=MOSCOW)
    assert render_plain(alert, tz=MOSCOW) == render_plain(alert, tz=MOSCOW)


@pytest.mark.parametrize(
    "bad",
    [
        "<script>x</script>",
        "a & b",
        "a > b",
        "<b>x",
        "x</b>",
        "<b><i>x</b></i>",
        '<a href="javascript:x">x</a>',
        '<a href="https://x" onclick="y">x</a>',
        "&nbsp;",
        "<b>" + "x" * 4_097 + "</b>",
        "<b></b>",
    ],
)
def test_the_checker_itself_rejects_invalid_messages(bad: str) -> None:
    with pytest.raises(AssertionError):  # TelegramHTMLError, too long, or empty
        assert_valid_message(bad)


def test_the_checker_accepts_what_telegram_accepts() -> None:
    good = '<b><a href="https://x.ru/?a=1&amp;b=&quot;">t &lt;3</a></b>\n&#128512; <i>i</i>'
    assert visible_text(good) == "t <3\n😀 i"
    with pytest.raises(TelegramHTMLError):
        visible_text("<tg-spoiler>x</tg-spoiler>")  # valid for Telegram, but we never emit it
