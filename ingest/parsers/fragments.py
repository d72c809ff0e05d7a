"""Record elements cut out of an XML file by their tags, without parsing the file.

For formats whose every record is one element (CNIPA ``cn-patent-document``, ST.96
``Trademark``, USPTO ``case-file``) the file is read in blocks and each record's bytes are found
by their start and end tags; only the record is parsed (in the worker, or right after in one
process). Two things follow:

- **Malformed XML costs one record, not the rest of the file.** A stray control character, an
  unescaped ``&``, a bad byte in a GBK file or a truncated last record fail that record's own
  parse and are quarantined with it, while the records after it load. Parsing the whole file
  (iterparse) stopped at the first error.
- **The loading process does not parse XML.** It used to iterparse every record and serialise
  it again for a worker, which parsed it once more; now finding the tags is a ``bytes.find``.

A record is wrapped for parsing with the namespace declarations met before it (on the root and
other ancestors), the file's encoding (as declared; GB18030 for the GB family, and for a file
whose first block is GBK though it declares UTF-8 or nothing: :func:`reading_encoding`) and its
document type declaration (internal subset and external identifier: :func:`_doctype`); the
wrapper names the line the record starts on, so that lxml's errors can name the file's lines
(:func:`in_file`), not the fragment's. The tags are matched on their local name with any
prefix, followed by a blank, ``>`` or ``/``; nested elements of the same name are counted.
Comments, CDATA sections, processing instructions and the document type declaration are
stepped over: a record commented out, or a record's tag quoted in a CDATA section, is not taken
for one (a comment left open at the end of the file is given as a fragment of its own, which
fails to parse and is quarantined), and a tag ends at a ``>`` outside its quoted attribute
values. A file in UTF-16 (Windows tools write it, with or without a byte order mark) is read
through :func:`as_utf8`, so it is cut the same way; any other encoding that is not
ASCII-compatible (UTF-32) is not split here: :func:`splittable` tells the caller to use
iterparse instead.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import partial
from typing import IO, Any, cast

from ingest.parsers import charsets

BLOCK = 1 << 20  # bytes read at a time
MAX_RECORD = 64 * 1024 * 1024  # a longer "record" is a broken file: cut and quarantined
WRAPPER = b"iphub-fragment"
WRAPPER_TAG = WRAPPER.decode()
_NAMESPACE = re.compile(rb"""\sxmlns(?::([\w.-]+))?\s*=\s*("[^"]*"|'[^']*')""")
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
#: a document type declaration, with its internal subset (group 1) when it has one
_DOCTYPE = re.compile(rb"<!DOCTYPE\s[^\[>]*(\[.*?\])?\s*>", re.DOTALL)
_NAME_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_AFTER_NAME = frozenset(b" \t\r\n>/")
_TAIL = 512  # bytes kept from a block's end: a tag may be cut there
#: what opens a stretch whose tags are not markup → what closes it
_HIDING = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
#: the rest of a tag to its '>', past quoted attribute values (possessive: linear when unclosed)
_TAG_REST = re.compile(rb"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+>""")
OPEN = -1  # a comment (CDATA section, …) that is still open where the data ends


def _hidden(data: bytes, start: int, at: int) -> tuple[int, int] | None:
    """``(opening, end)`` of the comment, CDATA section, processing instruction or document
    type declaration that holds ``data[at]``, if one does (``end`` is ``OPEN`` when it does not
    close in ``data``); ``start`` must be outside any of them."""
    i = start
    while True:
        opening = min(_opening(data, i, at, b"!"), _opening(data, i, at, b"?"))
        if opening == at:
            return None
        end = _end_of(data, opening)
        if end == OPEN or end > at:
            return opening, end
        i = end


def _opening(data: bytes, start: int, at: int, mark: bytes) -> int:
    """Where ``<`` + ``mark`` first opens in ``data[start:at]`` (``at`` if nowhere): the mark
    is found first, a rare byte in markup, where ``<`` is in every tag."""
    j = data.find(mark, start + 1, at)
    while j >= 0:
        if data[j - 1] == 60:  # "<"
            return j - 1
        j = data.find(mark, j + 1, at)
    return at


