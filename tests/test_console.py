"""The console script's entry (``iphub.console``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ctrl_c_while_the_command_line_loads_is_one_line_and_exit_130() -> None:
    """A Ctrl-C that lands while ``iphub.cli`` is being imported (a second or more on a busy
    machine): the interrupt is raised at that import here, as the signal would raise it."""
    code = (
        "import sys\n"
        "class Interrupting:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'iphub.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupting())\n"
        "from iphub.console import main\n"
        "main()\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code, "--help"], cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 130
    assert done.stderr == "已中断 / interrupted\n"


def test_the_console_script_runs_the_command_line() -> None:
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "from iphub.console import main; main()", "--help"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "ingest" in done.stdout
