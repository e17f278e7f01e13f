"""claims.yml: the kinds of quantitative claim and the cue words that name them.

Which kinds a claim can have ("speedup", "memory", "AUC", "p-value"...) and
the words that name each are content, not code. The built-in set lives in
litreview/defaults/claims.yml (shipped with the package; its comments
describe every key). A review's own content/claims.yml, optional, is read
on top of it:

    kinds:
      binding affinity: [affinity, kd, binding energy]
      speedup: [speedup, faster, wall clock]     # replaces the built-in speedup
    units:
      ms: latency

- A kind the review declares comes first: its cues win over the built-in
  ones wherever both name the same word, and it leads the tables.
- A kind with a built-in kind's name replaces that kind wholly (its cues,
  verbs, metrics); the other built-in kinds stay.
- `units:`, `phrase words:` and `settings:` add to the built-in ones (a unit named again
  takes the review's kinds).
- `defaults: false` drops the built-in set: only the review's kinds exist,
  and a number none of them names is "other" (never a guessed kind).

The effective set is one KindSet; claims are extracted with it, and the
engine memoises extraction under its digest, so editing claims.yml (or the
defaults) extracts again exactly what it changes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from litreview.analyse.claims import NOTATIONS, OTHER, UNIT_NAMES, Kind, KindSet, cue_words
from litreview.errors import ErrorCollector, InputError, did_you_mean
from litreview.read.frontmatter import LineDict, read_yaml_file, type_name
from litreview.read.schema import INVALID, Choice, Context, ListOf, Number, Str

FILE = "claims.yml"
DEFAULTS = Path(__file__).resolve().parents[1] / "defaults" / FILE
KIND_KEYS = ("cues", "verbs", "weak cues", "metrics", "at most", "notation")
TOP_KEYS = ("defaults", "kinds", "units", "phrase words", "settings")


class _Declared:
    """What one claims.yml says, checked."""

    def __init__(self) -> None:
        self.use_defaults = True
        self.kinds: list[Kind] = []
        self.units: list[tuple[str, tuple[str, ...], int]] = []  # (unit, kinds, line)
        self.phrase_words: list[str] = []
        self.settings: list[str] = []


def _words(value: Any, name: str, line: int, ctx: Context) -> list[str] | None:
    clean = ListOf(Str()).validate(value, name, line, ctx)
    if clean is INVALID:
        return None
    return [" ".join(str(item).split()) for item in clean]


def _cues(value: Any, name: str, line: int, ctx: Context) -> tuple[str, ...] | None:
    words = _words(value, name, line, ctx)
    if words is None:
        return None
    for cue in words:
        star = "*" in cue
        if star and (" " in cue or "*" in cue.strip("*") or not cue.strip("*")):
            ctx.error(line, f'"{name}": "{cue}": a * goes at the start or end of one word', "such as accelerat*")
            return None
        if not cue_words(cue.strip("*")):
            ctx.error(line, f'"{name}": "{cue}" has no word in it', "write letters or digits")
            return None
    return tuple(words)


def _kind(name: str, value: Any, line: int, ctx: Context) -> Kind | None:
    where = f"kinds.{name}"
    if isinstance(value, list):
        cues = _cues(value, where, line, ctx)
        if cues is None:
            return None
        if not cues:
            ctx.error(line, f'"{where}": no cue words', "list the words that name this kind, e.g. [yield]")
            return None
        return Kind(name, cues=cues)
    if not isinstance(value, LineDict):
        if isinstance(value, str):
            ctx.error(line, f'"{where}": expected a list of strings, got str', f"write a list, such as [{value}]")
        else:
            ctx.error(
                line,
                f'"{where}": expected a list of cue words or a mapping, got {type_name(value)}',
                "write [cue, cue], or cues:, metrics: ... below it",
            )
        return None
    fields: dict[str, Any] = {}
    ok = True
    for key, item in value.items():
        key_line = value.line_of(key)
        if key not in KIND_KEYS:
            ctx.error(key_line, f'"{where}": unknown key "{key}"', did_you_mean(str(key), KIND_KEYS))
            ok = False
        elif key in ("cues", "weak cues"):
            fields[key] = _cues(item, f"{where}.{key}", key_line, ctx)
        elif key in ("verbs", "metrics"):
            words = _words(item, f"{where}.{key}", key_line, ctx)
            fields[key] = None if words is None else tuple(words)
        elif key == "at most":
            most = Number().validate(item, f"{where}.at most", key_line, ctx)
            fields[key] = None if most is INVALID else most
        else:
            notation = Choice(NOTATIONS).validate(item, f"{where}.notation", key_line, ctx)
            fields[key] = None if notation is INVALID else notation
        ok = ok and fields.get(key) is not None
    if not ok:
        return None
    if not (fields.get("cues") or fields.get("metrics") or fields.get("notation")):
        ctx.error(line, f'"{where}": no cue words', "give it cues:, metrics: or notation:")
        return None
    return Kind(
        name,
        cues=fields.get("cues", ()),
        verbs=fields.get("verbs", ()),
        weak_cues=fields.get("weak cues", ()),
        metrics=fields.get("metrics", ()),
        at_most=fields.get("at most"),
        notation=fields.get("notation"),
    )


def _read(path: Path, display: str, errors: ErrorCollector, review: bool) -> _Declared | None:
    """The checked content of one claims.yml; None when it cannot be read at all."""
    try:
        data = read_yaml_file(path, display)
    except InputError as exc:
        errors.add(exc)
        return None
    declared = _Declared()
    if data is None:
        return declared
    if not isinstance(data, LineDict):
        errors.add(
            InputError(
                display,
                1,
                f"claims.yml must be a mapping, got {type_name(data)}",
                "write kinds: then one line per kind below it: name: [cue, cue]",
            )
        )
        return None
    ctx = Context(display)
    allowed = TOP_KEYS if review else TOP_KEYS[1:]
    for key in data:
        if key not in allowed:
            ctx.error(data.line_of(key), f'unknown key "{key}"', "claims.yml has these keys: " + ", ".join(allowed))
    if "defaults" in data and review:
        flag = data["defaults"]
        if isinstance(flag, bool):
            declared.use_defaults = flag
        else:
            ctx.error(
                data.line_of("defaults"),
                f'"defaults": expected true or false, got {type_name(flag)}',
                "false drops the built-in kinds",
            )
    kinds_data = data.get("kinds")
    if kinds_data is not None and not isinstance(kinds_data, LineDict):
        ctx.error(data.line_of("kinds"), f'"kinds": expected a mapping, got {type_name(kinds_data)}')
    elif kinds_data is not None:
        for name, value in kinds_data.items():
            kind = _kind(str(name), value, kinds_data.line_of(name), ctx)
            if kind is not None:
                declared.kinds.append(kind)
    units_data = data.get("units")
    if units_data is not None and not isinstance(units_data, LineDict):
        ctx.error(data.line_of("units"), f'"units": expected a mapping, got {type_name(units_data)}')
    elif units_data is not None:
        for unit, value in units_data.items():
            line = units_data.line_of(unit)
            if unit not in UNIT_NAMES:
                ctx.error(line, f'"units": unknown unit "{unit}"', did_you_mean(str(unit), UNIT_NAMES, "units"))
                continue
            names = [value] if isinstance(value, str) else _words(value, f"units.{unit}", line, ctx)
            if names:
                declared.units.append((str(unit), tuple(" ".join(n.split()) for n in names), line))
            elif names is not None:
                ctx.error(line, f'"units.{unit}": no kind', "name the kind of a number in this unit")
    if "phrase words" in data:
        words = _words(data["phrase words"], "phrase words", data.line_of("phrase words"), ctx)
        declared.phrase_words = words or []
    if "settings" in data:
        declared.settings = _words(data["settings"], "settings", data.line_of("settings"), ctx) or []
    errors.extend(ctx.errors)
    return declared


def _merge(base: KindSet | None, declared: _Declared, display: str, errors: ErrorCollector) -> KindSet:
    """The review's kinds first, then the built-in ones it does not replace (unless defaults: false)."""
    use_base = base is not None and declared.use_defaults
    own = {k.name for k in declared.kinds}
    kinds = list(declared.kinds)
    units: dict[str, tuple[str, ...]] = {}
    phrase_words: list[str] = []
    settings: list[str] = []
    if use_base:
        kinds += [k for k in base.kinds if k.name not in own]  # type: ignore[union-attr]
        units.update(base.units)  # type: ignore[union-attr]
        phrase_words += base.phrase_words  # type: ignore[union-attr]
        settings += base.settings  # type: ignore[union-attr]
    known = {k.name for k in kinds} | {OTHER}
    for unit, names, line in declared.units:
        missing = [n for n in names if n not in known]
        if missing:
            errors.add(
                InputError(
                    display,
                    line,
                    f'"units.{unit}": no kind "{missing[0]}"',
                    did_you_mean(missing[0], known, "declared kinds"),
                )
            )
            continue
        units[unit] = names
    phrase_words += [w for w in declared.phrase_words if w not in phrase_words]
    settings += [w for w in declared.settings if w not in settings]
    return KindSet(tuple(kinds), tuple(units.items()), tuple(phrase_words), tuple(settings))


@cache
def default_kinds() -> KindSet:
    """The built-in kinds of litreview/defaults/claims.yml (a broken file is a bug: it raises)."""
    errors = ErrorCollector()
    declared = _read(DEFAULTS, str(DEFAULTS), errors, review=False)
    errors.raise_if_any()
    assert declared is not None
    return _merge(None, declared, str(DEFAULTS), errors)


def load_kinds(content_dir: Path, errors: ErrorCollector) -> KindSet:
    """The kinds a build uses: the built-in ones with content/claims.yml read on top of them."""
    path = content_dir / FILE
    defaults = default_kinds()
    if not path.is_file():
        return defaults
    display = str(path)
    declared = _read(path, display, errors, review=True)
    if declared is None:
        return defaults
    return _merge(defaults, declared, display, errors)
