"""Repositories' `?` placeholders become PostgreSQL's numbered ones, and nothing else changes."""

from __future__ import annotations

from storage.dialect import numbered_placeholders


def test_placeholders_are_numbered_in_order_of_appearance() -> None:
    sql = "SELECT * FROM items WHERE feed_id = ? AND guid IN (?,?,?)"
    assert numbered_placeholders(sql) == (
        "SELECT * FROM items WHERE feed_id = $1 AND guid IN ($2,$3,$4)"
    )


def test_a_question_mark_inside_a_string_literal_is_left_alone() -> None:
    sql = "SELECT 'what?' , ? , 'it''s ?' FROM t WHERE a = ?"
    assert numbered_placeholders(sql) == "SELECT 'what?' , $1 , 'it''s ?' FROM t WHERE a = $2"


def test_a_question_mark_inside_a_quoted_identifier_or_comment_is_left_alone() -> None:
    sql = 'SELECT "odd?name" FROM t -- why?\nWHERE a = ? /* or ? */ AND b = ?'
    assert numbered_placeholders(sql) == (
        'SELECT "odd?name" FROM t -- why?\nWHERE a = $1 /* or ? */ AND b = $2'
    )


def test_a_statement_without_placeholders_is_unchanged() -> None:
    sql = "UPDATE feeds SET primed = 1"
    assert numbered_placeholders(sql) == sql
