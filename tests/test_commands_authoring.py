"""Authoring commands on a temporary copy of the repository: add, new-topic, new-override, explain.

Each test copies the fixture corpus (tests/data/corpus) into tmp_path and runs
the CLI there (the `project` fixture of conftest.py), so no input is ever touched.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from helpers import run_cli

from litreview.read.listings import parse_seed_text

ABSTRACT = (
    "We present sparse widgets, a way to prune tiny language models before deployment. "
    "Sparse widgets make tiny models run three times faster on small devices without losing accuracy."
)
TITLE = "Sparse Widgets: Faster Inference for Tiny Language Models"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def first_paper(capsys) -> dict:
    code, out, _ = run_cli(capsys, "parse", "--format", "json")
    assert code == 0
    return json.loads(out)[0]


# --- add -------------------------------------------------------------------


def test_add_appends_one_paper_to_seeds_added_txt(project: Path, capsys) -> None:
    before = snapshot(project / "seeds")
    code, out, err = run_cli(capsys, "add", "--title", TITLE, "--abstract", ABSTRACT)
    assert code == 0, err
    assert out == f"added sparse-widgets-faster-inference-for-tiny-language-models to seeds/added.txt:1: {TITLE}\n"
    assert (project / "seeds/added.txt").read_text(encoding="utf-8") == f"{TITLE}\n\n{ABSTRACT}\n"
    after = snapshot(project / "seeds")
    assert {k: v for k, v in after.items() if k != "added.txt"} == before  # no other file touched
    code, out, _ = run_cli(capsys, "parse", "--format", "json")
    ids = [p["id"] for p in json.loads(out)]
    assert ids[-1] == "sparse-widgets-faster-inference-for-tiny-language-models"


def test_add_twice_appends_with_a_blank_line_and_keeps_existing_lines(project: Path, capsys) -> None:
    assert run_cli(capsys, "add", "--title", TITLE, "--abstract", ABSTRACT)[0] == 0
    first = (project / "seeds/added.txt").read_bytes()
    code, out, err = run_cli(capsys, "add", "--title", "Another Widget Paper", "--abstract", ABSTRACT)
    assert code == 0, err
    text = (project / "seeds/added.txt").read_bytes()
    assert text.startswith(first)
    assert text[len(first) :] == f"\nAnother Widget Paper\n\n{ABSTRACT}\n".encode()
    assert "seeds/added.txt:5:" in out


def test_add_to_a_file_without_final_newline_adds_one_first(project: Path, capsys) -> None:
    target = project / "seeds/mine.txt"
    target.write_text(f"First Paper Of Mine\n\n{ABSTRACT}", encoding="utf-8")  # no final newline
    code, _, err = run_cli(capsys, "add", "--title", TITLE, "--abstract", ABSTRACT, "--file", "seeds/mine.txt")
    assert code == 0, err
    entries = parse_seed_text(target.read_text(encoding="utf-8"), "mine.txt").entries
    assert [(e.title, e.abstract) for e in entries] == [("First Paper Of Mine", ABSTRACT), (TITLE, ABSTRACT)]


def test_add_keeps_the_compact_layout_of_an_existing_compact_file(project: Path, capsys) -> None:
    compact = next(p for p in sorted((project / "seeds").glob("*.txt")) if "\n\n" not in p.read_text(encoding="utf-8"))
    old = compact.read_bytes()
    old_entries = parse_seed_text(old.decode(), compact.name).entries
    code, _, err = run_cli(capsys, "add", "--title", TITLE, "--abstract", ABSTRACT, "--file", f"seeds/{compact.name}")
    assert code == 0, err
    new = compact.read_bytes()
    assert new.startswith(old)
    assert b"\n\n" not in new[len(old) :]
    parsed = parse_seed_text(new.decode(), compact.name)
    assert parsed.layout.startswith("compact")
    assert [(e.title, e.abstract) for e in parsed.entries] == [(e.title, e.abstract) for e in old_entries] + [
        (TITLE, ABSTRACT)
    ]


def test_add_refuses_a_duplicate_naming_the_existing_paper_and_its_file_line(project: Path, capsys) -> None:
    paper = first_paper(capsys)
    source = paper["sources"][0]
    shouty = paper["title"].upper() + "!"
    code, out, err = run_cli(capsys, "add", "--title", shouty, "--abstract", ABSTRACT)
    assert code == 1
    assert f"already in the catalogue as paper {paper['id']} (seeds/{source['file']}:{source['line']})" in err
    assert f"build.py new-override {paper['id']}" in err
    assert not (project / "seeds/added.txt").exists()


def test_add_refuses_duplicates_within_a_pasted_listing(project: Path, capsys, monkeypatch) -> None:
    listing = f"Widget One\n\n{ABSTRACT}\n\nwidget one.\n\n{ABSTRACT}\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(listing))
    code, _, err = run_cli(capsys, "add", "--from", "-")
    assert code == 1
    assert '<stdin>:5: "widget one." is listed twice in what you are adding (first at line 1)' in err
    assert not (project / "seeds/added.txt").exists()


def test_add_from_a_pasted_compact_listing_with_page_chrome(project: Path, capsys) -> None:
    pasted = project / "pasted.txt"
    pasted.write_text(
        f"Get trending papers in your email inbox!\nSubscribeWidget One\n{ABSTRACT}\nWidget Two\n{ABSTRACT}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(capsys, "add", "--from", str(pasted))
    assert code == 0, err
    assert out.splitlines() == [
        "added widget-one to seeds/added.txt:1: Widget One",
        "added widget-two to seeds/added.txt:5: Widget Two",
    ]
    text = (project / "seeds/added.txt").read_text(encoding="utf-8")
    assert text == f"Widget One\n\n{ABSTRACT}\n\nWidget Two\n\n{ABSTRACT}\n"


@pytest.mark.parametrize(
    "title, abstract, message",
    [
        ("", ABSTRACT, "--title: the title is empty"),
        (TITLE, "Too short.", "--abstract: the abstract is too short to tell apart from a title"),
        (ABSTRACT * 3, ABSTRACT, "--title: this looks like an abstract, not a title"),
    ],
)
def test_add_rejects_bad_title_or_abstract(project: Path, capsys, title: str, abstract: str, message: str) -> None:
    code, _, err = run_cli(capsys, "add", "--title", title, "--abstract", abstract)
    assert code in (1, 2)
    assert message in err or (title == "" and "give --title and --abstract" in err)
    assert not (project / "seeds/added.txt").exists()


def test_add_refuses_a_title_that_would_read_back_as_page_chrome(project: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "add", "--title", "Subscribe", "--abstract", ABSTRACT)
    assert code == 1
    assert "seeds/added.txt" in err and "reword the title or abstract" in err
    assert not (project / "seeds/added.txt").exists()


def test_add_refuses_a_file_outside_the_seeds_folder(project: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "add", "--title", TITLE, "--abstract", ABSTRACT, "--file", "content/x.txt")
    assert code == 2
    assert "must be directly inside seeds/" in err


def test_add_dry_run_writes_nothing(project: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "add", "--title", TITLE, "--abstract", ABSTRACT, "--dry-run")
    assert code == 0
    assert out == f"{TITLE}\n\n{ABSTRACT}\n"
    assert not (project / "seeds/added.txt").exists()


# --- new-topic ---------------------------------------------------------------


def test_new_topic_creates_a_topic_that_loads(project: Path, capsys) -> None:
    code, out, err = run_cli(
        capsys, "new-topic", "sparse-widgets", "--title", "Sparse widgets", "--description", "Widgets."
    )
    assert code == 0, err
    assert out == "created content/topics/sparse-widgets.md: edit its rules and intro, then run: build.py check\n"
    text = (project / "content/topics/sparse-widgets.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Sparse widgets"\n')
    assert "rules:\n" in text and "min_score: 3" in text
    from litreview.engine.pipeline import load_site

    site = load_site(project / "seeds", project / "content")
    topic = site.topic("sparse-widgets")
    assert topic.title == "Sparse widgets"


def test_new_topic_refuses_to_overwrite(project: Path, capsys) -> None:
    (project / "content/topics").mkdir(parents=True, exist_ok=True)
    existing = project / "content/topics/widgets.md"
    existing.write_text("---\ntitle: Mine\n---\nhand written\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "new-topic", "widgets", "--title", "Other")
    assert code == 1
    assert "content/topics/widgets.md: already exists; edit it instead" in err
    assert existing.read_text(encoding="utf-8") == "---\ntitle: Mine\n---\nhand written\n"


def test_new_topic_rejects_an_unsafe_slug_with_a_suggestion(project: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "new-topic", "Sparse Widgets!", "--title", "X")
    assert code == 1
    assert "not a valid topic slug" in err and "for example: sparse-widgets" in err


# --- new-override -------------------------------------------------------------


def test_new_override_prefills_the_current_title_as_a_comment(project: Path, capsys) -> None:
    paper = first_paper(capsys)
    code, out, err = run_cli(capsys, "new-override", paper["id"])
    assert code == 0, err
    path = project / "content/papers" / f"{paper['id']}.md"
    text = path.read_text(encoding="utf-8")
    assert f"# title: {json.dumps(paper['title'], ensure_ascii=False)}" in text
    assert "# topics: " in text and "# tags: " in text
    # The file is valid as written: check passes with it.
    code, out, err = run_cli(capsys, "check", "--format", "json")
    assert json.loads(out)["errors"] == []


def test_new_override_refuses_an_unknown_id_with_did_you_mean(project: Path, capsys) -> None:
    paper = first_paper(capsys)
    code, _, err = run_cli(capsys, "new-override", paper["id"][:-2])
    assert code == 1
    assert f'no paper has this id (did you mean "{paper["id"]}"' in err
    assert not (project / "content/papers" / f"{paper['id'][:-2]}.md").exists()


def test_new_override_refuses_to_overwrite(project: Path, capsys) -> None:
    paper = first_paper(capsys)
    assert run_cli(capsys, "new-override", paper["id"])[0] == 0
    path = project / "content/papers" / f"{paper['id']}.md"
    path.write_text(path.read_text(encoding="utf-8") + "My notes.\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "new-override", paper["id"])
    assert code == 1
    assert "already exists; edit it instead" in err
    assert path.read_text(encoding="utf-8").endswith("My notes.\n")


# --- explain ---------------------------------------------------------------


def test_explain_prints_sources_topics_and_reasons(project: Path, capsys) -> None:
    code, out, err = run_cli(capsys, "explain", "--format", "json", first_paper(capsys)["id"])
    assert code == 0, err
    data = json.loads(out)
    assert data["sources"][0].startswith("seeds/")
    code, text, _ = run_cli(capsys, "explain", data["id"])
    assert text.startswith(f"{data['id']}: {data['title']}\n  listed in: {data['sources'][0]}")
    for assignment in data["topics"]:
        assert assignment["reasons"], "every rule-made topic says why"
        assert f"  {assignment['slug']}" in text
        for reason in assignment["reasons"]:
            assert f"    - {reason}" in text


def test_explain_names_the_matched_term_for_a_topic_made_for_the_paper(project: Path, capsys) -> None:
    assert run_cli(capsys, "add", "--title", TITLE, "--abstract", ABSTRACT)[0] == 0
    topic = project / "content/topics/widgets.md"
    topic.write_text(
        "---\ntitle: Widgets\nrules:\n  include: [{term: widget, weight: 10}]\n  min_score: 3\n---\nWidget papers.\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(capsys, "explain", "sparse-widgets-faster-inference-for-tiny-language-models")
    assert code == 0, err
    assert "  widgets (primary): score " in out
    assert "'Widgets' in title matched \"widget\" (+30)" in out


def test_explain_unknown_id_suggests_close_ids(project: Path, capsys) -> None:
    paper = first_paper(capsys)
    code, _, err = run_cli(capsys, "explain", paper["id"] + "x")
    assert code == 1
    assert f'did you mean "{paper["id"]}"' in err


def test_explain_lists_near_misses_below_min_score_and_vetoes(project: Path, capsys) -> None:
    assert run_cli(capsys, "add", "--title", TITLE, "--abstract", ABSTRACT)[0] == 0
    topics = project / "content/topics"
    (topics / "widget-theory.md").write_text(
        "---\ntitle: Widget theory\nrules:\n  include: [{term: widget, weight: 10}]\n  min_score: 1000\n---\nx\n",
        encoding="utf-8",
    )
    (topics / "widget-hardware.md").write_text(
        '---\ntitle: Widget hardware\nrules:\n  include: [{term: widget, weight: 10}]\n  exclude: ["prune"]\n---\nx\n',
        encoding="utf-8",
    )
    code, out, err = run_cli(
        capsys, "explain", "--format", "json", "sparse-widgets-faster-inference-for-tiny-language-models"
    )
    assert code == 0, err
    misses = {m["topic"]: m for m in json.loads(out)["near_misses"]}
    assert misses["widget-theory"]["why"].endswith("< min_score 1000")
    assert misses["widget-hardware"]["why"] == "vetoed by exclude term 'prune'"


def test_add_warns_when_an_id_collision_renames_an_existing_paper(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds/one.txt").write_text(f"Widget Æ\n\n{ABSTRACT}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "add", "--title", "Widget", "--abstract", ABSTRACT)
    assert code == 0
    assert out.startswith("added widget to seeds/added.txt:1")
    assert "warning: adding this changes the id (and URL) of paper widget to widget-" in err


def test_add_from_a_listing_with_metadata_keeps_author_count_and_date(project: Path, capsys) -> None:
    pasted = project / "pasted.txt"
    pasted.write_text(
        f"Widget One\n\n{ABSTRACT}\n\n  • 7 authors\n·\nJun 28, 2023\n\nWidget Two\n\n{ABSTRACT}\n\nMIT\n·\nMar 5 12\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "add", "--from", str(pasted))
    assert code == 0, err
    text = (project / "seeds/added.txt").read_text(encoding="utf-8")
    assert text == pasted.read_text(encoding="utf-8")
    entries = parse_seed_text(text, "added.txt").entries
    assert [(e.authors_count, e.organisation, e.date, e.year, e.upvotes) for e in entries] == [
        (7, None, "Jun 28, 2023", 2023, None),
        (None, "MIT", "Mar 5", None, 12),
    ]


# --- property: add never writes what does not read back ----------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from litreview.commands import add as add_command  # noqa: E402
from litreview.errors import InputError, InputErrors  # noqa: E402

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=80)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, extra=TEXT)
def test_add_either_refuses_or_appends_text_that_reads_back_exactly(tmp_path: Path, title: str, extra: str) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    for old in seeds.glob("*.txt"):
        old.unlink()
    (seeds / "base.txt").write_text(f"Existing Paper\n\n{ABSTRACT}\n", encoding="utf-8")
    args = add_command.argparse.Namespace(
        title=title, abstract=ABSTRACT + " " + extra, source=None, file=None, seeds=seeds, dry_run=False
    )
    try:
        path, addition, added = add_command.plan(args)
    except (InputError, InputErrors) as exc:
        # A refusal says which option, or which seed file would go wrong, and why.
        errors = exc.errors if isinstance(exc, InputErrors) else [exc]
        assert errors and all(e.message.strip() for e in errors)
        assert all(e.path in ("--title", "--abstract") or Path(e.path).name == "added.txt" for e in errors), errors
        return
    except add_command.UsageError as exc:
        assert str(exc).startswith("give --title and --abstract"), exc
        return
    (entry,) = parse_seed_text(addition, "added.txt").entries
    assert entry.title == added[0].entry.title
    assert entry.abstract == added[0].entry.abstract


def test_explain_names_the_subtheme_and_why(project: Path, capsys) -> None:
    pid = "distserve-disaggregating-prefill-and-decoding-for-goodput-optimized-large"
    code, text, err = run_cli(capsys, "explain", pid)
    assert code == 0, err
    assert "sub-theme in llm-serving: Prefill/decode disaggregation: score " in text
    assert "    - 'Disaggregating' in title matched \"disaggregation\" (+12)" in text
