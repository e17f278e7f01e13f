"""Slugs for ids, topic and tag names: ASCII, lowercase, safe as file names."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

MAX_SLUG_CHARS = 80
# Names Windows refuses as file names, whatever the extension.
RESERVED = frozenset({"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)})
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@functools.lru_cache(maxsize=1 << 17)
def slugify(text: str, limit: int = MAX_SLUG_CHARS) -> str:
    """'Fast & Accurate: Über-Scaling!' -> 'fast-accurate-uber-scaling'. Memoised: every
    paper's title is slugged again for its id after each edit in serve."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2 :] else cut
        slug = slug.strip("-")
    if slug in RESERVED:
        slug += "-1"
    return slug


def short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def is_safe_slug(slug: str) -> bool:
    """True if a slug can be used as a file name inside the output folder."""
    return bool(SLUG_RE.match(slug)) and len(slug) <= MAX_SLUG_CHARS + 8 and slug not in RESERVED
