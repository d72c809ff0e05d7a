"""Input files: directories walked; ``.zip`` and ``.tar`` members and ``.gz``, ``.bz2`` and ``.xz``
files read as streams.

Nothing is unpacked to disk, but a zip compressed whole (``.zip.gz``, ``.zip.bz2``, ``.zip.xz``):
zipfile must seek, so it is decompressed to a temporary file, kept in memory up to
:data:`SPOOL_MEMORY` bytes. Before a member is parsed it is refused when its path is absolute or
climbs out (``../``), when it is not a regular file (links, devices), when it declares more than
``max_member`` bytes, or when its compression ratio exceeds ``max_ratio`` (a zip bomb); a gzip
stream (or bzip2, xz), whose size is only known by reading, is cut off at the same limits while
it is read (and so is a compressed zip while it is decompressed).
A zip that is an Excel workbook (an .xlsx named ``.zip``: it holds :data:`WORKBOOK_PARTS`) is
one source, read as the workbook it is, not an archive of parts each refused alone.
A zip inside a zip or tar (EPO's DOCDB packages hold a zip per part) is read through the outer
member's stream, one level deep, its members checked alike (``package.zip!part.zip!doc.xml``);
a compressed member is decompressed as it is read. Deeper nesting and a tar inside an archive are
refused with the reason. Attachments (page images, PDFs, DTDs, checksums: :data:`ATTACHMENTS`)
are marked, and the loader counts them instead of loading or quarantining each. Hidden files
and folders (``.git``, ``.DS_Store``, macOS's ``._name``) and the ``__MACOSX`` folder of a zip
made on a Mac are not inputs, on disk or in an archive (:func:`is_hidden`).
What cannot be read on disk is refused whole with the reason, never opened, and the walk goes
on (:func:`_file`): a symbolic link to a missing file or a loop of links, a file gone
before it was read, a file or folder without permission, and what is no regular file (a named
pipe, whose opening waits for a writer for ever; a socket, a device).
"""

from __future__ import annotations

import bz2
import errno
import gzip
import io
import lzma
import os
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import IO, Any, Generic, Protocol, TypeVar, cast

MAX_MEMBER = 8 * 1024**3  # bytes
#: tar archives, compressed or not (``tarfile`` tells the compression from the bytes)
TARS = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz")
#: one compressed file, read through its decompressor
_DECOMPRESSORS: dict[str, Callable[[IO[bytes]], Any]] = {
    ".gz": lambda f: gzip.GzipFile(fileobj=f, mode="rb"),
    ".bz2": lambda f: bz2.BZ2File(f, "rb"),
    ".xz": lambda f: lzma.LZMAFile(f, "rb"),
}
COMPRESSED = tuple(_DECOMPRESSORS)
#: a zip compressed whole, decompressed to a temporary file, as zipfile must seek in it
ZIPS_COMPRESSED = tuple(f".zip{suffix}" for suffix in COMPRESSED)
SPOOL_MEMORY = 64 * 1024**2  # bytes of such a zip kept in memory before it goes to disk
#: the parts of an Excel workbook's package (SpreadsheetML, ECMA-376): a zip holding them is
#: an .xlsx (or .xlsm), whatever it is named
WORKBOOK_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})
MAX_RATIO = 200


class _Closable(Protocol):
    def close(self) -> None: ...


A = TypeVar("A")  # an open archive
C = TypeVar("C", bound=_Closable)


class ArchiveRefused(ValueError):
    """A member that is not read: unsafe path, not a file, too large, or a likely bomb."""


@dataclass(frozen=True)
class Source:
    name: str  # path as given, or ``archive.zip!member/path.xml``; checkpoints use the
    # resolved absolute form (:func:`key`), so a resumed run may spell the path differently
    fingerprint: str  # changes when the content changes (size and mtime of the file on disk)
    open: Callable[[], IO[bytes]]
    refused: str | None = None
    attachment: bool = False  # an image, PDF, schema or checksum beside the data: not loaded


