"""Webhook mode, the real `python -m bot`: Telegram posts updates with the secret, an impostor
gets 401 and changes nothing; /healthz and /metrics answer; LOG_FORMAT=json lines carry ids;
back on polling, the webhook is deleted and what Telegram kept for the bot arrives."""

from __future__ import annotations

import json

import aiohttp
import pytest

from tests.e2e.conftest import (
    POLL,
    BotFactory,
    BotProcess,
    FeedServer,
    alerts,
    free_port,
    lenta_items,
    rss_item,
    say,
    wait_until,
)
from tests.support.botapi import BotApiStub
from tests.support.updates import Chat, User, message_payload

pytestmark = pytest.mark.e2e

USER = 811
SECRET = "e2e-Webhook_secret"


async def scrape(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


def sample(text: str, name: str) -> float:
    """The value of an unlabelled sample in Prometheus' text format."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"no {name} in /metrics")


async def start_hooked(bot: BotProcess, stub: BotApiStub) -> None:
    """Launch and return once the bot set its webhook (it serves from then on)."""
    bot.launch()
    await wait_until(lambda: stub.calls("setWebhook") or not bot.running(), 20, "setWebhook", bot)
    assert bot.running(), f"bot exited at start\n{bot.stderr_tail()}"


async def test_a_webhook_bot_takes_updates_only_with_the_secret_and_reports_its_health(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    feed = feeds.add("wire", lenta_items(5))
    hook, ops = free_port(), free_port()
    bot = make_bot(
        FEEDS=feed.url,
        WEBHOOK_URL=f"http://127.0.0.1:{hook}/telegram/updates",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN=f"127.0.0.1:{hook}",
        METRICS_LISTEN=f"127.0.0.1:{ops}",
        LOG_FORMAT="json",
    )
    await start_hooked(bot, stub)
    [call] = stub.calls("setWebhook")
    assert call.params["secret_token"] == SECRET
    assert call.params["drop_pending_updates"] is False

    reply = await say(stub, USER, "/sub нефть")  # posted by the stand-in, with the secret
    assert "нефть" in reply.text
    assert stub.calls("getUpdates") == []

    impostor = {
        "update_id": 1,
        "message": message_payload(Chat.private(User(USER)), User(USER), 99, "/sub газ"),
    }
    for secret in ("not-the-secret", None):
        status, _ = await stub.post_update(impostor, secret=secret)
        assert status == 401
    answered = len(stub.messages(USER))

    await feeds.wait_primed()
    feed.publish(rss_item("Нефть дорожает", "Цены на нефть выросли.", "https://wire.example/1"))
    await wait_until(lambda: alerts(stub, USER), 3 * POLL + 2, "the alert", bot)
    assert len(stub.messages(USER)) == answered + 1  # the alert; nothing for «газ»
    list_reply = await say(stub, USER, "/list")
    assert "нефть" in list_reply.text and "газ" not in list_reply.text

    status, body = await scrape(f"http://127.0.0.1:{ops}/healthz")
    assert status == 200, body
    assert json.loads(body)["checks"] == {"database": "ok", "telegram": "ok", "queue": "ok"}
    status, text = await scrape(f"http://127.0.0.1:{ops}/metrics")
    assert status == 200
    assert sample(text, "newsbot_alerts_sent_total") == 1
    assert sample(text, "newsbot_alerts_failed_total") == 0
    assert sample(text, "newsbot_alert_latency_seconds_count") == 1
    assert 0 <= sample(text, "newsbot_alert_latency_seconds_sum") < 60
    assert sample(text, "newsbot_feed_fetches_total") >= 2
    assert sample(text, "newsbot_matching_seconds_count") >= 1
    assert sample(text, "newsbot_queue_depth") == 0
    assert sample(text, "newsbot_telegram_429_total") == 0

    code, _ = await bot.terminate(timeout=10.0)
    assert code == 0, bot.stderr_tail()
    assert stub.webhook is not None and stub.calls("deleteWebhook") == []

    entries = [json.loads(line) for line in bot.log_lines()]
    sent = [e for e in entries if e["message"].startswith("delivery ") and "sent" in e["message"]]
    assert len(sent) == 1
    assert sent[0]["chat_id"] == USER
    assert isinstance(sent[0]["delivery_id"], int) and isinstance(sent[0]["item_id"], int)


async def test_back_on_polling_the_webhook_is_deleted_and_kept_updates_arrive(
    stub: BotApiStub, make_bot: BotFactory
) -> None:
    hook = free_port()
    webhook_mode = {
        "WEBHOOK_URL": f"http://127.0.0.1:{hook}/hook",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": f"127.0.0.1:{hook}",
    }
    bot = make_bot(FEEDS="", **webhook_mode)
    await start_hooked(bot, stub)
    code, _ = await bot.terminate(timeout=10.0)
    assert code == 0, bot.stderr_tail()

    stub.send_message(USER, USER, "/sub нефть")  # the bot is down: Telegram keeps it
    for name in webhook_mode:
        del bot.settings[name]
    await bot.start(stub)  # polling
    assert stub.webhook is None and len(stub.calls("deleteWebhook")) == 1
    await stub.wait_messages(USER)
    assert "нефть" in stub.messages(USER)[0].text
