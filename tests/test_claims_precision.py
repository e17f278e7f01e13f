"""The claims extractor against the hand-labelled samples (tests/data/claims_labels.yml).

A regression guard, not a target: the figures and what is left are in
bench/results/claims.md (bench/claims_precision.py --misses prints every miss).
Each sample is guarded on its own, a little under its figure when this was
written, so a rule that helps one sample cannot hide a loss on another.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import claims_precision  # noqa: E402

# sample: (value precision, kind, full precision, recall) floors
FLOORS = {
    "tuning 1": (0.98, 0.92, 0.90, 0.84),
    "tuning 2": (0.98, 0.95, 0.95, 0.83),
    "held out 1": (0.98, 0.97, 0.92, 0.80),
    "held out 2": (0.95, 0.82, 0.79, 0.83),
    "held out 3": (0.96, 0.83, 0.78, 0.86),
    "held out 4": (0.95, 0.86, 0.78, 0.75),
    "held out 5": (0.85, 0.60, 0.50, 0.70),
    "held out 6": (0.97, 0.74, 0.67, 0.72),
    "all": (0.97, 0.89, 0.85, 0.83),
}


def sample(name: str, labels: list[dict]) -> list[dict]:
    return {
        "tuning 1": [i for i in labels if not i.get("held_out") and not i.get("tuning")],
        "tuning 2": [i for i in labels if i.get("tuning") == 2],
        "held out 1": [i for i in labels if i.get("held_out") is True],
        "held out 2": [i for i in labels if i.get("held_out") == 2],
        "held out 3": [i for i in labels if i.get("held_out") == 3],
        "held out 4": [i for i in labels if i.get("held_out") == 4],
        "held out 5": [i for i in labels if i.get("held_out") == 5],
        "held out 6": [i for i in labels if i.get("held_out") == 6],
        "all": labels,
    }[name]


@pytest.fixture(scope="module")
def labelled():
    labels = yaml.safe_load(claims_precision.LABELS.read_text(encoding="utf-8"))
    return labels, claims_precision.extracted_claims({item["id"] for item in labels})


@pytest.mark.parametrize("name", list(FLOORS))
def test_extracted_claims_are_real_results_with_the_right_kind_and_baseline(labelled, name: str) -> None:
    labels, found = labelled
    part = sample(name, labels)
    assert len(part) >= 15
    score = claims_precision.score(found, part)
    print(f"\n{name}: {score.line()}")
    value, kind, full, recall = FLOORS[name]
    assert score.value / score.extracted >= value  # numbers that are not results, or ranges cut to their maximum
    assert score.kind / score.extracted >= kind
    assert score.full / score.extracted >= full
    assert score.value / score.labelled >= recall
