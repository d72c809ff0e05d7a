"""Compiled copies of the modules a bulk load spends its CPU in, used only while they are fresh.

A DOCDB record cost ≈435 µs of CPU in a load's workers, ≈100 in the loading process, most of it
Python running the parsers, the enrichment and the segmentation around calls into lxml, rjieba
and pydantic. mypyc — the compiler the mypy project ships, which compiles type-checked modules
such as these to C extensions — takes a fifth off the workers' share (DOCDB 435 → 340 µs, CNIPA
325 → 249, USPTO 374 → 303; a two-worker load 13–18% faster: BENCHMARKS.md, "Compiled with
mypyc"), with the same sources: no second implementation to keep in step.

``make native`` (``tools/native.py``, run by ``make demo`` and ``make test``) compiles
:data:`MODULES` into ``build/native/`` beside a manifest of their sources' SHA-256. The packages
``iphub``, ``ingest`` and ``nlp`` call :func:`install` first thing: when the manifest was built by
this interpreter, of the modules :data:`MODULES` names now, and every source still hashes as it
says, an import finder that knows the compiled files goes first on ``sys.meta_path``, so
``import nlp.segment`` loads the compiled module (in a load's worker processes too: they import
the same packages). Otherwise nothing changes and the sources run: a source edited after the
build never runs as its stale compiled copy, and a machine without a C compiler loses speed,
nothing else.
``IPHUB_NATIVE=0`` turns the compiled modules off (the parity test compares both).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = ROOT / "build" / "native"
MANIFEST = "manifest.json"
GROUP = "iphub_native"  # the name of the compiled runtime module the modules share
#: the modules compiled: a load's parsers, enrichment, segmentation and index documents.
#: ``ingest.parsers.tabular`` is not among them: mypyc 2.4 mis-compiles its nested generators
MODULES = (
    "ingest.merge",
    "ingest.parsers.base",
    "ingest.parsers.charsets",
    "ingest.parsers.cn_json",
    "ingest.parsers.cnipa",
    "ingest.parsers.dates",
    "ingest.parsers.epo",
    "ingest.parsers.fragments",
    "ingest.parsers.json_stream",
    "ingest.parsers.mapped",
    "ingest.parsers.st96",
    "ingest.parsers.uspto",
    "ingest.parsers.uspto_tm",
    "iphub.ipc",
    "iphub.numbers",
    "iphub.store.fields",
    "iphub.store.prepared",
    "nlp.applicant_types",
    "nlp.applicants",
    "nlp.enrich",
    "nlp.industries",
    "nlp.keywords",
    "nlp.nfkc",
    "nlp.pinyin",
    "nlp.regions",
    "nlp.segment",
    "nlp.tables",
)
_log = logging.getLogger(__name__)


def source_of(module: str, root: Path = ROOT) -> Path:
    return root.joinpath(*module.split(".")).with_suffix(".py")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_of(modules: tuple[str, ...] = MODULES, root: Path = ROOT) -> dict[str, object]:
    """What a build of ``modules`` from their sources under ``root`` records."""
    return {
        "cache_tag": sys.implementation.cache_tag,
        "modules": {m: digest(source_of(m, root)) for m in modules},
    }


def _fresh(
    directory: Path, root: Path, modules: Iterable[str]
) -> tuple[dict[str, str], str | None]:
    """The build's manifest of modules, and why it must not be used (None: it is fresh)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        built: dict[str, str] = manifest["modules"]
        tag = manifest["cache_tag"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}, f"no build in {directory}"
    if tag != sys.implementation.cache_tag:
        return built, f"built for {tag}, not {sys.implementation.cache_tag}"
    if set(built) != set(modules):  # a module added to or taken off MODULES
        return built, "the modules to compile changed since the build"
    for module, expected in built.items():
        try:
            if digest(source_of(module, root)) != expected:
                return built, f"{module} changed since the build"
        except OSError:
            return built, f"{module} is gone"
    return built, None


def stale(
    directory: Path = DIRECTORY, root: Path = ROOT, modules: Iterable[str] = MODULES
) -> str | None:
    """Why the compiled modules in ``directory`` must not be used (None: they are fresh)."""
    return _fresh(directory, root, modules)[1]


class _Compiled(importlib.abc.MetaPathFinder):
    """Finds the compiled file of each module a fresh build holds, before the sources."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        file = self.files.get(fullname)
        return None if file is None else importlib.util.spec_from_file_location(fullname, file)


def compiled_files(directory: Path, modules: Iterable[str]) -> dict[str, Path]:
    """Module name → its compiled file in ``directory``, for ``modules`` and the shared runtime
    module (``GROUP__mypyc``), those that are there."""
    out = {}
    for name in (*modules, f"{GROUP}__mypyc"):
        *package, last = name.split(".")
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            file = directory.joinpath(*package, last + suffix)
            if file.is_file():
                out[name] = file
                break
    return out


@cache
def install() -> bool:
    """Whether the compiled modules are in use: found fresh, they are put before the sources
    (once per process; ``iphub``, ``ingest`` and ``nlp`` call this first thing)."""
    if os.environ.get("IPHUB_NATIVE", "1") == "0":
        return False
    built, reason = _fresh(DIRECTORY, ROOT, MODULES)
    if reason is not None:
        if built:  # built once: say why the speed is gone
            _log.warning("compiled modules not used (%s): run make native", reason)
        return False
    sys.meta_path.insert(0, _Compiled(compiled_files(DIRECTORY, built)))
    return True


def in_use() -> dict[str, bool]:
    """Each of :data:`MODULES`, imported: whether it runs compiled."""
    out = {}
    for name in MODULES:
        module = importlib.import_module(name)
        out[name] = not str(getattr(module, "__file__", "")).endswith(".py")
    return out
