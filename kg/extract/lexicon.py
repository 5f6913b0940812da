"""Gazetteers and word lists from kg/data/*.tsv, loaded once, matched on token sequences."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..resources import data_file
from ..text.tokens import Token, spelling_key, tokenize, word_index


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a data file; lines starting with ``#`` are its header and sources."""
    rows = []
    for line in data_file(name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _keys(phrase: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokenize(phrase))


class PhraseTable:
    """Longest match of phrases at a token position; case-sensitive, tone-folded."""

    def __init__(self, entries: dict[str, object], lower: bool = False):
        self.table: dict[tuple[str, ...], object] = {}
        self.lengths: dict[str, tuple[int, ...]] = {}  # first word -> phrase lengths, longest first
        self.lower = lower
        for phrase, value in entries.items():
            keys = _keys(phrase.lower() if lower else phrase)
            if keys:
                self.table.setdefault(keys, value)
                self.lengths[keys[0]] = tuple(sorted({*self.lengths.get(keys[0], ()), len(keys)}, reverse=True))
        self._lowered = frozenset(first.lower() for first in self.lengths)  # the words positions() looks up

    def match(self, tokens: list[Token], i: int, lower_first: bool = False,
              cap_first: bool = False) -> tuple[int, object] | None:
        """(number of tokens, value) of the longest phrase starting at ``tokens[i]``; with
        ``lower_first`` or ``cap_first`` the first word is matched lower-cased or capitalised
        ("Huyện" as "huyện" at a sentence start, "công ty" as "Công ty" in running text)."""
        if i < 0 or i >= len(tokens):
            return None
        if self.lower or lower_first:
            first = tokens[i].low
        else:
            key = tokens[i].key
            first = key[:1].upper() + key[1:] if cap_first else key
        lengths = self.lengths.get(first)
        if not lengths:
            return None
        # the words of the longest phrase once; shorter phrases are its prefixes
        rest = tokens[i + 1:i + lengths[0]]
        words = (first, *[t.low for t in rest]) if self.lower else (first, *[t.key for t in rest])
        for n in lengths:
            if n <= len(words):  # else the phrase would run past the last token
                hit = self.table.get(words[:n])
                if hit is not None:
                    return n, hit
        return None

    def positions(self, tokens: list[Token], index: dict[str, list[int]] | None = None,
                  any_case: bool = False) -> list[int]:
        """Indexes of the tokens some phrase may start with, in order: as written or in lower
        case, or (``any_case``) in whatever case.

        ``index`` is the tokens' ``word_index``: through it only the tokens of a table's
        first words are read, a few out of the thousands in an article.
        """
        if index is None:
            index = word_index(tokens)
        lengths = self.lengths
        return sorted(i for low in self._lowered if low in index for i in index[low]
                      if any_case or tokens[i].key in lengths or low in lengths)

    def __contains__(self, phrase: str) -> bool:
        return _keys(phrase) in self.table


@dataclass(frozen=True)
class Country:
    iso: str
    wikidata: str
    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    label: str
    kind: str
    names: tuple[str, ...]


class Lexicon:
    """Every word list the extractors use."""

    def __init__(self) -> None:
        self.countries = PhraseTable(self._countries())
        self.places = PhraseTable(self._places())
        # the words (as written) a country or place name starts with: gazetteer_at's quick test
        self.gazetteer_firsts = frozenset(self.countries.lengths) | frozenset(self.places.lengths)
        titles = read_tsv("titles.tsv")
        self.titles = PhraseTable({r[0]: (r[0], r[1], r[2] if len(r) > 2 else "") for r in titles})
        self.titles_lower = PhraseTable({r[0]: (r[0], r[1], r[2] if len(r) > 2 else "") for r in titles
                                         if r[1] in ("office", "profession") and not r[0].isupper()}, lower=True)
        self.titles_words = frozenset(w for r in titles for w in r[0].split())
        # head -> (needs a name after it, how else it opens a name: lower, place, descriptor)
        self.org_heads = PhraseTable({r[0]: (r[1] == "yes", frozenset(r[2].split(",")) if len(r) > 2 else frozenset())
                                      for r in read_tsv("org_heads.tsv")})
        self.event_heads = PhraseTable({r[0]: r[1] for r in read_tsv("event_heads.tsv")}, lower=True)
        self.abbreviations = {spelling_key(r[0]): r[1] for r in read_tsv("abbreviations.tsv")}
        self.surnames = frozenset(spelling_key(r[0]) for r in read_tsv("surnames.tsv"))
        self.cues = PhraseTable({r[0]: True for r in read_tsv("person_cues.tsv")})
        self.common = frozenset(spelling_key(r[0]) for r in read_tsv("common_words.tsv"))
        self.place_prefixes = PhraseTable({r[0]: r[1] for r in read_tsv("place_prefixes.tsv")})
        self.fields = PhraseTable({r[0]: r[1] for r in read_tsv("fields.tsv")})
        self.units = frozenset(spelling_key(r[0]) for r in read_tsv("unit_breakers.tsv"))

    @staticmethod
    def _countries() -> dict[str, Country]:
        table = {}
        for iso, qid, label, *rest in read_tsv("countries.tsv"):
            names = (label, *(rest[0].split("|") if rest and rest[0] else ()))
            country = Country(iso, qid, label, names)
            for name in names:
                table[name] = country
        return table

    @staticmethod
    def _places() -> dict[str, Place]:
        table = {}
        for label, kind, *rest in read_tsv("places.tsv"):
            names = (label, *(rest[0].split("|") if rest and rest[0] else ()))
            place = Place(label, kind, names)
            for name in names:
                table[name] = place
        return table


@cache
def lexicon() -> Lexicon:
    return Lexicon()
