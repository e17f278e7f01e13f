"""The build cache only ever makes builds faster, never different."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import copy_corpus

ROOT = Path(__file__).resolve().parent.parent


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def build(project: Path, out: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--seeds", "seeds", "--content", "content", "--out", out, *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cached")
    copy_corpus(root)
    build(root, "site", "--cache", ".cache")
    return root


def test_a_rebuild_with_no_change_skips_and_keeps_the_output(project):
    before = digest(project / "site")
    message = build(project, "site", "--cache", ".cache")
    assert "site/ is up to date: no input changed since the last build" in message
    assert digest(project / "site") == before


def test_a_touched_output_file_is_rebuilt(project):
    victim = project / "site" / "index.html"
    original = victim.read_bytes()
    victim.write_text("tampered")
    message = build(project, "site", "--cache", ".cache")
    assert "up to date" not in message
    assert victim.read_bytes() == original


def test_one_paper_changed_gives_the_same_output_as_a_cold_build(project):
    seed = sorted((project / "seeds").glob("*.txt"))[2]
    text = seed.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if len(line) > 400)
    lines[index] = lines[index].replace(".", ". We also report a 3x speedup over the dense baseline.", 1)
    seed.write_text("\n".join(lines), encoding="utf-8")
    build(project, "site", "--cache", ".cache")
    build(project, "cold", "--no-cache")
    assert digest(project / "site") == digest(project / "cold")


def test_a_corrupt_cache_is_ignored(project):
    # Every file: memo tables (related papers among them), search index and
    # term counts, compiled templates, the build manifest.
    corrupted = [path for path in (project / ".cache").rglob("*") if path.is_file()]
    names = {path.name for path in corrupted}
    assert {"memo-related.pickle", "state-search-terms.pickle", "memo-search-index.pickle", "last-build.json"} <= names
    assert any(path.parent.name == "jinja" for path in corrupted)
    for path in corrupted:
        path.write_bytes(b"{not a cache file")
    build(project, "site", "--cache", ".cache")
    build(project, "cold2", "--no-cache")
    assert digest(project / "site") == digest(project / "cold2")


def test_editing_a_topic_intro_and_rules_and_adding_an_override_change_the_next_build(project):
    topic = project / "content" / "topics" / "quantization.md"
    before_topic = topic.read_text(encoding="utf-8")
    seeds_before = digest(project / "seeds")
    topic.write_text(before_topic + "\nA sentence the maintainer just wrote about outliers.\n", encoding="utf-8")
    override = (
        project / "content" / "papers" / "mobilequant-mobile-friendly-quantization-for-on-device-language-models.md"
    )
    override.parent.mkdir(exist_ok=True)
    override.write_text(
        "---\ntopics: [pruning-sparsity]\nvenue: MobiCom 2024\n---\nA reviewer note.\n", encoding="utf-8"
    )
    build(project, "site", "--cache", ".cache")
    page = (project / "site" / "topics" / "quantization.html").read_text(encoding="utf-8")
    assert "A sentence the maintainer just wrote about outliers." in page
    paper = (project / "site" / "papers" / override.stem).with_suffix(".html").read_text(encoding="utf-8")
    assert "MobiCom 2024" in paper and "A reviewer note." in paper
    assert override.stem in (project / "site" / "topics" / "pruning-sparsity.html").read_text(encoding="utf-8")
    # The build never rewrote its inputs.
    assert topic.read_text(encoding="utf-8").startswith(before_topic)
    assert digest(project / "seeds") == seeds_before


def test_a_file_written_in_pieces_is_the_file_written_whole(tmp_path):
    from litreview.engine.output import Staging, content_hash

    staging = Staging(tmp_path / "site")
    sink = staging.sink()
    pieces = ["[\n ", "é" * 3, "", "\u2028x", "\n]\n"]
    sink.stream("papers.json", iter(pieces))
    sink["whole.json"] = "".join(pieces)
    hashes = sink.result().hashes
    assert hashes["papers.json"] == hashes["whole.json"] == content_hash("".join(pieces).encode())
    assert (staging.root / "papers.json").read_bytes() == (staging.root / "whole.json").read_bytes()
    with pytest.raises(ValueError, match="written twice"):
        sink.stream("papers.json", [])
    staging.discard()


def test_unchanged_pages_are_not_rewritten_but_a_tampered_one_is(project):
    build(project, "site", "--cache", ".cache", "--force")
    about = project / "site" / "about.html"
    index = project / "site" / "index.html"
    csv, bib = project / "site" / "papers.csv", project / "site" / "papers.bib"  # written in pieces
    before = about.stat().st_mtime_ns, csv.stat().st_mtime_ns
    index.write_text("tampered after the build")
    bib.write_text("tampered after the build")
    seed = sorted((project / "seeds").glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8").replace(" the ", " the  ", 1), encoding="utf-8")
    build(project, "site", "--cache", ".cache", "--force")
    # linked from the previous site, not written again
    assert (about.stat().st_mtime_ns, csv.stat().st_mtime_ns) == before
    assert "tampered" not in index.read_text(encoding="utf-8") and "tampered" not in bib.read_text(encoding="utf-8")
    assert not list((project / "site").glob(".*"))  # no temporary link left behind
    build(project, "cold3", "--no-cache")
    assert digest(project / "site") == digest(project / "cold3")


def test_two_builds_in_one_process_are_cold_unless_they_share_a_cache(project, tmp_path, monkeypatch):
    """No state outlives a build: only a Cache passed in on purpose (as serve does) is reused."""
    from litreview.analyse import extract
    from litreview.engine.cache import Cache
    from litreview.engine.pipeline import BuildOptions, build
    from litreview.engine.steps import Steps

    calls: list[str] = []
    original = extract.extract_one
    monkeypatch.setattr(extract, "extract_one", lambda title, *args: calls.append(title) or original(title, *args))

    def options(out: str) -> BuildOptions:
        seeds, content = project / "seeds", project / "content"
        return BuildOptions(seeds=seeds, content=content, out=tmp_path / out, cache=None, jobs=1)

    build(options("first"))
    cold = len(calls)
    assert cold > 400
    build(options("second"))
    assert len(calls) == 2 * cold  # the second build computed everything again
    steps = Steps(Cache(None, resident=True))
    build(options("third"), steps)
    build(options("fourth"), steps)
    assert len(calls) == 3 * cold  # the fourth reused the third's results
    assert digest(tmp_path / "first") == digest(tmp_path / "second") == digest(tmp_path / "fourth")


def test_a_cache_nothing_can_read_again_stores_no_value(project, tmp_path) -> None:
    """--no-cache: a cold build looks each key up once, so storing values only holds memory
    (hundreds of MB at 100,000 papers); a resident or on-disk cache stores them."""
    from litreview.engine.cache import Cache
    from litreview.engine.pipeline import BuildOptions, build
    from litreview.engine.steps import Steps

    def tables(cache: Cache) -> dict[str, int]:
        steps = Steps(cache)
        options = BuildOptions(seeds=project / "seeds", content=project / "content", out=tmp_path / "out", jobs=1)
        build(replace(options, cache=cache.folder, force=True), steps)
        return {name: len(table.data) for name, table in cache._tables.items()}

    assert set(tables(Cache(None)).values()) == {0}
    resident, on_disk = tables(Cache(None, resident=True)), tables(Cache(tmp_path / "cache"))
    assert resident["classify"] == on_disk["classify"] > 400
    assert resident["markdown"] == on_disk["markdown"] > 0


def test_a_nested_memo_hit_keeps_its_parts_for_the_next_miss() -> None:
    """serve memoises all paper pages as one entry made of the pages' own entries: after a
    build that hits the whole, the next build that misses it still finds every unchanged page."""
    from litreview.engine.cache import Cache

    cache = Cache(None, resident=True)
    computed: list[str] = []

    def build(whole: str, parts: list[str]) -> list[str]:
        pages = cache.table("part", persistent=False)

        def make() -> list[str]:
            return [pages.get_or_compute(p, lambda p=p: computed.append(p) or p.upper()) for p in parts]

        value = cache.table("whole", persistent=False).get_or_compute_nested(whole, make)
        cache.save()
        return value

    assert build("v1", ["a", "b"]) == ["A", "B"]
    assert build("v1", ["a", "b"]) == ["A", "B"]  # a hit on the whole: no part looked up
    assert build("v2", ["a", "b", "c"]) == ["A", "B", "C"]
    assert computed == ["a", "b", "c"], "a and b survived the build that did not look them up"


def test_a_nested_hit_inside_another_nested_memo_is_recorded_by_it() -> None:
    from litreview.engine.cache import Cache

    cache = Cache(None, resident=True)
    computed: list[str] = []
    inner, middle, outer = (cache.table(name, persistent=False) for name in ("inner", "middle", "outer"))

    def part() -> str:
        return inner.get_or_compute("x", lambda: computed.append("x") or "X")

    def build(outer_key: str) -> str:
        value = outer.get_or_compute_nested(outer_key, lambda: middle.get_or_compute_nested("m", part))
        cache.save()
        return value

    assert build("o1") == "X"
    assert build("o2") == "X"  # middle hits inside a new outer entry, which records middle's parts
    assert build("o2") == "X"  # only the outer is looked up; the inner entry is kept by it
    middle.data.clear()
    assert build("o3") == "X"
    assert computed == ["x"]


def test_a_papers_lists_and_dicts_are_in_the_fields_a_copy_and_a_comparison_handle(project) -> None:
    """fresh_copy copies LIST_FIELDS and same_paper checks the key order of DICT_FIELDS only: no
    stage may put a list or a dict anywhere else on a paper, or an edit could leak into the
    memoised catalogue or a page keep a stale digest."""
    from litreview.engine.pipeline import load_site
    from litreview.engine.steps import DICT_FIELDS, LIST_FIELDS, PAPER_FIELDS, Steps, fresh_copy, same_paper

    site = load_site(project / "seeds", project / "content", steps=Steps())
    for paper in [*site.papers, *site.hidden]:
        kinds = {name: type(getattr(paper, name)) for name in PAPER_FIELDS}
        assert {name for name, kind in kinds.items() if kind is list} <= set(LIST_FIELDS), paper.id
        assert {name for name, kind in kinds.items() if kind is dict} <= set(DICT_FIELDS), paper.id
    paper = next(p for p in site.papers if len(p.entities) > 1)
    copy = fresh_copy(paper)
    assert same_paper(paper, copy) and all(getattr(copy, name) is not getattr(paper, name) for name in LIST_FIELDS)
    assert not hasattr(paper, "__dict__"), "slots: no stage can add an attribute a copy would miss"
    copy.entities = dict(reversed(list(paper.entities.items())))
    assert not same_paper(paper, copy)  # equal dicts, but not in the same order: not the same repr
