"""litreview: a static literature-review site generator."""

__version__ = "0.1.0"
