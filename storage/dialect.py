"""The one place the SQL dialects of SQLite and PostgreSQL meet.

Repositories write SQLite-flavoured statements with `?` placeholders; PostgreSQL (asyncpg)
numbers its parameters (`$1`, `$2`, …). The translation is done here, once per statement,
and leaves a `?` inside a string literal, a quoted identifier or a comment alone, so a query
that searches for a literal question mark keeps its meaning.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1024)
def numbered_placeholders(sql: str) -> str:
    """`sql` with each bare `?` replaced by `$1`, `$2`, … in order of appearance."""
    out: list[str] = []
    number = 0
    i = 0
    n = len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"'):
            end = _quoted_end(sql, i, ch)
            out.append(sql[i:end])
            i = end
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end])
            i = end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(sql[i:end])
            i = end
        elif ch == "?":
            number += 1
            out.append(f"${number}")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _quoted_end(sql: str, start: int, quote: str) -> int:
    """Index just past the literal opened at `start`; a doubled quote is an escaped one."""
    i = start + 1
    while i < len(sql):
        if sql[i] == quote:
            if i + 1 < len(sql) and sql[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return len(sql)