#: what deliveries carry beside their records: page images, PDFs, the DTDs and schemas the XML
#: names, checksums and signatures (a CNIPA or USPTO package holds thousands of images), and
#: documents for people (a README, a data description); never a table, so not ``.txt``, which
#: may be Excel's tab-separated export
ATTACHMENTS = (
    ".tif", ".tiff", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".jp2", ".pdf",
    ".dtd", ".xsd", ".ent", ".mod", ".md5", ".sha1", ".sha256", ".sig", ".asc",
    ".md", ".html", ".htm", ".doc", ".docx", ".rtf", ".odt", ".ppt", ".pptx",
)  # fmt: skip


#: files the desktop leaves in folders it has shown (Windows' thumbnail cache and folder view)
_DESKTOP_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini"})


def is_attachment(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(ATTACHMENTS) or lower.rsplit("/", 1)[-1] in _DESKTOP_FILES


def is_hidden(name: str) -> bool:
    """Whether a file or folder name (an archive member's path: any of its parts) is no input:
    hidden (``.DS_Store``, ``._a.xml``: the resource forks macOS adds) or ``__MACOSX``."""
    return any(
        part.startswith(".") and part not in (".", "..") or part == "__MACOSX"
        for part in name.split("/")
    )


def shown(path: Path) -> str:
    """``path`` as text that can be written anywhere (checkpoints, quarantine, the summary).

    A name in another encoding than the file system's — GBK, from a Chinese Windows machine,
    unpacked here — comes from Python with its bytes escaped as lone surrogates, which UTF-8
    cannot write. Such a part is read as GB18030, else written with its bytes as ``\\xNN``;
    the file itself is opened by its ``Path``, untouched.
    """
    text = str(path)
    if text.isascii():  # the common case, in O(1)
        return text
    return os.sep.join(_part(part) for part in text.split(os.sep))


def _part(part: str) -> str:
    try:
        part.encode("utf-8")
        return part
    except UnicodeEncodeError:
        raw = part.encode("utf-8", "surrogateescape")
        return _gb18030(raw) or raw.decode("utf-8", "backslashreplace")


def _gb18030(raw: bytes) -> str | None:
    """``raw`` read as GB18030 (the superset of the GBK that Chinese Windows writes names in),
    or None where it is not."""
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return None


def key(source: Source) -> str:
    path, sep, member = source.name.partition("!")
    file = Path(path)
    if _is_link(file):
        return str(_real(file)) + sep + member
    return str(_resolved(str(file.parent)) / file.name) + sep + member


def _is_link(path: Path) -> bool:
    """Whether ``path`` is a symbolic link; not, as far as can be told, in a folder that may be
    listed but not searched (where the file is refused for it when opened)."""
    try:
        return path.is_symlink()
    except OSError:
        return False


def _real(path: Path) -> Path:
    """``path`` resolved; a loop of symbolic links (which ``resolve`` raises for) is the link
    itself in its resolved folder."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError up to Python 3.12, OSError from 3.13
        return _resolved(str(path.parent)) / path.name


@lru_cache(maxsize=4096)
def _resolved(directory: str) -> Path:
    """A directory resolved once: a delivery of 100,000 files sits in a few directories."""
    return Path(directory).resolve()


class _Limited(io.RawIOBase):
    """A reader that raises :class:`ArchiveRefused` once more than ``limit`` bytes came out.

    A stream that breaks (a truncated gzip file, a member failing its CRC) gives every byte
    before the break. Each read takes what the decompressor has (``read1``): a whole read
    (``read``) threw away what it had decompressed when the break came within it, so a
    truncated file smaller than the loader's 1 MiB buffer was refused whole at its first
    bytes. The break, once bytes came out, reads as the end of the stream once — the buffered
    reader above returns what it gathered, where an error would throw that away too — and is
    raised at the next read; :func:`unmet_break` tells a reader that stopped at that end.
    The bytes after the last line break are held back until the next read: at a break they are
    a line the break cut (a CSV row whose last cell would load shortened), dropped for the
    break's own quarantine entry; a text with no line break for :data:`HOLD_MAX` bytes (one
    minified JSON document) is given as it comes from there on.
    """

    HOLD_MAX = 1024 * 1024

    def __init__(
        self, inner: IO[bytes], limit: int, name: str, on_close: Callable[[], None] | None = None
    ) -> None:
        self.inner, self.limit, self.name, self.seen = inner, limit, name, 0
        self.on_close = on_close
        self._read_some: Callable[[int], bytes] = getattr(inner, "read1", inner.read)
        self.broken: Exception | None = None  # what broke the stream
        self.met = False  # whether it was raised to the reader
        self.ready = b""  # bytes to give, up to a line break, from ``self.at`` on
        self.at = 0
        self.held = bytearray()  # bytes after the last line break, until more come
        self.lines = True  # whether the text comes in lines (else nothing is held back)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self.at == len(self.ready):
            if self.broken is not None:
                self.met = True
                raise self.broken
            try:
                data = self._read_some(len(buffer))
            except Exception as exc:
                if not self.seen:  # nothing came out: no bytes to give before the break
                    raise
                self.broken, self.held = exc, bytearray()  # the line it cut goes with it
                return 0
            self.seen += len(data)
            if self.seen > self.limit:
                raise _bomb(self.name, self.limit)
            if not data:  # the end: what was held is the last line
                self.ready, self.held, self.at = bytes(self.held), bytearray(), 0
                if not self.ready:
                    return 0
                break
            if not self.lines:
                self.ready, self.at = data, 0
                continue
            cut = data.rfind(b"\n") + 1
            if cut:
                self.ready = bytes(self.held) + data[:cut] if self.held else data[:cut]
                self.held, self.at = bytearray(data[cut:]), 0
                continue
            self.held += data
            if len(self.held) >= self.HOLD_MAX:  # no lines: hold nothing back from here on
                self.ready, self.held, self.lines = bytes(self.held), bytearray(), False
                self.at = 0
        n = min(len(buffer), len(self.ready) - self.at)
        buffer[:n] = memoryview(self.ready)[self.at : self.at + n]
        self.at += n
        return n

    def close(self) -> None:
        self.inner.close()
        if self.on_close is not None:
            self.on_close()
            self.on_close = None
        super().close()


def unmet_break(stream: IO[bytes]) -> Exception | None:
    """The error that broke ``stream`` (a :class:`Source`'s) where its reader took the break for
    the end of the stream and read no further, so never met it; else None."""
    raw = getattr(stream, "raw", None)
    if isinstance(raw, _Limited) and raw.broken is not None and not raw.met:
        return raw.broken
    return None


NOT_A_FILE = "不是普通文件（链接或设备）/ not a regular file (a link or a device)"


def unsafe_member(name: str) -> str | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return f"不安全的成员路径 / unsafe member path: {name!r}"
    return None


def walk(
    paths: list[Path],
    *,
    skip: Iterable[Path] = (),
    max_member: int = MAX_MEMBER,
    max_ratio: int = MAX_RATIO,
) -> Iterator[Source]:
    """The sources under ``paths``, in a stable order; hidden files and what is in ``skip``
    (files, or directories with all below them) left out: a loader's own quarantine directory
    and store, which it would otherwise read while it writes them.

    Each file is read once, where it is first named: a path given again (however spelled), or
    inside a directory given before it, is passed over, and a directory's walk passes over the
    files and directories given before it. They were read, and each of their records loaded
    and counted, as often as they were named.
    """
    own = {p.resolve() for p in skip}
    given: set[Path] = set()  # the paths named so far, resolved: a few, not every file

    def skipped(real: Path) -> bool:
        """Whether the resolved path ``real`` is, or is inside, what ``skip`` names."""
        return real in own or any(parent in own for parent in real.parents)

    def walked(real: Path) -> bool:
        """Whether a directory given before reads ``real`` (unless hidden there)."""
        return any(
            parent in given and not is_hidden(real.relative_to(parent).as_posix())
            for parent in real.parents
        )

    for path in paths:
        real = _real(path)
        if skipped(real) or real in given or walked(real):
            continue
        given.add(real)
        try:
            folder = path.is_dir()
        except OSError:  # no permission to look: refused as a file, with the reason
            folder = False
        if folder:
            unlisted: list[OSError] = []  # folders os.walk could not list, refused each
            # links to folders are followed (a delivery linked into the folder read), each
            # folder read once by where it really is: a link back up the tree is no loop
            folders = {real}
            for root, dirs, files in os.walk(path, onerror=unlisted.append, followlinks=True):
                yield from _unlisted(unlisted)
                here = Path(root).resolve()  # once a directory, not once a file
                kept = []
                for d in sorted(dirs):
                    below = _real(Path(root) / d)
                    if is_hidden(d) or here / d in given or below in folders or skipped(below):
                        continue
                    folders.add(below)
                    kept.append(d)
                dirs[:] = kept
                for f in sorted(files):
                    file = Path(root) / f
                    if is_hidden(f) or here / f in own or here / f in given:
                        continue
                    if _is_link(file) and skipped(_real(file)):
                        continue
                    yield from _file(file, max_member, max_ratio)
            yield from _unlisted(unlisted)
        else:
            yield from _file(path, max_member, max_ratio)


def _unlisted(errors: list[OSError]) -> Iterator[Source]:
    """A source refused for each folder in ``errors`` (emptied) that could not be listed: the
    files beside it and below its siblings are read."""
    while errors:
        exc = errors.pop(0)
        folder = Path(exc.filename if exc.filename is not None else ".")
        try:
            fp = f"folder:{folder.stat().st_mtime_ns}"
        except OSError:
            fp = ""
        yield _refused(folder, fp, f"无法列出文件夹 / cannot list the folder: {_why(folder, exc)}")


def _refused(path: Path, fingerprint: str, reason: str) -> Source:
    """``path`` refused whole for ``reason``; its opener raises, and never opens it (a named pipe
    would wait)."""

    def refuse() -> IO[bytes]:
        raise OSError(reason)

    return Source(shown(path), fingerprint, refuse, reason)


NOT_A_FILE_ON_DISK = "不是普通文件，未读取 / not a regular file, not read"


def _kind(mode: int) -> str:
    """What a file that is no regular file is, in both languages."""
    if stat.S_ISFIFO(mode):
        return "命名管道 / a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "套接字 / a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备 / a device"
    if stat.S_ISDIR(mode):
        return "文件夹 / a folder"
    return f"文件类型 / file type {stat.S_IFMT(mode):o}"


def _why(path: Path, exc: OSError) -> str:
    """Why ``path`` could not be opened or listed, in both languages."""
    if exc.errno == errno.ENOENT and (target := _target(path)) is not None:
        return f"链接指向的文件不存在 / a symbolic link to a missing file: {shown(target)}"
    if exc.errno == errno.ENOENT:
        return "文件已不存在（读取前被移走或删除）/ gone (moved or deleted before it was read)"
    if exc.errno == errno.ELOOP:
        return "符号链接循环 / a loop of symbolic links"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有权限 / permission denied"
    return f"{type(exc).__name__}: {exc.strerror or exc}"


def _target(path: Path) -> Path | None:
    """Where the symbolic link ``path`` points, or None when it is no link."""
    try:
        return Path(os.readlink(path))
    except OSError:  # no link (EINVAL), or gone
        return None


#: a file's read buffer: the loader peeks ``formats.SNIFF_BYTES`` (JSON's keys up to 1 MiB in)
#: at its head, and ``peek`` gives no more than the buffer holds (a file's own: 4 KB or 8 KB)
READ_BUFFER = 1 << 20


def _opening(path: Path) -> Callable[[], IO[bytes]]:
    """Opens ``path``; when that fails (removed since the walk, no permission to read) the error
    says why in both languages."""

    def open_file() -> IO[bytes]:
        try:
            return path.open("rb", buffering=READ_BUFFER)
        except OSError as exc:
            raise type(exc)(_why(path, exc)) from exc

    return open_file


def _file(path: Path, max_member: int, max_ratio: int) -> Iterator[Source]:
    """The sources of the file ``path``: itself, or an archive's members; refused whole, never
    opened, when it cannot be (:func:`_why`) or is no regular file (:func:`_kind`)."""
    try:
        st = path.stat()
    except OSError as exc:
        yield _refused(path, "", f"无法打开 / cannot open: {_why(path, exc)}")
        return
    fp = f"{st.st_size}:{st.st_mtime_ns}"
    if not stat.S_ISREG(st.st_mode):
        yield _refused(path, fp, f"{NOT_A_FILE_ON_DISK}: {_kind(st.st_mode)}")
        return
    lower = path.name.lower()
    limit = min(max_member, max(st.st_size, 1) * max_ratio + 1024**2)  # decompressed
    try:
        if lower.endswith(".zip"):
            yield from _zip(path, fp, max_member, max_ratio)
            return
        if lower.endswith(ZIPS_COMPRESSED):
            yield from _compressed_zip(path, fp, max_member, max_ratio, limit)
            return
        if lower.endswith(TARS):
            yield from _tar(path, fp, max_member, max_ratio)
            return
    except ArchiveRefused as exc:  # a compressed zip past its limit: a bomb
        yield Source(shown(path), fp, lambda: path.open("rb"), str(exc))
        return
    except (PermissionError, FileNotFoundError) as exc:  # not the archive's fault: say why
        yield _refused(path, fp, f"无法打开 / cannot open: {_why(path, exc)}")
        return
    except _UNREADABLE as exc:
        yield Source(
            shown(path),
            fp,
            lambda: path.open("rb"),
            f"无法读取的压缩包 / unreadable archive: {exc}",
        )
        return
    if lower.endswith(COMPRESSED):
        yield Source(shown(path), fp, _leaf(_on_disk(path), shown(path), limit))
    else:
        yield Source(shown(path), fp, _opening(path), attachment=is_attachment(lower))


#: what a broken archive raises as it is listed (a compressed one: as it is decompressed)
_UNREADABLE = (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, zlib.error, lzma.LZMAError)


#: a member stream (seekable, as zipfile and tarfile give it) and what closes it and its archive
Opened = tuple[IO[bytes], Callable[[], None]]


@dataclass(frozen=True)
class _Entry:
    """An archive member as its directory lists it."""

    name: str
    size: int
    packed: int | None  # compressed size (zip), for the bomb ratio; None in a tar
    regular: bool
    opened: Callable[[], Opened]


class _Reused(Generic[A]):
    """An archive opened once for every member read while the walk is on it, closed when the
    walk moves on; a member read after that opens it again (and keeps it until collected).

    Opening a zip per member parsed its whole directory each time: a CNIPA package of 2,000
    one-document files took 11 s, and the time grew with the square of the members.
    """

    def __init__(self, opener: Callable[[], tuple[A, Callable[[], None]]]) -> None:
        self._opener = opener
        self._open: tuple[A, Callable[[], None]] | None = None

    def get(self) -> A:
        if self._open is None:
            self._open = self._opener()
        return self._open[0]

    def close(self) -> None:
        if self._open is not None:
            self._open[1]()
            self._open = None


def _zip(path: Path, fp: str, max_member: int, max_ratio: int) -> Iterator[Source]:
    archive = _Reused(lambda: _closing(zipfile.ZipFile(path)))
    try:
        infos = archive.get().infolist()
        if is_workbook(infos):
            yield Source(shown(path), fp, _opening(path))
            return
        entries = _zip_entries(infos, archive)
        yield from _members(shown(path), fp, entries, max_member, max_ratio, 0)
    finally:
        archive.close()


def _compressed_zip(
    path: Path, fp: str, max_member: int, max_ratio: int, limit: int
) -> Iterator[Source]:
    """The members of a zip compressed whole (``.zip.gz``), or the file whole when the zip is
    a workbook (read decompressed as it streams, like any ``.gz``)."""
    archive = _Reused(lambda: _zip_in(_decompressed(path, limit)))
    try:
        infos = archive.get().infolist()
        if is_workbook(infos):
            yield Source(shown(path), fp, _leaf(_on_disk(path), shown(path), limit))
            return
        entries = _zip_entries(infos, archive)
        yield from _members(shown(path), fp, entries, max_member, max_ratio, 0)
    finally:
        archive.close()


def is_workbook(infos: Iterable[zipfile.ZipInfo]) -> bool:
    """Whether a zip with these members is an Excel workbook (:data:`WORKBOOK_PARTS`), to be
    read as one, where listed as an archive each of its parts was refused alone."""
    return WORKBOOK_PARTS <= {info.filename for info in infos}


def _closing(archive: C) -> tuple[C, Callable[[], None]]:
    return archive, archive.close


def _zip_entries(infos: list[zipfile.ZipInfo], archive: _Reused[zipfile.ZipFile]) -> list[_Entry]:
    return [
        _Entry(_zip_name(i), i.file_size, i.compress_size, True, _in_zip(archive, i.filename))
        for i in infos
        if not i.is_dir()
    ]


def _tar(path: Path, fp: str, max_member: int, max_ratio: int) -> Iterator[Source]:
    """A tar's members as its headers come: read in order, a compressed tar is decompressed
    once (listing its members first, then going back for each, decompressed it again per
    member)."""
    archive = _Reused(lambda: _closing(tarfile.open(path)))
    try:
        entries = (
            _Entry(m.name, m.size, None, m.isreg(), _in_tar(archive, m))
            for m in archive.get()
            if not m.isdir()
        )
        yield from _members(shown(path), fp, entries, max_member, max_ratio, 0)
    finally:
        archive.close()


def _members(
    container: str, fp: str, entries: Iterable[_Entry], max_member: int, max_ratio: int, depth: int
) -> Iterator[Source]:
    """Sources of an archive's members: refused ones with the reason; a zip inside (one level
    deep: EPO's DOCDB packages hold a zip per part) listed in turn; a ``.gz`` member
    decompressed as it is read, cut off like a gzip file."""
    for entry in entries:
        if is_hidden(entry.name):
            continue
        name = f"{container}!{entry.name}"
        lower = entry.name.lower()
        compression = None if entry.packed is None else (entry.packed, max_ratio)
        reason = (
            unsafe_member(entry.name)
            or (None if entry.regular else NOT_A_FILE)
            or _over_limits(entry.size, max_member, compression)
        )
        if reason is None and lower.endswith(".zip"):
            if depth == 0:
                yield from _nested_zip(name, fp, entry, max_member, max_ratio)
                continue
            reason = (
                "压缩包嵌套超过一层，请先解压外层"
                " / archive nested more than one level deep (unpack the outer one first)"
            )
        elif reason is None and lower.endswith(TARS):
            reason = (
                "压缩包内的 tar，请先解压外层 / tar inside an archive (unpack the outer one first)"
            )
        limit = None
        if lower.endswith(COMPRESSED):
            limit = min(max_member, max(entry.packed or entry.size, 1) * max_ratio + 1024**2)
        leaf = _leaf(entry.opened, entry.name, limit)
        yield Source(name, fp, leaf, reason, attachment=reason is None and is_attachment(lower))


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name as shown: one not flagged UTF-8 was read by zipfile as cp437, as the
    format says, but Chinese Windows tools write GBK there; read as GB18030 when it decodes.
    (The member is still opened by zipfile's own name.)"""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    return _gb18030(name.encode("cp437")) or name  # zipfile's cp437 gives back the bytes


def _nested_zip(
    name: str, fp: str, entry: _Entry, max_member: int, max_ratio: int
) -> Iterator[Source]:
    """The members of a zip inside an archive, read through the outer member's stream (which
    zipfile can seek: forward by decompressing, back by starting again), never unpacked."""
    archive = _Reused(lambda: _zip_in(entry.opened))
    try:
        infos = archive.get().infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        archive.close()
        yield Source(
            name,
            fp,
            _leaf(entry.opened, entry.name),
            f"无法读取的压缩包 / unreadable archive: {exc}",
        )
        return
    if is_workbook(infos):  # an .xlsx named .zip: read whole, as a workbook
        archive.close()
        yield Source(name, fp, _leaf(entry.opened, entry.name))
        return
    try:
        yield from _members(name, fp, _zip_entries(infos, archive), max_member, max_ratio, 1)
    finally:
        archive.close()


def _zip_in(opened: Callable[[], Opened]) -> tuple[zipfile.ZipFile, Callable[[], None]]:
    """A zip read through the stream ``opened`` gives, and what closes both."""
    with ExitStack() as stack:  # on failure, closes what was opened; else handed back
        stream, close_stream = opened()
        stack.callback(close_stream)
        zf = stack.enter_context(zipfile.ZipFile(stream))
        return zf, stack.pop_all().close


def _over_limits(size: int, max_member: int, compression: tuple[int, int] | None) -> str | None:
    """Why an archive member is not read: too large, or compressed beyond the ratio of
    ``compression`` (compressed size, max ratio: a bomb)."""
    if size > max_member:
        return f"成员过大 / member too large: {size} bytes, more than {max_member}"
    if compression is not None:
        packed, max_ratio = max(compression[0], 1), compression[1]
        if size > packed * max_ratio + 1024**2:
            ratio = size // packed
            return f"压缩比 {ratio}，疑为压缩炸弹 / compression ratio {ratio} (bomb?)"
    return None


def _decompressed(path: Path, limit: int) -> Callable[[], Opened]:
    """Opens the compressed file ``path`` decompressed into a temporary file that can seek (in
    memory up to :data:`SPOOL_MEMORY` bytes), refused past ``limit`` bytes (a bomb)."""

    def open_copy() -> Opened:
        name = shown(path)
        copy = tempfile.SpooledTemporaryFile(SPOOL_MEMORY)
        try:
            with path.open("rb") as f, _DECOMPRESSORS[name.lower()[name.rfind(".") :]](f) as inner:
                while block := inner.read(1024**2):
                    if copy.tell() + len(block) > limit:
                        raise _bomb(name, limit)
                    copy.write(block)
            copy.seek(0)
        except BaseException:
            copy.close()
            raise
        return cast(IO[bytes], copy), copy.close

    return open_copy


def _bomb(name: str, limit: int) -> ArchiveRefused:
    return ArchiveRefused(
        f"{name}: 解压后超过 {limit} 字节，疑为压缩炸弹 / decompresses past {limit} bytes (bomb?)"
    )


def _on_disk(path: Path) -> Callable[[], Opened]:
    opening = _opening(path)

    def open_file() -> Opened:
        f = opening()
        return f, f.close

    return open_file


def _in_zip(archive: _Reused[zipfile.ZipFile], member: str) -> Callable[[], Opened]:
    """Opens ``member`` of the zip ``archive`` holds open (a file, or a zip member)."""

    def open_member() -> Opened:
        stream = archive.get().open(member)
        return stream, stream.close

    return open_member


def _in_tar(archive: _Reused[tarfile.TarFile], member: tarfile.TarInfo) -> Callable[[], Opened]:
    def open_member() -> Opened:
        stream = archive.get().extractfile(member)
        if stream is None:
            raise ArchiveRefused(f"{member.name}: {NOT_A_FILE}")
        return stream, stream.close

    return open_member


def _leaf(
    opened: Callable[[], Opened], member: str, unpacked_limit: int | None = None
) -> Callable[[], IO[bytes]]:
    """The opener a :class:`Source` gives: the member buffered and cut off past ``MAX_MEMBER``
    bytes, or, for a compressed one (``unpacked_limit`` set), decompressed as its suffix says
    (:data:`COMPRESSED`) and cut off past that."""

    def open_leaf() -> IO[bytes]:
        stream, close = opened()
        inner: IO[bytes] = stream
        if unpacked_limit is not None:
            suffix = member.lower()[member.rfind(".") :]
            inner = cast(IO[bytes], _DECOMPRESSORS[suffix](stream))
        limit = MAX_MEMBER if unpacked_limit is None else unpacked_limit
        return io.BufferedReader(_Limited(inner, limit, member, close), 1024**2)

    return open_leaf
