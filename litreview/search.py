"""Search index (placeholder)."""


def search_files(site) -> dict[str, str]:
    return {}
