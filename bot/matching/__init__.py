"""Matching engine: a query language that understands Russian word forms, indexed for scale."""

from bot.matching.analyzer import Analyzer, Document, Token, WordInfo
from bot.matching.index import SubscriptionIndex
from bot.matching.parse import parse_query
from bot.matching.query import (
    MAX_LENGTH,
    MAX_TERMS,
    MIN_PREFIX,
    CompiledQuery,
    MatchResult,
    QueryError,
    TermDescription,
)
from bot.matching.text import item_text, text_offset

__all__ = [
    "MAX_LENGTH",
    "MAX_TERMS",
    "MIN_PREFIX",
    "Analyzer",
    "CompiledQuery",
    "Document",
    "MatchResult",
    "QueryError",
    "SubscriptionIndex",
    "TermDescription",
    "Token",
    "WordInfo",
    "item_text",
    "parse_query",
    "text_offset",
]
