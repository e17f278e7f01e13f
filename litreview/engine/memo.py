"""Content-hash memo tables that survive between builds in the cache folder.

A stage whose result is a pure function of some text (Markdown -> HTML,
an abstract -> its claims) looks the text's hash up here first. Tables are
loaded once per build and saved after a successful one; a missing, stale
or corrupt file only means recomputing, never a different result. The
version string of each table must change whenever its function changes
output; the code fingerprint is part of it, so editing litreview resets them.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

_tables: dict[str, MemoTable] = {}
_folder: Path | None = None
_code_version = ""


def code_version() -> str:
    """A hash of litreview's own source: any code change invalidates every table."""
    global _code_version
    if not _code_version:
        digest = hashlib.blake2b(digest_size=12)
        package = Path(__file__).resolve().parents[1]
        for path in sorted([*package.rglob("*.py"), *package.rglob("*.js")]):
            digest.update(path.read_bytes())
        _code_version = digest.hexdigest()
    return _code_version


class MemoTable:
    """key (a hash of the inputs) -> value, with hit counts for --verbose."""

    def __init__(self, name: str):
        self.name = name
        self.data: dict[str, Any] = {}
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self.dirty = False

    def get_or_compute(self, key_text: str, compute: Callable[[], Any]) -> Any:
        key = hashlib.blake2b(key_text.encode("utf-8"), digest_size=16).hexdigest()
        self.used.add(key)
        if key in self.data:
            self.hits += 1
            return self.data[key]
        self.misses += 1
        value = compute()
        self.data[key] = value
        self.dirty = True
        return value


def table(name: str) -> MemoTable:
    found = _tables.get(name)
    if found is None:
        found = _tables[name] = MemoTable(name)
        _load(found)
    return found


def _path(name: str) -> Path | None:
    return _folder / f"memo-{name}.pickle" if _folder else None


def load_versioned(path: Path, version: object) -> Any:
    """What save_versioned(path, version, ...) stored, or None: a missing,
    corrupt, foreign or stale cache file is just a miss."""
    try:
        with path.open("rb") as handle:
            saved, value = pickle.load(handle)
    except Exception:
        return None
    return value if saved == version else None


def save_versioned(path: Path, version: object, value: object) -> None:
    """Pickle (version, value) to path through a temporary file and a rename,
    so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    with tmp.open("wb") as handle:
        pickle.dump((version, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _load(t: MemoTable) -> None:
    path = _path(t.name)
    data = load_versioned(path, code_version()) if path is not None else None
    if isinstance(data, dict):
        t.data = data


def use_folder(folder: Path | None) -> None:
    """Point the memo tables at a cache folder (None: memory only, this process)."""
    global _folder
    if folder != _folder:
        _tables.clear()
    _folder = folder


def folder() -> Path | None:
    return _folder


def save() -> None:
    """Write changed tables, keeping only the entries this build used."""
    if _folder is None:
        return
    _folder.mkdir(parents=True, exist_ok=True)
    for t in _tables.values():
        if not t.dirty and len(t.used) == len(t.data):
            continue
        kept = {k: v for k, v in t.data.items() if k in t.used}
        path = _path(t.name)
        assert path is not None
        save_versioned(path, code_version(), kept)
        t.data, t.dirty = kept, False
        t.used = set()


def start_worker() -> None:
    """In a freshly forked worker: count only what it uses from now on.

    Without this, usage() would send the parent's own entries (inherited
    with the fork) back to the parent: at 10,000 papers, megabytes of
    classification results through a pipe for nothing.
    """
    for t in _tables.values():
        t.used = set()


def usage() -> dict[str, tuple[dict[str, Any], set[str]]]:
    """What this process added to and used from each table since start_worker() (a forked worker's share)."""
    return {name: ({k: t.data[k] for k in t.used if k in t.data}, set(t.used)) for name, t in _tables.items()}


def merge_usage(found: dict[str, tuple[dict[str, Any], set[str]]]) -> None:
    """Fold a worker's usage() into this process's tables before save()."""
    for name, (entries, used) in found.items():
        t = table(name)
        new = {k: v for k, v in entries.items() if k not in t.data}
        if new:
            t.data.update(new)
            t.dirty = True
        t.used |= used


def template_cache():
    """Jinja's compiled-template cache in the cache folder (None without one).

    Jinja keys each entry by template name and source checksum, so an edited
    template is compiled afresh; a cache that cannot be written is ignored.
    """
    if _folder is None:
        return None
    from jinja2 import FileSystemBytecodeCache

    class QuietBytecodeCache(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket) -> None:
            try:
                os.makedirs(self.directory, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return QuietBytecodeCache(str(_folder / "jinja"), "%s.cache")


def stats() -> str:
    return "  ".join(f"{t.name} {t.hits}/{t.hits + t.misses} cached" for t in _tables.values())
