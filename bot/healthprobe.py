"""`python -m bot healthcheck`: the container's HEALTHCHECK, asking the running bot's /healthz.

Exit 0 when it answers 200, 1 otherwise (503, no answer, METRICS_LISTEN unset), with the
answer on stdout for `docker inspect`. It reads only METRICS_LISTEN from the environment, so it
needs no token and no database, and starts fast (no aiogram), every 30 seconds.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from bot.config import parse_listen

__all__ = ["healthz_url", "probe"]

# A server listening on every address is asked on the loopback one.
_ANY = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


def healthz_url(metrics_listen: str) -> str:
    host, port = parse_listen(metrics_listen)
    host = _ANY.get(host, host)
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/healthz"


def probe(metrics_listen: str | None, timeout: float = 8.0) -> int:
    if not metrics_listen or not metrics_listen.strip():
        print("METRICS_LISTEN is not set: the bot serves no /healthz")
        return 1
    try:
        url = healthz_url(metrics_listen)
    except ValueError as exc:
        print(f"METRICS_LISTEN: {exc}")
        return 1
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            print(response.read().decode("utf-8", "replace"))
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as exc:  # 503: the body names the failed checks
        print(exc.read().decode("utf-8", "replace"))
        return 1
    except OSError as exc:
        print(f"no answer from {url}: {exc}")
        return 1
