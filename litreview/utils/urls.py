"""URLs in text, and the one rule for "is this an http(s) link".

Seed text is data: a link is shown as a link only when it is an absolute
http(s) URL with a host, never javascript:, data: or a relative path."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING_PUNCT = ".,;:!?'\"*_"
CLOSERS = {")": "(", "]": "[", "}": "{"}


def clean_url(url: str) -> str:
    """Strip sentence punctuation and unbalanced closing brackets from a URL's end."""
    while url:
        last = url[-1]
        if last in TRAILING_PUNCT:
            url = url[:-1]
        elif last in CLOSERS and url.count(last) > url.count(CLOSERS[last]):
            url = url[:-1]
        else:
            break
    return url


def find_urls(text: str) -> list[str]:
    """Every http(s) URL in the text, cleaned, in order, without repeats."""
    if "://" not in text:  # most abstracts: a substring test is far cheaper than the pattern's scan
        return []
    seen: dict[str, None] = {}
    for match in URL_RE.finditer(text):
        url = clean_url(match.group(0))
        if "://" in url and len(url.split("://", 1)[1]) > 0:
            seen.setdefault(url, None)
    return list(seen)


def is_web_url(url: str | None) -> bool:
    """True only for absolute http(s) URLs with a host: never javascript:, data:, relative."""
    if not url or _CONTROL_RE.search(url) or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
