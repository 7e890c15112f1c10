"""States are enums passed as SQL parameters: a typo is a NameError, not a silent no-op."""

from __future__ import annotations

import re
from pathlib import Path

from storage.models import AlertMode, ChatKind, DeliveryStatus, Language

STORAGE = Path(__file__).parents[2] / "storage"
STATES = {s.value for enum in (DeliveryStatus, AlertMode, ChatKind, Language) for s in enum}


def test_no_state_is_spelled_as_a_literal_inside_sql() -> None:
    found = []
    for path in STORAGE.glob("*.py"):
        for literal in re.findall(r"'([a-z]+)'", path.read_text(encoding="utf-8")):
            if literal in STATES:
                found.append(f"{path.name}: '{literal}'")
    assert found == []
