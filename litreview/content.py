"""content/ loader (placeholder until the content issue lands: no topics yet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import ErrorCollector
from .model import Page, Paper, SiteConfig, Tag, Topic


@dataclass
class Content:
    config: SiteConfig = field(default_factory=SiteConfig)
    topics: list[Topic] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    overrides: list = field(default_factory=list)


def load_content(content_dir: Path, errors: ErrorCollector) -> Content:
    return Content()


def apply_overrides(papers: list[Paper], content: Content, errors: ErrorCollector) -> tuple[list[Paper], list[Paper]]:
    return [p for p in papers if not p.hidden], [p for p in papers if p.hidden]
