"""Paths and small helpers shared by the tests (fixtures live in conftest.py).

The tests never read the repository's own seeds/ and content/: a fork that
replaces them with another field's corpus keeps a green suite. They read
CORPUS, a copy of those folders taken when the tests were written
(tests/data/corpus/seeds and tests/data/corpus/content), which the tests'
expectations (paper ids, topic slugs, search terms) are about.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from litreview.cli import main

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT / "tests" / "data" / "corpus"
SEEDS = CORPUS / "seeds"
CONTENT = CORPUS / "content"
LIVE_INPUTS = (PROJECT / "seeds", PROJECT / "content")


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