def _end_of(data: bytes, opening: int) -> int:
    """Where the construct opening at ``data[opening]`` (``<!…`` or ``<?…``) ends."""
    for head, tail in _HIDING:
        if data.startswith(head, opening):
            close = data.find(tail, opening + len(head))
            return OPEN if close < 0 else close + len(tail)
    if data.startswith(b"<!DOCTYPE", opening):
        m = _DOCTYPE.match(data, opening)
        return OPEN if m is None else m.end()
    if len(data) - opening < 9:  # too short to tell what it opens
        return OPEN
    return opening + 2  # another declaration (<!ENTITY …> outside a DTD is not XML): step on


def encoding_of(head: bytes) -> str | None:
    """The encoding the XML declaration names (None: UTF-8 by default, or no declaration)."""
    m = _ENCODING.match(head.lstrip(b"\xef\xbb\xbf"))
    return m.group(1).decode("ascii") if m else None


#: the GB family: each a subset of GB18030, which reads them all (a file declared GB2312 often
#: holds characters only GBK has, which an iconv for GB2312 refuses)
_GB = frozenset({"gb2312", "gbk", "cp936", "x-gbk", "euc-cn", "gb18030"})


def reading_encoding(declared: str | None, head: bytes) -> str | None:
    """The encoding to read a file's records in, from what it declares and its first bytes.

    The GB family is read as GB18030. A file declared UTF-8, or not declared, whose first bytes
    are GBK (``charsets.is_gbk``) — Chinese tools write such files, and each record of it failed
    with "Invalid bytes in character encoding" — is read as GB18030 too (a UTF-8 file with a bad
    byte or two stays UTF-8: its records with the bad bytes are quarantined, the rest load).
    None: UTF-8, as XML says.
    """
    name = (declared or "utf-8").lower()
    if name in _GB:
        return "GB18030"
    if name not in ("utf-8", "utf8"):
        return declared
    return "GB18030" if charsets.is_gbk(head) else declared


_DECLARED_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?\sencoding\s*=\s*["'])[^"']*(["'])""")


def as_utf8(reader: io.BufferedReader) -> io.BufferedReader:
    """``reader``, or when it holds UTF-16, the same XML transcoded to UTF-8 as it is read
    (its declaration then says UTF-8), so that :func:`split` cuts it by its tags and a
    malformed record costs only itself, where iterparse stopped at the first and the rest of
    the file was quarantined. A lone surrogate stays a byte sequence UTF-8 refuses: its record
    fails to parse and is quarantined alone."""
    encoding = charsets.utf16(reader.peek(4)[:4])
    if encoding is None:
        return reader
    return io.BufferedReader(cast(Any, _FromUtf16(reader, encoding, "surrogatepass", BLOCK)), BLOCK)


class _FromUtf16(charsets.Utf8Stream):
    """UTF-16 XML as UTF-8, its declaration saying so."""

    started = False

    def encode(self, text: str) -> bytes:
        if not self.started and text:
            self.started = True
            text = _DECLARED_ENCODING.sub(r"\1UTF-8\2", text.lstrip("\ufeff"), count=1)
        return super().encode(text)


def splittable(head: bytes) -> bool:
    """Whether a file starting with ``head`` can be cut by finding its tags as ASCII bytes
    (not UTF-16 or UTF-32, with or without a byte order mark, nor an unknown encoding)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        return False
    encoding = encoding_of(head)
    if encoding is None:
        return True
    try:
        return "<a/>".encode(encoding) == b"<a/>"
    except LookupError:
        return False


