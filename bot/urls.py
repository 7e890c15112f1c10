"""What counts as a web address here: an absolute http(s) URL with a host.

Feeds are fetched, links are shown and /addfeed is accepted only for such URLs; every check
of that shape asks this module, so a link the parser keeps is one an alert can show.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["DEFAULT_PORTS", "HTTP_SCHEMES", "is_http_url", "typed_http_url"]

HTTP_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_http_url(url: str) -> bool:
    """Whether `url` parses as an absolute http or https URL that names a host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(host)


def typed_http_url(text: str) -> str | None:
    """The URL a person typed (FEEDS, /addfeed), or None unless it is one such URL alone."""
    url = text.strip()
    if not url or len(url.split()) != 1 or not is_http_url(url):
        return None
    return url
