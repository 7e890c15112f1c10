"""Benchmark of the matching engine against a naive loop, on real Lenta.ru items.

    python bench/matching.py [--sizes 1000,10000,100000,1000000] [--feeds ../shared/feeds]

Each size runs in a fresh subprocess so its peak RSS is its own. Subscriptions are drawn from
the feeds' own vocabulary (dictionary forms of content words, Zipf-weighted by frequency rank),
mixing single words, AND pairs, phrases, OR, exclusions and prefixes. The naive baseline checks
every subscription against an item with CompiledQuery.match; it is sampled on a few items
where a full run would take too long, and its results are compared with the index's.
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
from pathlib import Path

from bot.matching import Analyzer, CompiledQuery, SubscriptionIndex, parse_query
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


def make_queries(
    items: list[str], analyzer: Analyzer, count: int, popularity: str, seed: int = 1
) -> list[str]:
    rng = random.Random(seed)
    words: Counter[str] = Counter()
    bigrams: list[str] = []
    for text in items:
        toks = TOKEN_RE.findall(text)
        for tok in toks:
            if len(tok) >= 4 and tok.isalpha():
                words[tok] += 1
        bigrams.extend(
            f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)
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
    if popularity == "shuffled":
        # What users subscribe to is Zipf-popular, but popularity is not news frequency:
        # otherwise the commonest words of the day («года», «России») would be the top topics.
        rng.shuffle(vocab)
    weights = [1.0 / rank for rank in range(1, len(vocab) + 1)]

    def word() -> str:
        return rng.choices(vocab, weights)[0]

    out: list[str] = []
    for _ in range(count):
        r = rng.random()
        if r < 0.45:
            q = word()
        elif r < 0.65:
            q = f"{word()} {word()}"
        elif r < 0.75:
            q = f'"{rng.choice(bigrams)}"'
        elif r < 0.85:
            q = f"{word()} OR {word()}"
        elif r < 0.93:
            q = f"{word()} -{word()}"
        else:
            w = rng.choice(vocab)
            q = w[: rng.randint(4, 7)].lower() + "*" if len(w) > 6 else w
        out.append(q)
    return out


def run_size(size: int, feeds: Path, popularity: str) -> dict[str, float]:
    analyzer = Analyzer()
    items = load_items(feeds)
    raws = make_queries(items, analyzer, size, popularity)
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

    for text in items:  # warm the word cache, as a running bot would be
        analyzer.document(text)
    t0 = time.process_time()
    docs = [analyzer.document(text) for text in items]
    analyse = (time.process_time() - t0) / len(items)
    t0 = time.process_time()
    matches = 0
    rounds = 3
    for _ in range(rounds):
        for doc in docs:
            matches += len(index.match(doc))
    indexed = (time.process_time() - t0) / (len(docs) * rounds)

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
        "items_per_s": 1 / (analyse + indexed),
        "matches_per_item": matches / (len(docs) * rounds),
        "naive_us": naive * 1e6,
        "naive_sample": len(sample),
        "speedup": naive / indexed,
        "rss_mb": rss_mb,
    }


def word_cache_cost(feeds: Path) -> float:
    """Microseconds per repeated word lookup (the analysis cache hit path)."""
    analyzer = Analyzer()
    items = load_items(feeds)
    for text in items:
        analyzer.document(text)
    n_tokens = sum(len(TOKEN_RE.findall(t)) for t in items)
    t0 = time.process_time()
    for text in items:
        analyzer.document(text)
    return (time.process_time() - t0) / n_tokens * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--feeds", type=Path, default=DEFAULT_FEEDS)
    parser.add_argument(
        "--popularity", choices=("shuffled", "frequency"), default="shuffled",
        help="Zipf rank order of subscription words: random (default) or by news frequency",
    )
    parser.add_argument("--single", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.single:
        print(json.dumps(run_size(args.single, args.feeds, args.popularity)))
        return
    print(f"feeds: {args.feeds.resolve()}, items: {len(load_items(args.feeds))}, "
          f"popularity: {args.popularity}")
    print(f"warm document analysis: {word_cache_cost(args.feeds):.2f} µs per token "
          "(tokenise + normalise + cached word keys + postings)")
    header = (f"{'subs':>9} {'build s':>8} {'items/s':>8} {'analyse µs':>10} {'match µs':>9} "
              f"{'hits/item':>9} {'naive µs':>10} {'sample':>6} {'speed-up':>9} {'RSS MB':>7}")
    print(header)
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        out = subprocess.run(
            [sys.executable, __file__, "--single", str(size), "--feeds", str(args.feeds),
             "--popularity", args.popularity],
            check=True, capture_output=True, text=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{row['size']:>9} {row['build_s']:>8.1f} {row['items_per_s']:>8.0f} "
              f"{row['analyse_us']:>10.0f} {row['match_us']:>9.0f} "
              f"{row['matches_per_item']:>9.1f} {row['naive_us']:>10.0f} "
              f"{row['naive_sample']:>6} {row['speedup']:>8.0f}x {row['rss_mb']:>7.0f}",
              flush=True)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        per_item = (1 / last["items_per_s"]) / (1 / first["items_per_s"])
        print(f"per-item cost {last['size']} vs {first['size']} subscriptions: {per_item:.2f}x "
              f"(match step alone: {last['match_us'] / first['match_us']:.2f}x)")


if __name__ == "__main__":
    main()
