"""Canonical form of an article link, the key for cross-feed and changed-guid dedup.

Two feeds (or one feed whose guids changed) often point at one story with URLs that differ
only in tracking parameters, letter case of the host, a default port or a fragment. The
canonical link removes exactly those differences and nothing that could name another page.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.urls import DEFAULT_PORTS

__all__ = ["TRACKING_PARAMS", "TRACKING_PREFIXES", "canonical_link"]

# Query parameters that only tell analytics where the click came from.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "yclid",
        "ysclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_openstat",
        "_ga",
        "_gl",
        "oly_enc_id",
        "oly_anon_id",
        "vero_id",
        "mkt_tok",
        "ref_src",
        "twclid",
        "ttclid",
        "li_fat_id",
        "s_cid",
    }
)
TRACKING_PREFIXES = ("utm_", "ga_", "hsa_", "pk_", "mtm_")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_link(url: str) -> str:
    """Return ``url`` with scheme/host lowercased, default port, fragment and tracking
    parameters removed, and the remaining query parameters sorted.

    Path and parameter values are kept byte for byte: they can be case-sensitive. A string
    that does not parse as a URL comes back stripped but otherwise unchanged (never raises).
    """
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return raw
    if not scheme or not host:
        return raw
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if parts.username is not None or parts.password is not None:
        # Rare in article links, but it does name a different resource; keep it as given.
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = parts.path or "/"
    params = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    params.sort()
    return urlunsplit((scheme, netloc, path, urlencode(params), ""))
