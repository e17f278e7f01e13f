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
from markdown import inlinepatterns, treeprocessors, util

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

    # The name InlineProcessor's own calls resolve to (Python mangles __handleInline).
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
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


class FastBrackets:
    """Link text and a plain link target found with str.find, not a character loop.

    LinkInlineProcessor walks "[text](target)" one character at a time to
    balance nested brackets, parentheses and quoted titles. When the text up to
    the first "]" holds no "[", and the target up to the first ")" holds no
    "(" or quote, that walk ends at exactly those characters, so they are
    found at C speed; anything else takes the original walk.
    """

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        close = data.find("]", index)
        if close != -1 and data.find("[", index, close) == -1:
            return data[index:close], close + 1, True
        return super().getText(data, index)  # type: ignore[misc]

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        m = self.RE_LINK.match(data, pos=index)  # type: ignore[attr-defined]
        if m and not m.group(1):
            start = m.end()
            close = data.find(")", start)
            target = data[start:close]
            if close != -1 and "(" not in target and "'" not in target and '"' not in target:
                return self.unescape(target).strip(), None, close + 1, True  # type: ignore[attr-defined]
        return super().getLink(data, index)  # type: ignore[misc]


# The link and image patterns that inherit LinkInlineProcessor's walks.
_BRACKET_CLASSES = (
    inlinepatterns.LinkInlineProcessor,
    inlinepatterns.ImageInlineProcessor,
    inlinepatterns.ReferenceInlineProcessor,
    inlinepatterns.ShortReferenceInlineProcessor,
    inlinepatterns.ImageReferenceInlineProcessor,
    inlinepatterns.ShortImageReferenceInlineProcessor,
)
_FAST_CLASSES = {cls: type(f"Fast{cls.__name__}", (FastBrackets, cls), {}) for cls in _BRACKET_CLASSES}


def install(md: markdown.Markdown) -> bool:
    """Swap in the skipping inline pass and the faster link patterns; False
    (md unchanged) on a Python-Markdown version they were not checked against."""
    if not markdown.__version__.startswith(CHECKED_VERSIONS):
        return False
    current = md.treeprocessors["inline"]
    if type(current) is not treeprocessors.InlineProcessor:
        return False
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(SkippingInlineProcessor(md), "inline", priority)
    for pattern in md.inlinePatterns:
        fast = _FAST_CLASSES.get(type(pattern))
        if fast is not None:
            pattern.__class__ = fast  # same state, faster methods
    return True
