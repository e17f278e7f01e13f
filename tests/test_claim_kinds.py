"""claims.yml: the kinds of claim and their cue words are content (litreview/defaults/claims.yml,
content/claims.yml; read/claimkinds.py), extraction only the mechanism (analyse/claims.py)."""

from __future__ import annotations

import shutil

from helpers import CONTENT, SEEDS, run_cli

from litreview.analyse.claims import default_kinds, extract_claims
from litreview.engine.cache import Cache
from litreview.engine.pipeline import load_site
from litreview.engine.steps import Steps
from litreview.errors import ErrorCollector
from litreview.read.claimkinds import load_kinds


def kinds_of(tmp_path, text: str):
    (tmp_path / "claims.yml").write_text(text, encoding="utf-8")
    errors = ErrorCollector()
    kinds = load_kinds(tmp_path, errors)
    assert not errors.errors, [str(e) for e in errors.errors]
    return kinds


def found(sentence: str, kinds=None) -> list[tuple[str, str]]:
    return [(c.text, c.kind) for c in extract_claims(sentence, kinds=kinds)]


def test_the_built_in_kinds_are_a_data_file_in_the_tables_order():
    kinds = default_kinds()
    assert kinds.names[:8] == ("speedup", "throughput", "latency", "memory", "compute", "energy", "accuracy", "size")
    assert kinds.names[-1] == "other"
    assert {"auc", "f1", "correlation", "effect size", "p-value", "sample size"} <= set(kinds.names)
    assert found("We reduce memory by 40% and reach an AUROC of 0.93 (p < 0.01, n = 1,200).") == [
        ("reduce memory by 40%", "memory"),
        ("AUROC of 0.93", "auc"),
        ("p < 0.01", "p-value"),
        ("n = 1,200", "sample size"),
    ]


def test_metric_names_acronyms_as_written_words_in_any_case_space_or_hyphen():
    assert found("It reaches a Macro-F1 of 0.81 and an odds-ratio of 2.5.") == [
        ("Macro-F1 of 0.81", "f1"),
        ("odds-ratio of 2.5", "effect size"),
    ]
    assert found("The auroc of 0.93 and an AUROC of 1.5 are not claims.") == []  # "auroc": not as written; 1.5 > 1


def test_without_a_claims_yml_the_build_uses_the_defaults(tmp_path):
    errors = ErrorCollector()
    assert load_kinds(tmp_path, errors) is default_kinds() and not errors.errors


def test_a_cue_added_in_claims_yml_wins(tmp_path):
    sentence = "Our design improves binding affinity by 3x and increases bandwidth by 40%."
    assert found(sentence) == [
        ("improves binding affinity by 3x", "other"),
        ("increases bandwidth by 40%", "throughput"),
    ]
    kinds = kinds_of(tmp_path, "kinds:\n  binding affinity: [binding affinity]\n  link: [bandwidth]\n")
    assert found(sentence, kinds) == [
        ("improves binding affinity by 3x", "binding affinity"),
        ("increases bandwidth by 40%", "link"),
    ]
    assert kinds.names[:3] == ("binding affinity", "link", "speedup")  # the review's own kinds lead the tables
    assert found("We reduce latency by 30%.", kinds) == [("reduce latency by 30%", "latency")]  # defaults stay


def test_a_kind_named_like_a_built_in_one_replaces_it(tmp_path):
    kinds = kinds_of(tmp_path, "kinds:\n  speedup: [wall clock]\n")
    assert [k.name for k in kinds.kinds].count("speedup") == 1
    assert found("It runs 3x faster than the baseline.", kinds) == [("3x faster than the baseline", "other")]
    assert found("It cuts wall clock by 3x.", kinds) == [("cuts wall clock by 3x", "speedup")]


def test_a_review_with_only_its_own_kinds_gets_other_for_the_rest(tmp_path):
    kinds = kinds_of(
        tmp_path,
        "defaults: false\nkinds:\n  yield: [crop yield, yield]\n  rmsd:\n    metrics: [RMSD]\n    at most: 50\n",
    )
    assert kinds.names == ("yield", "rmsd", "other")
    sentence = (
        "Our method increases crop yield by 12%, achieves a 5x speedup, reduces latency by 30% to 4 ms "
        "and reaches an RMSD of 1.2 and an AUROC of 0.93 (p < 0.01)."
    )
    claims = extract_claims(sentence, kinds=kinds)
    assert [(c.value, c.kind) for c in claims] == [(12.0, "yield"), (5.0, "other"), (30.0, "other"), (1.2, "rmsd")]
    assert {c.kind for c in claims} <= set(kinds.names)


