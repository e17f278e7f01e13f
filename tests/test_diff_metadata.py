"""`diff` reports metadata edits (year, authors, venue, abstract), not only added, removed,
retitled and moved papers."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_cli
from test_commands_workflow import repo  # noqa: F401  (the fixture: the fixture corpus in a git repo)


def test_diff_reports_year_authors_and_abstract_edits(repo: Path, capsys) -> None:  # noqa: F811
    code, out, _ = run_cli(capsys, "parse", "--format", "json")
    first, second = json.loads(out)[:2]
    override = repo / "content" / "papers" / f"{first['id']}.md"
    override.parent.mkdir(exist_ok=True)
    override.write_text("---\nyear: 2031\nauthors: [Ada Lovelace, Alan Turing]\n---\n", encoding="utf-8")
    seed = repo / "seeds" / second["sources"][0]["file"]
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace(second["abstract"], second["abstract"] + " We also release code.", 1), "utf-8")

    code, out, err = run_cli(capsys, "diff", "main", "--format", "json")
    assert code == 0, err
    changed = {item["id"]: item for item in json.loads(out)["metadata"]}
    assert changed[first["id"]]["changes"]["year"][1] == 2031
    assert changed[first["id"]]["changes"]["authors"] == [None, ["Ada Lovelace", "Alan Turing"]]
    assert changed[second["id"]]["changes"] == {} and changed[second["id"]]["abstract_edited"]

    code, out, _ = run_cli(capsys, "diff", "main")
    assert "**Metadata changed (2)**" in out
    assert "authors none → Ada Lovelace, Alan Turing" in out and "abstract edited" in out
