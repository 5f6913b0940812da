"""Syllable tokens with code-point offsets, and the capitalisation tests names rely on."""
from __future__ import annotations

import re
from dataclasses import dataclass

INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width characters
_TOKEN = re.compile(rf"\w+(?:[{INVISIBLE}]*[&'’.\-][{INVISIBLE}]*\w+|[{INVISIBLE}]+\w+)*|[^\w\s{INVISIBLE}]")
DROP_INVISIBLE = {ord(c): None for c in INVISIBLE}  # str.translate table
_LOOKALIKE = str.maketrans({"Ð": "Đ", "ð": "đ", **{c: None for c in INVISIBLE}})
_TONE = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_RE = re.compile("|".join(_TONE) + "|" + "|".join(k.capitalize() for k in _TONE))
BREAKS = frozenset('.!?;:,()[]"“”«»…\n')


def fold(text: str) -> str:
    """One spelling for old and new tone-mark placement (``Hoà`` and ``Hòa`` fold alike),
    without invisible characters, and with the look-alike Ð (eth) read as Đ."""
    text = text.translate(_LOOKALIKE)
    return _TONE_RE.sub(lambda m: _TONE[m.group(0).lower()] if m.group(0).islower()
                        else _TONE[m.group(0).lower()].capitalize(), text)


@dataclass(frozen=True, slots=True)
class Token:
    begin: int
    end: int
    text: str
    key: str  # tone-folded text, the form lexicons are matched on
    is_word: bool  # letters or digits, not punctuation
    is_cap: bool  # starts with a capital: part of a name, or the start of a sentence
    is_lower: bool
    is_number: bool
    low: str  # the key in lower case


_SHAPES: dict[str, tuple] = {}  # word -> (key, flags...): a news vocabulary is small, words repeat


def make_token(begin: int, text: str) -> Token:
    shape = _SHAPES.get(text)
    if shape is None:
        first, key = text[0], fold(text)
        shape = (key, first.isalnum(), first.isupper(), first.islower(), first.isdigit(), key.lower())
        if len(_SHAPES) < 500_000:
            _SHAPES[text] = shape
    return Token(begin, begin + len(text), text, *shape)


def tokenize(text: str) -> list[Token]:
    """Words (with inner ``&.'-``) and single punctuation marks, with offsets.

    >>> [t.text for t in tokenize("Bộ KH&CN, ngày 18/9.")]
    ['Bộ', 'KH&CN', ',', 'ngày', '18', '/', '9', '.']
    """
    return [make_token(m.start(), m.group(0)) for m in _TOKEN.finditer(text)]


def sentence_starts(tokens: list[Token], text: str) -> list[bool]:
    """For each token: does a sentence (or line, or quotation) start with it?"""
    starts = [True] * len(tokens)
    for n in range(1, len(tokens)):
        previous = tokens[n - 1]
        starts[n] = previous.text in ".!?…" or "\n" in text[previous.end:tokens[n].begin]
    return starts


def adjacent(a: Token, b: Token, text: str) -> bool:
    """Only spaces (no newline) lie between two tokens."""
    gap = text[a.end:b.begin]
    return gap.strip(" \t\u00a0") == "" and "\n" not in gap