class _Tags:
    """Start and end tags of one local name, found with ``bytes.find``."""

    def __init__(self, name: str) -> None:
        self.name = name.encode("ascii")

    def next(self, data: bytes, start: int) -> tuple[int, int, bool] | None:
        """``(where the tag's '<' is, where its name ends, is it an end tag)`` from ``start``
        (outside any comment); None when there is none in ``data``, or when a comment before
        the next one is still open where ``data`` ends."""
        at = data.find(self.name, start)
        while at >= 0:
            found = self._tag_at(data, at)
            if found is not None:
                inside = _hidden(data, start, found[0])
                if inside is None:
                    return found
                if inside[1] == OPEN:
                    return None
                start = inside[1]  # step over the comment and look on after it
                at = data.find(self.name, start)
                continue
            at = data.find(self.name, at + 1)
        return None

    def next_start(self, data: bytes, start: int) -> tuple[int, int, bool] | None:
        found = self.next(data, start)
        while found is not None and found[2]:  # an end tag outside a record: not one
            found = self.next(data, found[1])
        return found

    def _tag_at(self, data: bytes, at: int) -> tuple[int, int, bool] | None:
        end = at + len(self.name)
        if end >= len(data) or data[end] not in _AFTER_NAME:
            return None
        i = at - 1
        while i >= 0 and data[i] in _NAME_CHARS:  # a prefix, or part of a longer name
            i -= 1
        if i < 0 or (i < at - 1 and data[i] != ord(":")):
            return None
        if data[i] == ord(":"):  # a prefix: it must run back to the '<' (or '</')
            j = i - 1
            while j >= 0 and data[j] in _NAME_CHARS:
                j -= 1
            if j == i - 1 or j < 0:
                return None
            i = j
        if data[i] == ord("<"):
            return i, end, False
        if data[i] == ord("/") and i > 0 and data[i - 1] == ord("<"):
            return i - 1, end, True
        return None


class _Starts:
    """The next start tag of any of several names (a file may hold two kinds of record)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.tags = [_Tags(name) for name in names]
        self._data = b""
        self._next: list[tuple[int, int, bool] | None] = []

    def next(self, data: bytes, start: int) -> tuple[_Tags, tuple[int, int, bool]] | None:
        if data is not self._data:  # new data: forget what was found in the old
            self._data = data
            self._next = [t.next_start(data, start) for t in self.tags]
        best: tuple[_Tags, tuple[int, int, bool]] | None = None
        for i, tags in enumerate(self.tags):
            found = self._next[i]
            if found is not None and found[0] < start:  # passed: look again, from here on
                found = self._next[i] = tags.next_start(data, start)
            if found is not None and (best is None or found[0] < best[1][0]):
                best = tags, found
        return best


class _Window:
    """The unread part of the stream: ``data`` from where the caller is, plus a line count."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.blocks = iter(partial(stream.read, BLOCK), b"")
        self.data = next(self.blocks, b"")
        self.line = 1  # the line of ``data[counted]``
        self.counted = 0

    def line_at(self, i: int) -> int:
        """The line of ``data[i]``; ``i`` never goes back between calls."""
        self.line += self.data.count(b"\n", self.counted, i)
        self.counted = i
        return self.line

    def extend(self, keep: int) -> bool:
        """Drop ``data`` before ``keep`` and read a block on; False at the end of the stream."""
        block = next(self.blocks, b"")
        if not block:
            return False
        self.line_at(keep)
        self.data, self.counted = self.data[keep:] + block, 0
        return True


