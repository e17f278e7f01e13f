"""The build cache: one store that every reusable result of a build goes through.

One folder (default .cache/, git-ignored, safe to delete at any time) holds
it all: the memo tables of the pure steps that engine/steps.py declares
(each keyed there by a hash of everything the step reads), the state that
lets related papers recompute only the rows that changed, compiled
templates, and the manifest of the last build, which lets an unchanged
rebuild stop at once. Every file is stamped with a hash of litreview's own
source, so editing the code starts afresh; a missing, stale, foreign or
corrupt file is only a miss, never a different result.

A Cache is an object, not module state: each build makes a fresh one from
the folder unless its caller passes one in, as `serve` does to keep
everything warm between edits. Two builds in one process are independent
cold builds unless they share a Cache on purpose.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

MANIFEST = "last-build.json"
CACHE_FORMAT = 2
_code_version = ""


def code_version() -> str:
    """A hash of litreview's own source (hashed once per process): any code change invalidates the cache."""
    global _code_version
    if not _code_version:
        digest = hashlib.blake2b(digest_size=12)
        digest.update(str(CACHE_FORMAT).encode())
        package = Path(__file__).resolve().parents[1]
        for path in sorted([*package.rglob("*.py"), *package.rglob("*.js")]):
            digest.update(path.read_bytes())
        _code_version = digest.hexdigest()
    return _code_version


def key_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class MemoTable:
    """key (a hash of a step's inputs) -> value, with the keys this build used and hit counts.

    keeps() says whether a value stored now can ever be read again. When not (no folder, not
    resident: `--no-cache`), values are computed and not stored, and get_or_compute does not
    hash their keys: a cold build looks each key up once, and storing every classification,
    review, Markdown conversion and search index held hundreds of MB at 100,000 papers for
    nothing (hashing the keys, 0.2-0.3 s of CPU at 10,000)."""

    def __init__(
        self,
        name: str,
        data: dict[str, Any] | None = None,
        persistent: bool = True,
        recordings: list[list[tuple[MemoTable, str]]] | None = None,
        keeps: Callable[[], bool] = lambda: True,
    ):
        self.name = name
        self.persistent = persistent  # False: kept in memory only, never written to the folder
        self.keeps = keeps
        self.data: dict[str, Any] = data or {}
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self.dirty = False
        # The cache's open recordings (get_or_compute_nested), shared by all its tables.
        self.recordings = recordings if recordings is not None else []

    def get_or_compute(self, key_text: str, compute: Callable[[], Any]) -> Any:
        if not self.keeps():  # nothing stored could be read again: the key is not even hashed
            self.misses += 1
            return compute()
        return self.get_or_compute_hashed(key_hash(key_text), compute)

    def get_or_compute_hashed(self, key: str, compute: Callable[[], Any]) -> Any:
        """get_or_compute with the key's hash made by the caller (who may know it already)."""
        self.used.add(key)
        if self.recordings:
            for recording in self.recordings:
                recording.append((self, key))
        if key in self.data:
            self.hits += 1
            return self.data[key]
        self.misses += 1
        value = compute()
        if self.keeps():
            self.data[key] = value
            self.dirty = True
        return value

    def get_or_compute_nested(self, key_text: str, compute: Callable[[], Any]) -> Any:
        """get_or_compute for a step made of other memoised steps (every paper page, the
        exports): the entries its computation looked up in any table are stored with it, and
        a hit counts them as used again. Otherwise save() would drop them after a build that
        hit the whole, and the next build that misses it would compute every part afresh."""
        assert not self.persistent, "its entries hold the tables they used: memory only"
        recording: list[tuple[MemoTable, str]] = []
        self.recordings.append(recording)
        try:
            value, inner = self.get_or_compute(key_text, lambda: (compute(), recording))
        finally:
            popped = self.recordings.pop()
        assert popped is recording
        if inner is not recording:  # a hit: keep its parts, and tell the recordings around this one
            for table, key in inner:
                table.used.add(key)
            for outer in self.recordings:
                outer.extend(inner)
        return value


