"""`python -m bot` refuses webhook and listening settings it cannot use: one line, exit 2."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.botapi import TEST_TOKEN
from tests.support.offline import OFFLINE_PYTHONPATH


def run_bot(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": OFFLINE_PYTHONPATH,
        "HOME": str(tmp_path),
        "BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": "http://127.0.0.1:9",  # nothing there: it must not get that far
        "DATABASE_URL": f"sqlite:///{tmp_path / 'alerts.sqlite3'}",
        "FEEDS": "",
        **settings,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    """Exit code 2, no traceback, and the reason as the last line (after start-up logging)."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"WEBHOOK_URL": "https://bot.example.com/hook"},
            "configuration error: WEBHOOK_SECRET is not set",
        ),
        (
            {"WEBHOOK_URL": "http://bot.example.com/hook", "WEBHOOK_SECRET": "abc"},
            "configuration error: WEBHOOK_URL: 'http://bot.example.com/hook': Telegram sends",
        ),
        ({"METRICS_LISTEN": "9100"}, "configuration error: METRICS_LISTEN: '9100' is not"),
        ({"LOG_FORMAT": "yaml"}, "configuration error: LOG_FORMAT"),
    ],
)
def test_settings_the_bot_cannot_use_are_last_line(
    tmp_path: Path, settings: dict[str, str], expected: str
) -> None:
    assert last_line(run_bot(tmp_path, **settings)).startswith(expected)


def test_an_address_already_in_use_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = last_line(run_bot(tmp_path, METRICS_LISTEN=f"127.0.0.1:{port}"))
    assert line.startswith(f"listen error: cannot listen on 127.0.0.1:{port}: ")
