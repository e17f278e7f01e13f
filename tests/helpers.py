"""Paths and small helpers shared by the tests (fixtures live in conftest.py).

The tests never read the repository's own seeds/ and content/: a fork that
replaces them with another field's corpus keeps a green suite. They read
CORPUS, a copy of those folders taken when the tests were written
(tests/data/corpus/seeds and tests/data/corpus/content), which the tests'
expectations (paper ids, topic slugs, search terms) are about.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from litreview.cli import main
from litreview.errors import InputError
from litreview.model import SeedEntry
from litreview.read.listings import clean_line

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT / "tests" / "data" / "corpus"
SEEDS = CORPUS / "seeds"
CONTENT = CORPUS / "content"
HOSTILE = CORPUS.parent / "hostile"


def hostile_content(root: Path, *parts: str) -> Path:
    """root/content: the fixture corpus's taxonomy (topics, tags.yml, site.yml) plus the named
    files or folders of tests/data/hostile/content ("entities.yml", "papers", "pages")."""
    content = root / "content"
    content.mkdir()
    shutil.copytree(CONTENT / "topics", content / "topics")
    for name in ("tags.yml", "site.yml"):
        shutil.copy(CONTENT / name, content / name)
    for part in parts:
        source = HOSTILE / "content" / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, content / part)
    return content


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


EMPTY_SEED = ("empty file",)  # the one seed file error with no line to point at


def source_lines(text: str | bytes) -> list[str] | list[bytes]:
    """The lines of a seed or content file as the readers number them (CRLF, CR or LF ends)."""
    return re.split(rb"\r\n|\r|\n" if isinstance(text, bytes) else r"\r\n|\r|\n", text)


def assert_located(exc: InputError, path: str, text: str | bytes, whole_file: tuple[str, ...] = ()) -> None:
    """An error for bad input names its file and a line of it (1 to the last line).

    Only the messages in `whole_file` (a problem with no line, such as an empty
    file) may come without a line.
    """
    assert isinstance(exc, InputError), repr(exc)
    assert exc.path == path, exc.format()
    assert exc.message.strip(), exc.format()
    if exc.line is None:
        assert whole_file and exc.message.startswith(whole_file), f"no line in: {exc.format()}"
    else:
        assert 1 <= exc.line <= len(source_lines(text)), f"line out of range in: {exc.format()}"


def paragraph_from(lines: list[str], number: int) -> str:
    """The cleaned text from line `number` to the next blank line, joined by spaces."""
    words = []
    for raw in lines[number - 1 :]:
        if not clean_line(raw):
            break
        words.append(clean_line(raw))
    return " ".join(words)


def assert_entries_quote_their_lines(entries: list[SeedEntry], text: str, path: str = "fuzz.txt") -> None:
    """Each parsed entry names its file and the lines its title and abstract were read from.

    A title or abstract may be wrapped over several lines (up to a blank line);
    in the compact layout each is one line, so only a prefix of what follows.
    """
    lines = source_lines(text)
    for entry in entries:
        assert entry.title and entry.abstract
        assert entry.source.file == path
        assert entry.title in paragraph_from(lines, entry.source.line), entry
        assert paragraph_from(lines, entry.abstract_line).startswith(entry.abstract), entry


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _interrupted(proc: subprocess.Popen, timeout: float) -> bool:
    """Ctrl-C a process; whether it stopped within `timeout` seconds."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return False
    return True


def stop_serving(proc: subprocess.Popen, log: Path, timeout: float = 30) -> int:
    """Ctrl-C a `serving` process and return its exit code; if it does not stop in time, fail
    with its log and the stack of each of its threads (faulthandler, on SIGABRT)."""
    if _interrupted(proc, timeout):
        return proc.returncode
    proc.send_signal(signal.SIGABRT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    pytest.fail(f"serve did not stop within {timeout:g} s of Ctrl-C; its log:\n{log.read_text(errors='replace')}")


@contextmanager
def serving(root: Path, port: int, *args: str) -> Iterator[tuple[subprocess.Popen, Path]]:
    """`build.py serve --port PORT ARGS` running in root (its log in root/serve.log); Ctrl-C'd at the end."""
    log = root / "serve.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(port), *args],
            cwd=root,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # SIGABRT writes every thread's stack to the log
            # As a script's background job starts it: with SIGINT ignored. Ctrl-C must still stop it.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
    try:
        yield proc, log
    finally:
        if proc.poll() is None and not _interrupted(proc, 30):
            proc.kill()
            proc.wait()
