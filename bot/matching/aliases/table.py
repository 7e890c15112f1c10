"""The alias table as data: entities and all their names, read from reviewed TOML files.

The built-in table (`entities.toml` beside this module) is reviewed like code; an operator may
add a file of their own (``ALIASES_FILE``) whose entries are merged over it: an entry with the
name of a built-in one replaces it, others are added. A file that cannot be used is refused
whole, with the file, the entry and what is wrong, so a typo never silently drops an alias.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

BUILT_IN = Path(__file__).with_name("entities.toml")
KINDS = frozenset(
    {"country", "body", "bank", "ministry", "agency", "party", "company", "person", "project"}
)
_LIST_FIELDS = ("aliases", "en", "one_way")
_FIELDS = frozenset({"name", "kind", "source", *_LIST_FIELDS})


class AliasFileError(ValueError):
    """An alias file that cannot be used; str() says which file, which entry and why."""


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity. `aliases` and `en` are searched whenever any of its names is a query;
    `one_way` names make a query mean the entity but are not searched for its other names
    (an abbreviation with other common meanings: «СК» is also an insurance company)."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    en: tuple[str, ...]
    one_way: tuple[str, ...]
    source: str

    @property
    def searched(self) -> tuple[str, ...]:
        """Every name searched for the entity: canonical, Russian aliases, English ones."""
        return (self.name, *self.aliases, *self.en)


@dataclass(frozen=True, slots=True)
class AliasTable:
    entities: tuple[Entity, ...]

    def merged(self, other: AliasTable) -> AliasTable:
        """`other` over this table: an entity of the same name replaces this table's."""
        replaced = {e.name for e in other.entities}
        kept = tuple(e for e in self.entities if e.name not in replaced)
        return AliasTable(kept + other.entities)


def load_table(path: Path) -> AliasTable:
    """Read and check one file; raises AliasFileError."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise AliasFileError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise AliasFileError(f"{path}: not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise AliasFileError(f"{path}: not valid TOML ({exc})") from exc
    unknown = set(data) - {"entity"}
    if unknown:
        raise AliasFileError(f"{path}: unknown table(s) {sorted(unknown)}; use [[entity]]")
    raw = data.get("entity", [])
    if not isinstance(raw, list):
        raise AliasFileError(f"{path}: [[entity]] must be an array of tables")
    entities = tuple(_entity(path, n, item) for n, item in enumerate(raw, 1))
    _check_unique(path, entities)
    return AliasTable(entities)


def load_aliases(extra: Path | None = None) -> AliasTable:
    """The built-in table, with the operator's file merged over it when one is given."""
    table = load_table(BUILT_IN)
    return table.merged(load_table(extra)) if extra is not None else table


def _entity(path: Path, number: int, item: object) -> Entity:
    where = f"{path}: entity #{number}"
    if not isinstance(item, dict):
        raise AliasFileError(f"{where}: not a table")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AliasFileError(f"{where}: needs a name (a non-empty string)")
    where = f"{path}: entity #{number} «{name}»"
    unknown = set(item) - _FIELDS
    if unknown:
        raise AliasFileError(f"{where}: unknown field(s) {sorted(unknown)}")
    kind = item.get("kind")
    if kind not in KINDS:
        raise AliasFileError(f"{where}: kind must be one of {sorted(KINDS)}, not {kind!r}")
    source = item.get("source")
    if not isinstance(source, str) or not source.strip():
        raise AliasFileError(f"{where}: needs a source (where its names come from)")
    lists: dict[str, tuple[str, ...]] = {}
    for field in _LIST_FIELDS:
        value = item.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise AliasFileError(f"{where}: {field} must be a list of non-empty strings")
        lists[field] = tuple(v.strip() for v in value)
    if not lists["aliases"] and not lists["en"] and not lists["one_way"]:
        raise AliasFileError(f"{where}: has no other name (aliases, en or one_way)")
    return Entity(name.strip(), str(kind), lists["aliases"], lists["en"], lists["one_way"], source)


def _check_unique(path: Path, entities: tuple[Entity, ...]) -> None:
    """One file may not give two entities one name: a query must mean one entity."""
    owner: dict[str, str] = {}
    for entity in entities:
        for name in (*entity.searched, *entity.one_way):
            key = name.casefold().replace("ё", "е")
            if owner.get(key, entity.name) != entity.name:
                raise AliasFileError(
                    f"{path}: «{name}» names both «{owner[key]}» and «{entity.name}»"
                )
            owner[key] = entity.name
