"""The alert a delivery stands for, as of now: shared by the first send and every later edit.

Both must say the same thing about the same story (its sources, every subscription that fired),
and both must analyse a huge item in slices before composing, so the step lives here once.
"""

from __future__ import annotations

from bot.delivery.compose import Composed, Composer, KeyboardFactory
from bot.matching import Analyzer, item_text
from bot.matching.offload import SlicedAnalysis
from storage import Chat, Delivery, Item, Repository

__all__ = ["Drafting"]


class Drafting:
    def __init__(
        self,
        repo: Repository,
        analyzer: Analyzer,
        *,
        composer: Composer,
        keyboard: KeyboardFactory | None,
        analysis: SlicedAnalysis,
        default_timezone: str,
    ) -> None:
        self._repo = repo
        self._analyzer = analyzer
        self._compose = composer
        self._keyboard = keyboard
        self._analysis = analysis
        self._default_timezone = default_timezone

    async def draft(self, delivery: Delivery, item: Item, chat: Chat) -> Composed:
        """The message with every report that joined the alert so far (read now: one that
        joins later leaves `edits_wanted` above what the caller records as shown)."""
        # Highlighting analyses the whole item; a huge one is analysed in slices first (the
        # shared word cache then serves `compose`), so its alert never freezes other chats.
        await self._analysis.document(self._analyzer, item_text(item.title, item.text))
        sources = await self._repo.stories.sources(delivery.id) if delivery.edits_wanted else []
        return self._compose(
            delivery,
            item,
            chat,
            self._analyzer,
            default_timezone=self._default_timezone,
            keyboard=self._keyboard,
            sources=sources,
        )
