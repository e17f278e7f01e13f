"""Added dates come from git history, deterministically, with documented fallbacks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import require_tool
from hypothesis import given
from hypothesis import strategies as st

from litreview.model import Paper, Source
from litreview.read import history


@pytest.fixture(autouse=True, scope="module")
def _git() -> None:
    require_tool(shutil.which("git"), "git")


def git(repo: Path, *args: str, date: str = "2024-03-01T10:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def paper(pid: str, *files: str, date: str | None = None, year: int | None = None) -> Paper:
    return Paper(id=pid, title=pid, abstract="", sources=[Source(f, 1) for f in files], date=date, year=year)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = tmp_path / "repo"
    (root / "seeds").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "seeds" / "a.txt").write_text("a\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "a", date="2024-03-01T23:30:00-05:00")  # 2024-03-02 in UTC
    (root / "seeds" / "b.txt").write_text("b\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "b", date="2025-06-10T08:00:00+00:00")
    (root / "seeds" / "a.txt").write_text("a changed\n")
    git(root, "commit", "-q", "-am", "edit a", date="2026-01-01T08:00:00+00:00")
    return root


def test_seed_dates_are_first_commit_dates_in_utc(repo: Path) -> None:
    assert history.seed_dates(repo / "seeds") == {"a.txt": "2024-03-02", "b.txt": "2025-06-10"}


def test_paper_listed_in_several_files_gets_the_earliest_date(repo: Path) -> None:
    papers = [paper("both", "b.txt", "a.txt"), paper("only-b", "b.txt")]
    history.added_dates(repo / "seeds", papers)
    assert [p.added for p in papers] == ["2024-03-02", "2025-06-10"]


def test_renamed_seed_file_keeps_its_original_date(repo: Path) -> None:
    git(repo, "mv", "seeds/b.txt", "seeds/renamed.txt")
    git(repo, "commit", "-q", "-m", "rename", date="2026-02-02T00:00:00+00:00")
    assert history.seed_dates(repo / "seeds")["renamed.txt"] == "2025-06-10"


def test_uncommitted_file_falls_back_to_listing_date_then_epoch(repo: Path) -> None:
    (repo / "seeds" / "new.txt").write_text("new\n")
    papers = [
        paper("dated", "new.txt", date="Dec 5, 2024", year=2024),
        paper("year", "new.txt", year=2021),
        paper("none", "new.txt"),
    ]
    history.added_dates(repo / "seeds", papers)
    assert [p.added for p in papers] == ["2024-12-05", "2021-01-01", history.FALLBACK_DATE]


def test_source_date_epoch_wins_over_listing_date(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    papers = [paper("dated", "new.txt", date="Dec 5, 2024", year=2024), paper("git", "a.txt")]
    history.added_dates(repo / "seeds", papers)
    assert [p.added for p in papers] == ["2023-11-14", "2024-03-02"]


def test_folder_outside_git_uses_fallbacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "seeds").mkdir()
    papers = [paper("x", "x.txt", date="Jul 4", year=None)]
    history.added_dates(tmp_path / "seeds", papers)
    assert papers[0].added == history.FALLBACK_DATE


def test_without_git_binary_uses_fallbacks(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history.shutil, "which", lambda name: None)
    papers = [paper("x", "a.txt", year=2020)]
    history.added_dates(repo / "seeds", papers)
    assert papers[0].added == "2020-01-01"


def test_shallow_clone_cutoff_additions_are_not_trusted(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True, capture_output=True)
    # Both files look "added" in the single grafted commit; that date is not their real one.
    papers = [paper("x", "a.txt", year=2019)]
    history.added_dates(clone / "seeds", papers)
    assert papers[0].added == "2019-01-01"


def test_parse_git_log_handles_additions_renames_and_odd_names() -> None:
    log = (
        "\x1eaaa 2024-01-01T00:00:00+00:00\0\nA\0x y.txt\0A\0é.txt\0"
        "\x1ebbb 2024-02-01T00:00:00+00:00\0\nR087\0x y.txt\0z.txt\0A\0x y.txt\0"
    )
    assert history.parse_git_log(log) == {"x y.txt": "2024-01-01", "é.txt": "2024-01-01", "z.txt": "2024-01-01"}


def test_two_builds_give_the_same_dates(repo: Path) -> None:
    first, second = [paper("p", "a.txt")], [paper("p", "a.txt")]
    history.added_dates(repo / "seeds", first)
    history.added_dates(repo / "seeds", second)
    assert first[0].added == second[0].added == "2024-03-02"


names = st.text(st.characters(blacklist_characters="\0\x1e/", blacklist_categories=("Cs",)), min_size=1, max_size=12)


@given(
    st.lists(
        st.tuples(st.dates(), st.booleans(), st.lists(st.tuples(st.sampled_from("AR"), names, names), max_size=4)),
        max_size=8,
    )
)
def test_parse_git_log_first_date_wins_and_renames_inherit(commits) -> None:
    """Rendered in git's -z layout, any history parses to: first addition's date, renames keep it."""
    commits = sorted(commits, key=lambda c: c[0])  # git log --reverse: oldest first
    log, expected, cut = "", {}, set()
    for n, (day, is_cut, changes) in enumerate(commits):
        commit = f"{n:040x}"
        if is_cut:
            cut.add(commit)
        log += f"\x1e{commit} {day.isoformat()}T12:00:00+00:00\0\n"
        for status, old, new in changes:
            if status == "A":
                log += f"A\0{old}\0"
                if old not in expected and not is_cut:
                    expected[old] = day.isoformat()
            else:
                log += f"R100\0{old}\0{new}\0"
                inherited = expected.get(old)
                if new not in expected and (inherited or not is_cut):
                    expected[new] = inherited or day.isoformat()
    assert history.parse_git_log(log, cut) == expected
