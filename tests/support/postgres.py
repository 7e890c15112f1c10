"""A real PostgreSQL server for the tests: `initdb` and `pg_ctl` into a temporary folder.

The server binaries refuse to run as root, so when the tests run as root they run as the
`postgres` system user (`runuser`). The server listens on 127.0.0.1 on a free port only, with
trust authentication: it is a throwaway for this test run. Missing binaries fail the tests that
need them with a message saying what to install, never skip them silently.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SERVICE_USER = "postgres"
MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) are not on PATH: install the Debian "
    "`postgresql` package and put /usr/lib/postgresql/<version>/bin on PATH (.ci/run does)"
)


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
            return str(candidate)
        raise RuntimeError(MISSING)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_service_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", SERVICE_USER, "--", *argv]


def _run(argv: list[str]) -> None:
    done = subprocess.run(_as_service_user(argv), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({done.returncode}): {done.stderr or done.stdout}")


@contextmanager
def running_server() -> Iterator[PostgresServer]:
    """Start a fresh cluster, yield where it listens, stop it and delete it at the end."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    root = Path(tempfile.mkdtemp(prefix="pgtest-"))
    user = SERVICE_USER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() == 0:
        service = pwd.getpwnam(SERVICE_USER)
        os.chown(root, service.pw_uid, service.pw_gid)
    data = root / "data"
    port = _free_port()
    _run([initdb, "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8", "--no-sync"])
    options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
    _run([pg_ctl, "-D", str(data), "-l", str(root / "log"), "-o", options, "-w", "start"])
    try:
        yield PostgresServer("127.0.0.1", port, user)
    finally:
        _run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)


async def _admin(server: PostgresServer, statement: str) -> None:
    import asyncpg  # the tests' only direct use of the driver

    conn = await asyncpg.connect(server.url("postgres"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@contextmanager
def fresh_database(server: PostgresServer, name: str) -> Iterator[str]:
    """An empty database on `server` for one test; its URL; dropped afterwards."""
    import asyncio

    asyncio.run(_admin(server, f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8'))
    try:
        yield server.url(name)
    finally:
        asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def cut_leader_lock(url: str) -> int:
    """Terminate the connection holding the bot's lead (storage/cluster.py): what a network
    blip on that one connection, or a DBA's pg_terminate_backend, does. Returns how many
    connections were cut."""
    import asyncpg

    from storage.cluster import LEADER_KEY

    conn = await asyncpg.connect(url)
    try:
        cut = await conn.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
            "AND granted AND classid::bigint = $1 AND objid::bigint = $2",
            LEADER_KEY >> 32,
            LEADER_KEY & 0xFFFFFFFF,
        )
    finally:
        await conn.close()
    return len(cut)
