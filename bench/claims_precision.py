"""How right the extracted claims are: value, kind and baseline, on a hand-labelled sample.

    python bench/claims_precision.py [--labels tests/data/claims_labels.yml] [--markdown]

Extracts the claims of the labelled papers of the fixture corpus with the
code of this checkout and compares them with tests/data/claims_labels.yml:

- value precision: extracted claims whose number (and a range's lower end)
  and unit are a labelled claim's;
- kind precision: those whose kind is the labelled one too;
- full precision: those whose baseline is right as well (none when the label
  has none; else the extracted baseline contains the label's word);
- recall: labelled claims that were extracted (by value and unit).

Run it on two checkouts (e.g. a `git worktree` of the commit before a change)
to compare; bench/results/claims.md holds the figures.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELS = ROOT / "tests" / "data" / "claims_labels.yml"
CORPUS = ROOT / "tests" / "data" / "corpus"


@dataclass
class Score:
    extracted: int = 0
    labelled: int = 0
    value: int = 0
    kind: int = 0
    full: int = 0

    def line(self) -> str:
        e, n = self.extracted or 1, self.labelled or 1
        return (
            f"{self.extracted} extracted, {self.labelled} labelled: value precision {self.value / e:.1%}, "
            f"kind {self.kind / e:.1%}, full (value, kind, baseline) {self.full / e:.1%}, recall {self.value / n:.1%}"
        )


def same_number(claim, label: dict) -> bool:
    """The same value, unit and range (a range read as its maximum alone is a wrong value)."""
    low, claim_low = label.get("low"), getattr(claim, "low", None)  # code before ranges had no .low
    same_low = (
        low is None
        and claim_low is None
        or (low is not None and claim_low is not None and abs(claim_low - float(low)) < 1e-6)
    )
    return claim.unit == str(label["unit"]) and abs(claim.value - float(label["value"])) < 1e-6 and same_low


def right_baseline(claim, label: dict) -> bool:
    wanted = label.get("baseline")
    if wanted is None:
        return claim.baseline is None
    words = wanted if isinstance(wanted, list) else [wanted]  # any of them names it
    return claim.baseline is not None and any(str(w).lower() in claim.baseline.lower() for w in words)


def score(papers_claims: dict[str, list], labels: list[dict], misses: list[str] | None = None) -> Score:
    """Greedy matching, paper by paper, in the abstract's order."""
    total = Score()
    for item in labels:
        wanted = list(item["claims"])
        total.labelled += len(wanted)
        for claim in papers_claims.get(item["id"], []):
            total.extracted += 1
            match = next((label for label in wanted if same_number(claim, label)), None)
            if match is None:
                if misses is not None:
                    misses.append(
                        f"{item['id'][:40]}: not a labelled claim: {claim.text!r} ({claim.value} {claim.unit})"
                    )
                continue
            wanted.remove(match)
            total.value += 1
            if claim.kind == match["kind"]:
                total.kind += 1
                if right_baseline(claim, match):
                    total.full += 1
                elif misses is not None:
                    misses.append(f"{item['id'][:40]}: baseline {claim.baseline!r}, labelled {match.get('baseline')!r}")
            elif misses is not None:
                misses.append(f"{item['id'][:40]}: kind {claim.kind} for {claim.text!r}, labelled {match['kind']}")
        if misses is not None:
            misses.extend(f"{item['id'][:40]}: not extracted: {label}" for label in wanted)
    return total


def extracted_claims(ids: set[str]) -> dict[str, list]:
    from litreview.engine.pipeline import load_site

    site = load_site(CORPUS / "seeds", CORPUS / "content")
    return {p.id: p.claims for p in site.papers if p.id in ids}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--misses", action="store_true", help="list every wrong or unlabelled claim")
    args = parser.parse_args(argv)
    labels = yaml.safe_load(args.labels.read_text(encoding="utf-8"))
    found = extracted_claims({item["id"] for item in labels})
    for name, part in (
        ("tuning sample 1", [item for item in labels if not item.get("held_out") and not item.get("tuning")]),
        ("tuning sample 2", [item for item in labels if item.get("tuning") == 2]),
        ("held-out sample 1", [item for item in labels if item.get("held_out") is True]),
        ("held-out sample 2", [item for item in labels if item.get("held_out") == 2]),
        ("held-out sample 3", [item for item in labels if item.get("held_out") == 3]),
        ("held-out sample 4", [item for item in labels if item.get("held_out") == 4]),
        ("held-out sample 5", [item for item in labels if item.get("held_out") == 5]),
        ("held-out sample 6", [item for item in labels if item.get("held_out") == 6]),
        ("all", labels),
    ):
        misses: list[str] = []
        print(f"{name} ({len(part)} papers): {score(found, part, misses).line()}")
        if args.misses and name != "all":
            print("\n".join(f"  {m}" for m in misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
