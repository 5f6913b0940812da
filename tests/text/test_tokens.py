"""Tokens and phrase look-ups (Hypothesis): the shortcuts kept for speed give what a plain scan of
every token gives, on any text."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.lexicon import lexicon
from kg.text.tokens import INVISIBLE, sentence_starts, tokenize, word_index

WORDS = ("Bộ trưởng bộ Y tế Nguyễn Văn An UBND tỉnh Nghệ An Hội nghị công ty Sao Mai ông bà tại Hà Nội "
         "Việt Nam Thành phố TP . ! ? … : , \n \n\n “ ” ( ) - Ð Hoà").split(" ")
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=3), st.sampled_from(INVISIBLE)),
                max_size=60).map(lambda parts: "".join(p + " " * (n % 3) for n, p in enumerate(parts)))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_sentence_starts_after_a_full_stop_or_a_newline(text):
    tokens = tokenize(text)
    scanned = [n == 0 or tokens[n - 1].text in ".!?…" or "\n" in text[tokens[n - 1].end:tokens[n].begin]
               for n in range(len(tokens))]
    assert sentence_starts(tokens, text) == scanned


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_phrase_positions_from_the_word_index_are_those_a_scan_finds(text):
    tokens, lex = tokenize(text), lexicon()
    for table in (lex.titles, lex.titles_lower, lex.cues, lex.org_heads, lex.place_prefixes, lex.places,
                  lex.event_heads):
        scanned = [i for i, t in enumerate(tokens) if t.key in table.lengths or t.low in table.lengths]
        assert table.positions(tokens, word_index(tokens)) == table.positions(tokens) == scanned


def test_a_phrase_matches_longest_first_and_never_past_the_last_token():
    titles, tokens = lexicon().titles, tokenize("Phó Chủ tịch nước Lê")
    assert titles.match(tokens, 0)[0] == 4 and titles.match(tokens[:3], 0)[0] == 3
    assert titles.match(tokens[:2], 0) is None  # "Phó Chủ" is no title, and "Phó Chủ tịch" is cut
    assert titles.match(tokens, 5) is None and titles.match(tokens, -1) is None
