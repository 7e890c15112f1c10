"""Packaging: what `pip install .` builds must be complete and must build without warnings."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_license_is_an_spdx_string_so_setuptools_does_not_warn() -> None:
    # A TOML table here makes every install print a SetuptoolsDeprecationWarning.
    assert isinstance(PROJECT["project"]["license"], str)
    assert "setuptools>=77" in PROJECT["build-system"]["requires"]


def test_every_text_catalog_file_ships_in_the_package() -> None:
    patterns = PROJECT["tool"]["setuptools"]["package-data"]["bot"]
    shipped = {p for pattern in patterns for p in (ROOT / "bot").glob(pattern)}
    catalogs = set((ROOT / "bot" / "locales").rglob("*.ftl"))
    assert catalogs and catalogs <= shipped
