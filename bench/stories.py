"""Benchmark of story grouping against a naive all-pairs lemma-Jaccard grouper.

    python bench/stories.py [--items ../shared/stories/dev-items.jsonl] [--stream 10000]
                            [--window-sizes 1000,100000]
    python bench/stories.py --quality    # pairwise scores on every labelled set
    python bench/stories.py --pairs ru_honey_pool.tsv ru_exam_pool.tsv ...   # labelled pairs

--quality scores the grouper and the lemma-Jaccard floor of ../shared/stories/README.md (lemma
sets of title + lead without function words and words under 3 letters, single link, 24 h) on
each labelled set in tests/data/stories: the floor is 0.47 / 0.28 on dev at 0.15 / 0.25. Each set
is also grouped in a crowd of real unrelated news (see `in_crowd`) and scored on its own items:
the labelled sets are small, and a real 24-hour window holds far more news than they do.

--pairs scores the grouper's pair similarity (zero time gap) on pairs labelled same event / not,
in the format of the Telegram Data Clustering Contest's crowd-sourcing pools (tab-separated,
columns INPUT:first_title, INPUT:first_text, INPUT:second_title, INPUT:second_text and
GOLDEN:quality OK / BAD), such as toloka/clustering_pairs/ru_*_pool.tsv of the public
IlyaGusev/tgcontest repository (Apache-2.0; 210 distinct Russian pairs, 97 the same event, labelled
by the contest's own narrow rule: one happening, not a reaction or a follow-up). Not copied into
tests/data: the articles are whole third-party texts. Rarity is read over all the pairs' articles.
It prints the ranking quality (AUC: how often a same-event pair outscores a different-event one)
and the best accuracy any threshold reaches, beside lemma Jaccard, then how many pairs the
grouper's own decision gets right: THRESHOLD, and SAME_OUTLET_BAR for two articles of one site
(INPUT:first_url / INPUT:second_url).

The stream is synthetic, made of stories varied from the real dev items (see `synthetic`): a
story has its own wording and two made-up names (the vocabulary keeps growing as in a real
stream) and 1-8 reports from random outlets within an hour.
Each run is a fresh subprocess so its peak RSS is its own. The naive grouper (what one would
write first: compare each item with every item in the window) is timed on a sample of items,
with the full window state built, since running it on every item of a long stream takes too long.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.matching import Analyzer
from bot.matching.analyzer import FUNCTION_POS
from bot.stories import NewsItem, StoryGrouper
from bot.stories.cli import group, read_items
from bot.stories.grouper import SAME_OUTLET_BAR, THRESHOLD
from bot.stories.signature import signature
from bot.stories.similarity import closeness, weighted
from bot.stories.window import WindowStats

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ITEMS = ROOT / ".." / "shared" / "stories" / "dev-items.jsonl"
SYLLABLES = [
    "ка",
    "ло",
    "ми",
    "ре",
    "ту",
    "на",
    "ви",
    "со",
    "да",
    "бе",
    "ку",
    "ро",
    "жа",
    "ле",
    "зо",
]
START = datetime(2024, 3, 1, tzinfo=UTC)
WORD = re.compile(r"\w+")
LABELLED = ROOT / "tests" / "data" / "stories"
JACCARD_THRESHOLDS = (0.15, 0.2, 0.25)
STORY_SIZES = (1, 1, 1, 2, 2, 3, 4, 5, 8)  # outlets per story in the synthetic stream


def synthetic(base: list[NewsItem], count: int, span: timedelta, seed: int) -> list[NewsItem]:
    """A stream made of stories, as a real one is: each story is a variant of a real item (its
    own third of the words swapped, its own two made-up names) told by 1-8 outlets within an
    hour, each report re-worded a little. Story sizes stay the same however long the stream, as
    they do in the news; a stream of independent copies instead piles hundreds of near-copies of
    each of the 192 real items into a 100,000-item window (every story then has as many reports
    as the grouper compares, and a cost measured at 100k is that of a stream no newsroom
    produces)."""
    rng = random.Random(seed)
    outlets = sorted({it.outlet for it in base})
    words = sorted({w for it in base for w in (it.title + " " + it.text).split()})
    out: list[NewsItem] = []
    while len(out) < count:
        it = rng.choice(base)
        names = ["".join(rng.choices(SYLLABLES, k=4)).capitalize() for _ in range(2)]
        title = " ".join(_vary(w, words, rng, 0.3) for w in it.title.split())
        text = " ".join(_vary(w, words, rng, 0.3) for w in it.text.split())
        start = START + max(span - timedelta(hours=1), timedelta(0)) * rng.random()
        for _ in range(rng.choice(STORY_SIZES)):
            report = " ".join(_vary(w, words, rng, 0.1) for w in title.split())
            lead = " ".join(_vary(w, words, rng, 0.1) for w in text.split())
            out.append(
                replace(
                    it,
                    id=f"s{len(out)}",
                    outlet=rng.choice(outlets),
                    published=start + timedelta(minutes=60 * rng.random()),
                    title=f"{report} {names[0]}",
                    text=f"{' '.join(names)} {lead}",
                )
            )
    return sorted(out[:count], key=lambda item: item.published)


def _vary(word: str, words: list[str], rng: random.Random, share: float) -> str:
    """Keep most words, swap `share` of them for other words of the set."""
    return word if rng.random() > share else rng.choice(words)


def lemmas(analyzer: Analyzer, text: str) -> frozenset[str]:
    """The floor's lemma set: first dictionary reading of each word of 3+ letters."""
    out = set()
    for word in WORD.findall(text.lower()):
        parse = analyzer.readings(word)[0]
        if len(word) >= 3 and parse.tag.POS not in FUNCTION_POS:
            out.add(parse.normal_form.replace("ё", "е"))
    return frozenset(out)


