"""One error type for bad input, carrying where it is and how to fix it.

The library raises these; only the CLI turns them into `file:line: message`
lines and exit code 1, so a user never sees a traceback for bad input.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class InputError(Exception):
    """Bad input in a seed or content file."""

    path: str
    line: int | None
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        super().__init__(self.format())

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __str__(self) -> str:
        return self.format()


class InputErrors(Exception):
    """Every problem found in one pass, reported together."""

    def __init__(self, errors: list[InputError]):
        self.errors = sorted(errors, key=lambda e: (e.path, e.line or 0))
        super().__init__("\n".join(e.format() for e in self.errors))


class ErrorCollector:
    """Gathers errors across files so a user sees all of them at once."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []
        self.warnings: list[InputError] = []  # problems that do not stop a build; `check` lists them

    def warn(self, warning: InputError) -> None:
        self.warnings.append(warning)

    def add(self, error: InputError) -> None:
        self.errors.append(error)

    def extend(self, errors: list[InputError]) -> None:
        self.errors.extend(errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)


def did_you_mean(word: str, choices: Iterable[str], listing: str | None = "expected one of", n: int = 1) -> str:
    """A hint for a misspelt name: 'did you mean "title"?' for the n closest choices
    (or those containing the word); else the choices, when few enough to list."""
    names = sorted(choices)
    close = difflib.get_close_matches(word, names, n=n, cutoff=0.6) or [c for c in names if word and word in c][:n]
    if close:
        return "did you mean " + " or ".join(f'"{c}"' for c in close) + "?"
    if not names or listing is None:
        return ""
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"{listing}: {shown}"
