"""Write the site atomically: a failed or interrupted build leaves site/ as it was.

The new site is written into a temporary folder next to the output, then
swapped in with one atomic rename-exchange (Linux renameat2), or two renames
elsewhere. Every path is checked to stay inside the output folder.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from litreview.errors import InputError

STATIC_PREFIX = "static"


def safe_relative_path(name: str) -> PurePosixPath:
    """Reject any output path that could escape the output folder."""
    path = PurePosixPath(name)
    bad = (
        not name
        or "\x00" in name
        or "\\" in name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
        or ":" in name
    )
    if bad:
        raise InputError(
            name, None, "unsafe output path", "ids, slugs and file names must stay inside the output folder"
        )
    return path


@dataclass
class WriteResult:
    files: int  # generated files in the new site
    reused: int  # of which hard-linked unchanged from the previous site
    hashes: dict[str, str]  # path -> content hash, for the next build's reuse


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Staging:
    """The new site (with a copy of static/), written into a temporary folder next
    to the output, then swapped in.

    Files can be written in several batches, and from several processes
    (a forked worker writes its share of the pages itself, in parallel, and
    hands back only their hashes: see adopt()). A file whose content hash
    equals the one recorded for the previous site (`known`: path -> [size,
    mtime_ns, hash]), and which is still exactly as recorded there, is
    hard-linked from the previous site instead of written again: unchanged
    pages keep their modification time and cost no data write.
    """

    def __init__(self, out: Path, static_dir: Path | None = None, known: dict[str, list] | None = None):
        self.out = out.resolve() if out.exists() else out.absolute()
        self.root = self.out.parent / f".{self.out.name}.tmp-{os.getpid()}"
        self.previous = self.out if self.out.is_dir() else None
        self.known = known or {}
        self.result = WriteResult(0, 0, {})
        self._made: set[Path] = {self.root}
        if self.root.exists():
            shutil.rmtree(self.root)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(self.out)
        self.root.mkdir(parents=True)
        if static_dir is not None and static_dir.is_dir():
            shutil.copytree(static_dir, self.root / STATIC_PREFIX, ignore=shutil.ignore_patterns(".*", "__pycache__"))

    def write(self, files: dict[str, str | bytes]) -> WriteResult:
        """Write files (every path checked to stay inside the site); returns this batch's result."""
        batch = WriteResult(0, 0, {})
        for name in sorted(files):
            self._write_one(name, files[name], batch)
        self.adopt(batch)
        return batch

    def sink(self) -> StagedFiles:
        """A dict-like that writes each file as it is set, keeping only its hash (see StagedFiles)."""
        return StagedFiles(self)

    def _target(self, name: str) -> Path:
        target = self.root / safe_relative_path(name)
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        return target

    def _write_one(self, name: str, data: str | bytes, batch: WriteResult) -> None:
        target = self._target(name)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        digest = batch.hashes[name] = content_hash(raw)
        batch.files += 1
        previous = self.previous / name if self.previous is not None else None
        if previous is not None and _link_unchanged(previous, target, self.known.get(name), digest):
            batch.reused += 1
            return
        target.write_bytes(raw)

    def _stream_one(self, name: str, chunks: Iterable[str], batch: WriteResult) -> None:
        """_write_one for a file given in pieces: written and hashed piece by piece, and
        replaced by a link to the previous site's file when that has the same hash."""
        target = self._target(name)
        hasher = hashlib.blake2b(digest_size=16)
        with target.open("wb") as handle:
            for chunk in chunks:
                raw = chunk.encode("utf-8")
                hasher.update(raw)
                handle.write(raw)
        digest = batch.hashes[name] = hasher.hexdigest()
        batch.files += 1
        previous = self.previous / name if self.previous is not None else None
        linked = target.with_name(f".{target.name}.link-tmp")
        if previous is not None and _link_unchanged(previous, linked, self.known.get(name), digest):
            os.replace(linked, target)
            batch.reused += 1

    def adopt(self, batch: WriteResult) -> None:
        """Count a batch written into this folder (here, or by a forked worker)."""
        self.result.files += batch.files
        self.result.reused += batch.reused
        self.result.hashes.update(batch.hashes)

    def finish(self) -> WriteResult:
        """Swap the new site in (atomically where the OS can); the old one is removed in the
        background (remove_in_background)."""
        old = swap_in(self.root, self.out)
        if old is not None:
            remove_in_background(old, self.out)
        return self.result

    def discard(self) -> None:
        """Remove the temporary folder (after a swap it holds the old site, or nothing)."""
        if self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)


class StagedFiles:
    """Output files written into a Staging folder as they are made, in place of a dict.

    A stage that fills a dict of path -> text can fill this instead: each
    file goes to disk at once and only its hash is kept, so a worker making
    100,000 paper pages never holds them all. It answers `in`, len() and
    iteration by path like the dict would. result() is the batch written
    (for Staging.adopt, in the process that owns the staging folder).
    """

    def __init__(self, staging: Staging):
        self._staging = staging
        self._batch = WriteResult(0, 0, {})

    def __setitem__(self, name: str, data: str | bytes) -> None:
        if name in self._batch.hashes:
            raise ValueError(f"{name} is written twice")
        self._staging._write_one(name, data, self._batch)

    def stream(self, name: str, chunks: Iterable[str]) -> None:
        """Set a file given in pieces (write.export.ChunkSink): it is never held whole."""
        if name in self._batch.hashes:
            raise ValueError(f"{name} is written twice")
        self._staging._stream_one(name, chunks, self._batch)

    def update(self, files: dict[str, str | bytes]) -> None:
        for name in sorted(files):
            self[name] = files[name]

    def __contains__(self, name: object) -> bool:
        return name in self._batch.hashes

    def __iter__(self):
        return iter(self._batch.hashes)

    def __len__(self) -> int:
        return len(self._batch.hashes)

    def result(self) -> WriteResult:
        return self._batch


