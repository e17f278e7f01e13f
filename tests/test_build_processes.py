"""Whole builds in separate processes, as users and CI run them.

- Two `python build.py --no-cache` runs of the same inputs, each in its own
  interpreter with its own PYTHONHASHSEED (so set and dict orders that
  depend on string hashes differ), write byte-identical sites.
- A build with nothing changed since the last one (same cache folder)
  imports none of markdown, jinja2 or yaml, in the main process or any
  worker: the up-to-date check must not pay for the renderers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import CONTENT, PROJECT, SEEDS

RENDERERS = ("markdown", "jinja2", "yaml")
# Runs the CLI like build.py, then says which renderers this process imported.
REPORT_IMPORTS = (
    "import sys\n"
    "from litreview.cli import main\n"
    "code = main(sys.argv[1:])\n"
    f"print('imported:', sorted(m for m in {RENDERERS!r} if m in sys.modules))\n"
    "sys.exit(code)\n"
)


def build_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PYTHONHASHSEED")}
    return {**env, "PYTHONPATH": str(PROJECT), **extra}


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_processes_with_different_hash_seeds_write_identical_sites(tmp_path: Path) -> None:
    sites = []
    for hash_seed in ("1", "4242"):
        out = tmp_path / f"site-{hash_seed}"
        inputs = ["--seeds", str(SEEDS), "--content", str(CONTENT), "--out", str(out), "--no-cache"]
        proc = subprocess.run(
            [sys.executable, str(PROJECT / "build.py"), *inputs],
            cwd=tmp_path,
            env=build_env(PYTHONHASHSEED=hash_seed),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        sites.append(tree_bytes(out))
    first, second = sites
    assert len(first) > 100 and "index.html" in first and "papers.json" in first
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_a_no_change_build_imports_no_markdown_jinja_or_yaml(tmp_path: Path) -> None:
    argv = ["--seeds", str(SEEDS), "--content", str(CONTENT), "--out", str(tmp_path / "site")]
    argv += ["--cache", str(tmp_path / "cache")]
    runs = []
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, "-c", REPORT_IMPORTS, *argv],
            cwd=tmp_path,
            # Every process (workers too) reports each import it makes on stderr.
            env=build_env(PYTHONPROFILEIMPORTTIME="1"),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        lines = proc.stderr.splitlines()
        imported = {line.rsplit("|", 1)[-1].strip() for line in lines if line.startswith("import time:")}
        said = proc.stdout + "".join(line for line in lines if not line.startswith("import time:"))
        runs.append((said, {m for m in imported if m.split(".")[0] in RENDERERS}))
    (first_out, first_imports), (second_out, second_imports) = runs
    # The first build renders, so the check below can see an import when one happens.
    assert "imported: ['jinja2', 'markdown', 'yaml']" in first_out and first_imports
    assert "up to date" in second_out
    assert "imported: []" in second_out
    assert second_imports == set()


def test_one_two_and_three_processes_write_identical_sites(tmp_path: Path, monkeypatch) -> None:
    """--jobs 1 renders everything in this process; --jobs 2 forks a worker for the paper pages
    and one for the lists and data files, or (from MANY_PAPERS on) the first alone."""
    from litreview.engine import pipeline
    from litreview.engine.pipeline import BuildOptions, build

    def built(name: str, jobs: int) -> dict[str, bytes]:
        build(BuildOptions(seeds=SEEDS, content=CONTENT, out=tmp_path / name, cache=None, jobs=jobs))
        return tree_bytes(tmp_path / name)

    one, three = built("one", 1), built("three", 2)
    monkeypatch.setattr(pipeline, "MANY_PAPERS", 1)
    two = built("two", 2)
    assert len(one) > 100 and one == three == two
