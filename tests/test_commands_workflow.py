"""The pull-request workflow end to end, in a temporary git repository.

A contributor adds a paper with `add`, commits, and the build shows it on
its topic page, in the search index and in the feed; `diff BASE` reports
what a change does to the catalogue (added, removed, retitled, moved).
"""

from __future__ import annotations

import html
import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import copy_corpus, run_cli

from litreview.commands.diff import Catalogue, PaperState, compare, md, render_markdown

TITLE = "Sparse Widgets: Faster Quantized Inference for Tiny Language Models"
ABSTRACT = (
    "We present sparse widgets, a way to quantize tiny language models to 4-bit weights before deployment. "
    "Sparse widgets make tiny models run three times faster on small devices without losing accuracy."
)
NEW_ID = "sparse-widgets-faster-quantized-inference-for-tiny-language-models"


def git(repo: Path, *args: str, date: str = "2020-01-01T00:00:00Z") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding a copy of the fixture corpus (seeds/, content/), committed in 2020."""
    copy_corpus(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "seeds", "content")
    git(tmp_path, "commit", "-q", "-m", "base")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def test_added_paper_shows_on_its_topic_page_in_search_index_and_feed(repo: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "add", "--title", TITLE, "--abstract", ABSTRACT)
    assert code == 0, err
    git(repo, "add", "seeds/added.txt")
    git(repo, "commit", "-q", "-m", "add a paper", date="2030-01-01T00:00:00Z")
    code, _, err = run_cli(capsys, "build", "--out", str(repo / "site"))
    assert code == 0, err
    site = repo / "site"

    record = next(p for p in json.loads((site / "papers.json").read_text(encoding="utf-8")) if p["id"] == NEW_ID)
    assert record["title"] == TITLE
    assert record["topics"], "the paper matches a topic's rules"
    primary = record["topics"][0]
    primary = primary["slug"] if isinstance(primary, dict) else primary
    assert html.escape(TITLE, quote=False) in (site / "topics" / f"{primary}.html").read_text(encoding="utf-8")
    assert (site / "papers" / f"{NEW_ID}.html").is_file()
    assert any(NEW_ID in p.read_text(encoding="utf-8") for p in (site / "search" / "d").glob("*.js"))
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert f"papers/{NEW_ID}.html" in feed  # committed last, so newest in the feed
    assert html.escape(TITLE, quote=False) in feed


def test_diff_reports_added_retitled_and_moved_papers_as_markdown(repo: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "parse", "--format", "json")
    victim = json.loads(out)[0]
    code, out, _ = run_cli(capsys, "explain", "--format", "json", victim["id"])
    before_topics = [t["slug"] for t in json.loads(out)["topics"]]
    target = "scaling-laws" if "scaling-laws" not in before_topics else "quantization"
    assert run_cli(capsys, "add", "--title", TITLE, "--abstract", ABSTRACT)[0] == 0
    (repo / "content/papers").mkdir(exist_ok=True)
    (repo / f"content/papers/{victim['id']}.md").write_text(
        f'---\ntitle: "A *better* title"\ntopics: [{target}]\n---\n', encoding="utf-8"
    )
    code, out, err = run_cli(capsys, "diff", "main")
    assert code == 0, err
    assert out.startswith("### Catalogue changes against `main`\n\n478 → 479 papers on the site.\n")
    assert f"**Added (1)**\n\n- {md(TITLE)} (`{NEW_ID}`) → `" in out
    assert f"- `{victim['id']}`: {md(victim['title'])} → A \\*better\\* title" in out
    assert f"(`{victim['id']}`): {', '.join(f'`{s}`' for s in before_topics) or 'no topic'} → `{target}`" in out
    code, out, _ = run_cli(capsys, "diff", "main", "--format", "json")
    data = json.loads(out)
    assert [a["id"] for a in data["added"]] == [NEW_ID]
    assert data["retitled"] == [{"id": victim["id"], "before": victim["title"], "after": "A *better* title"}]
    assert data["moved"][0]["after"] == [target]


def test_diff_with_no_changes_says_so(repo: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "diff", "HEAD")
    assert code == 0
    assert out.endswith("No papers were added, removed, retitled, moved or edited.\n")


def test_diff_against_an_unknown_revision_is_a_usage_error(repo: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "diff", "no-such-branch")
    assert code == 2
    assert "unknown git revision 'no-such-branch'" in err


def test_compare_reports_removed_papers_and_topic_counts() -> None:
    old = Catalogue(
        {"a": PaperState("a", "A", ["t"], False), "b": PaperState("b", "B", ["t"], False)}, {"t": "T"}, {"t": 2}
    )
    new = Catalogue({"a": PaperState("a", "A", ["t"], True)}, {"t": "T", "u": "U"}, {"t": 0, "u": 0})
    changes = compare("main", old, new)
    assert [r["id"] for r in changes.removed] == ["b"]
    assert changes.hidden == [{"id": "a", "title": "A"}]
    assert {t["slug"]: (t["before"], t["after"]) for t in changes.topics} == {"t": (2, 0), "u": (None, 0)}
    text = render_markdown(changes)
    assert "**Removed (1)**" in text and "**Hidden (1)**" in text
    assert "| T (`t`) | 2 | 0 |" in text and "| U (`u`) | new | 0 |" in text


def test_markdown_escaping_keeps_seed_text_literal() -> None:
    assert md("a_b *c* [d](e) <f> 1-bit ~x~") == "a\\_b \\*c\\* \\[d\\](e) &lt;f\\> 1-bit \\~x\\~"


def test_a_title_edited_in_a_seed_file_is_retitled_and_its_old_url_redirects(repo: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "parse", "--format", "json")
    paper = json.loads(out)[0]
    seed = repo / "seeds" / paper["sources"][0]["file"]
    seed.write_text(seed.read_text(encoding="utf-8").replace(paper["title"], paper["title"] + " Revisited", 1), "utf-8")
    code, out, err = run_cli(capsys, "diff", "main", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["added"] == [] and data["removed"] == []
    (item,) = data["retitled"]
    assert item["old_id"] == paper["id"]
    assert item["after"] == paper["title"] + " Revisited"
    assert item["redirects"] is True
    # Git remembers the old title: the old address redirects, with no alias written by hand, and diff says so.
    code, out, _ = run_cli(capsys, "diff", "main")
    new_id = item["id"]
    assert f"(id was `{paper['id']}`: the old URL redirects)" in out
    assert run_cli(capsys, "build")[0] == 0
    redirect = (repo / "site" / "papers" / f"{paper['id']}.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="refresh" content="0; url={new_id}.html">' in redirect


def test_diff_shows_which_export_now_gives_a_papers_title_and_metadata(repo: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "parse", "--format", "json")
    paper = json.loads(out)[0]
    # The same paper exported from a reference manager, its title in lower case: exports rank before listings.
    lower = paper["title"].lower()
    (repo / "seeds" / "zotero.bib").write_text(
        "@article{doe2024,\n  title = {" + lower + "},\n  author = {Doe, Jane and {Tabula Sapiens Consortium}},\n"
        "  journal = {Nature},\n  year = {2024},\n  doi = {10.1000/xyz}\n}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(capsys, "diff", "main")
    assert code == 0, err
    assert f"- `{paper['id']}`: {md(paper['title'])} → {md(lower)}" in out
    assert (
        f"**Metadata changed (1)**\n\n- {md(lower)} (`{paper['id']}`): authors none → Jane Doe, Tabula Sapiens "
        "Consortium; year " + (str(paper["year"]) if paper["year"] else "none") + " → 2024; venue none → Nature; "
        "entry_type none → article; doi none → 10.1000/xyz; now also in `zotero.bib`"
    ) in out