def _link_unchanged(source: Path, target: Path, recorded: list | None, digest: str) -> bool:
    if not recorded or len(recorded) < 3 or recorded[2] != digest:
        return False
    try:
        st = source.stat()
        if [st.st_size, st.st_mtime_ns] != recorded[:2]:
            return False  # changed on disk since it was written: write it afresh
        os.link(source, target)
    except OSError:
        return False
    return True


def write_site(
    files: dict[str, str | bytes], static_dir: Path | None, out: Path, known: dict[str, list] | None = None
) -> WriteResult:
    """Write a whole site in one batch and swap it in."""
    staging = Staging(out, static_dir, known)
    try:
        staging.write(files)
        return staging.finish()
    finally:
        staging.discard()


def remove_stale_staging(out: Path) -> None:
    """Remove temp folders left by builds that were killed (their process is gone)."""
    for pattern in (f".{out.name}.tmp-*", f".{out.name}.old-*"):
        for folder in out.parent.glob(pattern):
            pid = folder.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(staging: Path, out: Path) -> Path | None:
    """Replace out with staging; returns the folder that now holds the old site (None: there was none)."""
    if not out.exists():
        os.rename(staging, out)
        return None
    if exchange(staging, out):
        return staging
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)
    os.rename(staging, out)
    return old


_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
_removers: list[subprocess.Popen] = []
_removals = itertools.count()


def remove_in_background(folder: Path, out: Path) -> None:
    """Remove a replaced site without waiting for it: a process of its own unlinks its files
    while the build ends (1.6-2.0 s of a 14-20 s rebuild of 10,000 papers without a cache,
    bench/results/scale.md section 14). The folder is renamed first to a name no later build of
    this process uses; remove_stale_staging clears it if the removal never finishes."""
    doomed = out.parent / f".{out.name}.old-{next(_removals)}-{os.getpid()}"
    try:
        os.rename(folder, doomed)
    except OSError:  # the new site is in place already: never fail the build for the old one
        shutil.rmtree(folder, ignore_errors=True)
        return
    _removers[:] = [proc for proc in _removers if proc.poll() is None]  # reap the finished
    try:
        _removers.append(
            subprocess.Popen(
                [sys.executable, "-c", _REMOVE, str(doomed)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl-C of the build does not stop it
            )
        )
    except OSError:  # cannot start a process: remove it here
        shutil.rmtree(doomed, ignore_errors=True)


def wait_for_removals() -> None:
    """Wait until this process's background removals have ended (tests, benchmarks)."""
    for proc in _removers:
        proc.wait()
    _removers.clear()


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False if unsupported."""
    import ctypes  # only here: ctypes.util.find_library would spawn ldconfig

    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter already uses
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def static_files(static_dir: Path | None) -> dict[str, bytes]:
    """static/ as output files (static/<path> -> bytes), with the same files Staging copies."""
    if static_dir is None or not static_dir.is_dir():
        return {}
    found = {}
    for path in sorted(static_dir.rglob("*")):
        parts = path.relative_to(static_dir).parts
        if path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in parts):
            found[f"{STATIC_PREFIX}/{'/'.join(parts)}"] = path.read_bytes()
    return found


class LiveFolder:
    """An output folder kept up to date file by file, for `serve`.

    The first update writes the whole site through Staging (atomically);
    later ones replace only the files whose bytes changed, each atomically
    (a temporary file and a rename), and remove the files that went away,
    so the folder always equals what a cold build of the same inputs writes.
    """

    def __init__(self, out: Path):
        self.out = out
        # What is on disk, path -> the text or bytes written: compared with the next
        # site's files as they are (often the very same memoised object), never hashed.
        self.files: dict[str, str | bytes] | None = None

    def update(self, files: dict[str, str | bytes]) -> list[str]:
        """Make the folder hold exactly files; returns the paths written or removed."""
        if self.files is None:
            write_site(files, None, self.out)
            self.files = dict(files)
            return sorted(files)
        before = self.files
        changed = sorted(name for name, data in files.items() if not _same(before.get(name), data))
        gone = sorted(set(before) - set(files))
        for name in changed:
            data = files[name]
            target = self.out / safe_relative_path(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
            tmp.write_bytes(_bytes(data))
            os.replace(tmp, target)
        for name in gone:
            target = self.out / safe_relative_path(name)
            target.unlink(missing_ok=True)
            for folder in target.parents:  # as a cold build: no folder left empty
                if folder == self.out or any(folder.iterdir()):
                    break
                folder.rmdir()
        self.files = dict(files)
        return changed + gone


def _same(old: str | bytes | None, new: str | bytes) -> bool:
    """Whether writing new would leave a file holding old unchanged."""
    if old is new:
        return True
    if old is None:
        return False
    if type(old) is type(new):
        return old == new
    return _bytes(old) == _bytes(new)


def _bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data
