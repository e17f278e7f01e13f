"""The suite never reads the repository's live seeds/ or content/ (issue 15).

conftest.py's guard fails any test that opens, lists or copies them, or runs
build.py where its defaults would read them; these tests show that the guard
sees each way in, and that the tool itself works on another field's corpus.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import PROJECT, run_cli, subprocess_reads_live

ECOLOGY_SEED = """\
Pollinator Decline in Fragmented Grasslands

We survey wild bee abundance across forty grassland fragments over three summers and find that pollinator richness falls with fragment area and isolation. Restoring hedgerows between fragments recovers most of the loss within five years, which makes corridors a cheap conservation measure.

Soil Carbon Under Rotational Grazing

A ten-year field trial compares soil organic carbon under rotational and continuous grazing on upland pasture. Rotational grazing stores more carbon in the top thirty centimetres of soil, and the gain holds across wet and dry years on every site we sampled.
"""
ECOLOGY_TOPIC = """\
---
title: Pollination
order: 1
description: Bees, flowers and the landscapes between them.
rules:
  include: [pollinator, bee]
---
Papers about pollination.
"""


def test_the_guard_sees_a_file_opened_in_the_live_seeds(live_touches: list[str]) -> None:
    try:
        open(PROJECT / "seeds" / "no-such-file.txt", "rb").close()
    except FileNotFoundError:
        pass
    seen, live_touches[:] = list(live_touches), []
    assert seen == [f"open {PROJECT / 'seeds' / 'no-such-file.txt'}"]


def test_the_guard_sees_the_live_content_listed(live_touches: list[str], tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(PROJECT)
    try:
        os.listdir("content/no-such-folder")
    except FileNotFoundError:
        pass
    seen, live_touches[:] = list(live_touches), []
    assert seen == ["os.listdir content/no-such-folder"]


def test_the_guard_sees_a_build_run_in_the_project_root() -> None:
    build = [sys.executable, str(PROJECT / "build.py")]
    assert subprocess_reads_live([*build, "check"], PROJECT)
    assert subprocess_reads_live([*build, "check", "--content", "/elsewhere/content"], PROJECT)
    assert subprocess_reads_live([*build, "check", "--seeds", str(PROJECT / "seeds"), "--content", "x"], "/tmp")
    assert not subprocess_reads_live([*build, "check", "--seeds", "s", "--content", "c"], PROJECT)
    assert not subprocess_reads_live([*build, "check"], "/tmp/somewhere-else")
    assert not subprocess_reads_live(["git", "-C", "/tmp/repo", "add", "seeds", "content"], None)


def test_the_guard_sees_a_subprocess_start(live_touches: list[str]) -> None:
    # The audit event fires before the program runs, so `true` is enough.
    subprocess.run(["true", str(PROJECT / "content" / "site.yml")], check=True)
    seen, live_touches[:] = list(live_touches), []
    assert len(seen) == 1 and seen[0].startswith("subprocess ")


def test_check_passes_on_another_fields_corpus(tmp_path: Path, monkeypatch, capsys) -> None:
    """A fork's own small corpus, nothing in common with tests/data/corpus: `check` is clean."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "ecology.txt").write_text(ECOLOGY_SEED, encoding="utf-8")
    (tmp_path / "content" / "topics").mkdir(parents=True)
    (tmp_path / "content" / "site.yml").write_text("title: Grassland Ecology Reading List\n", encoding="utf-8")
    (tmp_path / "content" / "topics" / "pollination.md").write_text(ECOLOGY_TOPIC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code, out, err = run_cli(capsys, "check")
    assert code == 0, out + err
    code, out, err = run_cli(capsys, "parse", "--format", "json")
    assert code == 0, err
    assert "pollinator-decline-in-fragmented-grasslands" in out