def test_cues_need_not_be_english(tmp_path):
    kinds = kinds_of(tmp_path, "kinds:\n  präzision: [präzision]\n  β-sheet: [β-sheet content]\n")
    sentence = "It improves Präzision by 12% and increases β-sheet content by 8%."
    assert found(sentence, kinds) == [
        ("improves Präzision by 12%", "präzision"),
        ("increases β-sheet content by 8%", "β-sheet"),
    ]


def test_units_and_notations_are_content_too(tmp_path):
    kinds = kinds_of(
        tmp_path,
        "defaults: false\nkinds:\n  runtime: [runtime]\n  stats:\n    notation: p\nunits:\n  ms: runtime\n",
    )
    assert found("It answers in 4 ms (p < 0.05, n = 30).", kinds) == [("4 ms", "runtime"), ("p < 0.05", "stats")]


def test_settings_that_are_not_results_are_content(tmp_path):
    """A number right before a setting word ("40% of plots") is a setting of the experiment, not a result."""
    assert found("Our design improves yield by 40% of plots.") == [("improves yield by 40%", "other")]
    kinds = kinds_of(tmp_path, "kinds:\n  yield: [yield]\nsettings: [plots, trial*]\n")
    assert found("Our design improves yield by 40% of plots.", kinds) == []
    assert found("Our design improves yield by 40% in trials.", kinds) == [("improves yield by 40%", "yield")]
    assert found("Our design improves yield by 40% trials.", kinds) == []
    assert found("It improves accuracy by 5% of the tokens.", kinds) == []  # the built-in settings stay


def test_editing_claims_yml_extracts_again(tmp_path):
    """Extraction is memoised under the kinds' digest: a resident cache must not serve the old kinds."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    steps = Steps(Cache(None, resident=True))
    before = load_site(SEEDS, content, steps=steps)
    speedups = sum(c.kind == "speedup" for p in before.papers for c in p.claims)
    assert speedups
    (content / "claims.yml").write_text("kinds:\n  acceleration: [speedup, speedups]\n", encoding="utf-8")
    after = load_site(SEEDS, content, steps=steps)
    kinds = [c.kind for p in after.papers for c in p.claims]
    assert 0 < kinds.count("acceleration") <= speedups
    assert len(kinds) == sum(len(p.claims) for p in before.papers)
    assert after.claim_kinds[0] == "acceleration" and after.claim_kinds[-1] == "other"
    (content / "claims.yml").unlink()
    again = load_site(SEEDS, content, steps=steps)
    assert [c.kind for p in again.papers for c in p.claims] == [c.kind for p in before.papers for c in p.claims]


def test_claims_yml_errors_name_file_and_line(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "claims.yml").write_text(
        "kinds:\n"
        "  yield: crop yield\n"
        "  empty: []\n"
        "  score:\n"
        "    metric: [RMSD]\n"
        "  odd: [ac*cel]\n"
        "  stat:\n"
        "    notation: q\n"
        "other: 1\n"
        "defaults: no way\n"
        "units:\n"
        "  parsecs: yield\n"
        "  ms: speed\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "check", "--seeds", str(SEEDS), "--content", str(content))
    assert code == 1
    path = content / "claims.yml"
    expected = [
        f'{path}:9: unknown key "other" (claims.yml has these keys: defaults, kinds, units, phrase words, settings)',
        f'{path}:10: "defaults": expected true or false, got str (false drops the built-in kinds)',
        f'{path}:2: "kinds.yield": expected a list of strings, got str (write a list, such as [crop yield])',
        f'{path}:3: "kinds.empty": no cue words (list the words that name this kind, e.g. [yield])',
        f'{path}:5: "kinds.score": unknown key "metric" (did you mean "metrics"?)',
        f'{path}:6: "kinds.odd": "ac*cel": a * goes at the start or end of one word (such as accelerat*)',
        f'{path}:8: "kinds.stat.notation": "q" is not one of p, n',
        f'{path}:12: "units": unknown unit "parsecs"',
        f'{path}:13: "units.ms": no kind "speed" (did you mean "speedup"?)',
    ]
    for line in expected:
        assert line in out, line
