"""Per-topic Markdown review pages (placeholder)."""


def render_reviews(site, templates) -> dict[str, str]:
    return {}
