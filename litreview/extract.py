"""Pull structured facts out of abstracts: links (and, later, TL;DRs and claims)."""

from __future__ import annotations

import re

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
    seen: dict[str, None] = {}
    for match in URL_RE.finditer(text):
        url = clean_url(match.group(0))
        if "://" in url and len(url.split("://", 1)[1]) > 0:
            seen.setdefault(url, None)
    return list(seen)


def enrich(papers) -> None:  # placeholder until the extraction issue lands
    pass