class NaiveJaccard:
    """Single-link lemma-set Jaccard over every item in the window (the README's floor)."""

    def __init__(self, analyzer: Analyzer, window: timedelta, threshold: float = 0.15) -> None:
        self.analyzer, self.window, self.threshold = analyzer, window, threshold
        self.items: list[tuple[datetime, frozenset[str], str]] = []

    def add(self, item: NewsItem, compare: bool = True) -> str:
        keys = lemmas(self.analyzer, item.title + " " + item.text)
        horizon = item.published - self.window
        while self.items and self.items[0][0] < horizon:
            self.items.pop(0)
        best, story = self.threshold, item.id
        if compare:
            for _, other, other_story in self.items:
                union = len(keys | other)
                if union and len(keys & other) / union >= best:
                    best, story = len(keys & other) / union, other_story
        self.items.append((item.published, keys, story))
        return story


def run_one(args: argparse.Namespace) -> dict[str, float]:
    analyzer = Analyzer()
    with open(args.items, encoding="utf-8") as f:
        base = read_items(f)
    window = timedelta(hours=24)
    stream = synthetic(base, args.count, window * args.span, seed=1)
    for it in stream[:2000]:  # warm the analyser's caches: we time grouping, not pymorphy
        signature(analyzer, it.title, it.text)
    result: dict[str, float] = {}
    if args.mode == "grouper":
        grouper = StoryGrouper(analyzer, 24)
        marks = {int(x) for x in args.marks.split(",") if x}
        t0 = time.perf_counter()
        last = t0
        for n, it in enumerate(stream, 1):
            grouper.add(it)
            if n in marks or n - 100 in marks:
                now = time.perf_counter()
                if n - 100 in marks:
                    result[f"us_per_item_at_{n - 100}"] = (now - last) / 100 * 1e6
                last = now
        result["items_per_s"] = len(stream) / (time.perf_counter() - t0)
        result["stories"] = len(grouper.stories)
    else:
        naive = NaiveJaccard(analyzer, window)
        sample = max(1, len(stream) // 200)
        spent, timed = 0.0, 0
        for n, it in enumerate(stream):
            if n % sample == 0:
                t0 = time.perf_counter()
                naive.add(it)
                spent += time.perf_counter() - t0
                timed += 1
            else:
                naive.add(it, compare=False)
        result["items_per_s"] = timed / spent
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def quality() -> None:
    """Pairwise P / R / F1 and hard negatives merged, grouper vs the Jaccard floor, per set."""
    sys.path.insert(0, str(ROOT))
    from tests.stories.scoring import Score, score

    def line(name: str, what: str, s: Score) -> str:
        return (f"  {name:<12} {what:<16} P {s.precision:.2f} R {s.recall:.2f} F1 {s.f1:.2f}"
                f"  hard negatives {s.hard_negatives_merged}/{s.hard_negatives}")  # fmt: skip

    analyzer = Analyzer()

    def crowd(name: str, items: list[NewsItem]) -> None:
        mine = {it.id for it in items}
        crowded = group(items + in_crowd(items), StoryGrouper(analyzer, 24))
        picked = [[i for i in story if i in mine] for story in crowded]
        print(line(name, "grouper, crowd", score([s for s in picked if s], name)))

    for gold in sorted(LABELLED.glob("*-gold.jsonl")):
        name = gold.name.removesuffix("-gold.jsonl")
        with open(LABELLED / f"{name}-items.jsonl", encoding="utf-8") as f:
            items = sorted(read_items(f), key=lambda it: (it.published, it.id))
        print(line(name, "grouper", score(group(items, StoryGrouper(analyzer, 24)), name)))
        if name != "lenta":  # the Lenta.ru days are the crowd: they are not put in it twice
            crowd(name, items)
        for threshold in JACCARD_THRESHOLDS:
            naive = NaiveJaccard(analyzer, timedelta(hours=24), threshold)
            stories: dict[str, list[str]] = {}
            for it in items:
                stories.setdefault(naive.add(it), []).append(it.id)
            print(line(name, f"Jaccard {threshold:.2f}", score(list(stories.values()), name)))


Article = tuple[str, str]  # title, text


def labelled_pairs(paths: list[Path]) -> list[tuple[Article, Article, bool, bool]]:
    """(title, text) of each side, whether they are one event and whether both are on one
    site (read as one outlet); a pair listed in two pools counts once."""
    import csv
    from urllib.parse import urlsplit

    csv.field_size_limit(sys.maxsize)
    pairs, seen = [], set()
    for path in paths:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                first = (row["INPUT:first_title"], row["INPUT:first_text"])
                second = (row["INPUT:second_title"], row["INPUT:second_text"])
                label = row.get("GOLDEN:quality")
                if label not in ("OK", "BAD") or (first, second) in seen:
                    continue
                seen.add((first, second))
                hosts = {
                    urlsplit(row.get(f"INPUT:{side}_url", "")).hostname
                    for side in ("first", "second")
                }
                pairs.append((first, second, label == "OK", len(hosts) == 1 and None not in hosts))
    return pairs


def pair_quality(paths: list[Path]) -> None:
    """AUC and accuracy of the grouper's similarity and of lemma Jaccard on labelled pairs."""
    analyzer = Analyzer()
    pairs = labelled_pairs(paths)
    if not pairs:
        sys.exit("no labelled pairs (GOLDEN:quality OK / BAD) in the given files")
    articles = {side for first, second, *_ in pairs for side in (first, second)}
    sigs = {a: signature(analyzer, *a) for a in articles}
    stats = WindowStats(timedelta(days=1))
    for a in articles:
        stats.add(START, sigs[a].keys)

    def ours(a: Article, b: Article) -> float:
        rarities: dict[tuple[str, ...], float] = {}
        return closeness(sigs[a], weighted(sigs[a], stats.idf, rarities), sigs[b],
                         weighted(sigs[b], stats.idf, rarities))  # fmt: skip

    lemma_sets = {a: lemmas(analyzer, a[0] + " " + a[1][:400]) for a in articles}

    def jaccard(a: Article, b: Article) -> float:
        x, y = lemma_sets[a], lemma_sets[b]
        return len(x & y) / len(x | y) if x | y else 0.0

    same = sum(1 for _, _, ok, _ in pairs if ok)
    one_site = sum(1 for *_, site in pairs if site)
    print(f"{len(pairs)} labelled pairs ({same} one event, {one_site} from one site), "
          f"rarity over {len(articles)} articles")  # fmt: skip
    closeness_of = [ours(a, b) for a, b, *_ in pairs]  # the grouper's, reused for its decision
    jaccard_of = [jaccard(a, b) for a, b, *_ in pairs]
    for name, values in (("grouper", closeness_of), ("lemma Jaccard", jaccard_of)):
        scored = [(x, ok) for x, (_, _, ok, _) in zip(values, pairs, strict=True)]
        pos = [x for x, ok in scored if ok]
        neg = [x for x, ok in scored if not ok]
        auc = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))

        def accuracy(bar: float, scored: list[tuple[float, bool]] = scored) -> float:
            return sum((x >= bar) == ok for x, ok in scored) / len(scored)

        best = max(sorted({x for x, _ in scored}), key=accuracy)
        print(f"  {name:<14} AUC {auc:.3f}, best accuracy {accuracy(best):.3f} at {best:.3f}")
    # The grouper's own decision for a pair at no time gap: THRESHOLD, and SAME_OUTLET_BAR for
    # two articles of one site.
    decided = [
        (x >= THRESHOLD and (not site or x >= SAME_OUTLET_BAR), ok)
        for x, (_, _, ok, site) in zip(closeness_of, pairs, strict=True)
    ]
    hits = sum(1 for joined, ok in decided if joined and ok)
    joined = sum(1 for j, _ in decided if j)
    right = sum(1 for j, ok in decided if j == ok)
    print(f"  grouper's decision: {right} of {len(pairs)} right ({right / len(pairs):.3f}), "
          f"precision {hits / max(joined, 1):.2f}, recall {hits / same:.2f}")  # fmt: skip


