"""Topic and tag rules (placeholder until the taxonomy issue lands)."""

from __future__ import annotations

from .model import Paper, Site, Tag, Topic


def classify(papers: list[Paper], topics: list[Topic], tags: list[Tag]) -> None:
    pass


def group(papers: list[Paper], topics: list[Topic], tags: list[Tag]) -> None:
    pass


def diagnose(site: Site) -> list[str]:
    return []
