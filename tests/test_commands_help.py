"""Every command has help text and is documented, so nothing ships undocumented."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.cli import COMMANDS, main
from litreview.commands import COMMANDS as AUTHORING_COMMANDS

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: build.py {command}")
    assert len(out.splitlines()) > 3


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme_commands_section(command: str) -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    assert command == "build" or f"python build.py {command}" in section


@pytest.mark.parametrize("command", AUTHORING_COMMANDS)
def test_every_authoring_command_is_shown_in_contributing(command: str) -> None:
    assert f"python build.py {command}" in (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_unknown_command_is_a_usage_error(capsys) -> None:
    assert main(["publish"]) == 2
    assert "invalid choice: 'publish'" in capsys.readouterr().err


def test_add_without_title_or_listing_is_a_usage_error(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["add", "--title", "Only a title"]) == 2
    assert "give --title and --abstract" in capsys.readouterr().err
