"""Pull structured facts out of abstracts: a one-sentence TL;DR and quantitative claims.

Everything here is heuristic text analysis with precompiled regular
expressions: no model, no network, so a build is fast, deterministic and
works offline. The pieces live in sentences.py, tldr.py and claims.py; this
module is the stage that fills the model.
"""

from __future__ import annotations

from collections.abc import Iterable

from litreview.analyse.claims import KindSet, extract_claims
from litreview.analyse.sentences import split_sentences
from litreview.analyse.tldr import contribution_index, make_tldr
from litreview.model import Claim, Paper


def enrich(papers: Iterable[Paper], kinds: KindSet | None = None) -> None:
    """Fill every paper's ``tldr`` and ``claims`` from its abstract."""
    for paper in papers:
        paper.tldr, paper.claims = extract_one(paper.title, paper.abstract, kinds)


def extract_one(title: str, abstract: str, kinds: KindSet | None = None) -> tuple[str, list[Claim]]:
    """The TL;DR and claims (of the given kinds, else the built-in ones) of one abstract:
    a pure function of its arguments (engine/steps.py memoises it)."""
    sentences = split_sentences(abstract)
    contribution = contribution_index(sentences, title)
    tldr = make_tldr(abstract, title, sentences, contribution[0])
    return tldr, extract_claims(abstract, title, sentences, contribution, kinds)
