"""Machine-readable exports of the catalogue: papers.json, papers.csv, papers.bib."""

from __future__ import annotations

from dataclasses import asdict

from .model import Paper


def paper_record(paper: Paper) -> dict:
    """The JSON shape of one paper (parse --format json and papers.json)."""
    record = {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "sources": [{"file": s.file, "line": s.line} for s in paper.sources],
        "url": f"papers/{paper.id}.html",
        "links": paper.links,
        "code": paper.code_links,
        "authors_count": paper.authors_count,
        "organisation": paper.organisation,
        "date": paper.date,
        "year": paper.year,
        "upvotes": paper.upvotes,
    }
    if paper.authors:
        record["authors"] = paper.authors
    if paper.venue:
        record["venue"] = paper.venue
    if paper.topics or paper.primary_topic:
        record["primary_topic"] = paper.primary_topic
        record["topics"] = paper.topic_slugs
        record["tags"] = paper.tag_slugs
    if paper.tldr:
        record["tldr"] = paper.tldr
    if paper.claims:
        record["claims"] = [asdict(c) for c in paper.claims]
    if paper.added:
        record["added"] = paper.added
    return record


def export_files(site) -> dict[str, str]:
    import json

    records = [paper_record(p) for p in site.papers]
    return {"papers.json": json.dumps(records, ensure_ascii=False, indent=1) + "\n"}
