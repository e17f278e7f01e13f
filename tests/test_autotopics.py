"""Automatic topics (analyse/autotopics.py) and `suggest-topics`, on the fixture corpus without its topics."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import CONTENT, SEEDS, copy_corpus, run_cli

from litreview.analyse import autotopics
from litreview.engine.pipeline import load_site


def without_topics(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(CONTENT, content)
    shutil.rmtree(content / "topics")
    (content / "topics").mkdir()
    return content


@pytest.fixture(scope="module")
def auto_site(tmp_path_factory):
    return load_site(SEEDS, without_topics(tmp_path_factory.mktemp("auto")))


def test_every_topic_is_automatic_and_sizes_are_in_bounds(auto_site):
    papers, topics = auto_site.papers, auto_site.topics
    assert topics and all(t.automatic for t in topics)
    loose = [p for p in papers if not p.topics]
    assert len(loose) <= 0.05 * len(papers)
    for topic in topics:
        assert autotopics.MIN_PAPERS <= len(topic.papers) <= autotopics.MAX_SHARE * len(papers), topic.slug
        assert topic.slug.startswith("auto-") and topic.title
    assert all(p.topics[0].origin == "automatic" for p in papers if p.topics)


def labels(groups, n):
    out = [-1] * n
    for number, group in enumerate(groups):
        for index in group.members:
            out[index] = number
    return out


def test_grouping_is_deterministic_and_stable(auto_site):
    from sklearn.metrics import adjusted_rand_score

    papers = auto_site.papers
    first = autotopics.find_groups(papers)
    again = autotopics.find_groups(papers)
    assert [(g.slug, g.members, g.weights) for g in first] == [(g.slug, g.members, g.weights) for g in again]

    # Adding one paper (the last, not an anchor NMF starts from) moves few of the others:
    # the worst paper of the 478 keeps an ARI of about 0.8 (NNDSVD's SVD start gave 0.6).
    n = len(papers) - 1
    anchors = sorted(papers, key=lambda p: autotopics._rank_key(p.id))[: autotopics.group_count(n)]
    assert papers[-1] not in anchors
    before, after = labels(first, n + 1)[:n], labels(autotopics.find_groups(papers[:-1]), n)
    assert adjusted_rand_score(before, after) >= 0.75
    # ...and few of them lose most of their group-mates.
    moved = 0
    for index in range(n):
        old = {j for j in range(n) if before[j] == before[index]}
        new = {j for j in range(n) if after[j] == after[index]}
        moved += len(old & new) < 0.5 * len(old | new)
    assert moved <= 0.15 * n


def test_grouping_does_not_depend_on_the_papers_order(auto_site):
    """NMF starts from anchors chosen by a hash of the papers' ids, not by position."""
    papers = auto_site.papers
    by_id = {frozenset(papers[i].id for i in g.members): g.slug for g in autotopics.find_groups(papers)}
    backwards = papers[::-1]
    reversed_groups = {frozenset(backwards[i].id for i in g.members): g.slug for g in autotopics.find_groups(backwards)}
    assert reversed_groups == by_id


def test_hand_topics_leave_few_loose_papers_alone():
    site = load_site(SEEDS, CONTENT)
    assert not any(t.automatic for t in site.topics)


def test_automatic_topics_off(tmp_path):
    content = without_topics(tmp_path)
    site_yml = content / "site.yml"
    text = re.sub(r"(?m)^automatic_topics:.*\n", "", site_yml.read_text(encoding="utf-8"))
    site_yml.write_text(text + "automatic_topics: off\n", encoding="utf-8")
    assert load_site(SEEDS, content).topics == []


def test_too_few_papers_make_no_topic():
    assert autotopics.find_groups([]) == []


def test_suggest_topics_writes_drafts_that_check_accepts(tmp_path, capsys):
    root = copy_corpus(tmp_path)
    shutil.rmtree(root / "content" / "topics")
    seeds, content = str(root / "seeds"), str(root / "content")
    code, out, _ = run_cli(capsys, "suggest-topics", "--seeds", seeds, "--content", content)
    assert code == 0
    written = sorted((root / "content" / "topics").glob("*.md"))
    assert written and "rules reproduce the automatic grouping for" in out
    share = int(out.rsplit("papers (", 1)[1].split("%", 1)[0])
    assert share >= 60
    text = written[0].read_text(encoding="utf-8")
    assert "Drafted by `build.py suggest-topics`" in text and "min_score:" in text
    code, out, _ = run_cli(capsys, "check", "--seeds", seeds, "--content", content)
    assert code == 0, out
    # Never overwrites: a second run skips every file.
    code, out, _ = run_cli(capsys, "suggest-topics", "--seeds", seeds, "--content", content)
    assert code == 0


def test_a_build_with_hand_topics_does_not_import_sklearn(tmp_path):
    import subprocess
    import sys

    from helpers import PROJECT

    code = (
        "import sys\nfrom pathlib import Path\nfrom litreview.engine.pipeline import load_site\n"
        f"load_site(Path({str(SEEDS)!r}), Path({str(CONTENT)!r}))\n"
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(PROJECT)}, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_papers_no_rule_places_are_grouped_after_the_hand_topics(tmp_path):
    content = without_topics(tmp_path)
    shutil.copy(CONTENT / "topics" / "quantization.md", content / "topics" / "quantization.md")
    site = load_site(SEEDS, content)
    assert site.topics[0].slug == "quantization" and not site.topics[0].automatic
    automatic = site.topics[1:]
    assert automatic and all(t.automatic for t in automatic)
    assert all(p.topics[0].origin == "automatic" for t in automatic for p in t.papers)
    assert all(p.topics[0].slug == "quantization" for p in site.topics[0].papers)