def load_versioned(path: Path, version: object) -> Any:
    """What save_versioned(path, version, ...) stored, or None: a missing, corrupt,
    foreign or stale cache file is just a miss."""
    try:
        with path.open("rb") as handle:
            saved, value = pickle.load(handle)
    except Exception:
        return None
    return value if saved == version else None


def save_versioned(path: Path, version: object, value: object) -> None:
    """Pickle (version, value) through a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    with tmp.open("wb") as handle:
        pickle.dump((version, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


class Cache:
    """Memo tables, kept state and the last build's manifest, in memory and (with a folder) on disk.

    folder=None: nothing is read or written on disk. Memo values stay in
    memory for as long as the object lives when it is resident (serve keeps
    it between builds); otherwise nothing could read them again, and they
    are not stored at all.
    """

    def __init__(self, folder: Path | None, resident: bool = False):
        self.folder = folder
        self._tables: dict[str, MemoTable] = {}
        self._recordings: list[list[tuple[MemoTable, str]]] = []  # see MemoTable.get_or_compute_nested
        self._state: dict[str, Any] = {}
        self._state_dirty: set[str] = set()
        self.resident = resident  # kept between builds by its owner (serve): keep state even without a folder

    # ------------------------------------------------------------------ memo tables

    def table(self, name: str, persistent: bool = True) -> MemoTable:
        found = self._tables.get(name)
        if found is None:
            data = self._load(f"memo-{name}.pickle") if persistent else None
            found = self._tables[name] = MemoTable(
                name, data if isinstance(data, dict) else None, persistent, self._recordings, self.keeps_state
            )
        return found

    def state(self, name: str) -> Any:
        """What keep_state(name, ...) stored in this or the last build, or None."""
        if name not in self._state:
            self._state[name] = self._load(f"state-{name}.pickle")
        return self._state[name]

    def keeps_state(self) -> bool:
        """Whether kept state can ever be read again (a folder, or a resident cache)."""
        return self.folder is not None or self.resident

    def keep_state(self, name: str, value: Any) -> None:
        self._state[name] = value
        self._state_dirty.add(name)

    def _load(self, file: str) -> Any:
        return load_versioned(self.folder / file, code_version()) if self.folder is not None else None

    def save(self) -> None:
        """Write what changed, keeping only the memo entries this build used (so the store never grows)."""
        for t in self._tables.values():
            if t.dirty or len(t.used) != len(t.data):
                t.data = {k: v for k, v in t.data.items() if k in t.used}
                if self.folder is not None and t.persistent:
                    self._save(f"memo-{t.name}.pickle", t.data)
            t.dirty, t.used, t.hits, t.misses = False, set(), 0, 0
        for name in sorted(self._state_dirty):
            if self.folder is not None:
                self._save(f"state-{name}.pickle", self._state[name])
        self._state_dirty.clear()

    def _save(self, file: str, value: Any) -> None:
        assert self.folder is not None
        try:
            save_versioned(self.folder / file, code_version(), value)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def stats(self) -> str:
        return "  ".join(f"{t.name} {t.hits}/{t.hits + t.misses} cached" for t in self._tables.values())

    def template_cache(self):
        """Jinja's compiled-template cache in the folder (None without one).

        Jinja keys each entry by template name and source checksum, so an
        edited template is compiled afresh; a cache that cannot be written is ignored.
        """
        if self.folder is None:
            return None
        from jinja2 import FileSystemBytecodeCache

        class QuietBytecodeCache(FileSystemBytecodeCache):
            def dump_bytecode(self, bucket) -> None:
                try:
                    os.makedirs(self.directory, exist_ok=True)
                    super().dump_bytecode(bucket)
                except OSError:
                    pass

        return QuietBytecodeCache(str(self.folder / "jinja"), "%s.cache")

    # ------------------------------------------------------------------ forked workers

    def start_worker(self) -> None:
        """In a freshly forked worker: count only what it uses from now on, so that
        usage() does not send the parent's own entries back through the pipe."""
        for t in self._tables.values():
            t.used = set()
        self._state_dirty.clear()

    def usage(self) -> dict:
        """What this process added to and used from each table, and the state it kept (a worker's share).

        Nothing when it could never be read again (no folder, not resident):
        at 100,000 papers a worker's tables (related papers, the search
        index) are hundreds of MB to pickle through the pipe for nothing."""
        if not self.keeps_state():
            return {"tables": {}, "state": {}}
        tables = {
            name: ({k: t.data[k] for k in t.used if k in t.data}, set(t.used)) for name, t in self._tables.items()
        }
        return {"tables": tables, "state": {name: self._state[name] for name in self._state_dirty}}

    def merge_usage(self, found: dict) -> None:
        """Fold a worker's usage() into this process's cache before save()."""
        for name, (entries, used) in found["tables"].items():
            t = self.table(name)
            new = {k: v for k, v in entries.items() if k not in t.data}
            if new:
                t.data.update(new)
                t.dirty = True
            t.used |= used
        for name, value in found["state"].items():
            self.keep_state(name, value)

    # ------------------------------------------------------------------ the no-change fast path

    def _manifest(self) -> dict | None:
        path = self.folder / MANIFEST if self.folder else None
        if path is None or not path.exists():
            return None
        try:
            saved = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        return saved if isinstance(saved, dict) else None

    def up_to_date(self, key: str, out: Path) -> bool:
        """The output is exactly what the last build with the same inputs wrote."""
        saved = self._manifest()
        if saved is None or not out.is_dir():
            return False
        if saved.get("key") != key or saved.get("out") != str(out.resolve()):
            return False
        recorded = {path: entry[:2] for path, entry in (saved.get("files") or {}).items()}
        return recorded == output_listing(out)

    def previous_outputs(self, out: Path) -> dict[str, list]:
        """path -> [size, mtime_ns, content hash] of the last build into out, if recorded."""
        saved = self._manifest()
        if saved is None or saved.get("out") != str(out.resolve()):
            return {}
        files = saved.get("files")
        return files if isinstance(files, dict) else {}

    def record(self, key: str, out: Path, hashes: dict[str, str] | None = None) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        hashes = hashes or {}
        listing = {path: [*stat, hashes.get(path)] for path, stat in output_listing(out).items()}
        data = {"key": key, "out": str(out.resolve()), "files": listing}
        tmp = self.folder / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, self.folder / MANIFEST)

    def forget(self) -> None:
        if self.folder and (self.folder / MANIFEST).exists():
            (self.folder / MANIFEST).unlink()


