"""Build cache: skip a build whose inputs and output are exactly as last time.

The cache folder (default .cache/, git-ignored) is safe to delete at any
time: it only ever makes builds faster, never different. A build records a
fingerprint of everything that can change its output (seeds, content,
templates, static, litreview's own code, the git commit for "added" dates)
and a stat listing of the output it wrote. When both match, the output is
already what a build would write.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from litreview.engine.memo import code_version

MANIFEST = "last-build.json"
CACHE_FORMAT = 1


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
    """A hash of every input file's name and bytes, plus settings in extra."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps({"format": CACHE_FORMAT, **extra}, sort_keys=True, default=str).encode())
    for root in inputs:
        for path in _files_under(root):
            digest.update(str(path.relative_to(root) if path != root else path.name).encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    digest.update(code_version().encode())  # litreview's own source, hashed once per process
    return digest.hexdigest()


def output_listing(out: Path) -> dict[str, list[int]]:
    """Size and modification time of every output file: detects any change to site/."""
    listing = {}
    for path in _files_under(out):
        st = path.stat()
        listing[str(path.relative_to(out))] = [st.st_size, st.st_mtime_ns]
    return listing


class BuildCache:
    """The no-change fast path, plus a home for other stages' caches."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def path(self, name: str) -> Path | None:
        if self.folder is None:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / name

    def up_to_date(self, key: str, out: Path) -> bool:
        manifest = self.folder / MANIFEST if self.folder else None
        if manifest is None or not manifest.exists() or not out.is_dir():
            return False
        try:
            saved = json.loads(manifest.read_text())
        except (OSError, ValueError):
            return False
        if saved.get("key") != key or saved.get("out") != str(out.resolve()):
            return False
        recorded = {path: entry[:2] for path, entry in (saved.get("files") or {}).items()}
        return recorded == output_listing(out)

    def previous_outputs(self, out: Path) -> dict[str, list]:
        """path -> [size, mtime_ns, content hash] of the last build into out, if recorded."""
        manifest = self.folder / MANIFEST if self.folder else None
        if manifest is None or not manifest.exists():
            return {}
        try:
            saved = json.loads(manifest.read_text())
        except (OSError, ValueError):
            return {}
        if not isinstance(saved, dict) or saved.get("out") != str(out.resolve()):
            return {}
        files = saved.get("files")
        return files if isinstance(files, dict) else {}

    def record(self, key: str, out: Path, hashes: dict[str, str] | None = None) -> None:
        target = self.path(MANIFEST)
        if target is None:
            return
        hashes = hashes or {}
        listing = {path: [*stat, hashes.get(path)] for path, stat in output_listing(out).items()}
        data = {"key": key, "out": str(out.resolve()), "files": listing}
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, target)

    def forget(self) -> None:
        if self.folder and (self.folder / MANIFEST).exists():
            (self.folder / MANIFEST).unlink()