def in_crowd(items: list[NewsItem]) -> list[NewsItem]:
    """Real unrelated news (the two Lenta.ru snapshots of tests/data/feeds, 398 items) spread
    at random over the labelled set's own time span: the set's stories then sit in a window as
    full as a real one, where rarity is read over more news than the set itself."""
    from bot.feeds import parse_feed

    first, last = items[0].published, items[-1].published
    span = max((last - first).total_seconds(), 3600.0)
    rng = random.Random(7)
    out = []
    for path in sorted((ROOT / "tests" / "data" / "feeds").glob("lenta-20??-??-??.xml")):
        parsed = parse_feed(path.read_bytes(), url=str(path), content_type="application/rss+xml",
                            fetched_at=first)  # fmt: skip
        for n, entry in enumerate(parsed.items):
            when = first + timedelta(seconds=rng.uniform(0, span))
            out.append(NewsItem(f"crowd-{path.stem}-{n}", "Lenta.ru", when, entry.title,
                                entry.text, entry.link or ""))  # fmt: skip
    return out


def child(mode: str, count: int, span: float, marks: str, items: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", mode, "--count", str(count), "--span",
           str(span), "--marks", marks, "--items", str(items)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return dict(json.loads(done.stdout))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=Path, default=DEFAULT_ITEMS)
    parser.add_argument("--stream", type=int, default=10_000)
    parser.add_argument("--window-sizes", default="1000,100000")
    parser.add_argument("--child", dest="mode")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--span", type=float, default=1.0)
    parser.add_argument("--marks", default="")
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--pairs", type=Path, nargs="+")
    args = parser.parse_args()
    if args.pairs:
        pair_quality(args.pairs)
        return
    if args.quality:
        quality()
        return
    if args.mode:
        print(json.dumps(run_one(args)))
        return
    print(f"stream of {args.stream} items over a 24-hour window")
    ours = child("grouper", args.stream, 1.0, "", args.items)
    naive = child("naive", args.stream, 1.0, "", args.items)
    print(f"  grouper: {ours['items_per_s']:.0f} items/s, peak RSS {ours['peak_rss_mb']:.0f} MB")
    print(f"  naive all-pairs Jaccard: {naive['items_per_s']:.0f} items/s "
          f"(peak RSS {naive['peak_rss_mb']:.0f} MB)")  # fmt: skip
    print(f"  ratio: {ours['items_per_s'] / naive['items_per_s']:.1f}x")
    sizes = [int(x) for x in args.window_sizes.split(",")]
    largest = max(sizes)
    # All items inside one window: the window holds n items when item n arrives.
    flat = child("grouper", largest + 100, 0.99, ",".join(map(str, sizes)), args.items)
    costs = {n: flat[f"us_per_item_at_{n}"] for n in sizes}
    for n in sizes:
        print(f"  cost per item with {n} items in the window: {costs[n]:.0f} us")
    print(f"  ratio {max(sizes)} / {min(sizes)}: {costs[largest] / costs[min(sizes)]:.2f} "
          f"(flat is ~1); peak RSS {flat['peak_rss_mb']:.0f} MB, "
          f"{flat['stories']:.0f} live stories")  # fmt: skip


if __name__ == "__main__":
    main()
