"""Word segmentation for indexing and querying: jieba's algorithm for Chinese, Snowball for English.

One segmenter per process: rjieba (jieba-rs, jieba's own dictionary and algorithm in Rust, about
6x faster than pure-Python jieba on the same text with identical output, checked by
``tests/unit/test_segment.py`` against the ``jieba`` package) plus the domain dictionary
``nlp/data/userdict.txt`` (jieba's ``word freq tag`` format). Index time uses jieba's search mode
(a word and its dictionary sub-words, so ``电池`` finds ``锂电池``); query time uses precise
mode. HMM new-word guessing is off at both ends, so the same text always splits the same way.
Latin words are lower-cased and Snowball-stemmed (``batteries`` → ``batteri``) at both ends.
``char_tokens`` gives one token per CJK character for exact substring phrases.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import sys
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import Stemmer

from nlp.nfkc import nfkc

if TYPE_CHECKING:
    import rjieba

_WORD = re.compile(r"[0-9a-z]+(?:[.'][0-9a-z]+)*")
#: the characters taken for Chinese: the unified ideographs with extension A, and the
#: compatibility ideographs (a character-class body). The index cuts each into a token of its
#: own (:func:`char_tokens`); the query, the plan and the highlighter find Chinese by it too.
CJK_CHARS = "\u3400-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_CHARS}]")


def text_language(text: str) -> str:
    """The language of a text no source labels (an export's title or abstract): Chinese when
    it holds a Chinese character, else English."""
    return "zh" if CJK.search(text) else "en"


_FORMAT_CHARS = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_LATIN_RUN = re.compile(r"[0-9a-z]+")
_NOT_IN_RUNS = str.maketrans({c: " " for c in map(chr, range(128)) if not re.match("[0-9a-z]", c)})
_CHAR_TOKEN = re.compile(f"[{CJK_CHARS}]|[0-9a-z]+")
_NOT_CJK = re.compile(f"[^{CJK_CHARS}]+")
#: Part-of-speech tag of the domain dictionary's words (``nlp.keywords`` keeps them as terms).
DOMAIN_TAG = "domain"


def user_dictionary() -> Iterator[tuple[str, int]]:
    """``(word, frequency)`` of the domain dictionary."""
    text = (resources.files("nlp") / "data" / "userdict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith("#"):
            yield parts[0], int(parts[1])


def _jieba_class() -> type[rjieba.Jieba]:
    """rjieba's ``Jieba`` class, from its extension module alone.

    ``import rjieba`` runs the package's ``__init__``, which builds a default ``Jieba()`` for its
    module-level functions: a second copy of the dictionary (≈24 MB in every process) that
    iphub never uses. The extension module is loaded under its own name, so a later
    ``import rjieba`` elsewhere finds it in ``sys.modules`` and shares the class.
    """
    name = "rjieba.rjieba"
    module = sys.modules.get(name)
    if module is None:
        package = importlib.util.find_spec("rjieba")  # finds the package without importing it
        if package is None or not package.submodule_search_locations:
            raise ImportError("rjieba is not installed")
        folder = Path(next(iter(package.submodule_search_locations)))
        path = next(
            folder / f"rjieba{suffix}"
            for suffix in importlib.machinery.EXTENSION_SUFFIXES
            if (folder / f"rjieba{suffix}").exists()
        )
        loader = importlib.machinery.ExtensionFileLoader(name, str(path))
        spec = importlib.util.spec_from_file_location(name, path, loader=loader)
        if spec is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        loader.exec_module(module)
    cls: type[rjieba.Jieba] = module.Jieba
    return cls


@cache
def segmenter() -> rjieba.Jieba:
    """The process's segmenter: jieba's dictionary plus the domain words, tagged ``domain``."""
    seg = _jieba_class()()
    for word, freq in user_dictionary():
        seg.add_word(word, freq, DOMAIN_TAG)
    return seg


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


#: Latin words this process has stemmed, and their stems: a dictionary look-up is a third of
#: Snowball's time a word (an English abstract's ≈120 words: ≈17 → ≈6 µs), and a load's
#: vocabulary repeats. Bounded (a few MB a process); past it, a new word is stemmed each time.
_STEMS: dict[str, str] = {}
_STEMS_MAX = 50_000


def stem_words(words: list[str]) -> list[str]:
    """Snowball stems of lower-cased Latin words (``batteries`` → ``batteri``), in order."""
    stems = _STEMS
    try:  # nearly always: every word seen before
        return [stems[word] for word in words]
    except KeyError:
        pass
    out: list[str] = []
    for word in words:
        stemmed = stems.get(word)
        if stemmed is None:
            stemmed = str(_stemmer().stemWord(word))
            if len(stems) < _STEMS_MAX:
                stems[word] = stemmed
        out.append(stemmed)
    return out


def fold(text: str) -> str:
    """NFKC (full-width → half-width), lower case, invisible format characters removed."""
    if text.isascii():  # NFKC leaves ASCII as it is, and the format characters are not ASCII
        return text.lower()
    return _FORMAT_CHARS.sub("", nfkc(text)).lower()


def _normalise(pieces: list[str]) -> list[str]:
    """CJK words as cut; Latin words found in the other pieces, stemmed in one batch."""
    out: list[str] = []
    at: list[int] = []  # where each Latin word goes in ``out``
    latin: list[str] = []
    for piece in pieces:
        first = piece[0]
        if "\u3400" <= first <= "\u9fff" or "\uf900" <= first <= "\ufaff":
            out.append(piece)  # the common case in Chinese text: a word starting with a CJK char
            continue
        if piece.isascii():
            if piece.isalnum():  # the common case in Latin text: one plain word
                words = [piece]
            elif piece.isspace():
                continue
            else:
                words = _WORD.findall(piece)
        elif CJK.search(piece):
            out.append(piece)
            continue
        else:
            words = _WORD.findall(piece)
        for word in words:
            at.append(len(out))
            out.append(word)
            latin.append(word)
    for i, stemmed in zip(at, stem_words(latin), strict=True):
        out[i] = stemmed
    return out


def latin_runs(folded: str) -> list[str] | None:
    """The runs of ``[0-9a-z]`` of a lower-cased text without CJK (None when it has some): how
    jieba, HMM off, cuts such text, keeping its words and dropping single other characters."""
    if folded.isascii():  # O(1); then the runs are what is left between the other characters
        return folded.translate(_NOT_IN_RUNS).split()
    if CJK.search(folded):
        return None
    return _LATIN_RUN.findall(folded)


def _latin_only(folded: str) -> list[str] | None:
    """Tokens of a text without CJK, as jieba would give them, without jieba (much faster):
    ``_normalise`` keeps the runs and stems them (a test holds the two paths together)."""
    runs = latin_runs(folded)
    return None if runs is None else stem_words(runs)


def index_tokens(text: str) -> list[str]:
    """Tokens stored in the word fields (search mode: words and their sub-words)."""
    return index_texts(text)[0].split()


def index_texts(text: str) -> tuple[str, str]:
    """The word-field and character-field strings of one text: ``index_tokens`` and
    ``char_tokens``, each joined by spaces, from one fold (what ``index_document`` stores)."""
    if not text:
        return "", ""
    if len(text) <= 64:  # names, marks and titles repeat: segment each once
        return _short_index_texts(text)
    return _index_texts(text)


def index_texts_of(texts: Iterable[str]) -> tuple[str, str]:
    """``index_texts`` of the texts joined by spaces, each text segmented on its own: a space
    is a boundary jieba never cuts across, so the tokens are the same; and a text ≤ 64
    characters is remembered on its own (an applicant's name, an inventor's), and a Latin one
    (an English abstract beside a Chinese one) takes the Latin path."""
    words: list[str] = []
    chars: list[str] = []
    for text in texts:
        w, c = index_texts(text)
        if w:
            words.append(w)
        if c:
            chars.append(c)
    return " ".join(words), " ".join(chars)


def _index_texts(text: str) -> tuple[str, str]:
    folded = fold(text)
    runs = latin_runs(folded)
    if runs is not None:  # no jieba call; the runs are the character tokens too
        return " ".join(stem_words(runs)), " ".join(runs)
    pieces = segmenter().cut_for_search(folded, hmm=False)
    if _LATIN_RUN.search(folded) is None:  # Chinese text: no Latin word to find or stem, so
        # ``_normalise`` keeps just the pieces with a CJK character; the characters, less the rest
        words = " ".join(p for p in pieces if "\u3400" <= p[0] <= "\u9fff" or CJK.search(p))
        return words, " ".join(_NOT_CJK.sub("", folded))
    return " ".join(_normalise(pieces)), " ".join(_CHAR_TOKEN.findall(folded))


# Bounded: a 1 GB load meets millions of distinct titles and names, and a CJK name's entry
# takes well under 1 KB (16,384 entries: a few MB per process); the names that repeat stay cached.
_short_index_texts = lru_cache(maxsize=16_384)(_index_texts)


def query_tokens(text: str) -> list[str]:
    """Tokens a query word must match (precise mode)."""
    folded = fold(text)
    latin = _latin_only(folded)
    return latin if latin is not None else _normalise(segmenter().cut(folded, hmm=False))


def char_tokens(text: str) -> list[str]:
    """One token per CJK character, one per Latin word (not stemmed): exact phrase matching."""
    return _CHAR_TOKEN.findall(fold(text))


def stem(word: str) -> str:
    return str(_stemmer().stemWord(fold(word)))


def warm_up() -> None:
    """Build the segmenter now rather than on the first request."""
    segmenter()
