"""Syllable tokens with code-point offsets, and the capitalisation tests names rely on."""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

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


def spelling_key(text: str) -> str:
    """One spelling for old and new tone-mark placement (``Hoà`` and ``Hòa`` fold alike),
    without invisible characters, and with the look-alike Ð (eth) read as Đ."""
    text = text.translate(_LOOKALIKE)
    return _TONE_RE.sub(lambda m: _TONE[m.group(0).lower()] if m.group(0).islower()
                        else _TONE[m.group(0).lower()].capitalize(), text)


class Token(NamedTuple):
    """One word or punctuation mark. A named tuple rather than a frozen dataclass: an article
    has thousands of tokens, and a tuple is built (by ``tokenize``) faster."""

    begin: int
    end: int
    text: str
    key: str  # tone-folded text, the form lexicons are matched on
    is_word: bool  # letters or digits, not punctuation
    is_cap: bool  # starts with a capital: part of a name, or the start of a sentence
    is_lower: bool
    is_number: bool
    low: str  # the key in lower case


# word -> (text, key, flags..., low), the fields after ``end``: a news vocabulary is small, words repeat
_SHAPES: dict[str, tuple] = {}


def _shape(text: str) -> tuple:
    first, key = text[0], spelling_key(text)
    shape = (text, key, first.isalnum(), first.isupper(), first.islower(), first.isdigit(), key.lower())
    if len(_SHAPES) < 500_000:
        _SHAPES[text] = shape
    return shape


def tokenize(text: str) -> list[Token]:
    """Words (with inner ``&.'-``) and single punctuation marks, with offsets.

    >>> [t.text for t in tokenize("Bộ KH&CN, ngày 18/9.")]
    ['Bộ', 'KH&CN', ',', 'ngày', '18', '/', '9', '.']
    """
    # tuple.__new__ skips Token()'s argument handling: this loop builds every token of every article
    shapes, new, tokens = _SHAPES, tuple.__new__, []
    for m in _TOKEN.finditer(text):
        word, begin = m.group(), m.start()
        tokens.append(new(Token, (begin, begin + len(word)) + (shapes.get(word) or _shape(word))))
    return tokens


def sentence_starts(tokens: list[Token], text: str) -> list[bool]:
    """For each token: does a sentence (or line, or quotation) start with it?"""
    starts = ([True] + [t.text in ".!?…" for t in tokens[:-1]]) if tokens else []
    # Tokens never hold a newline, so a newline lies in the gap before the first token after it.
    begins = [t.begin for t in tokens]
    newline = text.find("\n")
    while newline != -1:
        k = bisect_right(begins, newline)
        if k == len(begins):
            break
        starts[k] = True
        newline = text.find("\n", begins[k])
    return starts


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (begin, end) over the text: the sentences extraction reads
    (``sentence_starts``), from the first token's start to the last token's end.

    >>> text = "Ông An đến. Bà Bình về!"
    >>> [text[b:e] for b, e in sentences(text)]
    ['Ông An đến.', 'Bà Bình về!']
    """
    tokens = tokenize(text)
    starts = sentence_starts(tokens, text)
    bounds = [i for i, start in enumerate(starts) if start] + [len(tokens)]
    return [(tokens[b].begin, tokens[e - 1].end) for b, e in zip(bounds, bounds[1:]) if b < e]


def word_index(tokens: list[Token]) -> dict[str, list[int]]:
    """Each word (``low``) -> the indexes of its tokens, in order."""
    index: dict[str, list[int]] = {}
    for i, t in enumerate(tokens):
        index.setdefault(t.low, []).append(i)
    return index


def adjacent(a: Token, b: Token, text: str) -> bool:
    """Only spaces (no newline) lie between two tokens."""
    gap = text[a.end:b.begin]
    return gap.strip(" \t\u00a0") == "" and "\n" not in gap
