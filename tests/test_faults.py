"""A failed or killed build leaves the previous site/ byte-identical; inputs are never written."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import copy_corpus

ROOT = Path(__file__).resolve().parent.parent


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def run_build(project: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--seeds", "seeds", "--content", "content", "--out", "site", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def leftovers_after_background_removal(project: Path, timeout: float = 60.0) -> list[str]:
    """The build's temporary folders next to site/, once the old site's removal (a process
    of its own, which the build does not wait for) has had time to end."""
    deadline = time.monotonic() + timeout
    while True:
        leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site.")]
        if not leftovers or time.monotonic() > deadline:
            return leftovers
        time.sleep(0.05)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the fixture corpus (seeds/, content/) with one good build in site/."""
    root = copy_corpus(tmp_path_factory.mktemp("project"))
    proc = run_build(root, "--no-cache")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return root


def test_build_that_fails_on_bad_content_leaves_site_untouched(project):
    before = tree_digest(project / "site")
    inputs_before = tree_digest(project / "seeds") | tree_digest(project / "content")
    bad = project / "seeds" / "zzz-broken.txt"
    bad.write_bytes(b"A Title Without Abstract\n")
    try:
        proc = run_build(project, "--no-cache")
        _, err = proc.communicate(timeout=120)
    finally:
        bad.unlink()
    assert proc.returncode == 1
    assert "zzz-broken.txt:1: title" in err
    assert "Traceback" not in err
    assert tree_digest(project / "site") == before
    assert tree_digest(project / "seeds") | tree_digest(project / "content") == inputs_before


def test_build_killed_part_way_leaves_site_byte_identical(project):
    """SIGKILL at many points of a build, including while files are written."""
    inputs_before = tree_digest(project / "seeds") | tree_digest(project / "content")
    started = time.perf_counter()
    proc = run_build(project, "--no-cache", "--force")
    proc.communicate(timeout=120)
    duration = time.perf_counter() - started
    before = tree_digest(project / "site")
    for fraction in (0.2, 0.5, 0.75, 0.9, 0.97):
        proc = run_build(project, "--no-cache", "--force")
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        assert tree_digest(project / "site") == before, f"site changed after a kill at {fraction:.0%}"
    assert tree_digest(project / "seeds") | tree_digest(project / "content") == inputs_before
    # The next build cleans up what killed builds left behind.
    proc = run_build(project, "--no-cache", "--force")
    proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert leftovers_after_background_removal(project) == []
    assert tree_digest(project / "site") == before


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9, 1.3])
def test_interrupted_build_says_so_and_keeps_site(project, delay):
    """Ctrl-C at any stage, including while forked workers run: a clean exit 130."""
    before = tree_digest(project / "site")
    proc = run_build(project, "--no-cache", "--force")
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode != 0:  # it may have finished before the signal on a fast machine
        assert proc.returncode == 130
        assert "Traceback" not in err
    assert tree_digest(project / "site") == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_review_template_that_breaks_part_way_fails_the_build_and_leaves_site_untouched(project, tmp_path, jobs):
    """Reviews are made as the topic pages ask for them, while the workers run: an error in the
    review template of one topic (not the first) still fails the whole build with its file and
    line, and the previous site stays as it was."""
    import shutil

    from litreview.engine.pipeline import BuildOptions, build
    from litreview.errors import InputError

    templates = shutil.copytree(ROOT / "templates", tmp_path / "templates")
    review = templates / "review.md.j2"
    broken = "{% if review.title.startswith('Memory-efficient') %}{{ review.nope }}{% endif %}\n"
    review.write_text(broken + review.read_text(encoding="utf-8"), encoding="utf-8")
    before = tree_digest(project / "site")
    options = BuildOptions(
        seeds=project / "seeds",
        content=project / "content",
        out=project / "site",
        templates=templates,
        static=ROOT / "static",
        cache=None,
        jobs=jobs,
    )
    with pytest.raises(InputError) as caught:
        build(options)
    assert (caught.value.path, caught.value.line) == (str(review), 1)
    assert "template error" in str(caught.value) and "nope" in str(caught.value)
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".site.tmp-*"))
