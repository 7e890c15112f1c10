"""Forum topics: a subscription made in a topic belongs to it, and its alerts go there.

Driven through the real Bot against the stand-in, which knows topics (General has no thread
id; a deleted topic answers "message thread not found", a closed one TOPIC_CLOSED).
"""

from __future__ import annotations

from collections.abc import Awaitable, Sized
from datetime import UTC, datetime

from storage import DeliverySchedule
from tests.chat.conftest import ADMIN
from tests.destinations.conftest import Desk
from tests.support.updates import Chat

FORUM = Chat.forum(-1009990001, "Редакция")


def _forum(desk: Desk) -> tuple[int, int]:
    desk.stub.add_chat(FORUM)
    desk.stub.set_member_status(FORUM.id, ADMIN.id, "administrator")
    return desk.stub.create_topic(FORUM, "Политика"), desk.stub.create_topic(FORUM, "Экономика")


async def test_sub_in_a_topic_binds_the_subscription_to_it_and_is_answered_there(
    desk: Desk,
) -> None:
    politics, _ = _forum(desk)

    (reply,) = await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)

    assert "Лавров" in reply.text
    (sub,) = await desk.repo.subscriptions.for_chat(FORUM.id)
    assert (sub.query, sub.thread_id) == ("Лавров", politics)
    topic = await desk.repo.topics.get(FORUM.id, politics)
    assert topic is not None and topic.name == "Политика"
    assert desk.stub.topic_messages(FORUM.id, None) == []


async def test_the_same_query_in_two_topics_is_two_subscriptions(desk: Desk) -> None:
    politics, economy = _forum(desk)

    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)
    (second,) = await desk.in_topic(FORUM, ADMIN, "/sub Лавров", economy)

    assert "уже есть" not in second.text
    subs = await desk.repo.subscriptions.for_chat(FORUM.id)
    assert sorted(s.thread_id for s in subs) == sorted([politics, economy])


async def test_sub_in_general_is_the_groups_own(desk: Desk) -> None:
    _forum(desk)

    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", None)

    (sub,) = await desk.repo.subscriptions.for_chat(FORUM.id)
    assert sub.thread_id == 0


async def test_list_in_a_topic_shows_its_subscriptions_and_the_whole_group_on_a_button(
    desk: Desk,
) -> None:
    politics, economy = _forum(desk)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)
    await desk.in_topic(FORUM, ADMIN, "/sub нефть", economy)

    (listed,) = await desk.in_topic(FORUM, ADMIN, "/list", politics)

    assert "Политика" in listed.text and "Лавров" in listed.text
    assert "нефть" not in listed.text
    await desk.cb.press_label(ADMIN, listed, "Вся группа", FORUM)
    whole = desk.stub.message(FORUM.id, listed.message_id)
    assert "Лавров" in whole.text and "нефть" in whole.text
    assert "Экономика" in whole.text  # each line says which topic it alerts in
    assert all("s1:" not in data for data in whole.callback_data)  # read-only from a topic
    await desk.cb.press_label(ADMIN, whole, "Эта тема", FORUM)
    assert "нефть" not in desk.stub.message(FORUM.id, listed.message_id).text


async def test_a_button_under_a_topics_list_redraws_that_topics_list(desk: Desk) -> None:
    politics, economy = _forum(desk)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)
    await desk.in_topic(FORUM, ADMIN, "/sub нефть", economy)
    (listed,) = await desk.in_topic(FORUM, ADMIN, "/list", politics)

    await desk.cb.press_label(ADMIN, listed, "⏸", FORUM)

    redrawn = desk.stub.message(FORUM.id, listed.message_id)
    assert "Лавров" in redrawn.text and "нефть" not in redrawn.text


async def test_unsub_by_number_in_a_topic_counts_the_topics_list(desk: Desk) -> None:
    politics, economy = _forum(desk)
    await desk.in_topic(FORUM, ADMIN, "/sub нефть", economy)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)

    await desk.in_topic(FORUM, ADMIN, "/unsub 1", politics)

    (left,) = await desk.repo.subscriptions.for_chat(FORUM.id)
    assert (left.query, left.thread_id) == ("нефть", economy)


async def test_a_topics_subscription_alerts_into_that_topic_only(desk: Desk) -> None:
    politics, economy = _forum(desk)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)
    await desk.in_topic(FORUM, ADMIN, "/sub нефть", economy)

    assert await desk.publish("Лавров прибыл в Анкару") == 1
    async with desk.delivering():
        *_, alert = await desk.stub.wait_topic_messages(FORUM.id, politics, 2)

    assert "Анкару" in alert.text
    assert len(desk.stub.topic_messages(FORUM.id, economy)) == 1  # the /sub reply only
    assert desk.stub.topic_messages(FORUM.id, None) == []


