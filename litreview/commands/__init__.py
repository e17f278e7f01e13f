"""Commands beyond build/parse/check: authoring, preview and review helpers.

One module per command (mkdocs style). Each module has `add_parser(sub)`,
which registers its sub-command with a `handler`, and the handler returns
an exit code. Authoring commands (add, new-topic, new-override) are the
only code that writes into seeds/ or content/, and only when asked.
"""

from __future__ import annotations

import argparse

from litreview.commands import add, diff, explain, init, new, serve, suggest

COMMANDS = ("add", "new-topic", "new-override", "explain", "serve", "diff", "suggest-topics", "init")
MODULES = (add, new, explain, serve, diff, suggest, init)


def register(sub: argparse._SubParsersAction) -> None:
    """Add every command's parser to the CLI's sub-parsers."""
    for module in MODULES:
        module.add_parser(sub)
