"""`python -m bot preview`: what a newcomer runs first, with no token and no database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.cli import main
from tests.support.offline import OFFLINE_PYTHONPATH

ROOT = Path(__file__).resolve().parents[2]
FEEDS = ROOT / "tests" / "data" / "feeds"
INTERFAX = FEEDS / "interfax-sample.xml"


def _json_lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_the_reference_article_gives_one_json_line_per_matching_query_with_bold_forms(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
    env["PYTHONPATH"] = OFFLINE_PYTHONPATH
    result = subprocess.run(
        [sys.executable, "-m", "bot", "preview", "--feed", str(INTERFAX), "--json",
         "--query", "Лавров", "--query", "авиасообщение", "--query", "нефть"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    lines = _json_lines(result.stdout)
    assert [line["query"] for line in lines] == ["Лавров", "авиасообщение"]
    for line in lines:
        assert {"query", "guid", "title", "link", "summary", "message_html"} <= line.keys()
        assert line["link"] == "https://www.interfax.ru/russia/sample-1"
    assert "<b>Лаврова</b>" in str(lines[0]["message_html"])
    assert "<b>авиасообщения</b>" in str(lines[1]["message_html"])
    assert "INTERFAX.RU" not in str(lines[0]["summary"])  # the dateline is dropped
    assert not (tmp_path / "data").exists()  # no database was created


def test_every_matching_item_is_reported_in_plain_text_by_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    feed = str(FEEDS / "lenta-2022-12-03.xml")
    code = main(["preview", "--feed", feed, "--query", "G20", "--query", "Украина"])

    out, err = capsys.readouterr()
    assert code == 0
    assert out.count("── G20 ──") == 1  # one item mentions G20 (twice)
    assert out.count("── Украина ──") >= 10
    assert "<b>" not in out
    assert "alert(s) from 198 item(s)" in err


def test_plain_output_marks_the_matched_words(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["preview", "--feed", str(INTERFAX), "--query", "Лавров"])

    out, _ = capsys.readouterr()
    assert code == 0
    assert "Сергея **Лаврова** по итогам" in out
    assert "**" not in out.replace("**Лаврова**", "")  # nothing else is marked


async def test_a_feed_url_is_fetched_through_the_bots_fetcher(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=INTERFAX.read_bytes(), content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/rss", handler)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        url = f"http://127.0.0.1:{server.port}/rss"
        # main() runs its own event loop for the fetch: give it a thread of its own.
        import asyncio

        code = await asyncio.to_thread(main, ["preview", "--feed", url, "--json", "-q", "Лавров"])
    finally:
        await server.close()

    out, _ = capsys.readouterr()
    assert code == 0
    assert len(_json_lines(out)) == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("feed", "code", "message"),
    [
        (f"http://127.0.0.1:{_closed_port()}/rss", 1, "cannot fetch"),
        ("/nonexistent/feed.xml", 1, "cannot read"),
        (str(ROOT / "README.md"), 1, "not a usable feed"),
    ],
)
def test_a_feed_that_cannot_be_read_is_one_line_on_stderr_and_exit_code_1(
    feed: str, code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["preview", "--feed", feed, "--query", "Лавров"]) == code

    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_a_bad_query_is_refused_before_anything_is_fetched(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["preview", "--feed", "http://127.0.0.1:1/x", "--query", '"unbalanced']) == 2

    _, err = capsys.readouterr()
    assert "unbalanced" in err.lower() or "quote" in err.lower()


def _preview_subprocess(
    cwd: Path, *args: str, stdin: str | None = None, importtime: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
    env["PYTHONPATH"] = OFFLINE_PYTHONPATH
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run(
        [sys.executable, *flags, "-m", "bot", "preview", *args],
        cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_preview_imports_nothing_of_aiogram(tmp_path: Path) -> None:
    result = _preview_subprocess(
        tmp_path, "--feed", str(INTERFAX), "--query", "Лавров", importtime=True
    )

    assert result.returncode == 0, result.stderr
    imported = [line.rpartition("|")[2].strip() for line in result.stderr.splitlines()]
    assert "bot.preview" in imported
    assert [name for name in imported if name.split(".")[0] == "aiogram"] == []


def test_queries_are_read_from_a_file_one_a_line_skipping_blank_lines_and_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text("# people\nЛавров\n\n   \n  авиасообщение  \n# нефть\n", encoding="utf-8")

    code = main(["preview", "--feed", str(INTERFAX), "--json", "--queries", str(queries)])

    out, _ = capsys.readouterr()
    assert code == 0
    assert [line["query"] for line in _json_lines(out)] == ["Лавров", "авиасообщение"]


def test_queries_are_read_from_stdin_with_a_dash_and_add_to_query_flags(tmp_path: Path) -> None:
    result = _preview_subprocess(
        tmp_path, "--feed", str(INTERFAX), "--json", "-q", "нефть", "-q", "Лавров",
        "--queries", "-", stdin="авиасообщение\n",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert [line["query"] for line in _json_lines(result.stdout)] == ["Лавров", "авиасообщение"]


def test_a_queries_file_that_cannot_be_read_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["preview", "--feed", str(INTERFAX), "--queries", "/nonexistent/queries.txt"])

    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "cannot read" in err


def test_without_any_query_preview_says_so_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["preview", "--feed", str(INTERFAX)])

    assert stop.value.code == 2
    assert "--query" in capsys.readouterr().err


def test_alerts_come_in_feed_order_then_query_order_one_per_matching_query(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.matching import Analyzer, item_text, parse_query
    from bot.preview import load_feed

    feed = FEEDS / "lenta-2022-12-03.xml"
    raws = ["Украина", "G20", "санкц*", "Украина", "России OR Киев", '"Белого дома"', "Путин"]
    analyzer = Analyzer()
    compiled = [parse_query(raw, analyzer) for raw in raws]
    expected = []
    for entry in load_feed(str(feed)).items:
        doc = analyzer.document(item_text(entry.title, entry.text))
        expected += [(entry.guid, q.raw) for q in compiled if q.match(doc) is not None]

    code = main(["preview", "--feed", str(feed), "--json", *(f"--query={q}" for q in raws)])

    out, _ = capsys.readouterr()
    assert code == 0
    assert len(expected) > 30
    assert [(line["guid"], line["query"]) for line in _json_lines(out)] == expected