async def test_one_item_firing_in_two_topics_alerts_each_topic_once(desk: Desk) -> None:
    politics, economy = _forum(desk)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", economy)

    assert await desk.publish("Лавров прибыл в Анкару") == 2
    async with desk.delivering():
        await desk.stub.wait_topic_messages(FORUM.id, politics, 2)
        await desk.stub.wait_topic_messages(FORUM.id, economy, 2)

    assert desk.stub.topic_messages(FORUM.id, None) == []


async def test_a_later_report_of_a_story_joins_each_topics_alert_instead_of_pushing(
    desk: Desk,
) -> None:
    politics, economy = _forum(desk)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", economy)

    first = await desk.ingest("Лавров прибыл в Анкару", story="1:a")
    later = await desk.ingest("Лавров прилетел в Анкару", story="1:a")

    assert (first.deliveries, later.deliveries, later.joined) == (2, 0, 2)


async def test_a_deleted_topics_alerts_go_to_general_with_one_note(desk: Desk) -> None:
    politics, _ = _forum(desk)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)
    desk.stub.delete_topic(FORUM.id, politics)
    desk.expect_refusal("message thread not found")

    await desk.publish("Лавров прибыл в Анкару")
    await desk.publish("Лавров покинул Анкару")
    async with desk.delivering():
        general = await desk.stub.wait_topic_messages(FORUM.id, None, 3)

    note, *alerts = general
    assert "Политика" in note.text and "удалена" in note.text
    assert ["Анкару" in a.text for a in alerts] == [True, True]
    assert len(general) == 3  # one note, not one per alert
    failed = await desk.repo.deliveries.counts_by_status()
    assert failed.get("failed", 0) == 0 and failed.get("pending", 0) == 0


async def test_a_closed_topic_falls_back_to_general_too(desk: Desk) -> None:
    _, economy = _forum(desk)
    await desk.in_topic(FORUM, ADMIN, "/sub нефть", economy)
    desk.stub.close_topic(FORUM.id, economy)
    desk.expect_refusal("TOPIC_CLOSED")

    await desk.publish("Цены на нефть выросли")
    async with desk.delivering():
        note, alert = await desk.stub.wait_topic_messages(FORUM.id, None, 2)

    assert "Экономика" in note.text and "нефть" in alert.text


async def test_writing_in_a_reopened_topic_sends_its_alerts_there_again(desk: Desk) -> None:
    politics, _ = _forum(desk)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)
    desk.stub.close_topic(FORUM.id, politics)
    desk.expect_refusal("TOPIC_CLOSED")
    await desk.publish("Лавров прибыл в Анкару")
    async with desk.delivering():
        await desk.stub.wait_topic_messages(FORUM.id, None, 2)

    desk.stub.reopen_topic(FORUM.id, politics)
    await desk.in_topic(FORUM, ADMIN, "/list", politics)
    await desk.publish("Лавров покинул Анкару")
    async with desk.delivering():
        *_, alert = await desk.stub.wait_topic_messages(FORUM.id, politics, 3)

    assert "покинул" in alert.text


async def test_a_topics_held_alerts_make_a_digest_of_their_own_sent_into_the_topic(
    desk: Desk,
) -> None:
    politics, economy = _forum(desk)
    await desk.in_topic(FORUM, ADMIN, "/sub Лавров", politics)
    await desk.in_topic(FORUM, ADMIN, "/sub нефть", economy)
    await desk.repo.chats.set_schedule(FORUM.id, DeliverySchedule.HOURLY, datetime.now(UTC))

    await desk.publish("Лавров прибыл в Анкару")
    await desk.publish("Цены на нефть выросли")
    async with desk.delivering():
        await desk.until(lambda: _count(desk.repo.digests.for_chat(FORUM.id), 2))
        await desk.repo.digests.release(FORUM.id, datetime.now(UTC))
        desk.notify()
        *_, politics_digest = await desk.stub.wait_topic_messages(FORUM.id, politics, 2)
        *_, economy_digest = await desk.stub.wait_topic_messages(FORUM.id, economy, 2)

    assert "Анкару" in politics_digest.text and "нефть" not in politics_digest.text
    assert "нефть" in economy_digest.text and "Анкару" not in economy_digest.text
    assert desk.stub.topic_messages(FORUM.id, None) == []


async def _count(rows: Awaitable[Sized], n: int) -> bool:
    return len(await rows) >= n
