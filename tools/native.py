"""Compile ``iphub.native.MODULES`` with mypyc into ``build/native/`` (``make native``).

    python tools/native.py           # build unless the build there is fresh
    python tools/native.py --force   # build again
    python tools/native.py --check   # exit 1 unless a fresh build is there

The build goes to ``build/native.new/`` and replaces ``build/native/`` only when it is complete,
with the manifest of the sources it was compiled from written last (``iphub.native`` uses a
build only while every source still hashes as the manifest says). mypyc runs mypy over the
modules with the project's configuration first: a module that does not type-check is not
compiled. Needs a C compiler and the ``native`` extra (mypy, setuptools).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["IPHUB_NATIVE"] = "0"  # compile the sources; do not load an older build

from iphub import native  # noqa: E402 - after the path and the switch above


def build() -> None:
    from mypyc.build import mypycify
    from setuptools import setup

    work = ROOT / "build" / "native-work"
    new = ROOT / "build" / "native.new"
    for folder in (work, new):
        shutil.rmtree(folder, ignore_errors=True)
    manifest = native.manifest_of()  # of the sources as read now, before they are compiled
    paths = [str(native.source_of(m).relative_to(ROOT)) for m in native.MODULES]
    os.chdir(ROOT)  # mypy reads the project's configuration from pyproject.toml
    # ``make demo`` installs no Elasticsearch client (the test extra does): modules mypy follows
    # into but does not compile may import what is not installed
    extensions = mypycify(
        ["--ignore-missing-imports", *paths],
        target_dir=str(work / "c"),
        group_name=native.GROUP,
        multi_file=True,
    )
    os.chdir(work)  # setuptools reads no project configuration here
    setup(
        name="iphub-native",
        ext_modules=extensions,
        script_args=[
            "--quiet",
            "build_ext",
            f"--build-lib={new}",
            f"--build-temp={work / 'o'}",
            f"--parallel={os.cpu_count() or 1}",
        ],
    )
    missing = set(native.MODULES) - set(native.compiled_files(new, native.MODULES))
    if missing:
        raise SystemExit(f"native: not compiled: {', '.join(sorted(missing))}")
    (new / native.MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    shutil.rmtree(native.DIRECTORY, ignore_errors=True)
    new.rename(native.DIRECTORY)
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="build even if fresh")
    parser.add_argument("--check", action="store_true", help="only tell whether fresh")
    args = parser.parse_args()
    reason = native.stale()
    if args.check:
        print(f"native: {reason or 'fresh'}")  # noqa: T201 - a command's answer
        raise SystemExit(1 if reason else 0)
    if reason is None and not args.force:
        print("native: compiled modules are fresh")  # noqa: T201
        return
    started = time.monotonic()
    print(f"native: compiling {len(native.MODULES)} modules with mypyc ({reason or 'forced'})")  # noqa: T201
    build()
    print(f"native: built in {time.monotonic() - started:.0f} s → {native.DIRECTORY}")  # noqa: T201


if __name__ == "__main__":
    main()
