"""`init`: a new review in an empty folder or in a fork that still holds another review."""

from __future__ import annotations

from pathlib import Path

from helpers import copy_corpus, run_cli

from litreview.analyse.claims import default_kinds
from litreview.commands.init import CLAIMS_YML, pages_url
from litreview.engine.pipeline import load_site


def test_init_in_an_empty_folder_copies_the_code_and_starts_a_review(tmp_path, capsys):
    root = tmp_path / "review"
    args = ["--title", "Genomics ML", "--author", "Lab X", "--repository", "https://github.com/labx/gen"]
    code, out, err = run_cli(capsys, "init", str(root), *args)
    assert code == 0, err
    for name in ("build.py", "litreview/cli.py", "Makefile", ".github/workflows/pages.yml", "tests/helpers.py"):
        assert (root / name).is_file(), name
    site_yml = (root / "content" / "site.yml").read_text(encoding="utf-8")
    assert 'title: "Genomics ML"' in site_yml and "base_url: https://labx.github.io/gen/" in site_yml
    assert sorted(p.name for p in (root / "content" / "topics").iterdir()) == [".gitkeep"]
    assert [p.name for p in (root / "seeds").iterdir()] == ["example.txt"]
    site = load_site(root / "seeds", root / "content")
    assert len(site.papers) == 1 and site.topics == [] and site.tags == []
    assert (root / "content" / "claims.yml").is_file() and site.claim_kinds == list(default_kinds().names)
    assert site.config.title == "Genomics ML" and [p.slug for p in site.pages] == ["about"]


def test_init_refuses_to_replace_a_review_unless_told(tmp_path, capsys):
    root = copy_corpus(tmp_path)
    (root / "build.py").write_text("# the fork's code\n", encoding="utf-8")
    (root / "notes.md").write_text("mine\n", encoding="utf-8")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    code, _, err = run_cli(capsys, "init", str(root), "--title", "New")
    assert code == 2 and "pass --replace" in err
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before

    code, _, err = run_cli(capsys, "init", str(root), "--title", "New", "--replace")
    assert code == 0, err
    assert [p.name for p in (root / "seeds").iterdir()] == ["example.txt"]
    assert not (root / "content" / "papers").exists()
    assert sorted(p.name for p in (root / "content" / "topics").iterdir()) == [".gitkeep"]
    # Nothing but seeds/ and content/ is touched; the code is not copied over the fork's.
    assert (root / "notes.md").read_text(encoding="utf-8") == "mine\n"
    assert (root / "build.py").read_text(encoding="utf-8") == "# the fork's code\n"
    assert not (root / "litreview").exists()


def test_init_rejects_a_repository_that_is_not_https(tmp_path, capsys):
    code, _, err = run_cli(capsys, "init", str(tmp_path / "r"), "--repository", "git@github.com:a/b.git")
    assert code == 2 and "https://" in err
    assert not (tmp_path / "r").exists()


def test_pages_url():
    assert pages_url("https://github.com/labx/gen") == "https://labx.github.io/gen/"
    assert pages_url("https://github.com/labx/labx.github.io.git") == "https://labx.github.io/"
    assert pages_url("https://example.org/x") is None


def test_init_without_flags_off_a_terminal_asks_nothing(tmp_path, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, _ = run_cli(capsys, "init", str(tmp_path / "r"))
    assert code == 0
    assert 'title: "Literature review"' in Path(tmp_path / "r" / "content" / "site.yml").read_text(encoding="utf-8")


def test_the_claims_yml_init_writes_keeps_the_defaults_and_its_examples_work(tmp_path):
    """Uncommenting the examples gives a valid file whose kinds come first."""
    from litreview.errors import ErrorCollector
    from litreview.read.claimkinds import load_kinds

    errors = ErrorCollector()
    (tmp_path / "claims.yml").write_text(CLAIMS_YML, encoding="utf-8")
    assert load_kinds(tmp_path, errors).names == default_kinds().names and not errors.errors
    uncommented = "\n".join(
        line.replace("# ", "", 1) if line.startswith(("  # ", "# units", "#   ")) else line
        for line in CLAIMS_YML.splitlines()
    )
    (tmp_path / "claims.yml").write_text(uncommented, encoding="utf-8")
    kinds = load_kinds(tmp_path, errors)
    assert not errors.errors, [str(e) for e in errors.errors]
    assert kinds.names[:3] == ("binding affinity", "crop yield", "rmsd")
