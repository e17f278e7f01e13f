"""Helpers shared by the commands: io options and did-you-mean."""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path


def add_seeds_content(parser: argparse.ArgumentParser, content: bool = True) -> None:
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="seed listings (default: seeds)")
    if content:
        parser.add_argument(
            "--content", type=Path, default=Path("content"), metavar="DIR", help="human-edited content (default: content)"
        )
    parser.add_argument("-v", "--verbose", action="store_true", help="tracebacks on internal errors")


def did_you_mean(word: str, choices: list[str], n: int = 3) -> str:
    """' (did you mean: a, b?)' or ''."""
    close = difflib.get_close_matches(word, choices, n=n, cutoff=0.6)
    if not close:
        close = [c for c in choices if word and word in c][:n]
    return f"did you mean: {', '.join(close)}?" if close else ""


def display(path: Path) -> str:
    """A path as the user typed it, relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
