"""The alias table is reviewed data: the built-in file loads and says where every name comes
from; an operator's file is merged over it; a broken file is refused at start, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.cli import main
from bot.config import Settings
from bot.matching import Analyzer, parse_query
from bot.matching.aliases.expand import alias_index
from bot.matching.aliases.table import KINDS, AliasFileError, load_aliases, load_table
from tests.support.botapi import TEST_TOKEN

OPERATOR_FILE = """
[[entity]]
name = "Росбанк"
kind = "company"
aliases = ["ПАО Росбанк"]
en = ["Rosbank"]
source = "rosbank.ru"

[[entity]]
name = "Банк России"
kind = "bank"
aliases = ["ЦБ"]
source = "our desk's rule: «Центробанк» is too loose for us"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aliases.toml"
    path.write_text(text, "utf-8")
    return path


def _finds(analyzer: Analyzer, query: str, text: str) -> bool:
    return parse_query(query, analyzer).match(analyzer.document(text)) is not None


def test_the_built_in_table_covers_every_kind_and_says_where_each_name_comes_from() -> None:
    table = load_aliases()
    assert len(table.entities) >= 250
    assert {e.kind for e in table.entities} == KINDS
    for entity in table.entities:
        assert entity.source.strip(), entity.name
        assert entity.aliases or entity.en or entity.one_way, entity.name


def test_no_two_built_in_entities_share_a_name_in_any_form(analyzer: Analyzer) -> None:
    # «Банк России» and «Банка России» are one name to a query: the table may not give it
    # to two entities (the file check compares spellings; this compares dictionary forms).
    assert alias_index(analyzer).clashes == []


def test_an_operator_file_adds_entities_and_replaces_built_in_ones(tmp_path: Path) -> None:
    analyzer = Analyzer(aliases=load_aliases(_write(tmp_path, OPERATOR_FILE)))

    assert _finds(analyzer, "Росбанк", "Rosbank raised deposit rates.")
    assert _finds(analyzer, "ЦБ", "Банк России сохранил ставку.")
    assert not _finds(analyzer, "ЦБ", "Центробанк сохранил ставку.")  # replaced entry
    assert _finds(analyzer, "НАТО", "Североатлантический альянс")  # the rest is built in


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[[entity]\nname = ", "not valid TOML"),
        ('[[entity]]\nname = "X"\nkind = "city"\naliases = ["Y"]\nsource = "s"', "kind must"),
        ('[[entity]]\nname = "X"\nkind = "body"\naliases = ["Y"]', "needs a source"),
        ('[[entity]]\nname = "X"\nkind = "body"\nsource = "s"', "has no other name"),
        ('[[entity]]\nname = "X"\nkind = "body"\naliases = "Y"\nsource = "s"', "must be a list"),
        ('[[entity]]\nname = "X"\nkind = "body"\nalias = ["Y"]\nsource = "s"', "unknown field"),
        ('[[entities]]\nname = "X"', "unknown table"),
        (
            '[[entity]]\nname = "X"\nkind = "body"\naliases = ["Z"]\nsource = "s"\n'
            '[[entity]]\nname = "Y"\nkind = "body"\naliases = ["Z"]\nsource = "s"',
            "«Z» names both «X» and «Y»",
        ),
    ],
)
def test_a_broken_file_is_refused_whole_saying_what_is_wrong(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(AliasFileError, match=reason) as caught:
        load_table(path)
    assert str(path) in str(caught.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AliasFileError, match="cannot be read"):
        load_table(tmp_path / "missing.toml")


def test_the_setting_checks_the_file_so_a_broken_one_stops_the_bot_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _write(tmp_path, OPERATOR_FILE)
    settings = Settings(_env_file=None, BOT_TOKEN=TEST_TOKEN, ALIASES_FILE=str(good))  # type: ignore[call-arg]
    assert settings.aliases_file == good
    blank = Settings(_env_file=None, BOT_TOKEN=TEST_TOKEN, ALIASES_FILE="")  # type: ignore[call-arg]
    assert blank.aliases_file is None

    broken = tmp_path / "broken.toml"
    broken.write_text('[[entity]]\nname = "X"\nkind = "planet"', "utf-8")
    with pytest.raises(ValidationError, match="kind must be one of"):
        Settings(_env_file=None, BOT_TOKEN=TEST_TOKEN, ALIASES_FILE=str(broken))  # type: ignore[call-arg]

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TEST_TOKEN)
    monkeypatch.setenv("ALIASES_FILE", str(broken))
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("configuration error: ALIASES_FILE:") and "kind must" in err
