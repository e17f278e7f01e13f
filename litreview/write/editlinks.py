"""GitHub URLs for "edit this page" and "suggest a correction" links.

Only built when the repository is known (content/site.yml repo_url, or the
GitHub Actions fallback the content loader fills in); otherwise every
builder returns None and templates leave the link out.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import yaml

from litreview.model import Paper, SiteConfig

GITHUB_REPO_RE = re.compile(
    r"^https://github\.com/([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100}?)(?:\.git)?/?$"
)


def github_repo(repo_url: str | None) -> tuple[str, str] | None:
    """(owner, name) of a https://github.com/owner/name URL, else None."""
    if not repo_url:
        return None
    match = GITHUB_REPO_RE.match(repo_url.strip())
    return (match.group(1), match.group(2)) if match else None


def _base(config: SiteConfig) -> str | None:
    repo = github_repo(config.repo_url)
    return f"https://github.com/{repo[0]}/{repo[1]}" if repo else None


def _branch(config: SiteConfig) -> str:
    return quote(config.branch or "main", safe="")


def edit_url(config: SiteConfig, path: str) -> str | None:
    """GitHub's editor for an existing file of the repository."""
    base = _base(config)
    return f"{base}/edit/{_branch(config)}/{quote(path)}" if base else None


def blob_url(config: SiteConfig, path: str, line: int | None = None) -> str | None:
    """A file (and line) of the repository, for source links."""
    base = _base(config)
    if not base:
        return None
    return f"{base}/blob/{_branch(config)}/{quote(path)}" + (f"#L{line}" if line else "")


def override_path(paper: Paper) -> str:
    return f"content/papers/{paper.id}.md"


def override_template(paper: Paper) -> str:
    """A prefilled content/papers/<id>.md: the current values, ready to correct.

    Only the title is live; topics and tags are commented out so saving the
    file unchanged does not pin the paper's rule-based topics.
    """
    lines = ["---", yaml.safe_dump({"title": paper.title}, allow_unicode=True, width=10_000).strip()]
    if paper.year is not None:
        lines.append(f"year: {paper.year}")
    lines.append("# Uncomment and edit what is wrong:")
    lines.append(f"# topics: [{', '.join(paper.topic_slugs)}]")
    lines.append(f"# tags: [{', '.join(paper.tag_slugs)}]")
    lines.append("# authors: []")
    lines.append("# links: []")
    lines.append("# hidden: true")
    lines.append("---")
    lines.append("")
    lines.append(
        "<!-- Say what is wrong and give a source. Text outside this comment is shown on the paper page as reviewer notes. -->"
    )
    return "\n".join(lines) + "\n"


def override_edit_url(config: SiteConfig, paper: Paper) -> str | None:
    """The editor for the paper's existing override (its canonical repo path)."""
    return edit_url(config, override_path(paper)) if paper.override_path else None


def suggest_correction_url(config: SiteConfig, paper: Paper) -> str | None:
    """GitHub's new-file editor with a prefilled override for this paper.

    When the override already exists, GitHub refuses to create it again,
    so the link opens the existing file in the editor instead.
    """
    if paper.override_path:
        return override_edit_url(config, paper)
    base = _base(config)
    if not base:
        return None
    query = urlencode({"filename": override_path(paper), "value": override_template(paper)}, quote_via=quote)
    return f"{base}/new/{_branch(config)}?{query}"
