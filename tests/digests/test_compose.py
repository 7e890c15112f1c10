"""The digest's text: escaped, grouped, counted in each language's plural forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.digests import compose_part
from bot.i18n import texts
from storage import AlertMode, Chat, ChatKind, DigestEntry, Language

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def chat(language: Language = Language.RU) -> Chat:
    return Chat(1, ChatKind.PRIVATE, None, language, "Europe/Moscow", AlertMode.INSTANT,
                True, False, None, NOW)  # fmt: skip


def entry(n: int, title: str, query: str = "Лавров", reports: int = 1) -> DigestEntry:
    return DigestEntry(
        n, (query,), title, f"https://news.example/{n}?a=1&b=2", "Интерфакс <ТВ>",
        NOW + timedelta(minutes=n), reports,
    )  # fmt: skip


def test_titles_sources_and_links_from_feeds_are_escaped() -> None:
    part = compose_part(
        [entry(1, "<script>alert(1)</script> & Co")], chat(), texts("ru"), quiet=False,
        continued=False,
    )  # fmt: skip
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in part.html
    assert "Интерфакс &lt;ТВ&gt;" in part.html
    assert 'href="https://news.example/1?a=1&amp;b=2"' in part.html
    assert "<script>" in part.plain and "<b>" not in part.plain
    assert part.delivery_ids == (1,)


def test_counts_use_real_plural_forms_in_both_languages() -> None:
    one = [entry(1, "A", reports=2)]
    five = [entry(n, f"T{n}", reports=5) for n in range(1, 6)]
    ru, en = texts("ru"), texts("en")
    assert "1 сюжет</b>" in compose_part(one, chat(), ru, quiet=False, continued=False).html
    assert "2 источника" in compose_part(one, chat(), ru, quiet=False, continued=False).html
    assert "5 сюжетов" in compose_part(five, chat(), ru, quiet=False, continued=False).html
    english = chat(Language.EN)
    assert (
        "Digest: 1 story</b>" in compose_part(one, english, en, quiet=False, continued=False).html
    )
    assert "2 sources" in compose_part(one, english, en, quiet=False, continued=False).html
    quiet = compose_part(five, english, en, quiet=True, continued=False).html
    assert "While quiet hours lasted: 5 stories" in quiet
    assert "сюжет" not in quiet and "источник" not in quiet


def test_a_single_report_shows_no_source_count() -> None:
    part = compose_part([entry(1, "A")], chat(), texts("ru"), quiet=False, continued=False)
    assert "источник" not in part.html
