"""The claims extractor against the hand-labelled sample (tests/data/claims_labels.yml).

A regression guard, not a target: the figures and what is left are in
bench/results/claims.md (bench/claims_precision.py prints every miss).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import claims_precision  # noqa: E402


def test_extracted_claims_are_real_results_with_the_right_kind_and_baseline() -> None:
    labels = yaml.safe_load(claims_precision.LABELS.read_text(encoding="utf-8"))
    assert len(labels) >= 50 and sum(1 for item in labels if item.get("held_out")) >= 20
    found = claims_precision.extracted_claims({item["id"] for item in labels})
    score = claims_precision.score(found, labels)
    print("\n" + score.line())
    assert score.value / score.extracted >= 0.95  # numbers that are not results, or ranges cut to their maximum
    assert score.kind / score.extracted >= 0.90
    assert score.full / score.extracted >= 0.80
    assert score.value / score.labelled >= 0.70
