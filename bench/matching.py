"""Benchmark of the matching engine against a naive loop, on real Lenta.ru items.

    python bench/matching.py [--sizes 1000,10000,100000,1000000] [--feeds ../shared/feeds]

Each size runs in a fresh subprocess so its peak RSS is its own. Subscriptions are drawn from
the feeds' own vocabulary (dictionary forms of content words, Zipf-weighted by frequency rank),
mixing single words, AND pairs, phrases, OR, exclusions and prefixes. The naive baseline checks
every subscription against an item with CompiledQuery.match; it is sampled on a few items
where a full run would take too long, and its results are compared with the index's.
"match µs" is `SubscriptionIndex.match` (ids with positions and spans, for highlights and
/recent); "ids µs" is `match_ids`, what ingest runs (the same ids, checked on every item).
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from itertools import accumulate, pairwise
from pathlib import Path

from bot.matching import Analyzer, CompiledQuery, Document, SubscriptionIndex, parse_query
from bot.matching.text import TOKEN_RE

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FEEDS = ROOT / ".." / "shared" / "feeds"
ITEM_RE = re.compile(r"<item>(.*?)</item>", re.S)
FIELD_RE = r"<{0}>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*</{0}>"
TAG_RE = re.compile(r"<[^>]+>")


def load_items(feeds: Path, pattern: str = "lenta-*.xml") -> list[str]:
    items: list[str] = []
    for path in sorted(feeds.glob(pattern)):
        for body in ITEM_RE.findall(path.read_text("utf-8")):
            parts = []
            for field in ("title", "description"):
                m = re.search(FIELD_RE.format(field), body, re.S)
                if m:
                    parts.append(html.unescape(TAG_RE.sub(" ", m.group(1))).strip())
            items.append("\n\n".join(parts))
    return items


def vocabulary(items: list[str], analyzer: Analyzer) -> tuple[list[str], list[str]]:
    """Dictionary forms of the nouns and names of `items` by falling frequency, and the
    adjacent pairs of longer words (phrase subscriptions, as written in the text)."""
    words: Counter[str] = Counter()
    bigrams: list[str] = []
    for text in items:
        toks = TOKEN_RE.findall(text)
        for tok in toks:
            if len(tok) >= 4 and tok.isalpha():
                words[tok] += 1
        bigrams.extend(
            f"{a} {b}"
            for a, b in pairwise(toks)
            if len(a) >= 4 and len(b) >= 4 and a.isalpha() and b.isalpha()
        )
    vocab: list[str] = []
    seen: set[str] = set()
    for tok, _ in words.most_common():
        info = analyzer.query_word(tok)
        # People subscribe to topics: nouns and names, not «также» or «заявил».
        if info.kind not in ("word", "name") or not analyzer.is_noun(tok):
            continue
        lemma = info.lemma if info.known else tok.lower()
        form = lemma[:1].upper() + lemma[1:] if tok[:1].isupper() else lemma
        if form not in seen:
            seen.add(form)
            vocab.append(form)
    return vocab, bigrams


def make_queries(
    vocab: list[str], bigrams: list[str], count: int, popularity: str, seed: int = 1
) -> list[str]:
    rng = random.Random(seed)
    vocab = list(vocab)
    if popularity == "shuffled":
        # What users subscribe to is Zipf-popular, but popularity is not news frequency:
        # otherwise the commonest words of the day («года», «России») would be the top topics.
        rng.shuffle(vocab)
    cumulative = list(accumulate(1.0 / rank for rank in range(1, len(vocab) + 1)))

    def word() -> str:
        return rng.choices(vocab, cum_weights=cumulative)[0]

    out: list[str] = []
    for _ in range(count):
        r = rng.random()
        if r < 0.45:
            q = word()
        elif r < 0.65:
            q = f"{word()} {word()}"
        elif r < 0.75:
            q = f'"{rng.choice(bigrams)}"' if bigrams else f'"{word()} {word()}"'
        elif r < 0.85:
            q = f"{word()} OR {word()}"
        elif r < 0.93:
            q = f"{word()} -{word()}"
        else:
            w = rng.choice(vocab)
            q = w[: rng.randint(5, 7)].lower() + "*" if len(w) > 7 else w
        out.append(q)
    return out


def absent_vocabulary(vocab: list[str], docs: list[Document], analyzer: Analyzer) -> list[str]:
    """Words of `vocab` that no measured item holds in any form or as a 5-letter prefix."""
    keys = set().union(*(doc.postings for doc in docs))
    starts = {tok.norm[:5] for doc in docs for tok in doc.tokens}
    return [
        w
        for w in vocab
        if analyzer.query_word(w).keys.isdisjoint(keys) and w.lower()[:5] not in starts
    ]


def subscriptions(
    size: int, mix: str, analyzer: Analyzer, feeds: Path, docs: list[Document], popularity: str
) -> list[str]:
    vocab, bigrams = vocabulary(load_items(feeds), analyzer)
    if mix == "zipf":
        return make_queries(vocab, bigrams, size, popularity)
    # "selective": the first 1,000 subscriptions as in "zipf"; all the others are about
    # things the measured items never mention (words of the other day's feed that today's
    # items lack), so the number of hits stays fixed and only the index size grows.
    head = make_queries(vocab, bigrams, min(size, 1000), popularity)
    other, _ = vocabulary(load_items(feeds, "lenta-2021*"), analyzer)
    absent = absent_vocabulary(other, docs, analyzer)
    return head + make_queries(absent, [], size - len(head), popularity, seed=2)


def run_size(size: int, feeds: Path, popularity: str, mix: str) -> dict[str, float]:
    analyzer = Analyzer()
    items = load_items(feeds, "lenta-2022*")  # the measured items: one day of Lenta.ru
    raws = subscriptions(
        size, mix, analyzer, feeds, [analyzer.document(t) for t in items], popularity
    )
    t0 = time.process_time()
    memo: dict[str, CompiledQuery] = {}
    subs: list[CompiledQuery] = []
    for raw in raws:
        q = memo.get(raw)
        if q is None:
            q = memo[raw] = parse_query(raw, analyzer)
        subs.append(q)
    del raws, memo
    index = SubscriptionIndex()
    for key, q in enumerate(subs):
        index.add(key, q)
    build = time.process_time() - t0

    # Best of 5 rounds: the machine may be shared, and the minimum is the least disturbed.
    for text in items:  # warm the word cache, as a running bot would be
        analyzer.document(text)
    analyse = float("inf")
    docs: list[Document] = []
    for _ in range(5):
        t0 = time.process_time()
        docs = [analyzer.document(text) for text in items]
        analyse = min(analyse, (time.process_time() - t0) / len(items))
    indexed = float("inf")
    matches = 0
    for _ in range(5):
        t0 = time.process_time()
        matches = sum(len(index.match(doc)) for doc in docs)
        indexed = min(indexed, (time.process_time() - t0) / len(docs))
    # What ingest runs: the same subscriptions, without positions and spans.
    ids_only = float("inf")
    for _ in range(5):
        t0 = time.process_time()
        for doc in docs:
            index.match_ids(doc)
        ids_only = min(ids_only, (time.process_time() - t0) / len(docs))
    for doc in docs:
        if index.match_ids(doc) != set(index.match(doc)):
            raise SystemExit(f"match_ids and match disagree at size {size}")

    sample = docs[:: max(1, len(docs) * size // 4_000_000)][: max(3, 4_000_000 // size)]
    t0 = time.process_time()
    naive_results = []
    for doc in sample:
        naive_results.append({k for k, q in enumerate(subs) if q.match(doc) is not None})
    naive = (time.process_time() - t0) / len(sample)
    for doc, expected in zip(sample, naive_results, strict=True):
        if set(index.match(doc)) != expected:
            raise SystemExit(f"index and naive loop disagree at size {size}")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "size": size,
        "build_s": build,
        "analyse_us": analyse * 1e6,
        "match_us": indexed * 1e6,
        "ids_us": ids_only * 1e6,
        "items_per_s": 1 / (analyse + indexed),
        "matches_per_item": matches / len(docs),
        "naive_us": naive * 1e6,
        "naive_sample": len(sample),
        "speedup": naive / indexed,
        "rss_mb": rss_mb,
    }


def analysis_costs(feeds: Path) -> tuple[float, float]:
    """(µs per cached word lookup, µs per token of whole-document analysis), warm caches."""
    analyzer = Analyzer()
    items = load_items(feeds)
    for text in items:
        analyzer.document(text)
    words = [w for text in items for w in TOKEN_RE.findall(text)]
    t0 = time.process_time()
    for _ in range(5):
        for w in words:
            analyzer.word_keys(w)
    lookup = (time.process_time() - t0) / (5 * len(words))
    t0 = time.process_time()
    for text in items:
        analyzer.document(text)
    return lookup * 1e6, (time.process_time() - t0) / len(words) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--feeds", type=Path, default=DEFAULT_FEEDS)
    parser.add_argument(
        "--mix",
        default="zipf,selective",
        help="zipf: every subscription Zipf-drawn from the feeds' nouns (hits grow with the "
        "number of subscriptions); selective: 1,000 such, the rest about words today's items "
        "lack (hits stay fixed, only the index grows)",
    )
    parser.add_argument(
        "--popularity",
        choices=("shuffled", "frequency"),
        default="shuffled",
        help="Zipf rank order of subscription words: random (default) or by news frequency",
    )
    parser.add_argument("--single", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.single:
        print(json.dumps(run_size(args.single, args.feeds, args.popularity, args.mix)))
        return
    lookup, per_token = analysis_costs(args.feeds)
    print(
        f"feeds: {args.feeds.resolve()}; measured items: "
        f"{len(load_items(args.feeds, 'lenta-2022*'))}; popularity: {args.popularity}"
    )
    print(
        f"cached word lookup: {lookup:.3f} µs; whole document analysis: {per_token:.2f} µs "
        "per token (tokenise, normalise, keys, postings)"
    )
    print("times are CPU time of one process (time.process_time)")
    for mix in args.mix.split(","):
        print(f"\nmix: {mix}")
        print(
            f"{'subs':>9} {'build s':>8} {'items/s':>8} {'analyse µs':>10} {'match µs':>9} "
            f"{'ids µs':>7} {'hits/item':>9} {'naive µs':>10} {'sample':>6} {'speed-up':>9} "
            f"{'RSS MB':>7}"
        )
        rows = []
        for size in [int(s) for s in args.sizes.split(",")]:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--single",
                    str(size),
                    "--feeds",
                    str(args.feeds),
                    "--popularity",
                    args.popularity,
                    "--mix",
                    mix,
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(
                f"{row['size']:>9} {row['build_s']:>8.1f} {row['items_per_s']:>8.0f} "
                f"{row['analyse_us']:>10.0f} {row['match_us']:>9.0f} {row['ids_us']:>7.0f} "
                f"{row['matches_per_item']:>9.1f} {row['naive_us']:>10.0f} "
                f"{row['naive_sample']:>6} {row['speedup']:>8.0f}x {row['rss_mb']:>7.0f}",
                flush=True,
            )
        if len(rows) > 1:
            first, last = rows[0], rows[-1]
            per_item = (1 / last["items_per_s"]) / (1 / first["items_per_s"])
            match_ratio = last["match_us"] / first["match_us"]
            print(
                f"per-item cost, {last['size']} vs {first['size']} subscriptions: "
                f"{per_item:.2f}x (match step alone: {match_ratio:.2f}x)"
            )


if __name__ == "__main__":
    main()
