"""content/claims.yml: a review's own claim kinds and cue words (read/claimkinds.py)."""

from __future__ import annotations

import shutil

from helpers import CONTENT, SEEDS, run_cli

from litreview.engine.pipeline import load_site


def test_declared_kinds_win_over_the_built_in_ones(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    before = load_site(SEEDS, content)
    speedups = sum(c.kind == "speedup" for p in before.papers for c in p.claims)
    assert speedups
    (content / "claims.yml").write_text("kinds:\n  acceleration: [speedup, speedups]\n", encoding="utf-8")
    after = load_site(SEEDS, content)
    kinds = [c.kind for p in after.papers for c in p.claims]
    assert 0 < kinds.count("acceleration") <= speedups
    assert len(kinds) == sum(len(p.claims) for p in before.papers)


def test_claims_yml_errors_name_file_and_line(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "claims.yml").write_text("kinds:\n  yield: crop yield\n  empty: []\nother: 1\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", "--seeds", str(SEEDS), "--content", str(content))
    assert code == 1
    path = content / "claims.yml"
    assert f'{path}:4: unknown key "other" (claims.yml has one key: kinds)' in out
    assert f'{path}:2: "kinds.yield": expected a list of strings, got str (write a list, such as [crop yield])' in out
    assert f'{path}:3: "kinds.empty": no cue words' in out
