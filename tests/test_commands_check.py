"""`check` output for review: text, GitHub annotations and JSON, on contributor mistakes.

Each mistake is one a contributor really makes by hand (a typo in a key, a
topic that does not exist, an override for a misspelt id, broken YAML); the
message must say which file and line to change and what to write instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli

from litreview.commands.checkfmt import Problem, annotation, default_format, from_warning
from litreview.engine.pipeline import CheckReport
from litreview.errors import InputError

PAPER = "discrete-key-value-bottleneck"  # a paper of the fixture corpus


@pytest.fixture
def project(project: Path) -> Path:
    """conftest's corpus copy, plus the content/papers/ folder these tests write overrides into."""
    (project / "content/papers").mkdir(exist_ok=True)
    return project


def write(project: Path, rel: str, text: str) -> None:
    (project / rel).write_text(text, encoding="utf-8")


def test_check_passes_on_the_fixture_corpus_in_every_format(project: Path, capsys) -> None:
    for fmt in ("text", "github", "json"):
        code, out, _ = run_cli(capsys, "check", "--format", fmt)
        assert code == 0, out
    assert json.loads(out)["ok"] is True


def test_typo_in_an_override_key_names_file_line_and_the_right_key(project: Path, capsys) -> None:
    write(project, f"content/papers/{PAPER}.md", '---\ntitel: "Better title"\n---\n')
    code, out, _ = run_cli(capsys, "check")
    assert code == 1
    assert f'content/papers/{PAPER}.md:2: unknown key "titel" (did you mean "title"?)' in out.splitlines()


def test_github_format_prints_exact_error_annotations(project: Path, capsys) -> None:
    write(project, f"content/papers/{PAPER}.md", '---\ntitel: "Better title"\n---\n')
    code, out, _ = run_cli(capsys, "check", "--format", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        f'::error file=content/papers/{PAPER}.md,line=2::unknown key "titel" (did you mean "title"?)'
    )
    assert out.splitlines()[-1] == "check: 1 error(s), 0 warning(s)"


def test_github_format_is_the_default_inside_github_actions(project: Path, capsys, monkeypatch) -> None:
    write(project, f"content/papers/{PAPER}.md", '---\ntitel: "Better title"\n---\n')
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run_cli(capsys, "check")
    assert code == 1
    assert out.startswith(f"::error file=content/papers/{PAPER}.md,line=2::")


def test_json_format_lists_errors_with_file_line_message_and_hint(project: Path, capsys) -> None:
    write(project, f"content/papers/{PAPER}.md", "---\ntopics: [quantisation]\n---\n")
    code, out, _ = run_cli(capsys, "check", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    assert data["errors"] == [
        {
            "level": "error",
            "file": f"content/papers/{PAPER}.md",
            "line": 2,
            "message": 'unknown topic "quantisation" in "topics"',
            "hint": 'did you mean "quantization"?',
        }
    ]


def test_a_topic_that_does_not_exist_suggests_the_real_one(project: Path, capsys) -> None:
    write(project, f"content/papers/{PAPER}.md", "---\ntitle: Fine\ntopics: [quantisation]\n---\nNotes.\n")
    code, out, _ = run_cli(capsys, "check")
    assert code == 1
    assert (
        f'content/papers/{PAPER}.md:3: unknown topic "quantisation" in "topics" (did you mean "quantization"?)' in out
    )


def test_an_override_for_a_misspelt_paper_id_suggests_the_real_id(project: Path, capsys) -> None:
    write(project, f"content/papers/{PAPER[:-1]}.md", "---\nhidden: true\n---\n")
    code, out, _ = run_cli(capsys, "check", "--format", "github")
    assert code == 1
    line = next(line for line in out.splitlines() if line.startswith("::error"))
    assert line.startswith(f"::error file=content/papers/{PAPER[:-1]}.md,line=1::")
    assert f'did you mean "{PAPER}"?' in line


def test_an_unquoted_colon_in_a_topic_title_names_the_line_and_says_to_quote(project: Path, capsys) -> None:
    write(project, "content/topics/broken.md", "---\norder: 5\ntitle: Pruning: a survey\n---\nIntro.\n")
    code, out, _ = run_cli(capsys, "check", "--format", "json")
    assert code == 1
    (error,) = json.loads(out)["errors"]
    assert (error["file"], error["line"]) == ("content/topics/broken.md", 3)
    assert error["message"].startswith("invalid YAML")
    assert "quote" in error["hint"]


def test_unclosed_yaml_in_a_topic_is_reported_near_where_it_opened(project: Path, capsys) -> None:
    write(project, "content/topics/broken.md", "---\ntitle: Broken\nrules: [\n---\nIntro.\n")
    code, out, _ = run_cli(capsys, "check", "--format", "json")
    assert code == 1
    (error,) = json.loads(out)["errors"]
    assert error["file"] == "content/topics/broken.md"
    assert error["line"] in (3, 4)  # where "[" opened, or where the parser noticed
    assert error["message"].startswith("invalid YAML")


def test_a_duplicate_paper_is_refused_by_add_with_the_existing_place(project: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "parse", "--format", "json")
    paper = next(p for p in json.loads(out) if p["id"] == PAPER)
    source = paper["sources"][0]
    code, _, err = run_cli(capsys, "add", "--title", paper["title"], "--abstract", paper["abstract"])
    assert code == 1
    assert f"already in the catalogue as paper {PAPER} (seeds/{source['file']}:{source['line']})" in err


def test_bad_seed_file_is_annotated_with_its_line(project: Path, capsys) -> None:
    write(project, "seeds/zz-bad.txt", "A Title With No Abstract\n")
    code, out, _ = run_cli(capsys, "check", "--format", "github")
    assert code == 1
    assert out.startswith("::error file=seeds/zz-bad.txt")


# --- the formatter itself ---------------------------------------------------------


@pytest.mark.parametrize(
    "problem, expected",
    [
        (Problem("error", "seeds/a.txt", 3, "bad"), "::error file=seeds/a.txt,line=3::bad"),
        (Problem("error", "seeds/a.txt", None, "bad", "fix it"), "::error file=seeds/a.txt::bad (fix it)"),
        (Problem("warning", None, None, "50% of papers"), "::warning::50%25 of papers"),
        (Problem("error", "a,b:c.md", 1, "two\nlines"), "::error file=a%2Cb%3Ac.md,line=1::two%0Alines"),
    ],
)
def test_annotation_format_and_escaping(problem: Problem, expected: str) -> None:
    assert annotation(problem) == expected


def test_located_warnings_become_file_line_annotations() -> None:
    problem = from_warning("content/topics/x.md:4: topic has 2 papers")
    assert (problem.path, problem.line, problem.message) == ("content/topics/x.md", 4, "topic has 2 papers")
    assert from_warning("478 papers match no topic").path is None


def test_default_format_follows_github_actions() -> None:
    assert default_format({"GITHUB_ACTIONS": "true"}) == "github"
    assert default_format({}) == "text"


def test_text_format_is_the_reports_own_rendering(capsys) -> None:
    from litreview.commands.checkfmt import render

    report = CheckReport(errors=[InputError("seeds/a.txt", 2, "bad", "fix")], warnings=["w"], notes=["n"])
    assert render(report, "text") == report.render()
    assert render(report, "github").splitlines() == [
        "::error file=seeds/a.txt,line=2::bad (fix)",
        "::warning::w",
        "n",
        "check: 1 error(s), 1 warning(s)",
    ]