def split(stream: IO[bytes], names: tuple[str, ...], skip: int = 0) -> Iterator[tuple[str, bytes]]:
    """``(position, wrapped record XML)`` per element named one of ``names`` (local names) and
    not inside another such record, from the ``skip``-th on.

    Positions read ``"<name> <n> (line <l>)"``, the line of the record's start tag, as iterparse
    gave them. A record cut off by the end of the file, or longer than ``MAX_RECORD``, is still
    given, cut (its parse fails and it is quarantined); after an over-long one the search for
    the next record goes on.
    """
    starts = _Starts(names)
    w = _Window(stream)
    encoding = reading_encoding(encoding_of(w.data[:200]), w.data)
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>\n'.encode() if encoding else b""
    declaration += _doctype(w.data)
    namespaces: dict[bytes, bytes] = {}
    index = pos = 0
    while True:
        next_start = starts.next(w.data, pos)
        if next_start is None:  # no start tag yet: read on
            # keep a tail that may hold a tag cut by the block's end; scan whole tags only
            keep = w.data.rfind(b">", pos, max(pos, len(w.data) - _TAIL)) + 1
            if keep <= pos and len(w.data) - pos > MAX_RECORD:
                keep = len(w.data) - _TAIL
            keep = max(keep, pos)
            inside = _hidden(w.data, pos, keep)
            if inside is not None:  # keep the comment whole: its end tells where it ends
                keep = inside[0]
                if len(w.data) - keep > MAX_RECORD:  # a comment that does not end: a broken file
                    keep = inside[1] if inside[1] != OPEN else len(w.data) - _TAIL
            _scope(namespaces, w.data[pos:keep])
            if not w.extend(keep):
                opened = _hidden(w.data, 0, len(w.data))
                if opened is not None and opened[1] == OPEN:  # a comment left open: say so
                    index += 1
                    if index > skip:
                        line = w.line_at(opened[0])
                        position = f"{starts.tags[0].name.decode()} {index} (line {line})"
                        tail = w.data[opened[0] :][:MAX_RECORD]
                        yield position, _wrap(declaration, namespaces, tail, line)
                return
            pos = 0
            continue
        tags, (begin, name_end, _) = next_start
        _scope(namespaces, w.data[pos:begin])
        end, begin = _element_end(tags, w, begin, name_end)
        index += 1
        if index > skip:
            record = w.data[begin : abs(end)][:MAX_RECORD]
            first = w.line_at(begin)
            # the line of the start tag's end, as libxml2 reports it
            line = first + w.data.count(b"\n", begin, _tag_end(w.data, begin))
            position = f"{tags.name.decode()} {index} (line {line})"
            yield position, _wrap(declaration, namespaces, record, first)
        if end < 0 and -end >= len(w.data):  # cut off by the end of the stream
            return
        pos = abs(end)  # after an over-long record: search on from where it was cut


def _element_end(tags: _Tags, w: _Window, begin: int, name_end: int) -> tuple[int, int]:
    """``(end, begin)`` of the element whose start tag is at ``begin``, its name ending at
    ``name_end`` (``begin`` moves if ``w`` drops what came before it); ``end`` is negative when
    the element did not close (end of stream, or longer than ``MAX_RECORD``): then ``-end`` is
    where the search goes on."""
    depth = 0
    at = begin
    found: tuple[int, int, bool] | None = (begin, name_end, False)  # the caller found it
    while True:
        if found is None:
            found = tags.next(w.data, at)
        close = -1 if found is None else _tag_end(w.data, found[1])
        if found is None or close < 0:  # the element (or its last tag) runs past what was read
            if len(w.data) - begin > MAX_RECORD:
                return -(begin + MAX_RECORD), begin
            if not w.extend(begin):
                return -len(w.data), begin
            at, begin, found = at - begin, 0, None
            continue
        _, _, closing = found
        found = None
        if closing:
            depth -= 1
        elif w.data[close - 1] != ord("/"):  # not an empty element
            depth += 1
        at = close + 1
        if depth <= 0:
            return at, begin


def _tag_end(data: bytes, i: int) -> int:
    """The ``>`` that ends the tag ``data[i]`` is in, past quoted attribute values (which may
    hold ``>`` or ``/>``); -1 when it is not in ``data``."""
    m = _TAG_REST.match(data, i)
    return -1 if m is None else m.end() - 1


