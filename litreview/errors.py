"""One error type for bad input, carrying where it is and how to fix it.

The library raises these; only the CLI turns them into `file:line: message`
lines and exit code 1, so a user never sees a traceback for bad input.
"""

from __future__ import annotations

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

    def add(self, error: InputError) -> None:
        self.errors.append(error)

    def extend(self, errors: list[InputError]) -> None:
        self.errors.extend(errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)
