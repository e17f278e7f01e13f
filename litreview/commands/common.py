"""Helpers shared by the commands: io options and paths as the user typed them."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_seeds_content(parser: argparse.ArgumentParser, content: bool = True) -> None:
    parser.add_argument(
        "--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="seed listings (default: seeds)"
    )
    if content:
        parser.add_argument(
            "--content",
            type=Path,
            default=Path("content"),
            metavar="DIR",
            help="human-edited content (default: content)",
        )
    parser.add_argument("-v", "--verbose", action="store_true", help="tracebacks on internal errors")


def display(path: Path) -> str:
    """A path as the user typed it, relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
