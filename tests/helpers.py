"""Paths and small helpers shared by the tests (fixtures live in conftest.py).

The tests never read the repository's own seeds/ and content/: a fork that
replaces them with another field's corpus keeps a green suite. They read
CORPUS, a copy of those folders taken when the tests were written
(tests/data/corpus/seeds and tests/data/corpus/content), which the tests'
expectations (paper ids, topic slugs, search terms) are about.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from litreview.cli import main

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT / "tests" / "data" / "corpus"
SEEDS = CORPUS / "seeds"
CONTENT = CORPUS / "content"
LIVE_INPUTS = (PROJECT / "seeds", PROJECT / "content")

_LIVE_PREFIXES = tuple(str(p) for p in LIVE_INPUTS)


def is_live(path: object) -> bool:
    """Whether a path (relative to the current folder) is in the live seeds/ or content/."""
    if isinstance(path, int):
        return False
    try:
        text = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    return any(text == live or text.startswith(live + os.sep) for live in _LIVE_PREFIXES)


def subprocess_reads_live(args: object, cwd: object) -> bool:
    """Whether a subprocess names a live input, or runs build.py in the project root (whose
    defaults are the live seeds/ and content/) without naming both --seeds and --content."""
    argv = [args] if isinstance(args, str | bytes | os.PathLike) else list(args or ())
    words = [os.fsdecode(a) for a in argv if isinstance(a, str | bytes | os.PathLike)]
    here = os.path.abspath(os.fsdecode(cwd)) if cwd is not None else os.getcwd()
    if any(os.path.isabs(word) and is_live(word) for word in words):
        return True
    runs_litreview = any(w.endswith("build.py") or "litreview" in w for w in words)
    names_inputs = "--seeds" in words and "--content" in words
    return runs_litreview and here == str(PROJECT) and not names_inputs


ALLOW_MISSING_TOOLS = "LITREVIEW_ALLOW_MISSING_TOOLS"


def require_tool(present: object, what: str) -> None:
    """Fail the test when a tool `make test` installs is missing (chromium, axe-core, node, git).

    A missing tool in CI is a broken set-up, not a reason to pass: it fails
    loudly. On a machine without them, run `make test-fast`, or set
    LITREVIEW_ALLOW_MISSING_TOOLS=1 to skip the tests that need them.
    """
    if present:
        return
    message = f"{what} is missing (make test installs it; {ALLOW_MISSING_TOOLS}=1 skips these tests instead)"
    if os.environ.get(ALLOW_MISSING_TOOLS) == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def copy_corpus(root: Path) -> Path:
    """Copy the fixture corpus to root/seeds and root/content; returns root."""
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copytree(CONTENT, root / "content")
    return root


def run_cli(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    """Run `build.py ARGV` in this process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
