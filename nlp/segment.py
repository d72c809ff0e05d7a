"""Word segmentation for indexing and querying: jieba's algorithm for Chinese, Snowball for English.

One segmenter per process: rjieba (jieba-rs, jieba's own dictionary and algorithm in Rust, about
6x faster than pure-Python jieba on the same text with identical output, checked by
``tests/unit/test_segment.py`` against the ``jieba`` package) plus the domain dictionary
``nlp/data/userdict.txt`` (jieba's ``word freq tag`` format). Index time uses jieba's search mode
(a word and its dictionary sub-words, so ``电池`` finds ``锂电池``); query time uses precise
mode. HMM new-word guessing is off at both ends, so the same text always splits the same way.
Latin words are lower-cased, their letters unaccented (``réseau`` → ``reseau``) and
Snowball-stemmed (``batteries`` → ``batteri``) at both ends. Words of other scripts, which jieba
cuts a character at a time, are taken apart before it: Hangul and kana as overlapping pairs of
characters (``배터리`` → ``배터 터리``: Korean and Japanese write no space between a word and
what follows it), Cyrillic, Greek and the rest as whole words, not stemmed.
``char_tokens`` gives one token per CJK, Hangul or kana character for exact substring phrases.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import Stemmer

from nlp.nfkc import UMLAUTS, nfkc, unaccented

if TYPE_CHECKING:
    import rjieba

#: the version of the index's tokens: a change to what a text is indexed as (folding, cutting)
#: makes an embedded store made before it rebuild its index when opened (``iphub.store.embedded``),
#: and takes a new Elasticsearch mapping version (``index_mappings/*.json``: ``iphub reindex``).
#: 2: Latin letters unaccented, Hangul, kana and other scripts indexed (version 1 dropped them);
#: 3: Greek unaccented, ё as е, combining marks dropped, 々 and 〇 as Chinese, ・ a separator;
#: 4: ä, ö, ü also spelled ae, oe, ue, and a Hangul or kana pair across a space
TOKENS_VERSION = "4"
_WORD = re.compile(r"[0-9a-z]+(?:[.'][0-9a-z]+)*")
#: the characters taken for Chinese: the unified ideographs with extension A, the
#: compatibility ideographs, and the iteration mark 々 and ideographic zero 〇 written among
#: them (佐々木, 二〇二一年) (a character-class body). The index cuts each into a token of its
#: own (:func:`char_tokens`); the query, the plan and the highlighter find Chinese by it too.
CJK_CHARS = "\u3005\u3007\u3400-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_CHARS}]")
#: the other scripts written without spaces between words: Hangul (syllables, jamo) and kana
#: (not the katakana middle dot ・, which separates words: ソニー・グループ).
#: Indexed like Chinese, a character a token in the ``_c`` fields (phrases find any part of a
#: word), and as pairs of characters in the ``_w`` ones (:func:`syllable_pairs`)
SYLLABIC_CHARS = "\u1100-\u11ff\u3040-\u30fa\u30fc-\u30ff\u3130-\u318f\u31f0-\u31ff\uac00-\ud7af"
#: a token of one character: CJK, Hangul or kana
ONE_CHARACTER = re.compile(f"[{CJK_CHARS}{SYLLABIC_CHARS}]")
#: a run of Hangul and kana, or of letters of another script than Latin and CJK (Cyrillic, Greek,
#: Arabic …, or a Latin letter folding leaves as it is, ``ŋ``): what jieba cuts a character at a
#: time, its cut dropped, and the segmentation takes apart itself (:func:`_by_script`)
#: a letter of another script than Latin and CJK (Cyrillic, Greek …; a regex class)
OTHER_LETTER = f"[^\\W_0-9a-z{CJK_CHARS}{SYLLABIC_CHARS}]"
_OTHER_RUN = re.compile(f"[{SYLLABIC_CHARS}]+|{OTHER_LETTER}+")
SYLLABIC = re.compile(f"[{SYLLABIC_CHARS}]")
#: a character outside ASCII, Latin-1, general and CJK punctuation, CJK and full-width forms: a
#: quick test (≈0.4 µs a Chinese abstract's 80 characters against ≈1.9 for :data:`_OTHER_RUN`)
#: that a text has none of its runs
_BEYOND_CHINESE = re.compile(
    "[^\x00-\xbf\u2000-\u206f\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]"
)


def _other_script(folded: str) -> bool:
    """Whether a folded text has a run of :data:`_OTHER_RUN`."""
    return _BEYOND_CHINESE.search(folded) is not None and _OTHER_RUN.search(folded) is not None


def text_language(text: str) -> str:
    """The language of a text no source labels (an export's title or abstract): Chinese when
    it holds a Chinese character, else English."""
    return "zh" if CJK.search(text) else "en"


_FORMAT_CHARS = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_LATIN_RUN = re.compile(r"[0-9a-z]+")
_NOT_IN_RUNS = str.maketrans({c: " " for c in map(chr, range(128)) if not re.match("[0-9a-z]", c)})
_CHAR_TOKEN = re.compile(f"[{CJK_CHARS}{SYLLABIC_CHARS}]|[0-9a-z]+|{OTHER_LETTER}+")
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
    """NFKC (full-width → half-width), lower case, invisible format characters removed, Latin
    letters without their marks (``Réseau`` → ``reseau``, ``Straße`` → ``strasse``)."""
    if text.isascii():  # NFKC leaves ASCII as it is, and the format characters are not ASCII
        return text.lower()
    return unaccented(_FORMAT_CHARS.sub("", nfkc(text)).lower())


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
    """The runs of ``[0-9a-z]`` of a lower-cased text without CJK or letters of another script
    (None when it has some): how jieba, HMM off, cuts such text, keeping its words and dropping
    single other characters."""
    if folded.isascii():  # O(1); then the runs are what is left between the other characters
        return folded.translate(_NOT_IN_RUNS).split()
    if CJK.search(folded) or _other_script(folded):
        return None
    return _LATIN_RUN.findall(folded)


def syllable_pairs(run: str) -> list[str]:
    """The word tokens of a run of Hangul or kana: each pair of neighbouring characters
    (``배터리의`` → ``배터 터리 리의``; a word searched is found inside a longer one, as its
    pairs are all there), a character alone when the run is one."""
    if len(run) < 3:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _by_script(folded: str, plain: Callable[[str], list[str]], across: bool = False) -> list[str]:
    """Word tokens of a folded text with runs of :data:`_OTHER_RUN`: ``plain`` of the text
    between them (jieba never cuts across such a run: it is no word character to jieba), the
    runs' own in their places (Hangul and kana as :func:`syllable_pairs`, another alphabet's
    as the word); ``across`` (the index), also the pair of characters across a space between
    two runs of Hangul or kana: Korean spaces a compound or not (``이차 전지``, ``이차전지``),
    and the word typed either way is found."""
    out: list[str] = []
    at = 0
    last = ""  # the previous run of Hangul or kana, where only spaces came after it
    for m in _OTHER_RUN.finditer(folded):
        run = m.group()
        syllabic = SYLLABIC.match(run) is not None
        if m.start() > at:
            between = folded[at : m.start()]
            if across and last and syllabic and between.isspace():
                out.append(last[-1] + run[0])
            else:
                out += plain(between)
        out += syllable_pairs(run) if syllabic else [run]
        at = m.end()
        last = run if syllabic else ""
    if at < len(folded):
        out += plain(folded[at:])
    return out


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


#: letters an ASCII spelling writes with two (EPO's and the USPTO's ``MUELLER`` for Müller)
_UMLAUT = re.compile(f"[{''.join(UMLAUTS)}]")
_TWO_LETTERS = str.maketrans(UMLAUTS)


def two_letter_spelling(text: str) -> str | None:
    """``text`` with ``ä``, ``ö``, ``ü`` written ``ae``, ``oe``, ``ue`` (as the offices' ASCII
    forms spell a name: ``MUELLER``), None when it has none."""
    if text.isascii():
        return None
    if "\u0308" in text:  # a diaeresis written apart (text from a Mac): ü as one character
        text = nfkc(text)
    return text.translate(_TWO_LETTERS) if _UMLAUT.search(text) else None


def _index_texts(text: str) -> tuple[str, str]:
    """:func:`_segmented`; a text with ``ä``, ``ö`` or ``ü`` also gives the word tokens of its
    spelling with ``ae``, ``oe``, ``ue`` (after its own): ``Müller`` is found as ``muller``, as
    written and as ``mueller``, the name as the offices' ASCII forms spell it."""
    words, chars = _segmented(text)
    if (two_letters := two_letter_spelling(text)) is not None:
        seen = set(words.split())
        spelled = _segmented(two_letters)[0].split()
        if extra := [t for t in dict.fromkeys(spelled) if t not in seen]:
            words = " ".join((words, *extra)) if words else " ".join(extra)
    return words, chars


