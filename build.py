#!/usr/bin/env python3
"""Entry point: python build.py [build|parse|check|serve|...] --help."""

import os
import sys

from litreview.cli import main

if __name__ == "__main__":
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # piped into a reader that has gone, or closed
            pass
    # Everything is written and closed; skip freeing the model object by
    # object at interpreter exit (about half a second at 10,000 papers).
    os._exit(code)
