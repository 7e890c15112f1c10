"""Several `python -m bot` on one PostgreSQL, the edges of the lead: a leader whose database
connection breaks stops and exits 4 while a standby carries on; in webhook mode every process
takes updates (the secret checked by each) and alerts still go out once, from the leader."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.e2e.conftest import (
    POLL,
    BotFactory,
    BotProcess,
    DatabaseFactory,
    FeedServer,
    alerts,
    free_port,
    lenta_items,
    rss_item,
    say,
    wait_until,
)
from tests.support.botapi import BotApiStub
from tests.support.postgres import cut_leader_lock
from tests.support.updates import Chat, User, message_payload

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("engine", ["postgres"])]

ANNA, BORIS = 901, 902
SECRET = "e2e-cluster-secret"
EXIT_LEAD_LOST = 4


async def test_a_leader_that_loses_its_connection_exits_4_and_the_standby_carries_on(
    stub: BotApiStub,
    feeds: FeedServer,
    pg_databases: DatabaseFactory,
    make_bot: BotFactory,
) -> None:
    url = pg_databases()
    feed = feeds.add("wire", lenta_items(5))
    first = make_bot(DATABASE_URL=url, FEEDS=feed.url)
    second = make_bot(DATABASE_URL=url, FEEDS=feed.url)
    assert await first.start_in_cluster() == "leads"
    assert await second.start_in_cluster() == "standby"
    await say(stub, ANNA, "/sub нефть")
    await feeds.wait_primed()

    assert await cut_leader_lock(url) == 1
    code = await first.wait(10)
    assert code == EXIT_LEAD_LOST, first.stderr_tail()
    assert "restart this process" in first.stderr()
    await wait_until(lambda: second.role() == "leads", 10, "the standby to lead", second)

    reply = await say(stub, ANNA, "/list")  # updates are read by the new leader
    assert "нефть" in reply.text
    feed.publish(rss_item("Нефть дорожает", "Цены на нефть выросли.", "https://wire.example/1"))
    await wait_until(lambda: alerts(stub, ANNA), 3 * POLL + 3, "the alert", second)
    await asyncio.sleep(2 * POLL)  # a second alert (from the old leader's queue) would be here
    assert len(alerts(stub, ANNA)) == 1

    first.launch()  # the service manager restarts it: it rejoins as a standby
    await wait_until(lambda: first.role() is not None, 20, "a role", first)
    assert first.role() == "standby"
    code, _ = await second.terminate(timeout=10)
    assert code == 0, second.stderr_tail()
    await wait_until(lambda: first.role() == "leads", 10, "the lead to pass on", first)


async def post(port: int, update: dict[str, object], secret: str | None) -> int:
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}/hook", json=update, headers=headers) as answer,
    ):
        return answer.status


def webhook_bot(make_bot: BotFactory, url: str, feed_url: str) -> tuple[BotProcess, int]:
    port = free_port()
    bot = make_bot(
        DATABASE_URL=url,
        FEEDS=feed_url,
        WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        METRICS_LISTEN=f"127.0.0.1:{free_port()}",
    )
    return bot, port


async def test_in_webhook_mode_every_process_takes_updates_and_alerts_go_out_once(
    stub: BotApiStub,
    feeds: FeedServer,
    pg_databases: DatabaseFactory,
    make_bot: BotFactory,
) -> None:
    url = pg_databases()
    feed = feeds.add("wire", lenta_items(5))
    (first, first_port), (second, second_port) = (
        webhook_bot(make_bot, url, feed.url),
        webhook_bot(make_bot, url, feed.url),
    )
    assert await first.start_in_cluster() == "leads"
    assert await second.start_in_cluster() == "standby"
    await wait_until(lambda: len(stub.calls("setWebhook")) == 2, 10, "both webhooks set")

    for number, (port, user, query) in enumerate(
        [(first_port, ANNA, "/sub нефть"), (second_port, BORIS, "/sub нефть, газ")], start=1
    ):
        chat = Chat.private(User(user))
        update = {"update_id": number, "message": message_payload(chat, User(user), 1, query)}
        assert await post(port, {**update, "update_id": 100 + number}, "wrong") == 401
        assert await post(port, update, SECRET) == 200  # answered once handled
    assert "нефть" in stub.messages(ANNA)[-1].text
    assert "газ" in stub.messages(BORIS)[-1].text
    assert stub.calls("getUpdates") == []

    await feeds.wait_primed()
    feed.publish(rss_item("Нефть и газ дорожают", "Цены выросли.", "https://wire.example/2"))
    await wait_until(
        lambda: alerts(stub, ANNA) and alerts(stub, BORIS), 3 * POLL + 3, "the alerts", first
    )
    await asyncio.sleep(2 * POLL)  # a second alert (two processes fetching) would be here
    assert (len(alerts(stub, ANNA)), len(alerts(stub, BORIS))) == (1, 1)
    sent = [p.metrics().get("newsbot_alerts_sent_total", 0) for p in (first, second)]
    assert sent == [2, 0], "the leader sends every alert"
    assert [p.metrics()["newsbot_leader"] for p in (first, second)] == [1, 0]
