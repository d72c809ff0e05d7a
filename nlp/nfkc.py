"""Unicode NFKC, fast on Chinese text: the one normalisation every fold of iphub starts with.

Chinese text nearly always holds full-width punctuation (``，（）：；``), which NFKC maps to ASCII.
``unicodedata.normalize`` answers an already-normalised string from its quick check in well
under a microsecond, but any such character sends the whole string through decomposition and
composition: ≈10 µs for a 110-character abstract, the costliest step of folding it, done for
every title, abstract and name a load indexes. :func:`nfkc` first replaces the common
full-width characters by their compatibility decompositions, which are what NFKD would put
in their place: the NFKD of the string, and so its NFKC, stay the same. Most texts then pass
the quick check; any other character still goes through ``unicodedata.normalize``.
"""

from __future__ import annotations

import re
import unicodedata

#: the full-width characters of everyday Chinese text, each with its NFKD (one ASCII character)
COMMON_WIDE = "，（）：；！？％＋－／　"
_COMMON = tuple((c, unicodedata.normalize("NFKD", c)) for c in COMMON_WIDE)
#: :data:`COMMON_WIDE` as ``str.translate`` maps it (each to one ASCII character)
WIDE_TO_NARROW = str.maketrans(dict(_COMMON))


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, the same result in less time."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    for wide, narrow in _COMMON:
        if wide in text:
            text = text.replace(wide, narrow)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


#: letters a name spelled in ASCII writes with two (EPO's DOCDB and epodoc forms: ``Kylmänen`` is
#: ``KYLMAENEN``; ``Müller``, ``MUELLER``); other accents are dropped (``é`` → ``e``)
#: … of them, the umlauts (``nlp.segment`` indexes a word with one under both spellings)
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "AE", "Ö": "OE", "Ü": "UE"}
_TWO_LETTERS = str.maketrans(
    UMLAUTS
    | {"å": "aa", "æ": "ae", "ø": "oe", "ß": "ss", "œ": "oe"}
    | {"Å": "AA", "Æ": "AE", "Ø": "OE", "Œ": "OE"}
)


#: Latin letters beyond ASCII (Latin-1 Supplement, Extended-A and -B), and Latin ligatures
_LATIN_LETTERS = re.compile("[\u00c0-\u024f\u1e00-\u1eff\ufb00-\ufb06]")


def ascii_letters(text: str) -> str:
    """Latin letters as a name's ASCII spelling writes them: ``Kylmänen`` → ``Kylmaenen``,
    ``Société`` → ``Societe``; any other character (CJK, digits, punctuation) as it is."""
    if text.isascii() or not _LATIN_LETTERS.search(text):  # CJK names: nothing to spell
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_TWO_LETTERS))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


#: letters no decomposition takes apart, as a search folds them (``ø`` is ``o``, ``ß`` ``ss``),
#: and letters a search takes for others: Greek's final sigma, Russian's ё
_PLAIN_LETTERS = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th",
    "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ς": "σ", "ё": "е",
}  # fmt: skip
#: the letters unaccented (in lower case: folding lowers first): Latin, Greek, and ё
_ACCENTED = ((0x00C0, 0x0250), (0x0370, 0x0400), (0x0451, 0x0452), (0x1E00, 0x2000))
#: combining marks a letter keeps after NFKC (none composes with it: ``İ`` lowers to ``i`` and
#: a dot above; a mark over ``q``): dropped, as a search matches the bare letter
_COMBINING = (
    (0x0300, 0x0370),
    (0x1AB0, 0x1B00),
    (0x1DC0, 0x1E00),
    (0x20D0, 0x2100),
    (0xFE20, 0xFE30),
)


def _unaccented_table() -> dict[int, str]:
    """Each letter with a mark → its plain letters; each combining mark → nothing."""
    table: dict[int, str] = {}
    for low, high in _ACCENTED:
        for code in range(low, high):
            letter = chr(code)
            if letter != letter.lower():
                continue
            plain = _PLAIN_LETTERS.get(letter) or "".join(
                c for c in unicodedata.normalize("NFD", letter) if not unicodedata.combining(c)
            )
            if plain != letter and 0 < len(plain) <= 2 and plain.isalpha():
                table[code] = plain
    for low, high in _COMBINING:
        table.update(dict.fromkeys(range(low, high), ""))
    return table


_UNACCENTED = _unaccented_table()
_MARKED = re.compile(
    "[" + "".join(f"{chr(low)}-{chr(high - 1)}" for low, high in (*_ACCENTED, *_COMBINING)) + "]"
)


def unaccented(lowered: str) -> str:
    """Lower-case Latin and Greek letters without their marks, as a search matches them:
    ``réseau`` is ``reseau``, ``müller`` ``muller``, ``straße`` ``strasse`` (what
    Elasticsearch's ASCII folding does to Latin letters), ``μέθοδος`` ``μεθοδοσ`` (Greek's
    capitals are written without accents), ``ёмкость`` ``емкость``; a combining mark left over
    a letter is dropped (``i̇``, lowered from Turkish ``İ``, is ``i``). Hangul and kana keep
    their marks (``が`` is not ``か``), Cyrillic its letters (``й`` is not ``и``)."""
    if _MARKED.search(lowered) is None:
        return lowered
    return lowered.translate(_UNACCENTED)
