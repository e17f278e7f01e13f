"""HTML rendering (placeholder)."""


def render_site(site, reviews, templates) -> dict[str, str]:
    return {}
