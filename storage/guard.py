"""What is checked before SQLite touches a file: one process per database, no silent fresh start.

SQLite opens nearly anything without complaint: two processes share one file (and both then
poll Telegram, each missing the other's subscription changes), a 0-byte file is an empty
database, a missing file is created. The database is the bot's whole memory of who wants
what, so each of these is refused with a one-line message instead.

All of this is SQLite's: on PostgreSQL (storage/postgres.py) no file lock is taken, because
several processes on one server are that engine's purpose (their coordination comes later).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseOpenError(RuntimeError):
    """The database cannot be used as it is; the message is one line for the operator."""


class DatabaseInUseError(DatabaseOpenError):
    """Another running process holds this database."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class ProcessLock:
    """An exclusive POSIX record lock (`lockf`) on `<database>.lock`, held while it is open.

    The kernel owns the lock on behalf of the process and drops it when the process ends,
    however it ends (SIGKILL and power loss included), so a stale lock never blocks a
    restart. Unlike `flock`, a record lock is not inherited by forked children, so a worker
    pool outliving a killed bot cannot keep the database locked either. The file itself stays
    (with the holder's pid, for the message): deleting it would let two processes lock two
    different files of the same name.
    """

    def __init__(self, fd: int, path: Path) -> None:
        self._fd = fd
        self.path = path

    @classmethod
    def acquire(cls, db_path: Path) -> ProcessLock:
        path = lock_path(db_path)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise DatabaseOpenError(f"cannot open the lock file {path}: {_reason(exc)}") from None
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _holder(fd)
            os.close(fd)
            if exc.errno in (errno.EACCES, errno.EAGAIN):
                raise DatabaseInUseError(
                    f"{db_path} is already in use by another bot process{holder}; "
                    "run one process per database"
                ) from None
            raise DatabaseOpenError(f"cannot lock {path}: {_reason(exc)}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        return cls(fd, path)

    def release(self) -> None:
        """Closing the descriptor drops the lock; safe to call twice."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        pid = int(os.pread(fd, 32, 0).decode("ascii").strip())
        return f" (pid {pid})"
    return ""


def prepare_folder(db_path: Path) -> None:
    """Create the data folder, and make sure SQLite can create its -wal/-shm files there."""
    folder = db_path.parent
    if folder.exists() and not folder.is_dir():
        raise DatabaseOpenError(f"the data folder {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError(
            f"cannot create the data folder {folder}: {_reason(exc)}"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseOpenError(
            f"the data folder {folder} is not writable "
            "(SQLite creates its -wal and -shm files next to the database)"
        )


def check_existing(db_path: Path) -> bool:
    """True when a database file is there and looks usable; False when there is none yet.

    A 0-byte file is refused: SQLite would take it for an empty database and the bot would
    start from nothing, silently. We never leave one ourselves, since a new database is built
    under another name and renamed into place only once it is complete.
    """
    try:
        info = db_path.stat()
    except FileNotFoundError:
        if db_path.is_symlink():
            raise DatabaseOpenError(f"{db_path} is a broken symbolic link") from None
        return False
    except OSError as exc:
        raise DatabaseOpenError(f"cannot read {db_path}: {_reason(exc)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise DatabaseOpenError(f"{db_path} is not a regular file")
    if info.st_size == 0:
        raise DatabaseOpenError(
            f"{db_path} is an empty (0-byte) file, not a database; restore it from a backup, "
            "or delete it to start with an empty database"
        )
    if not os.access(db_path, os.R_OK):
        raise DatabaseOpenError(f"{db_path} is not readable by this user")
    if not os.access(db_path, os.W_OK):
        raise DatabaseOpenError(f"{db_path} is read-only for this user")
    try:
        with db_path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseOpenError(f"cannot read {db_path}: {_reason(exc)}") from None
    if header != SQLITE_HEADER:
        raise DatabaseOpenError(f"{db_path} is not a SQLite database")
    return True


def remove_leftovers(base: Path) -> None:
    """Delete a half-built new database and its side files (only while holding the lock)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            base.with_name(base.name + suffix).unlink()
