"""A bot killed outright (kill -9, the OOM killer) leaves no parser or extractor worker
processes behind: each worker watches the bot and exits when it is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.orphans import alive
from tests.support.offline import OFFLINE_PYTHONPATH

ROOT = Path(__file__).resolve().parents[2]

# Starts both pools' workers, prints their pids, then idles until killed.
BOT = textwrap.dedent(
    """
    import asyncio

    from bot.feeds import ParsePool
    from bot.fulltext.pool import ExtractPool


    async def main() -> None:
        parse, extract = ParsePool(2), ExtractPool(1, max_chars=1000)
        await parse._start()
        await extract._start()
        pids = [*parse._executor._processes, *extract._executor._processes]
        print(" ".join(map(str, pids)), flush=True)
        await asyncio.sleep(600)


    if __name__ == "__main__":
        asyncio.run(main())
    """
)


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    """The pids still running (not even as zombies) after waiting up to `seconds`."""
    deadline = time.monotonic() + seconds
    left = pids
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [pid for pid in left if alive(pid, None)]
    return left


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_workers_exit_when_the_bot_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "bot_like.py"
    script.write_text(BOT, encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, str(script)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": OFFLINE_PYTHONPATH},
    ) as bot:
        try:
            assert bot.stdout is not None
            workers = [int(pid) for pid in bot.stdout.readline().split()]
            assert len(workers) == 3
            assert all(alive(pid, None) for pid in workers)
            bot.send_signal(signal.SIGKILL)
            # Not reaped yet: to its workers the bot is a zombie now, which counts as gone.
            time.sleep(0.2)
            assert _gone_within(workers, 10.0) == []
        finally:
            bot.kill()


def test_a_running_process_is_alive_and_a_reaped_one_is_not() -> None:
    assert alive(os.getpid(), None)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not alive(child.pid, None)


def test_a_killed_process_not_yet_reaped_is_not_alive() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        child.send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 5
        while alive(child.pid, None) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(child.pid, None)
        assert child.poll() is not None  # and now reaped, after the check saw the zombie
    finally:
        child.kill()
        child.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_pid_given_to_another_program_is_not_the_bot() -> None:
    from bot.orphans import _start_time

    started = _start_time(os.getpid())
    assert started is not None
    assert alive(os.getpid(), started)
    assert not alive(os.getpid(), str(int(started) + 1))
