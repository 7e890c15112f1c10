"""`python -m bot` refuses bad configuration or an unusable database in one line."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.storage.processes import another_process_holding, read_only
from tests.support.botapi import TEST_TOKEN
from tests.support.offline import OFFLINE_PYTHONPATH
from tests.support.paths import ROOT


def _run(env_extra: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    env.update(env_extra)
    env["PYTHONPATH"] = OFFLINE_PYTHONPATH
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        (
            {"BOT_TOKEN": TEST_TOKEN, "FEEDS": "ftp://x"},
            "FEEDS",
        ),
    ],
)
def test_bad_configuration_is_one_line_and_exit_code_2(
    env: dict[str, str], expected: str, tmp_path: Path
) -> None:
    result = _run(env, tmp_path)

    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()


def test_help_starts_with_the_setup_step() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0
    assert "cp .env.example .env" in result.stdout
    assert "BOT_TOKEN" in result.stdout


# -- the database: one line, the file left alone -----------------------------------------------

NOWHERE = "http://127.0.0.1:9"  # were the bot to get as far as Telegram, it would find nothing


def _with_database(path: Path) -> dict[str, str]:
    return {
        "BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": NOWHERE,
        "DATABASE_URL": f"sqlite:///{path}",
    }


def _one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def _zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def _not_a_database(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 a zip archive, say\n" * 200)


def _folder(path: Path) -> None:
    path.mkdir()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_zero_bytes, "is an empty (0-byte) file, not a database"),
        (_not_a_database, "is not a SQLite database"),
        (_folder, "is not a regular file"),
    ],
)
def test_an_unusable_database_file_is_one_line_and_exit_code_2(
    make: Callable[[Path], None], expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "data" / "alerts.sqlite3"
    path.parent.mkdir()
    make(path)
    before = sorted(p.name for p in path.parent.iterdir())

    line = _one_line(_run(_with_database(path), tmp_path), 2)

    assert line.startswith("database error: ")
    assert expected in line
    assert str(path) in line
    assert sorted(p.name for p in path.parent.iterdir()) == [*before, "alerts.sqlite3.lock"]


def test_a_read_only_data_folder_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()

    with read_only(folder):
        result = _run(_with_database(folder / "alerts.sqlite3"), tmp_path)

    line = _one_line(result, 2)
    assert line.startswith("database error: the data folder")
    assert "not writable" in line
    assert list(folder.iterdir()) == []


async def test_a_database_in_use_by_another_process_is_one_line_and_exit_code_3(
    tmp_path: Path,
) -> None:
    path = tmp_path / "alerts.sqlite3"
    async with another_process_holding(f"sqlite:///{path}") as holder:
        result = await asyncio.to_thread(_run, _with_database(path), tmp_path)

    line = _one_line(result, 3)
    assert line == (
        f"database error: {path} is already in use by another bot process (pid {holder.pid}); "
        "run one process per database"
    )
