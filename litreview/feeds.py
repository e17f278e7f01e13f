"""Feed and sitemap (placeholder)."""


def feed_files(site) -> dict[str, str]:
    return {}
