"""Tests never reach past this machine, name lookups included.

Every server a test talks to listens on 127.0.0.1, but items carry links to made-up hosts
(`https://q.example/1`), and the bot reads article pages for feeds that give little text: each
such page was a DNS query to whatever resolver the machine has, answered at its pace (on the
CI machines mostly at once, every so often after its 5 s timeout: 180 queries in the burst
scenario). So a scenario's pace, and how long the bot took to exit after it (until the lookup in
flight ended: 1.4-5.3 s after the burst), depended on a server outside the test. Here a
lookup of anything but an address or a local name fails at once, as it would for a host that
does not exist, and the name is written down where a test can read it.

The guard replaces `socket.getaddrinfo`, which asyncio, aiohttp, asyncpg and urllib all resolve
through. It is installed in the test run's own process (tests/conftest.py) and, through
`sitecustomize` on PYTHONPATH (tests/support/offline_site), in every bot a test starts.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.paths import ROOT

# The environment variable naming the file each refused name is appended to (one per line).
REFUSED_LOG = "NEWSBOT_TEST_REFUSED_LOOKUPS"
# Names (comma-separated) whose lookup hangs for HANG_SECONDS before it is refused: a resolver
# that does not answer, as a test needs one.
HUNG_LOOKUPS = "NEWSBOT_TEST_HUNG_LOOKUPS"
HANG_SECONDS = 60.0
# PYTHONPATH for a process that must be offline too: the guard's sitecustomize, then the code.
OFFLINE_PYTHONPATH = f"{ROOT / 'tests' / 'support' / 'offline_site'}:{ROOT}"
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def install(log: str | None = None, hung: frozenset[str] = frozenset()) -> None:
    """Refuse lookups of names that are not local from now on in this process (idempotent);
    those of `hung` only after HANG_SECONDS."""
    real: Callable[..., Any] = socket.getaddrinfo
    if getattr(real, "offline_guard", False):
        return

    def getaddrinfo(
        host: bytes | str | None,
        port: bytes | str | int | None,
        family: int = 0,
        type: int = 0,
        proto: int = 0,
        flags: int = 0,
    ) -> Any:
        name = host.decode("idna") if isinstance(host, bytes) else host
        if name is None or is_local(name):
            return real(host, port, family, type, proto, flags)
        if log:
            with Path(log).open("a", encoding="utf-8") as f:
                f.write(name + "\n")
        if name in hung:
            time.sleep(HANG_SECONDS)
        raise socket.gaierror(socket.EAI_NONAME, f"tests are offline: {name} is not looked up")

    getaddrinfo.offline_guard = True  # type: ignore[attr-defined]
    socket.getaddrinfo = getaddrinfo


def is_local(host: str) -> bool:
    """An address (nothing to look up) or a name that never leaves the machine."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.rstrip(".").lower() in LOCAL_NAMES  # /etc/hosts, never a resolver
    return True


def refused(log: Path) -> list[str]:
    """The names refused so far in the process(es) writing to `log`."""
    try:
        return log.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return []
