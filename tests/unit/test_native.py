"""The compiled modules (``iphub.native``): used when fresh, never when stale, and the same
records either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from iphub import native

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
REQUIRED = os.environ.get("IPHUB_NATIVE_REQUIRED") == "1"  # set by make test, after make native


def _built(tmp_path: Path) -> tuple[Path, Path]:
    """A fake checkout with one module, and a build directory whose manifest matches it."""
    root, build = tmp_path / "src", tmp_path / "build"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "mod.py").write_text("X = 1\n")
    build.mkdir()
    manifest = native.manifest_of(("pkg.mod",), root)
    (build / native.MANIFEST).write_text(json.dumps(manifest))
    return root, build


def test_a_build_of_the_sources_as_they_are_is_fresh(tmp_path: Path) -> None:
    root, build = _built(tmp_path)
    assert native.stale(build, root, ("pkg.mod",)) is None


def test_an_edited_source_makes_the_build_stale(tmp_path: Path) -> None:
    root, build = _built(tmp_path)
    (root / "pkg" / "mod.py").write_text("X = 2\n")
    assert native.stale(build, root, ("pkg.mod",)) == "pkg.mod changed since the build"
    (root / "pkg" / "mod.py").unlink()
    assert native.stale(build, root, ("pkg.mod",)) == "pkg.mod is gone"


def test_a_build_for_another_interpreter_or_none_is_not_used(tmp_path: Path) -> None:
    root, build = _built(tmp_path)
    manifest = json.loads((build / native.MANIFEST).read_text())
    (build / native.MANIFEST).write_text(json.dumps(manifest | {"cache_tag": "cpython-310"}))
    reason = native.stale(build, root, ("pkg.mod",))
    assert reason == f"built for cpython-310, not {sys.implementation.cache_tag}"
    (build / native.MANIFEST).write_text("{not json")
    assert native.stale(build, root, ("pkg.mod",)) == f"no build in {build}"
    assert native.stale(tmp_path / "nothing", root, ("pkg.mod",)) == (
        f"no build in {tmp_path / 'nothing'}"
    )


def test_a_build_of_other_modules_than_the_list_is_stale(tmp_path: Path) -> None:
    root, build = _built(tmp_path)
    (root / "pkg" / "new.py").write_text("Y = 1\n")
    reason = native.stale(build, root, ("pkg.mod", "pkg.new"))
    assert reason == "the modules to compile changed since the build"


def test_compiled_files_are_found_by_module_name(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    suffix = native.importlib.machinery.EXTENSION_SUFFIXES[0]
    (tmp_path / "pkg" / f"mod{suffix}").write_bytes(b"")
    (tmp_path / f"{native.GROUP}__mypyc{suffix}").write_bytes(b"")
    files = native.compiled_files(tmp_path, ["pkg.mod", "pkg.absent"])
    assert files == {
        "pkg.mod": tmp_path / "pkg" / f"mod{suffix}",
        f"{native.GROUP}__mypyc": tmp_path / f"{native.GROUP}__mypyc{suffix}",
    }


def _unless_built() -> None:
    """Skip on a checkout where ``make native`` has not run (make test runs it first)."""
    if not REQUIRED and (reason := native.stale()) is not None:
        pytest.skip(f"compiled modules not built here ({reason}): `make native` builds them")


def test_the_tests_run_the_compiled_modules() -> None:
    _unless_built()
    assert native.stale() is None, "make test builds them first (make native)"
    assert native.install()
    assert native.in_use() == dict.fromkeys(native.MODULES, True)


# What each run prints: per input, each item the load would write (the stored JSON and the
# index document of a record, or what was quarantined or withdrawn, and why).
_PREPARE = """
import json, sys
from iphub import native
from ingest import formats, workers
from nlp.enrich import enrich
from iphub.store.prepared import PreparedRecord
print(json.dumps(native.in_use()))
for name in sys.argv[1:]:
    with open(name, "rb") as f:
        fmt = formats.sniff(f.read(4096), name)
    if fmt is None:  # a file the loader refuses whole (an encrypted workbook)
        print(json.dumps([name, "unsupported"]))
        continue
    with open(name, "rb") as f:
        for item in workers.prepare(formats.parser(fmt)(f, 0), enrich, "b-1"):
            if isinstance(item, PreparedRecord):
                out = [item.id, item.body.decode(), item.document.decode()]
            else:
                out = [type(item).__name__, item.position, item.reason]
            print(json.dumps([name, *out], ensure_ascii=False))
"""


def _prepared(inputs: list[Path], compiled: bool) -> tuple[dict[str, bool], list[str]]:
    env = os.environ | {"IPHUB_NATIVE": "1" if compiled else "0"}
    run = subprocess.run(  # noqa: S603 - this interpreter, on the test's own inputs
        [sys.executable, "-c", _PREPARE, *map(str, inputs)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    used, *lines = run.stdout.splitlines()
    return json.loads(used), lines


def test_compiled_and_python_modules_prepare_the_same_records(tmp_path: Path) -> None:
    from bench.synth_formats import GENERATORS, generate

    inputs = [generate(fmt, tmp_path, 150) for fmt in sorted(GENERATORS)]
    header, *rows = next(p for p in inputs if p.suffix == ".csv").read_text("utf-8").splitlines()
    ragged = tmp_path / "ragged.csv"  # cells past the header, read under no column name
    ragged.write_text("\n".join([header, *(f"{row},备注" for row in rows)]) + "\n", "utf-8")
    inputs.append(ragged)
    inputs += sorted((ROOT / "tests" / "fixtures" / "ingest").iterdir())
    if SHARED.is_dir():  # the offices' real samples too, where they are beside the checkout
        inputs += sorted(p for p in SHARED.rglob("*") if p.suffix in (".xml", ".json"))
    _unless_built()
    compiled_used, compiled = _prepared(inputs, compiled=True)
    python_used, python = _prepared(inputs, compiled=False)
    assert all(compiled_used.values())
    assert not any(python_used.values())
    assert len(compiled) > 150 * len(GENERATORS)  # every input gave its records
    assert {json.loads(line)[0] for line in compiled} >= {str(p) for p in inputs[:3]}
    assert compiled == python