def _files_under(root: Path) -> list[Path]:
    if not root.exists():
        return []
    if root.is_file():
        return [root]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        found.extend(Path(dirpath) / f for f in sorted(filenames) if not f.startswith("."))
    return found


def git_head(start: Path) -> str:
    """The checked-out commit, read from .git directly (no subprocess)."""
    for folder in [start.resolve(), *start.resolve().parents]:
        git = folder / ".git"
        if git.is_dir():
            try:
                head = (git / "HEAD").read_text().strip()
                if head.startswith("ref: "):
                    ref = git / head[5:]
                    if ref.exists():
                        return ref.read_text().strip()
                    packed = git / "packed-refs"
                    if packed.exists():
                        for line in packed.read_text().splitlines():
                            if line.endswith(" " + head[5:]):
                                return line.split()[0]
                return head
            except OSError:
                return ""
    return ""


def fingerprint(inputs: list[Path], extra: dict) -> str:
    """A hash of every input file's name and bytes, plus settings in extra and litreview's own code."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps({"format": CACHE_FORMAT, **extra}, sort_keys=True, default=str).encode())
    for root in inputs:
        for path in _files_under(root):
            digest.update(str(path.relative_to(root) if path != root else path.name).encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    digest.update(code_version().encode())
    return digest.hexdigest()


def output_listing(out: Path) -> dict[str, list[int]]:
    """Size and modification time of every output file: detects any change to site/."""
    listing = {}
    for path in _files_under(out):
        st = path.stat()
        listing[str(path.relative_to(out))] = [st.st_size, st.st_mtime_ns]
    return listing
