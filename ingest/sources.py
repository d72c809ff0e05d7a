"""Input files: directories walked, ``.zip`` / ``.gz`` / ``.tar`` members read as streams.

Nothing is unpacked to disk. Before a member is parsed it is refused when its path is absolute or
climbs out (``../``), when it is not a regular file (links, devices), when it declares more than
``max_member`` bytes, or when its compression ratio exceeds ``max_ratio`` (a zip bomb); a gzip
stream, whose size is only known by reading, is cut off at the same limits while it is read.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, cast

MAX_MEMBER = 8 * 1024**3  # bytes
MAX_RATIO = 200
_ARCHIVES = (".gz", ".zip", ".tar", ".tgz")


class ArchiveRefused(ValueError):
    """A member that is not read: unsafe path, not a file, too large, or a likely bomb."""


@dataclass(frozen=True)
class Source:
    name: str  # path as given, or ``archive.zip!member/path.xml``; checkpoints use the
    # resolved absolute form (:func:`key`), so a resumed run may spell the path differently
    fingerprint: str  # changes when the content changes (size and mtime of the file on disk)
    open: Callable[[], IO[bytes]]
    refused: str | None = None


def key(source: Source) -> str:
    path, sep, member = source.name.partition("!")
    return str(Path(path).resolve()) + sep + member


class _Limited(io.RawIOBase):
    """A reader that raises :class:`ArchiveRefused` once more than ``limit`` bytes came out."""

    def __init__(
        self, inner: IO[bytes], limit: int, name: str, on_close: Callable[[], None] | None = None
    ) -> None:
        self.inner, self.limit, self.name, self.seen = inner, limit, name, 0
        self.on_close = on_close

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        self.seen += len(data)
        if self.seen > self.limit:
            raise ArchiveRefused(f"{self.name}: decompresses past {self.limit} bytes (bomb?)")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        if self.on_close is not None:
            self.on_close()
            self.on_close = None
        super().close()


def unsafe_member(name: str) -> str | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return f"unsafe member path {name!r}"
    return None


def walk(
    paths: list[Path], *, max_member: int = MAX_MEMBER, max_ratio: int = MAX_RATIO
) -> Iterator[Source]:
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for f in sorted(files):
                    if not f.startswith("."):
                        yield from _file(Path(root) / f, max_member, max_ratio)
        else:
            yield from _file(path, max_member, max_ratio)


def _file(path: Path, max_member: int, max_ratio: int) -> Iterator[Source]:
    st = path.stat()
    fp = f"{st.st_size}:{st.st_mtime_ns}"
    lower = path.name.lower()
    try:
        if lower.endswith(".zip"):
            yield from _zip(path, fp, max_member, max_ratio)
            return
        if lower.endswith((".tar", ".tar.gz", ".tgz")):
            yield from _tar(path, fp, max_member, max_ratio)
            return
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError) as exc:
        yield Source(str(path), fp, lambda: path.open("rb"), f"unreadable archive: {exc}")
        return
    if lower.endswith(".gz"):
        limit = min(max_member, max(st.st_size, 1) * max_ratio + 1024**2)
        yield Source(str(path), fp, lambda: _gunzip(path, limit))
    else:
        yield Source(str(path), fp, lambda: path.open("rb"))


def _gunzip(path: Path, limit: int) -> IO[bytes]:
    return io.BufferedReader(
        _Limited(cast(IO[bytes], gzip.open(path, "rb")), limit, str(path)), 1024**2
    )


def _zip(path: Path, fp: str, max_member: int, max_ratio: int) -> Iterator[Source]:
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    for info in infos:
        if info.is_dir():
            continue
        name = f"{path}!{info.filename}"
        reason = unsafe_member(info.filename) or _over_limits(
            info.filename, info.file_size, max_member, (info.compress_size, max_ratio)
        )
        yield Source(name, fp, _zip_opener(path, info.filename), reason)


def _over_limits(
    member: str, size: int, max_member: int, compression: tuple[int, int] | None = None
) -> str | None:
    """Why an archive member is not read, past its path: too large, compressed beyond the
    ratio of ``compression`` (compressed size, max ratio: a bomb), or an archive itself."""
    if size > max_member:
        return f"member of {size} bytes exceeds {max_member}"
    if compression is not None:
        packed, max_ratio = max(compression[0], 1), compression[1]
        if size > packed * max_ratio + 1024**2:
            return f"compression ratio {size // packed} (bomb?)"
    if member.lower().endswith(_ARCHIVES):
        return "nested archive (unpack the outer one first)"
    return None


def _zip_opener(path: Path, member: str) -> Callable[[], IO[bytes]]:
    def open_member() -> IO[bytes]:
        zf = zipfile.ZipFile(path)  # noqa: SIM115 - closed with the member stream
        inner = zf.open(member)
        return io.BufferedReader(_Limited(inner, MAX_MEMBER, member, zf.close), 1024**2)

    return open_member


def _tar(path: Path, fp: str, max_member: int, max_ratio: int) -> Iterator[Source]:
    with tarfile.open(path) as tf:
        members = tf.getmembers()
    for m in members:
        if m.isdir():
            continue
        name = f"{path}!{m.name}"
        reason = (
            unsafe_member(m.name)
            or (None if m.isreg() else "not a regular file")
            or _over_limits(m.name, m.size, max_member)
        )
        yield Source(name, fp, _tar_opener(path, m.name), reason)


def _tar_opener(path: Path, member: str) -> Callable[[], IO[bytes]]:
    def open_member() -> IO[bytes]:
        tf = tarfile.open(path)  # noqa: SIM115 - closed with the member stream
        f = tf.extractfile(member)
        if f is None:
            tf.close()
            raise ArchiveRefused(f"{member}: not a regular file")
        return io.BufferedReader(_Limited(f, MAX_MEMBER, member, tf.close), 1024**2)

    return open_member
