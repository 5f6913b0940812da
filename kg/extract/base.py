"""The working state one document's extractors share: tokens, sentences, found spans."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any
from itertools import accumulate

from ..records import Document, Entity, Relation
from .lexicon import Lexicon, lexicon
from ..text.tokens import DROP_INVISIBLE, INVISIBLE, Token, adjacent, sentence_starts, tokenize, word_index



@dataclass
class Span:
    """A recognised name over tokens ``i:j`` (end-exclusive), before resolution."""

    i: int
    j: int
    kind: str  # an entity class, or "Title"
    name: str  # the canonical name, the entity's label
    key_name: str = ""  # the name its identity is keyed on, when not ``name``
    aliases: tuple[str, ...] = ()
    mention: bool = True  # record a NIF mention for it
    key: str | None = None  # the entity's key, once resolved (kg.extract.resolve)
    same_as: Span | None = None  # the span this one is another name of ("VCCI" after its full name)
    entry: Any = None  # the gazetteer entry of a country or place (kg.extract.lexicon.Country, Place)
    place: Span | None = None  # the place that ends an organisation's name ("Sở Y tế Hà Nội")
    prefix: str = ""  # the place word before a place's name ("tỉnh", "quận")
    name_from: int | None = None  # where the name starts after that place word
    mention_from: int | None = None  # where the mention starts, when not at ``i``
    end_offset: int | None = None  # where the mention ends, when not at the end of token ``j - 1``
    head: str = ""  # an event's head word, as written ("Lễ hội", "Cuộc thi")
    series: str = ""  # an edition's series name ("Techfest" of "Techfest 2023")
    is_series: bool = False  # the name of a series of events
    abbreviation: str = ""  # the abbreviation declared after the name: "(VCCI)"


class Analysis:
    """One document under analysis; extractors read tokens and add spans and relations."""

    def __init__(self, doc: Document, lex: Lexicon | None = None):
        self.doc = doc
        self.text = doc.text
        self.lex = lex or lexicon()
        self.tokens: list[Token] = tokenize(doc.text)
        self._invisible = any(c in doc.text for c in INVISIBLE)  # else surface() need not translate
        # Where each word is, and which tokens are capitalised: the extractors that look for a few
        # words, or for names, visit those tokens only.
        self.word_index = word_index(self.tokens)
        self.capitalised = [i for i, t in enumerate(self.tokens) if t.is_cap]
        self.starts = sentence_starts(self.tokens, doc.text)
        self.sentence_of: list[int] = [n - 1 for n in accumulate(self.starts)]
        self._sentence_bounds = [i for i, s in enumerate(self.starts) if s]
        self.spans: list[Span] = []
        self.taken: list[Span | None] = [None] * len(self.tokens)
        self.relations: list[Relation] = []
        self.author_span: Span | None = None
        self.entities: dict[str, Entity] = {}  # by key, once the spans are resolved
        self.facts: Any = None  # kg.extract.relations.Facts, once the entities are known

    # token helpers -----------------------------------------------------------------
    def tok(self, i: int) -> Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None  # inlined in the hottest loops

    def joined(self, i: int, j: int) -> bool:
        """Tokens ``i`` and ``j`` (= i + 1) are separated by spaces only."""
        return 0 <= i and j < len(self.tokens) and adjacent(self.tokens[i], self.tokens[j], self.text)

    def surface(self, i: int, j: int) -> str:
        """The text of tokens ``i:j`` as a name: invisible characters (soft hyphens) dropped."""
        j = min(j, len(self.tokens))
        if i >= j:
            return ""
        text = self.text[self.tokens[i].begin:self.tokens[j - 1].end]
        return text.translate(DROP_INVISIBLE) if self._invisible else text

    def is_name_word(self, i: int) -> bool:
        """A capitalised word that is not just a sentence's first word."""
        if not 0 <= i < len(self.tokens):
            return False
        t = self.tokens[i]
        if not t.is_word or not t.is_cap or t.is_number:
            return False
        # the set look-up first: it is cheaper than opens() and rarely true
        return not (t.low in self.lex.common and self.opens(i) and not t.text.isupper())

    def opens(self, i: int) -> bool:
        """Is token ``i`` capitalised by position: first in a sentence, after a colon or a quote?"""
        return self.starts[i] or (i > 0 and self.tokens[i - 1].text in ':"“‘(-–')

    def starts_phrase(self, i: int) -> bool:
        """Does a title, head noun or field name start at ``i`` ("Phó Chủ tịch", "Sở thú", "Công ty")?"""
        lex = self.lex
        return any(table.match(self.tokens, i, lower_first=True) or table.match(self.tokens, i)
                   for table in (lex.titles, lex.org_heads, lex.event_heads, lex.fields))

    def cap_run(self, i: int, limit: int = 8) -> int:
        """End of the run of adjacent capitalised words starting at ``i``."""
        tokens, j, stop = self.tokens, i, min(len(self.tokens), i + limit)
        while j < stop:
            t = tokens[j]
            if not (t.is_word and t.is_cap and not t.is_number):
                break
            if j > i and (self.starts[j] or not adjacent(tokens[j - 1], t, self.text)):  # joined(), inlined
                break
            j += 1
        return j

    def sentences(self) -> list[tuple[int, int]]:
        """Every sentence as a token range."""
        bounds = self._sentence_bounds + [len(self.tokens)]
        return [(b, e) for b, e in zip(bounds, bounds[1:]) if b < e]

    def sentence_range(self, i: int) -> tuple[int, int]:
        k = bisect_right(self._sentence_bounds, i) - 1
        begin = self._sentence_bounds[k]
        end = self._sentence_bounds[k + 1] if k + 1 < len(self._sentence_bounds) else len(self.tokens)
        return begin, end

    # spans --------------------------------------------------------------------------
    def free(self, i: int, j: int) -> bool:
        return 0 <= i < j <= len(self.tokens) and all(s is None for s in self.taken[i:j])

    def add(self, span: Span) -> Span:
        self.spans.append(span)
        for k in range(span.i, span.j):
            self.taken[k] = span
        return span

    def span_at(self, i: int) -> Span | None:
        return self.taken[i] if 0 <= i < len(self.taken) else None

    def spans_in(self, i: int, j: int, kinds: tuple[str, ...] = ()) -> list[Span]:
        seen, found = set(), []
        for k in range(max(0, i), min(j, len(self.taken))):
            s = self.taken[k]
            if s is not None and id(s) not in seen and (not kinds or s.kind in kinds):
                seen.add(id(s))
                found.append(s)
        return found
