"""content/claims.yml: a review's own kinds of quantitative claim, and their cue words.

The built-in kinds (analyse/claims.py: speed, memory, energy, accuracy,
AUC, F1, correlation, effect sizes, p-values, sample sizes...) cover most
fields. A review adds its own, or overrides a built-in one, by listing cue
words or phrases per kind:

    kinds:
      binding affinity: [affinity, kd, binding energy]
      yield: [crop yield, yield]

A claim whose own phrase ("improves binding affinity by 3x") contains a cue
of a declared kind gets that kind; the first declared kind that matches
wins. Claims are extracted once per abstract and memoised; the kinds are
applied afterwards on every build, so editing claims.yml needs no cache
invalidation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from litreview.errors import ErrorCollector, InputError
from litreview.model import Paper
from litreview.read.frontmatter import LineDict, read_yaml_file, type_name
from litreview.read.schema import INVALID, Context, ListOf, Str

FILE = "claims.yml"

Kinds = list[tuple[str, re.Pattern[str]]]


def load_kinds(content_dir: Path, errors: ErrorCollector) -> Kinds:
    """The declared kinds, in file order, each with one pattern of its cues; [] without the file."""
    path = content_dir / FILE
    if not path.is_file():
        return []
    display = str(path)
    try:
        data = read_yaml_file(path, display)
    except InputError as exc:
        errors.add(exc)
        return []
    if data is None:
        return []
    if not isinstance(data, LineDict):
        errors.add(
            InputError(
                display,
                1,
                f"claims.yml must be a mapping, got {type_name(data)}",
                "write kinds: then one line per kind below it: name: [cue, cue]",
            )
        )
        return []
    for key in data:
        if key != "kinds":
            errors.add(InputError(display, data.line_of(key), f'unknown key "{key}"', "claims.yml has one key: kinds"))
    kinds_data = data.get("kinds")
    line = data.line_of("kinds")
    if kinds_data is None:
        return []
    if not isinstance(kinds_data, LineDict):
        errors.add(InputError(display, line, f'"kinds": expected a mapping, got {type_name(kinds_data)}'))
        return []
    ctx = Context(display)
    cues = ListOf(Str())
    kinds: Kinds = []
    for name, value in kinds_data.items():
        where = kinds_data.line_of(name)
        clean = cues.validate(value, f"kinds.{name}", where, ctx)
        if clean is INVALID:
            continue
        words = [" ".join(str(c).lower().split()) for c in clean if str(c).strip()]
        if not words:
            ctx.error(where, f'"kinds.{name}": no cue words', "list the words that name this kind, e.g. [yield]")
            continue
        alternation = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
        kinds.append((str(name), re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)))
    errors.extend(ctx.errors)
    return kinds


def apply_kinds(papers: Iterable[Paper], kinds: Kinds) -> None:
    """Give each claim the first declared kind whose cue its phrase contains (claims are copied, not
    changed in place: the memoised originals stay as extracted)."""
    if not kinds:
        return
    for paper in papers:
        if not paper.claims:
            continue
        updated = []
        for claim in paper.claims:
            text = " ".join(claim.text.split())
            kind = next((name for name, pattern in kinds if pattern.search(text)), None)
            updated.append(replace(claim, kind=kind) if kind and kind != claim.kind else claim)
        paper.claims = updated
