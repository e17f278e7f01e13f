"""A tiny declared schema for content files (in the spirit of mkdocs' config_options).

Each kind of content file lists its keys with a type, and whether it is
required; `Schema.validate` checks a parsed mapping against that list and
reports every problem at once (unknown keys with a did-you-mean, wrong
types, missing keys), each at the file line of its key, so one `check` run
shows everything a pull request needs to fix.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from litreview.errors import InputError, did_you_mean
from litreview.read.frontmatter import LineDict, LineList, type_name

INVALID = object()  # a value that failed validation; its error is already recorded


@dataclass
class Context:
    """Where errors go: the file being validated and the list they join."""

    path: str
    errors: list[InputError] = field(default_factory=list)

    def error(self, line: int | None, message: str, hint: str = "") -> object:
        self.errors.append(InputError(self.path, line, message, hint))
        return INVALID


def _quote(name: str) -> str:
    return f'"{name}"'


class Type:
    """A value type: `validate` returns the clean value or INVALID (after recording why)."""

    expected = "a value"

    def validate(self, value: Any, name: str, line: int | None, ctx: Context) -> Any:
        if not self.accepts(value):
            return self.wrong(value, name, line, ctx)
        return self.clean(value, name, line, ctx)

    def accepts(self, value: Any) -> bool:
        return True

    def clean(self, value: Any, name: str, line: int | None, ctx: Context) -> Any:
        return value

    def wrong(self, value: Any, name: str, line: int | None, ctx: Context) -> object:
        hint = "give it a value or remove the line" if value is None else self.hint_for(value)
        return ctx.error(line, f"{_quote(name)}: expected {self.expected}, got {type_name(value)}", hint)

    def hint_for(self, value: Any) -> str:
        return ""


class Str(Type):
    expected = "a string"

    def __init__(self, nonempty: bool = True) -> None:
        self.nonempty = nonempty

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str)

    def hint_for(self, value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f'put it in quotes to make it text: "{value}"'
        return ""

    def clean(self, value: str, name: str, line: int | None, ctx: Context) -> Any:
        value = value.strip()
        if self.nonempty and not value:
            return ctx.error(line, f"{_quote(name)}: must not be empty", "write a value or remove the line")
        return value


class Int(Type):
    expected = "an integer"

    def __init__(self, low: int | None = None, high: int | None = None) -> None:
        self.low, self.high = low, high

    def accepts(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def hint_for(self, value: Any) -> str:
        return "write a whole number without quotes" if isinstance(value, (str, float)) else ""

    def clean(self, value: int, name: str, line: int | None, ctx: Context) -> Any:
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            return ctx.error(line, f"{_quote(name)}: {value} is out of range", f"expected {self.low} to {self.high}")
        return value


class Bool(Type):
    expected = "true or false"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)

    def hint_for(self, value: Any) -> str:
        return "write true or false without quotes"


class Number(Type):
    expected = "a number"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    def hint_for(self, value: Any) -> str:
        return "write a number without quotes, such as 2 or 0.5" if isinstance(value, str) else ""

    def clean(self, value: float, name: str, line: int | None, ctx: Context) -> Any:
        if not math.isfinite(value):
            return ctx.error(line, f"{_quote(name)}: expected a finite number, got {value}")
        return float(value)


class Choice(Str):
    def __init__(self, choices: tuple[str, ...]) -> None:
        super().__init__()
        self.choices = choices
        self.expected = "one of " + ", ".join(choices)

    def clean(self, value: str, name: str, line: int | None, ctx: Context) -> Any:
        value = super().clean(value, name, line, ctx)
        if value is INVALID or value in self.choices:
            return value
        return ctx.error(
            line, f'{_quote(name)}: "{value}" is not {self.expected}', did_you_mean(value, self.choices, listing=None)
        )


class Url(Str):
    """An absolute URL with one of the allowed schemes."""

    def __init__(self, schemes: tuple[str, ...] = ("http", "https")) -> None:
        super().__init__()
        self.schemes = schemes
        self.expected = "an " + " or ".join(schemes) + " URL"

    def clean(self, value: str, name: str, line: int | None, ctx: Context) -> Any:
        value = super().clean(value, name, line, ctx)
        if value is INVALID:
            return value
        try:
            parts = urlsplit(value)
            ok = parts.scheme in self.schemes and bool(parts.hostname) and not any(c.isspace() for c in value)
        except ValueError:
            ok = False
        if not ok:
            example = f"{self.schemes[-1]}://example.org/..."
            return ctx.error(
                line, f'{_quote(name)}: "{value}" is not {self.expected}', f"write a full address such as {example}"
            )
        return value


class ListOf(Type):
    """A list whose items all have one type; each bad item is reported at its own line."""

    def __init__(self, item: Type, expected: str = "a list of strings") -> None:
        self.item = item
        self.expected = expected

    def accepts(self, value: Any) -> bool:
        return isinstance(value, list)

    def hint_for(self, value: Any) -> str:
        return f"write a list, such as [{value}]" if isinstance(value, str) else "write a list, such as [a, b]"

    def wrong(self, value: Any, name: str, line: int | None, ctx: Context) -> object:
        if isinstance(value, str):  # the usual slip: `authors: Jane Doe`
            return ctx.error(line, f"{_quote(name)}: expected {self.expected}, got str", self.hint_for(value))
        return super().wrong(value, name, line, ctx)

    def clean(self, value: list, name: str, line: int | None, ctx: Context) -> Any:
        lines = value.lines if isinstance(value, LineList) else []
        out, ok = [], True
        for index, item in enumerate(value):
            item_line = lines[index] if index < len(lines) else line
            clean = self.item.validate(item, f"{name}[{index + 1}]", item_line, ctx)
            ok = ok and clean is not INVALID
            out.append(clean)
        return out if ok else INVALID


class Term(Type):
    """A matching term: "word or phrase" or {term: str, weight: number, match: stem|exact}
    -> {term, weight} (and match, when given)."""

    expected = "a word, a phrase or {term: ..., weight: ...}"

    def accepts(self, value: Any) -> bool:
        return isinstance(value, (str, dict))

    def clean(self, value: Any, name: str, line: int | None, ctx: Context) -> Any:
        if isinstance(value, str):
            text = " ".join(value.split())
            if not text:
                return ctx.error(line, f"{_quote(name)}: empty term", "remove it or write a word")
            return {"term": text, "weight": 1.0}
        clean = TERM_SCHEMA.validate(value, ctx, line, prefix=name)
        if clean is INVALID:
            return INVALID
        term = {"term": " ".join(clean["term"].split()), "weight": clean["weight"]}
        if clean["match"] is not None:
            term["match"] = clean["match"]
        return term


class Nested(Type):
    """A mapping checked against its own schema."""

    expected = "a mapping"

    def __init__(self, schema: Schema) -> None:
        self.schema = schema

    def accepts(self, value: Any) -> bool:
        return isinstance(value, dict)

    def hint_for(self, value: Any) -> str:
        return "indent its keys below it, one key: value per line"

    def clean(self, value: dict, name: str, line: int | None, ctx: Context) -> Any:
        return self.schema.validate(value, ctx, line, prefix=name)


@dataclass
class Key:
    """One declared key: its type, and its default when absent."""

    name: str
    type: Type
    required: bool = False
    default: Any = None
    example: str = "..."

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default


class Schema:
    """The keys one kind of content file may have."""

    def __init__(self, keys: list[Key], check: Callable[[dict, LineDict, Context], None] | None = None) -> None:
        self.keys = {k.name: k for k in keys}
        self.check = check

    def validate(self, data: dict, ctx: Context, line: int | None = 1, prefix: str = "") -> Any:
        """The clean mapping (every declared key, defaults filled in), or INVALID.

        `line` is where missing keys are reported (the mapping's own line).
        """
        before = len(ctx.errors)
        lines = data if isinstance(data, LineDict) else LineDict()
        out: dict[str, Any] = {}
        for key, value in data.items():
            key_line = lines.lines.get(key, line)
            dotted = f"{prefix}.{key}" if prefix else str(key)
            spec = self.keys.get(key) if isinstance(key, str) else None
            if spec is None:
                ctx.error(key_line, f"unknown key {_quote(dotted)}", did_you_mean(str(key), self.keys, "known keys"))
                continue
            out[key] = spec.type.validate(value, dotted, key_line, ctx)
        for spec in self.keys.values():
            if spec.name in out:
                continue
            if spec.required:
                dotted = f"{prefix}.{spec.name}" if prefix else spec.name
                where = f" in {_quote(prefix)}" if prefix else ""
                ctx.error(
                    line,
                    f"missing required key {_quote(spec.name)}{where}",
                    f"add a line such as {spec.name}: {spec.example}",
                )
            else:
                out[spec.name] = spec.default_value()
        if len(ctx.errors) > before:
            return INVALID
        if self.check:
            self.check(out, lines, ctx)
            if len(ctx.errors) > before:
                return INVALID
        return out


class Match(Choice):
    """How a rule term is compared with a paper's words: "stem" (any form of the
    words, the default) or "exact" (the words as written, in any case)."""

    HINT = 'stem matches any form of the words ("serve" ~ "serving"); exact only the words as written'

    def __init__(self) -> None:
        super().__init__(("stem", "exact"))

    def clean(self, value: str, name: str, line: int | None, ctx: Context) -> Any:
        value = Str.clean(self, value, name, line, ctx)
        if value is INVALID or value in self.choices:
            return value
        close = did_you_mean(value, self.choices, listing=None)
        return ctx.error(
            line, f'{_quote(name)}: "{value}" is not {self.expected}', f"{close} {self.HINT}" if close else self.HINT
        )


TERM_SCHEMA = Schema(
    [
        Key("term", Str(), required=True, example="quantization"),
        Key("weight", Number(), default=1.0),
        Key("match", Match(), default=None),
    ]
)
