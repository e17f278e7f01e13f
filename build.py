#!/usr/bin/env python3
"""Entry point: python build.py [build|parse|check|serve|...] --help."""

import sys

from litreview.cli import main

if __name__ == "__main__":
    sys.exit(main())
