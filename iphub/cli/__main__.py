"""``python -m iphub.cli``."""

from iphub.cli import main

main()