def _segmented(text: str) -> tuple[str, str]:
    folded = fold(text)
    runs = latin_runs(folded)
    if runs is not None:  # no jieba call; the runs are the character tokens too
        return " ".join(stem_words(runs)), " ".join(runs)
    if _other_script(folded):  # Hangul, kana, Cyrillic …: taken apart before jieba
        tokens = _by_script(folded, _search_mode, across=True)
        return " ".join(tokens), " ".join(_CHAR_TOKEN.findall(folded))
    pieces = segmenter().cut_for_search(folded, hmm=False)
    if _LATIN_RUN.search(folded) is None:  # Chinese text: no Latin word to find or stem, so
        # ``_normalise`` keeps just the pieces with a CJK character; the characters, less the rest
        words = " ".join(p for p in pieces if "\u3400" <= p[0] <= "\u9fff" or CJK.search(p))
        return words, " ".join(_NOT_CJK.sub("", folded))
    return " ".join(_normalise(pieces)), " ".join(_CHAR_TOKEN.findall(folded))


# Bounded: a 1 GB load meets millions of distinct titles and names, and a CJK name's entry
# takes well under 1 KB (16,384 entries: a few MB per process); the names that repeat stay cached.
_short_index_texts = lru_cache(maxsize=16_384)(_index_texts)


def _search_mode(folded: str) -> list[str]:
    """Index word tokens of a folded text without runs of another script."""
    latin = _latin_only(folded)
    return latin if latin is not None else _normalise(segmenter().cut_for_search(folded, hmm=False))


def _precise_mode(folded: str) -> list[str]:
    """Query word tokens of a folded text without runs of another script."""
    latin = _latin_only(folded)
    return latin if latin is not None else _normalise(segmenter().cut(folded, hmm=False))


def query_tokens(text: str) -> list[str]:
    """Tokens a query word must match (precise mode)."""
    folded = fold(text)
    if not folded.isascii() and _other_script(folded):
        return _by_script(folded, _precise_mode)
    return _precise_mode(folded)


def char_tokens(text: str) -> list[str]:
    """One token per CJK, Hangul or kana character, one per word of another script (Latin ones
    unstemmed): exact phrase matching."""
    return _CHAR_TOKEN.findall(fold(text))


def stem(word: str) -> str:
    return str(_stemmer().stemWord(fold(word)))


def warm_up() -> None:
    """Build the segmenter now rather than on the first request."""
    segmenter()
