"""Small helpers shared by every stage: slugs and URLs."""
