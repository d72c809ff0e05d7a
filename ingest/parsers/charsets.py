"""Which encoding a file's text is in, and what stands for the bytes that are not in it.

Chinese exports come in UTF-8 or in GBK (read as GB18030, its superset), often without saying
which. :func:`is_gbk` tells the two apart from a file's first bytes in a way that a UTF-8 file
with a stray bad byte is not taken for GBK: read as GB18030, all its Chinese text would be
garbage, or fail to decode a few characters on and end the file there.

A byte that is not in the file's encoding is read as :data:`UNDECODABLE` (the error handler
:data:`MARK`), so that the reader goes on and the record holding it is quarantined alone, where
a ``UnicodeDecodeError`` had ended the file (and the loader quarantined the rest of it).
"""

from __future__ import annotations

import codecs
import io
import re
from typing import IO, Any

#: stands for bytes not in the file's encoding: a private-use character no export writes
UNDECODABLE = "\U000fdeaf"
#: the ``errors`` name of the decoding error handler that writes :data:`UNDECODABLE`
MARK = "iphub-undecodable"


def _mark(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return UNDECODABLE, exc.end


codecs.register_error(MARK, _mark)


def is_gbk(head: bytes) -> bool:
    """Whether a file starting with ``head`` is GBK rather than UTF-8: ``head`` is not UTF-8
    (beyond a character cut at its end), GB18030 reads it with fewer than half as many bad
    characters as UTF-8 does, and at least half its characters beyond ASCII are bad as UTF-8
    (a UTF-8 file with a bad byte or two has a few such among many, a GBK one nearly all).

    Only the start of a UTF-8 character ended by the block is taken for a cut: a GBK file of
    ASCII rows whose one Chinese character closes it (``甲`` is ``bc d7``, no start of a UTF-8
    character) was read as UTF-8, its last row quarantined. A GBK character that is also the
    start of a UTF-8 one (``e4 a1``) at the very end still cannot be told from a cut."""
    try:
        head.decode("utf-8")
        return False
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # a character cut by the end of the block
            return False
    bad_utf8 = head.decode("utf-8", "replace").count("\ufffd")
    text = head.decode("gb18030", "replace")
    bad_gb = text.count("\ufffd")
    wide = sum(1 for c in text if c > "\x7f") - bad_gb
    return bad_utf8 > 2 * bad_gb and bad_utf8 * 2 >= wide


#: the byte-order marks of UTF-16, little- and big-endian (``ff fe 00 00`` is UTF-32's)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: UTF-16 by its first bytes: a byte order mark (not UTF-32's), or ``<`` beside a zero byte
_UTF16 = re.compile(rb"^(?:(\xff\xfe|\xfe\xff)(?!\x00\x00)|(<\x00[^\x00])|(\x00<\x00))")


def utf16(head: bytes) -> str | None:
    """The codec of a file starting with ``head`` (4 bytes are enough) when it is in UTF-16:
    ``utf-16`` after a byte order mark (the codec reads it and drops it); ``utf-16-le`` or
    ``utf-16-be`` for XML without one, told by its first ``<`` beside a zero byte (Windows
    tools write such files: the XML specification's appendix F reads them so); else None."""
    m = _UTF16.match(head)
    if m is None:
        return None
    return "utf-16" if m.group(1) else ("utf-16-le" if m.group(2) else "utf-16-be")


#: the bytes of a text file its encoding is told from (what the caller can peek of them)
HEAD = 1 << 20
#: of those, the bytes :func:`is_gbk` weighs, from the first that is not ASCII
_WEIGHED = 1 << 16
_NOT_ASCII = re.compile(rb"[\x80-\xff]")


def text_encoding(head: bytes) -> str:
    """The codec of a text file (a table, JSON) starting with ``head`` (up to :data:`HEAD`):
    ``utf-16`` after that byte-order mark (Excel's "Unicode text", Windows tools' "Unicode"
    JSON; the codec reads the mark and drops it), ``gb18030`` when :func:`is_gbk` of the 64 KiB
    from its first byte beyond ASCII, else ``utf-8-sig`` (a UTF-8 byte-order mark dropped).
    A GBK export whose first 64 KiB were ASCII (English titles first, numbers, a long header)
    was read as UTF-8, and every later row with Chinese in it quarantined."""
    if head.startswith(UTF16_BOMS) and not head.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16"
    first = _NOT_ASCII.search(head)
    if first is None:
        return "utf-8-sig"
    return "gb18030" if is_gbk(head[first.start() : first.start() + _WEIGHED]) else "utf-8-sig"


def visible(text: str) -> str:
    """``text`` for the quarantine file: each :data:`UNDECODABLE` as U+FFFD, the replacement
    character a reader knows."""
    return text.replace(UNDECODABLE, "\ufffd")


def undecodable(encoding: str) -> str:
    """The quarantine reason of a record that held bytes not in ``encoding`` (a codec name)."""
    name = encoding.upper().removesuffix("-SIG")  # utf-8-sig: UTF-8 after an optional BOM
    return f"含有不是 {name} 编码的字节 / bytes not valid {name} in the record"


class Utf8Stream(io.RawIOBase):
    """Bytes in ``encoding`` read as UTF-8: decoded and encoded again a block at a time, for a
    reader that takes UTF-8 only (yajl; the tag splitter of ``fragments``). ``errors`` is the
    decoder's; a character cut by the end of the stream is dropped. A subclass may change each
    block's text on its way (:meth:`encode`)."""

    def __init__(self, raw: IO[bytes], encoding: str, errors: str, block: int = 1 << 16) -> None:
        self.raw, self.encoding, self._block = raw, encoding, block
        self._decoder = codecs.getincrementaldecoder(encoding)(errors)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:  # bytes ending inside a character give no text yet: read on
            data = self.raw.read(self._block)
            try:
                text = self._decoder.decode(data, final=not data)
            except UnicodeDecodeError:  # an odd last byte: the file was cut there
                text = ""
            self._pending = memoryview(self.encode(text))
            if not data:
                break
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def encode(self, text: str) -> bytes:
        """One block's text as UTF-8 (a lone surrogate kept as the bytes UTF-8 refuses)."""
        return text.encode("utf-8", "surrogatepass")