def _doctype(head: bytes) -> bytes:
    """The file's document type declaration for the wrapper: its internal subset (entity
    declarations a record may refer to) and its external DTD's identifier. That DTD is never
    loaded (``base.SAFE_XML_OPTIONS``), but naming it keeps a reference to an entity it would
    declare (CNIPA's ``cn-patent-document`` DTD has ISO entity sets: ``&alpha;``) a reference,
    as in the whole file, where in a fragment without it the reference failed the record."""
    m = _DOCTYPE.search(head)
    if m is None:
        return b""
    subset = m.group(1) or b""
    external = _EXTERNAL_ID.search(head, m.start(), m.start(1) if subset else m.end())
    if external is None and not subset:
        return b""
    parts = [WRAPPER, *([external.group(0)] if external else []), *([subset] if subset else [])]
    return b"<!DOCTYPE %s>\n" % b" ".join(parts)


#: the external identifier of a document type declaration (``SYSTEM "x.dtd"``, ``PUBLIC "…" "…"``)
_EXTERNAL_ID = re.compile(rb"""(?:SYSTEM|PUBLIC\s+(?:"[^"]*"|'[^']*'))\s+(?:"[^"]*"|'[^']*')""")


def _scope(namespaces: dict[bytes, bytes], text: bytes) -> None:
    """Remember the namespace declarations in ``text`` (the tags between records)."""
    for prefix, uri in _NAMESPACE.findall(text):
        namespaces[prefix] = uri


def _wrap(declaration: bytes, namespaces: dict[bytes, bytes], record: bytes, line: int) -> bytes:
    """``record`` wrapped, the wrapper naming the file's ``line`` the record starts on."""
    attrs = b"".join(
        b" xmlns:" + p + b"=" + uri if p else b" xmlns=" + uri for p, uri in namespaces.items()
    )
    return b'%s<%s line="%d"%s>%s</%s>' % (declaration, WRAPPER, line, attrs, record, WRAPPER)


#: the wrapper's start tag, with the file's line its record starts on
_WRAPPER_START = re.compile(rb'<%s line="(\d+)"[^>]*>' % WRAPPER)
#: a line lxml's message names (after a comma: where the error is, with its column; else a
#: line the message speaks of, "Opening and ending tag mismatch: p line 3 and abstract")
_LXML_LINE = re.compile(r"(,? )line (\d+)(, column \d+)?")


def in_file(data: bytes, message: str) -> str:
    """lxml's ``message`` about the wrapped record ``data`` with the lines it names the file's.

    lxml counts the fragment's lines, the wrapper's head (the declaration and document type it
    is given) among them, so a reason said "line 3" of a record on line 42, beside a position
    that names line 42. Each line is moved by where the record starts in the file. A column on
    the record's first line, where the wrapper's start tag stands before it, is left out, and
    so is a line in the wrapper's head, which is none of the file's; ``message`` is returned as
    it is for data not wrapped here (``base.split_elements``' elements).
    """
    m = _WRAPPER_START.search(data)
    if m is None:
        return message
    first = data.count(b"\n", 0, m.end()) + 1  # the fragment's line the record starts on
    return lines_moved(message, int(m[1]) - first, first)


def lines_moved(message: str, shift: int, first: int = 1) -> str:
    """lxml's ``message`` (an ``XMLSyntaxError``'s ``msg``, without the "(<string>, line N)"
    its ``str`` adds) with each line it names moved by ``shift`` to the file's: a line before
    ``first`` is none of the file's and is left out, and so is a column on line ``first``,
    which holds bytes the file does not hold there (a wrapper's tag before the record, another
    document before it on its line)."""

    def file_line(said: re.Match[str]) -> str:
        line = int(said[2])
        if line < first:
            return ""
        column = (said[3] or "") if line != first else ""
        return f"{said[1]}line {line + shift}{column}"

    return _LXML_LINE.sub(file_line, message)


def unwrap(data: bytes) -> bytes:
    """The record's own bytes of a wrapped fragment (for the quarantine)."""
    start = data.find(b">", data.find(b"<" + WRAPPER)) + 1
    end = data.rfind(b"</" + WRAPPER)
    return data[start:end] if start > 0 and end >= start else data
