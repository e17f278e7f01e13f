"""Fixtures shared by the whole suite.

- `project`: a temporary copy of the fixture corpus (tests/data/corpus) as the
  current folder, outside GitHub Actions, ready for in-process CLI runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_corpus


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture corpus (seeds/, content/) as the current folder, outside GitHub Actions."""
    copy_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path
