"""Document frequencies over the recent stream, kept incrementally as items enter and expire.

Rarity is what separates «Зиничев», «Демянский» from «заявил», «глава»; the stream itself
says which is which, and the window keeps that view current (a name frequent today is common
today). Each item is counted once per key; expiry is a deque pop, so upkeep is O(keys) per item
however long the window is.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from datetime import datetime, timedelta

# A cold window (a fresh start, a short file) counts as at least this many items, the rest
# holding none of the keys: otherwise a word seen in both of two items has IDF 0 and nothing
# could ever group. The floor fades as soon as the window holds more items; a constant prior
# instead keeps everyday words too heavy (dev F1 0.59 with 20 prior items).
# A story that opens the stream fills the young window with its own words («землетрясение» in
# 4 of 5 items) and then scatters: the later reports share only words the window calls common.
# Floor at threshold 0.275, F1 dev / synthetic / manysources alone, then in a crowd of real
# news (bench/stories.py --quality), hard negatives merged alone + crowd:
#   20: 0.77 / 0.87 / 0.89, 0.72 / 0.86 / 0.98; 0+0, 0+2, 0+1
#   30: 0.77 / 0.87 / 0.91, 0.72 / 0.86 / 0.93; same
#   40: 0.77 / 0.87 / 0.96, 0.72 / 0.86 / 0.98; same
#   45: 0.77 / 0.88 / 0.96, 0.72 / 0.86 / 0.98; same (kept: the middle of the plateau)
#   50: 0.77 / 0.88 / 0.96, 0.72 / 0.86 / 0.98; same
#   80: 0.77 / 0.87 / 0.96, 0.72 / 0.87 / 0.98; 0+0, 1+2, 1+1
#  120: dev 0.74, a hard negative merged (the dev window is one hour, 192 items)
# bigstories alone 0.45 -> 0.49 from 20 to 45. The Lenta.ru days and the crowds do not move: a
# full window is past the floor. (Until the same-outlet bar and the reaction discount, the dev
# set paired unrelated items above 20.)
MIN_DOCUMENTS = 45
# A report joining a story counts REPRINT_SHARE of an item for the plain words (not names,
# numbers or Latin words) its story already holds. Rarity should say how many *happenings* use
# a word: a story told by twenty outlets in a small window made its own words («задержан»,
# «склад», «разгерметизация») read as common, and its later reports fell apart (bigstories
# alone, recall 0.33). Names keep counting whole: a sequel shares the happening's names but
# not its predicate («отстранил задержанного заместителя» beside «задержан»), and names made
# rare would bring it in. F1 alone / crowd, hard negatives merged alone + crowd (bigstories,
# manysources; dev, synthetic and the Lenta.ru days unchanged unless named):
#   1.0 (none):  0.49 / 0.97, 0+1;  0.96 / 1.00, 0+0
#   0.7:         0.59 / 0.97, 0+1;  0.96 / 0.98, 0+1
#   0.6 (kept):  0.68 / 0.97, 0+1;  0.98 / 0.98, 0+1
#   0.5:         0.68 / 0.97, 0+1;  0.98 / 0.98, 0+1; Lenta P 0.75 -> 0.60
#   0.25:        0.75 / 0.97, 0+1;  0.98 / 0.98, 0+1; synthetic crowd 2 -> 3
# With a thinner crowd (100 / 199 of the 398 unrelated items): bigstories 0.90 (0) / 0.91 (1)
# -> 0.92 (1) / 0.94 (1), manysources 0.96 / 0.98 -> 1.00 / 1.00. The manysources crowd's one
# is a forecast of the final joining the semi-final. Names discounted too (every key): at 0.5
# bigstories alone 0.79, but synthetic 1+3 and manysources 2+3 hard negatives.
REPRINT_SHARE = 0.6
_WHOLE = 10
_REPRINT = round(REPRINT_SHARE * _WHOLE)


class WindowStats:
    """Key -> how many items in the window hold it (a story's later reports counting
    REPRINT_SHARE for the words their story already had: see `discount`)."""

    def __init__(self, window: timedelta) -> None:
        self._window = window
        # (publication, keys, keys discounted as a reprint's); counts are kept in tenths of an
        # item so a discounted key stays an exact integer.
        self._items: deque[tuple[datetime, tuple[str, ...], tuple[str, ...]]] = deque()
        self._df: dict[str, int] = {}

    @property
    def size(self) -> int:
        return len(self._items)

    def add(self, published: datetime, keys: Iterable[str]) -> None:
        held = tuple(keys)
        self._items.append((published, held, ()))
        df = self._df
        for key in held:
            df[key] = df.get(key, 0) + _WHOLE

    def discount(self, keys: Iterable[str]) -> None:
        """Count the last added item's `keys` as a reprint's (REPRINT_SHARE of an item)."""
        published, held, _ = self._items[-1]
        own = set(held)
        cut = tuple(key for key in set(keys) if key in own)
        df = self._df
        for key in cut:
            df[key] -= _WHOLE - _REPRINT
        self._items[-1] = (published, held, cut)

    def expire(self, now: datetime) -> None:
        """Forget items published before `now - window` (items arrive in publication order,
        so the oldest is always on the left)."""
        horizon = now - self._window
        items, df = self._items, self._df
        while items and items[0][0] < horizon:
            _, held, cut = items.popleft()
            for key in cut:
                df[key] += _WHOLE - _REPRINT
            for key in held:
                left = df[key] - _WHOLE
                if left:
                    df[key] = left
                else:
                    del df[key]

    def idf(self, key: str) -> float:
        documents = max(len(self._items), MIN_DOCUMENTS)
        return math.log((documents + 1) / (self._df.get(key, 0) / _WHOLE + 1))
