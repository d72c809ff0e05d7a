"""Word segmentation for indexing and querying: jieba for Chinese, Snowball for English.

One dedicated ``jieba.Tokenizer`` per process, built on jieba's own dictionary plus the domain
dictionary ``nlp/data/userdict.txt`` (jieba's ``word freq tag`` format). Index time uses jieba's
search mode (a word and its dictionary sub-words, so ``电池`` finds ``锂电池``); query time uses
precise mode. HMM new-word guessing is off at both ends, so the same text always splits the same
way. Latin words are lower-cased and Snowball-stemmed (``batteries`` → ``batteri``) at both ends.
``char_tokens`` gives one token per CJK character for exact substring phrases.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import jieba
import Stemmer

_WORD = re.compile(r"[0-9a-z]+(?:[.'][0-9a-z]+)*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FORMAT_CHARS = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CHAR_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[0-9a-z]+")


@cache
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with (resources.files("nlp") / "data" / "userdict.txt").open("rb") as f:
        tokenizer.load_userdict(f)
    return tokenizer


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def fold(text: str) -> str:
    """NFKC (full-width → half-width), lower case, invisible format characters removed."""
    return _FORMAT_CHARS.sub("", unicodedata.normalize("NFKC", text)).lower()


def _normalise(pieces: list[str]) -> list[str]:
    stem = _stemmer().stemWord
    out: list[str] = []
    for piece in pieces:
        if _CJK.search(piece):
            out.append(piece)
        else:
            out.extend(stem(w) for w in _WORD.findall(piece))
    return out


def index_tokens(text: str) -> list[str]:
    """Tokens stored in the word fields (search mode: words and their sub-words)."""
    if len(text) <= 64:  # names, marks and titles repeat: segment each once
        return list(_short_index_tokens(text))
    return _normalise(list(_tokenizer().cut_for_search(fold(text), HMM=False)))


@lru_cache(maxsize=200_000)
def _short_index_tokens(text: str) -> tuple[str, ...]:
    return tuple(_normalise(list(_tokenizer().cut_for_search(fold(text), HMM=False))))


def query_tokens(text: str) -> list[str]:
    """Tokens a query word must match (precise mode)."""
    return _normalise(list(_tokenizer().cut(fold(text), HMM=False)))


def char_tokens(text: str) -> list[str]:
    """One token per CJK character, one per Latin word (not stemmed): exact phrase matching."""
    return _CHAR_TOKEN.findall(fold(text))


def stem(word: str) -> str:
    return str(_stemmer().stemWord(fold(word)))


def warm_up() -> None:
    """Load the dictionary now (about half a second) rather than on the first request."""
    _tokenizer().initialize()
