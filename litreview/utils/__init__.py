"""Small helpers shared by stages: slugs, URLs, and term counts as flat arrays."""
