"""LOG_FORMAT=json: every line is one JSON object carrying the ids the log call knew."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logs import setup_logging


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    stream = io.StringIO()
    setup_logging("INFO", "json", stream)
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_record_is_one_json_line_with_time_level_logger_and_message(
    json_log: io.StringIO,
) -> None:
    logging.getLogger("bot.poller").warning("feed %s failed\n(%d in a row)", "Лента", 3)
    [entry] = lines(json_log)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "bot.poller"
    assert entry["message"] == "feed Лента failed\n(3 in a row)"
    assert str(entry["time"]).endswith("+00:00")


def test_the_ids_a_log_call_passes_are_fields_of_their_own(json_log: io.StringIO) -> None:
    log = logging.getLogger("bot.delivery.courier")
    log.info("sent", extra={"delivery_id": 7, "chat_id": -100123, "item_id": 42})
    log.info("fetched", extra={"feed_id": 3, "unrelated": "x"})
    sent, fetched = lines(json_log)
    assert (sent["delivery_id"], sent["chat_id"], sent["item_id"]) == (7, -100123, 42)
    assert "feed_id" not in sent
    assert fetched["feed_id"] == 3
    assert "unrelated" not in fetched


def test_an_exception_travels_inside_the_one_line(json_log: io.StringIO) -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("bot").exception("crashed", extra={"feed_id": 1})
    [entry] = lines(json_log)
    assert "ValueError: boom" in str(entry["exception"])
    assert entry["feed_id"] == 1


def test_below_the_level_nothing_is_written(json_log: io.StringIO) -> None:
    logging.getLogger("bot").debug("noise")
    assert json_log.getvalue() == ""


def test_the_text_format_stays_the_readable_default() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    stream = io.StringIO()
    try:
        setup_logging("INFO", "text", stream)
        logging.getLogger("bot").info("hello", extra={"chat_id": 5})
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    assert stream.getvalue().rstrip().endswith("INFO bot: hello")
