"""A faster inline pass for Python-Markdown, with byte-identical output.

Python-Markdown tries every inline pattern (14 of them) on every text
node, one Python call each, even when the text cannot match: a review of
10,000 papers spends most of its conversion there. Every built-in pattern
needs a literal character to match (a link needs "[", emphasis "*" or
"_", an entity "&"...), so this pass skips a pattern while its trigger is
absent from the text. Patterns it does not know (from other extensions)
are always tried. tests/test_mdfast.py checks the output against the stock
converter, on the real reviews and on generated Markdown.

Python-Markdown 3.x's InlineProcessor runs its loop in a private method;
this subclass replaces that one method and is installed only when the
installed version is the one it was checked against (see install()).
"""

from __future__ import annotations

import markdown
from markdown import treeprocessors, util

# Pattern name -> strings of which at least one must occur in the text for the
# pattern's regular expression to match (each regex starts with or requires it).
TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "not_strong": ("*", "_"),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
    "strong_em": ("*", "_"),
}

ALL_TRIGGERS = frozenset(t for triggers in TRIGGERS.values() for t in triggers)
CHECKED_VERSIONS = ("3.11",)


class SkippingInlineProcessor(treeprocessors.InlineProcessor):
    """InlineProcessor that does not call a pattern that cannot match."""

    def run(self, tree, ancestors=None):  # type: ignore[override]
        patterns = list(self.inlinePatterns)
        names = [p.name for p in self.inlinePatterns._priority]  # same order as iteration
        self._litreview_plan = [
            (pattern, frozenset(TRIGGERS[name]) if name in TRIGGERS else None) for pattern, name in zip(patterns, names)
        ]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802 (overrides the mangled name)
        if isinstance(data, util.AtomicString):
            return data
        plan = self._litreview_plan
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        present = {t for t in ALL_TRIGGERS if t in data}
        start = 0
        count = len(plan)
        while patternIndex < count:
            pattern, triggers = plan[patternIndex]
            if triggers is not None and present.isdisjoint(triggers):
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if matched:
                present = {t for t in ALL_TRIGGERS if t in data}
            else:
                patternIndex += 1
        return data


def install(md: markdown.Markdown) -> bool:
    """Swap md's inline pass for the skipping one; False (unchanged) on an unchecked version."""
    if not markdown.__version__.startswith(CHECKED_VERSIONS):
        return False
    current = md.treeprocessors["inline"]
    if type(current) is not treeprocessors.InlineProcessor:
        return False
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(SkippingInlineProcessor(md), "inline", priority)
    return True
