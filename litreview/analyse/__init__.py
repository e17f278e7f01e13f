"""Analysing the catalogue: topic and tag rules, TL;DRs and claims, related papers."""
