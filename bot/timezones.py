"""Time zones as people name them: a typed name or offset in, a city with its offset out.

A chat's zone is stored as a name `zoneinfo` knows, because every reader (alerts, /recent)
builds a `ZoneInfo` from it. A whole-hour offset typed as «UTC+5» becomes `Etc/GMT-5` (POSIX
signs are inverted in those names); an offset with minutes has no such zone, so the user is
asked for a city's zone instead. Offsets are computed for a given moment: Europe/London is
UTC+0 in winter and UTC+1 in summer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.i18n import Texts

__all__ = [
    "DEFAULT_ZONE",
    "ZONE_KEYS",
    "city_names",
    "find_zone",
    "load_zone",
    "offset_label",
    "parse_zone",
    "zone_key",
    "zone_label",
]

# A new chat's zone unless the operator sets DEFAULT_TIMEZONE: most readers are in Moscow time.
DEFAULT_ZONE = "Europe/Moscow"

# Shown by /settings as buttons; a city name for each is in the settings catalog (zone-…).
ZONE_KEYS = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Europe/Minsk",
    "Europe/Kyiv",
    "Asia/Almaty",
    "Europe/Berlin",
    "Europe/London",
    "UTC",
)
_OFFSET = re.compile(
    r"^(?:utc|gmt)?\s*(?P<sign>[+\-\u2212])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?$"
)
_UTC_NAMES = frozenset({"utc", "gmt", "z", "utc+0", "utc-0", "gmt+0", "gmt-0", "+0", "-0"})
_ETC = re.compile(r"^Etc/GMT(?P<sign>[+-])(?P<hours>\d{1,2})$")


def find_zone(name: str) -> ZoneInfo | None:
    """The zone `zoneinfo` loads for `name`, or None when it knows no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def load_zone(*names: str) -> ZoneInfo:
    """The first of `names` that `zoneinfo` can load (a chat's, then a default), else UTC.

    A stored name can stop loading (a zone database without it, a hand-edited row): times are
    then shown in the next zone given rather than not at all.
    """
    for name in names:
        zone = find_zone(name)
        if zone is not None:
            return zone
    return ZoneInfo("UTC")


@functools.cache
def _known() -> dict[str, str]:
    """Every zone name `zoneinfo` can load, by its case-folded spelling."""
    names = {name for name in available_timezones() if "/" in name or name == "UTC"}
    names -= {"Factory"}
    return {name.casefold(): name for name in names}


@functools.cache
def _by_city() -> dict[str, str]:
    """The last part of each zone name («Almaty», «Buenos_Aires») and the zone it names.

    A city under two names is an old alias and its current one (America/Buenos_Aires,
    America/Argentina/Buenos_Aires): the longer, current name is taken.
    """
    found: dict[str, str] = {}
    for name in sorted(_known().values(), key=lambda n: (len(n), n)):
        if name.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")):
            continue
        found[name.rsplit("/", 1)[-1].replace("_", " ").casefold()] = name
    return found


def parse_zone(text: str, cities: Iterable[tuple[str, str]] = ()) -> str | None:
    """The zone name for what a user typed, or None when it names no zone.

    Accepts an IANA name in any case («asia/almaty»), a city from that database («Almaty»,
    «buenos aires»), one of `cities` (pairs of a localized city name and its zone, as the
    settings buttons show them: «Москва»), and a whole-hour offset («UTC+5», «+3», «GMT-4»).
    """
    typed = " ".join(text.split())
    if not typed:
        return None
    folded = typed.casefold()
    if folded in _UTC_NAMES:
        return "UTC"
    found = _known().get(folded.replace(" ", "_"))
    if found is not None:
        return found
    for city, zone in cities:
        if city.casefold() == folded:
            return zone
    found = _by_city().get(folded.replace("_", " "))
    if found is not None:
        return found
    match = _OFFSET.match(folded.replace(" ", ""))
    if match is None or (match["minutes"] or "00") != "00":
        return None
    hours = int(match["hours"])
    if hours == 0:
        return "UTC"
    east = match["sign"] == "+"
    if hours > (14 if east else 12):
        return None
    return f"Etc/GMT{'-' if east else '+'}{hours}"  # POSIX: Etc/GMT-5 is UTC+5


def zone_key(zone: str) -> str:
    """The catalog key of a zone's city name: `zone.Europe_Moscow`."""
    return "zone." + zone.replace("/", "_").replace("-", "_")


def offset_label(zone: str, now: datetime) -> str:
    """«UTC+3», «UTC+5:30», «UTC−4», «UTC+0»: the zone's offset at `now`."""
    offset = now.astimezone(load_zone(zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def is_offset_zone(zone: str) -> bool:
    """A zone that is only an offset (`Etc/GMT-5`, `UTC`): its label is the offset alone."""
    return zone == "UTC" or _ETC.match(zone) is not None


def zone_label(zone: str, now: datetime, tr: Texts) -> str:
    """«Москва (UTC+3)»; a zone without a city name in the catalog shows its own name."""
    offset = offset_label(zone, now)
    if is_offset_zone(zone):
        return offset
    key = zone_key(zone)
    city = tr.plain(key) if tr.has(key) else zone
    return f"{city} ({offset})"


def city_names(tr: Texts) -> list[tuple[str, str]]:
    """(city, zone) for the zones the catalog names, for `parse_zone` to read «Москва»."""
    return [(tr.plain(zone_key(z)), z) for z in ZONE_KEYS if tr.has(zone_key(z))]
