"""A database is used by one process at a time, and an unusable file is refused, never replaced.

Each refusal is a `DatabaseOpenError` whose message is one line naming the file; the file is
left exactly as it was, for the operator to restore or remove.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import Database, DatabaseInUseError, DatabaseOpenError, Repository
from tests.conftest import NOW
from tests.storage.processes import another_process_holding, read_only

pytestmark = pytest.mark.sqlite_only  # PostgreSQL's twins: test_postgres.py


def _existing_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
    conn.close()


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


async def _refused(url: str, match: str) -> DatabaseOpenError:
    with pytest.raises(DatabaseOpenError, match=match) as caught:
        await Database.open(url)
    assert "\n" not in str(caught.value)
    return caught.value


# -- one process per database ---------------------------------------------------------------


async def test_a_second_process_on_the_same_file_is_refused_and_told_who_holds_it(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'alerts.sqlite3'}"
    async with another_process_holding(url) as holder:
        with pytest.raises(DatabaseInUseError, match=f"already in use .*pid {holder.pid}"):
            await Database.open(url)


async def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'alerts.sqlite3'}"
    async with another_process_holding(url) as holder:
        holder.kill()
        await holder.wait()

    repo = await Repository.open(url)
    try:
        await repo.chats.upsert(
            1, type="private", title=None, language="ru", timezone="UTC", now=NOW
        )
    finally:
        await repo.close()


async def test_closing_the_database_lets_another_process_open_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'alerts.sqlite3'}"
    db = await Database.open(url)
    await db.close()
    async with another_process_holding(url) as holder:
        assert holder.returncode is None


# -- files that are not a usable database ---------------------------------------------------


async def test_a_zero_byte_file_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "alerts.sqlite3"
    path.touch()

    await _refused(f"sqlite:///{path}", "empty \\(0-byte\\) file, not a database")

    assert path.stat().st_size == 0


async def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "alerts.sqlite3"
    path.write_bytes(b"these are not the pages you are looking for\n" * 100)

    await _refused(f"sqlite:///{path}", "is not a SQLite database")

    assert path.read_bytes().startswith(b"these are not")


async def test_a_database_with_damaged_pages_is_refused_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "alerts.sqlite3"
    db = await Database.open(f"sqlite:///{path}")
    for n in range(300):
        await db.execute(
            "INSERT INTO chats (id, type, title, created_at, updated_at) "
            "VALUES (?, 'group', ?, 0, 0)",
            (n, "название чата " * 20),
        )
    await db.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page : 6 * page] = b"\xa5" * (3 * page)  # three pages of the table overwritten
    path.write_bytes(bytes(data))

    await _refused(f"sqlite:///{path}", "corrupt|malformed")


async def test_a_folder_where_the_database_file_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "alerts.sqlite3").mkdir()

    await _refused(f"sqlite:///{tmp_path / 'alerts.sqlite3'}", "not a regular file")


async def test_a_read_only_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "alerts.sqlite3"
    _existing_database(path)
    with read_only(path):
        await _refused(f"sqlite:///{path}", "read-only")


@pytest.mark.parametrize("with_database", [False, True])
async def test_a_read_only_data_folder_is_refused(tmp_path: Path, with_database: bool) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    if with_database:
        db = await Database.open(f"sqlite:///{folder / 'alerts.sqlite3'}")
        await db.close()
    before = _names(folder)

    with read_only(folder):
        await _refused(f"sqlite:///{folder / 'alerts.sqlite3'}", "data folder .* not writable")

    assert _names(folder) == before


async def test_a_data_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("oops")

    await _refused(f"sqlite:///{tmp_path / 'data' / 'alerts.sqlite3'}", "data folder .* is a file")


# -- creating a new database ---------------------------------------------------------------


async def test_a_half_built_database_from_an_interrupted_first_start_is_rebuilt(
    tmp_path: Path,
) -> None:
    """The first start builds `<name>.new` and renames it: a kill before that leaves no
    0-byte or half-migrated file under the real name, and the next start starts over."""
    path = tmp_path / "alerts.sqlite3"
    (tmp_path / "alerts.sqlite3.new").write_bytes(b"")
    (tmp_path / "alerts.sqlite3.new-journal").write_bytes(b"half a transaction")

    db = await Database.open(f"sqlite:///{path}")
    await db.close()

    assert _names(tmp_path) == ["alerts.sqlite3", "alerts.sqlite3.lock"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM chats").fetchone()[0] == 0
    conn.close()


async def test_an_in_memory_database_needs_no_file_and_no_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = await Database.open("sqlite:///:memory:")
    await db.execute("INSERT INTO chats (id, type, created_at, updated_at) VALUES (1, 'x', 0, 0)")
    assert await db.fetchval("SELECT COUNT(*) FROM chats") == 1
    await db.close()
    assert _names(tmp_path) == []
