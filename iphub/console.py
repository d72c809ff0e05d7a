"""The ``iphub`` console script's entry: Ctrl-C while the command line loads is one line.

Importing :mod:`iphub.cli` (typer, rich, pydantic and the commands) takes a second or more on
a busy machine; a Ctrl-C then raised ``KeyboardInterrupt`` out of the import, before
:func:`iphub.cli.main` could take it in hand, and printed a traceback. This module imports
nothing heavy itself.
"""

from __future__ import annotations

import sys

INTERRUPTED = "已中断 / interrupted"


def main() -> None:
    try:
        from iphub.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write(f"{INTERRUPTED}\n")
        raise SystemExit(130) from None
    run()
