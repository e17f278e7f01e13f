"""A review of another field: automatic topics only, its own tag groups, uncommitted seeds,
and the small fixes met on the way (empty topics, new-topic's comment)."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import CONTENT, PROJECT, SEEDS, run_cli

from litreview.analyse import classify
from litreview.engine.pipeline import load_site

OTHER_SEEDS = PROJECT / "tests" / "data" / "other-corpus" / "seeds"
TAGS = """\
human:
  name: Human
  group: organism
  include: [donors, patients]
  min_score: 1
single-cell:
  name: Single-cell RNA-seq
  group: assay
  include: [single-cell]
  min_score: 1
"""


def new_review(root: Path, capsys) -> Path:
    code, _, err = run_cli(capsys, "init", str(root), "--title", "Computational biology")
    assert code == 0, err
    (root / "seeds" / "example.txt").unlink()
    for path in OTHER_SEEDS.iterdir():
        shutil.copy(path, root / "seeds" / path.name)
    (root / "content" / "tags.yml").write_text(TAGS, encoding="utf-8")
    return root


def test_a_new_review_of_another_field_builds_with_automatic_topics(tmp_path, capsys):
    root = new_review(tmp_path / "bio", capsys)
    out = tmp_path / "site"
    seeds, content = str(root / "seeds"), str(root / "content")
    code, _, err = run_cli(capsys, "--seeds", seeds, "--content", content, "--out", str(out), "--no-cache")
    assert code == 0, err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="badge">automatic' in index
    # Tag groups are whatever tags.yml declares, in its order.
    assert index.index(">Organism</h3>") < index.index(">Assay</h3>")
    # Seeds outside any git history: "not yet committed", not 1970-01-01.
    assert "not yet committed" in index and "1970-01-01" not in index
    topic = next((out / "topics").glob("auto-*.html")).read_text(encoding="utf-8")
    assert "Automatic topic" in topic and "Edit this topic" not in topic
    code, out_text, _ = run_cli(capsys, "check", "--seeds", seeds, "--content", content)
    assert code == 0 and "automatic topic(s) found by their text" in out_text


def test_a_topic_that_matches_no_paper_is_named_in_a_warning(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    code, _, err = run_cli(
        capsys, "new-topic", "zebrafish-genetics", "--title", "Zebrafish genetics", "--content", str(content)
    )
    assert code == 0, err
    site = load_site(SEEDS, content)
    warnings = classify.diagnose(site)
    assert any(
        "topic 'zebrafish-genetics' matches no paper: no paper reaches its min_score 3 "
        "with the include terms [zebrafish genetics]" in w
        for w in warnings
    )


def test_the_new_topic_comment_does_not_reach_the_site(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    run_cli(capsys, "new-topic", "zebrafish-genetics", "--title", "Zebrafish genetics", "--content", str(content))
    out = tmp_path / "site"
    code, _, err = run_cli(capsys, "--seeds", str(SEEDS), "--content", str(content), "--out", str(out), "--no-cache")
    assert code == 0, err
    for name in ("zebrafish-genetics.md", "zebrafish-genetics.html"):
        text = (out / "topics" / name).read_text(encoding="utf-8")
        assert "The intro: a few paragraphs" not in text and "&lt;!--" not in text
        assert "No paper has this topic as its main topic yet." in text
