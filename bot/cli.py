"""Command line: `python -m bot` runs the bot; `python -m bot preview …` tries queries on a feed;
`python -m bot healthcheck` asks a running bot's /healthz (the container's health check).

Configuration errors and an unusable database (corrupt, unreadable, 0 bytes, read-only
folder, newer schema) are a one-line message and exit code 2 (a traceback helps nobody who
just forgot BOT_TOKEN); a database already used by another running bot is exit code 3, so a
supervisor can tell "fix something" from "one is already running"; a failed preview fetch is
exit code 1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from pydantic import ValidationError

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES
from bot.timezones import DEFAULT_ZONE

EXIT_CONFIG = 2
EXIT_IN_USE = 3
EXIT_LEAD_LOST = 4

SETUP = """\
first run:
  cp .env.example .env      then set BOT_TOKEN (from @BotFather) in .env
  python -m bot             runs the bot; every setting is described in .env.example

exit codes: 0 stopped by SIGINT/SIGTERM; 2 bad configuration, unusable database or a
listening address in use; 3 the SQLite file is in use by another bot process (one per file);
4 the leading process lost its PostgreSQL connection (start it again: it rejoins as a standby)
"""


def _config_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err.get("loc", ())) or "settings"
        if err.get("type") == "missing":
            parts.append(f"{name} is not set (put it in the environment or in .env)")
        else:
            msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
            # A check across settings has no one name: its message names them itself.
            parts.append(msg if name == "settings" else f"{name}: {msg}")
    return "configuration error: " + "; ".join(parts)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="News alert bot: keyword subscriptions over news feeds, sent to Telegram.",
        epilog=SETUP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the default)")
    preview = sub.add_parser(
        "preview", help="print the alerts a feed would produce for some queries (no token, no DB)"
    )
    preview.add_argument("--feed", required=True, help="feed URL or local file path")
    preview.add_argument(
        "-q", "--query", action="append", default=[], help="a subscription query (repeatable)"
    )
    preview.add_argument(
        "--queries",
        metavar="FILE",
        help="queries one a line (blank lines and # comments skipped); - reads stdin",
    )
    preview.add_argument("--json", action="store_true", help="one JSON object per line")
    preview.add_argument(
        "--full-text",
        action="store_true",
        help="read each item's article page first; show per item what it added",
    )
    preview.add_argument("--tz", default=DEFAULT_ZONE, help="time zone for alert times")
    preview.add_argument("--lang", default=DEFAULT_LANGUAGE, choices=LANGUAGES)
    stories = sub.add_parser(
        "stories",
        help="group a JSON-lines file of items into stories, one JSON line per story",
    )
    stories.add_argument(
        "--items",
        required=True,
        metavar="FILE",
        help="JSON lines: id, outlet, published, title, text, link",
    )
    stories.add_argument(
        "--window-hours", type=float, default=24.0, help="how far apart one story's items may be"
    )
    sub.add_parser(
        "healthcheck",
        help="exit 0 if the running bot's /healthz (on METRICS_LISTEN) answers 200, else 1",
    )
    return parser


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "preview":
        if not args.query and args.queries is None:
            parser.error("preview needs --query or --queries FILE")
        from bot.preview import run_preview

        return run_preview(
            feed=args.feed,
            queries=args.query,
            queries_file=args.queries,
            as_json=args.json,
            tz=args.tz,
            lang=args.lang,
            full_text=args.full_text,
        )
    if args.command == "healthcheck":
        from bot.healthprobe import probe

        return probe(os.environ.get("METRICS_LISTEN"))
    if args.command == "stories":
        from bot.stories.cli import run_stories

        return run_stories(args.items, window_hours=args.window_hours)
    from bot.config import Settings

    try:
        settings = Settings()  # type: ignore[call-arg]  # BOT_TOKEN comes from the environment
    except ValidationError as exc:
        print(_config_error(exc), file=sys.stderr)
        return EXIT_CONFIG
    from bot.logs import setup_logging

    setup_logging(settings.log_level, settings.log_format)
    from bot.connect import TelegramRefusedError
    from bot.roles import LeadershipLost
    from bot.runtime import run_bot
    from bot.webhook import ListenError
    from storage import DatabaseInUseError, DatabaseOpenError, SchemaTooNewError

    try:
        asyncio.run(run_bot(settings))
    except DatabaseInUseError as exc:
        print(f"database error: {exc}", file=sys.stderr)
        return EXIT_IN_USE
    except (DatabaseOpenError, SchemaTooNewError) as exc:
        print(f"database error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except TelegramRefusedError as exc:
        print(f"telegram error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except ListenError as exc:
        print(f"listen error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except LeadershipLost as exc:
        print(f"database error: {exc}; restart this process", file=sys.stderr)
        return EXIT_LEAD_LOST
    except KeyboardInterrupt:
        pass
    return 0
