"""Output formats for `check`: text for people, annotations for GitHub, JSON for scripts.

A pull request check is only useful if it says what to fix where the fix
goes: in GitHub Actions each problem becomes an `::error file=..,line=..::`
workflow command, which GitHub shows on the changed line of the diff.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass

from litreview.errors import InputError

FORMATS = ("text", "github", "json")
# Warnings are plain strings; most start with "file:line: " like errors do.
LOCATED = re.compile(r"^(?P<path>[^\s:][^:\n]*?):(?P<line>\d+)(?::\d+)?: (?P<message>.*)$", re.S)
LOCATED_NO_LINE = re.compile(r"^(?P<path>[\w./-]+\.(?:md|yml|yaml|txt|html|css|js)): (?P<message>.*)$", re.S)


@dataclass
class Problem:
    """One error or warning with its place, if known."""

    level: str  # "error" or "warning"
    path: str | None
    line: int | None
    message: str
    hint: str = ""

    def record(self) -> dict:
        return {"level": self.level, "file": self.path, "line": self.line, "message": self.message, "hint": self.hint}


def default_format(environ: dict[str, str] | None = None) -> str:
    """GitHub annotations inside GitHub Actions, text elsewhere."""
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def from_error(error: InputError) -> Problem:
    return Problem("error", error.path, error.line, error.message, error.hint)


def from_warning(text: str) -> Problem:
    if m := LOCATED.match(text):
        return Problem("warning", m["path"], int(m["line"]), m["message"])
    if m := LOCATED_NO_LINE.match(text):
        return Problem("warning", m["path"], None, m["message"])
    return Problem("warning", None, None, text)


def problems(report) -> list[Problem]:
    """Errors then warnings of a pipeline.CheckReport."""
    return [from_error(e) for e in report.errors] + [from_warning(w) for w in report.warnings]


def escape_data(text: str) -> str:
    """Escape a workflow-command message (GitHub's toolkit rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """`::error file=seeds/x.txt,line=3::message (hint)`."""
    props = []
    if problem.path:
        props.append(f"file={escape_property(problem.path)}")
        if problem.line:
            props.append(f"line={problem.line}")
    message = problem.message + (f" ({problem.hint})" if problem.hint else "")
    head = f"::{problem.level} {','.join(props)}" if props else f"::{problem.level}"
    return f"{head}::{escape_data(message)}"


def render(report, fmt: str) -> str:
    """The report in one of FORMATS."""
    if fmt == "json":
        data = {
            "ok": report.ok,
            "errors": [p.record() for p in problems(report) if p.level == "error"],
            "warnings": [p.record() for p in problems(report) if p.level == "warning"],
            "notes": list(report.notes),
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    if fmt == "github":
        lines = [annotation(p) for p in problems(report)]
        lines += list(report.notes)
        status = "ok" if report.ok else f"{len(report.errors)} error(s)"
        lines.append(f"check: {status}, {len(report.warnings)} warning(s)")
        return "\n".join(lines)
    return report.render()
