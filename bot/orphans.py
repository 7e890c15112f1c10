"""Pool workers that end with the bot, however the bot ends.

A clean stop shuts the parser and extractor pools down. A bot killed outright (SIGKILL, the
OOM killer, a container runtime giving up on a slow stop) runs no code at all, and its workers
did not notice: they are children of the fork server, not of the bot, and wait on a queue
nobody will write to again. Seen: after `kill -9`, both workers, the fork server and the
resource tracker stayed up for good, each holding the parser's preloaded memory, and every
restart left another set. So each worker starts with a watchdog thread that checks every
CHECK_SECONDS that the bot is still there and exits the worker when it is not; once the
workers are gone the fork server and the resource tracker see their pipes close and exit too.

"Still there" is read from /proc where there is one: a killed process whose parent has not
reaped it yet is a zombie (signal 0 still reaches it), and its pid may later be given to another
program, so the check also compares the process start time it saw first.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

CHECK_SECONDS = 1.0


def watch_owner(owner: int) -> None:
    """A pool initializer: start the watchdog for the process `owner` (the bot's pid)."""
    started = _start_time(owner)
    thread = threading.Thread(
        target=_watch, args=(owner, started), name="owner-watchdog", daemon=True
    )
    thread.start()


def _watch(owner: int, started: str | None) -> None:
    while True:
        time.sleep(CHECK_SECONDS)
        if not alive(owner, started):
            # Not sys.exit: this is a helper thread, and the worker's main thread is blocked
            # reading a queue; nothing in a worker needs flushing.
            os._exit(0)


def alive(pid: int, started: str | None) -> bool:
    """Whether `pid` is still the process that was started at `started` and not a zombie."""
    stat = _stat(pid)
    if stat is None:
        if Path("/proc/self/stat").exists():
            return False  # /proc works here and has no such process
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    state, start = stat
    return state not in ("Z", "X") and (started is None or start == started)


def _start_time(pid: int) -> str | None:
    stat = _stat(pid)
    return stat[1] if stat else None


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) from /proc/<pid>/stat, or None where it cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may itself hold spaces or ')'.
    fields = raw[raw.rfind(")") + 2 :].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]  # fields 3 (state) and 22 (start time) of proc(5)
