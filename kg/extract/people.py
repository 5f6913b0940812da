"""People: names after a title, a word of address (ông, bà ...) or led by a family name;
their posts (title + organisation) and the article's byline.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from operator import attrgetter

from ..records import Membership
from .base import Analysis, Span
from .organisations import implied_org, org_at
from .names import gazetteer_at

_MAX_NAME = 5
_begin = attrgetter("begin")
_INITIALS = re.compile(r"[A-ZĐ][a-zđ]?(?:\.[A-ZĐ][a-zđ]?)*")


def title_at(a: Analysis, i: int):
    """(length, (title, kind, implied head)) of a title starting at ``i``."""
    t = a.tok(i)
    if t is None or not t.is_word:
        return None
    hit = a.lex.titles.match(a.tokens, i) if t.is_cap else None
    if hit:
        return hit
    hit = a.lex.titles_lower.match(a.tokens, i)
    if hit:  # "phó chủ tịch Nguyễn Văn A", "Bộ Trưởng": the post as written
        return hit[0], (a.surface(i, i + hit[0]), hit[1][1], hit[1][2])
    return None


def _name_end(a: Analysis, k: int) -> int:
    """End of a person's name starting at ``k``, or ``k`` when none starts there."""
    t = a.tok(k)
    if t is None or not t.is_word or not t.is_cap or t.is_number or a.span_at(k) is not None:
        return k
    if k > 0 and not a.joined(k - 1, k):
        return k
    end = a.cap_run(k, _MAX_NAME)
    while end > k and a.span_at(end - 1) is not None:
        end -= 1
    hit = gazetteer_at(a, k)
    if hit and hit[0] >= end - k:
        return k
    if org_at(a, k) is not None or title_at(a, k) or a.lex.event_heads.match(a.tokens, k) \
            or (end - k == 1 and a.lex.org_heads.match(a.tokens, k)):
        return k
    return end


def _person(a: Analysis, i: int, j: int) -> Span:
    return a.add(Span(i, j, "Person", a.surface(i, j), aliases=(a.surface(i, j),)))


def find_titled(a: Analysis) -> None:
    """``Thứ trưởng Bộ KH&CN Trần Văn Tùng``, ``Thứ trưởng Khoa học và Công nghệ Lê Xuân Định``."""
    candidates = sorted({*a.lex.titles.positions(a.tokens, a.word_index),
                         *a.lex.titles_lower.positions(a.tokens, a.word_index)})
    for i in candidates:
        if a.taken[i] is not None:
            continue
        hit = title_at(a, i)
        if not hit:
            continue
        n, (title, kind, implied) = hit
        k, org = i + n, None
        after = a.span_at(k)
        if after is not None and after.kind == "Organisation" and after.i == k:
            org, k = after, after.j
        elif kind == "office":
            field = a.lex.fields.match(a.tokens, k)
            if field and (implied or field[1]) and a.joined(k - 1, k):
                org = implied_org(a, implied if implied in ("Bộ", "Sở", "Ban") else field[1], k, k + field[0])
                k += field[0]
        end = _name_end(a, k)
        if end == k:
            continue
        a.add(Span(i, i + n, "Title", title, mention=False))
        person = _person(a, k, end)
        if org is not None and kind == "office":
            if org not in a.spans:
                a.spans.append(org)
            a.relations.append(Membership(person, title, org))


def find_appositions(a: Analysis) -> None:
    """``ông Hoàng Quang Phòng, Phó Chủ tịch VCCI`` and ``Lê Văn A (Giám đốc Sở Y tế)``."""
    for person in [s for s in a.spans if s.kind == "Person"]:
        sep = a.tok(person.j)
        if sep is None or sep.text not in (",", "(", "-", "–"):
            continue
        hit = title_at(a, person.j + 1)
        if not hit or hit[1][1] != "office":
            continue
        org = a.span_at(person.j + 1 + hit[0])
        if org is not None and org.kind == "Organisation" and org.i == person.j + 1 + hit[0]:
            a.add(Span(person.j + 1, org.i, "Title", hit[1][0], mention=False))
            a.relations.append(Membership(person, hit[1][0], org))


def find_addressed(a: Analysis) -> None:
    """Names after a word of address: ``ông Phòng``, ``bà Ngô Thị Minh``, ``chị Minh``."""
    for i in a.lex.cues.positions(a.tokens, a.word_index):
        t = a.tokens[i]
        if a.taken[i] is not None or (t.is_cap and not a.opens(i)):
            continue
        hit = a.lex.cues.match(a.tokens, i, lower_first=t.is_cap)
        if not hit:
            continue
        k = i + hit[0]
        end = _name_end(a, k)
        if end > k and a.free(k, end):
            _person(a, k, end)


def find_surnamed(a: Analysis) -> None:
    """Runs of 2-4 capitalised words led by a family name: ``Hoàng Thị Minh``."""
    for i, t in enumerate(a.tokens):
        if t.key not in a.lex.surnames or a.span_at(i) is not None or title_at(a, i) or org_at(a, i):
            continue
        prev = a.tok(i - 1)
        if prev is not None and prev.is_cap and prev.is_word and a.joined(i - 1, i) and not a.opens(i - 1):
            continue
        end = _name_end(a, i)
        if 2 <= end - i <= 4 and a.free(i, end):
            _person(a, i, end)


def find_given_names(a: Analysis) -> None:
    """A capitalised word that ends a known person's name names that person (``Minh``)."""
    given = {}
    for s in a.spans:
        if s.kind == "Person" and a.tokens[s.j - 1].text not in a.lex.titles_words:
            given.setdefault(a.tokens[s.j - 1].text, s)
    if not given:
        return
    for i in a.capitalised:  # a name word is capitalised
        t = a.tokens[i]
        if t.text in given and a.span_at(i) is None and a.is_name_word(i):
            nxt = a.tok(i + 1)
            if nxt is not None and nxt.is_cap and nxt.is_word and a.joined(i, i + 1):
                continue
            begin = i - 1 if a.is_name_word(i - 1) and a.span_at(i - 1) is None and a.joined(i - 1, i) else i
            a.add(Span(begin, i + 1, "Person", a.surface(begin, i + 1), aliases=(a.surface(begin, i + 1),)))


def find_initials(a: Analysis) -> None:
    """Names cut to initials, as the press writes them to protect people: ``T.``, ``B.H.``, ``Út N.``."""
    for i in [k - 1 for k in a.word_index.get(".", ()) if k > 0]:  # the tokens before a full stop
        t, nxt = a.tokens[i], a.tokens[i + 1]
        if nxt.text != "." or nxt.begin != t.end or a.span_at(i) is not None:
            continue
        if not _INITIALS.fullmatch(t.text):
            continue
        after = a.tok(i + 2)
        if after is not None and after.is_cap and after.is_word and not after.text[:1] == "-":
            if not a.lex.cues.match(a.tokens, i - 1):
                continue  # "H. Nội" or a sentence ending in an initial: not sure
        begin = i
        prev = a.tok(i - 1)
        if prev is not None and prev.is_cap and prev.is_word and a.joined(i - 1, i) and a.span_at(i - 1) is None \
                and not a.opens(i - 1):
            begin = i - 1
        a.add(Span(begin, i + 1, "Person", a.text[a.tokens[begin].begin:nxt.end], aliases=()))
        a.spans[-1].end_offset = nxt.end


def find_uncle_ho(a: Analysis) -> None:
    """``Bác`` written with a capital inside a sentence is President Hồ Chí Minh."""
    for i in a.word_index.get("bác", ()):
        if a.tokens[i].text == "Bác" and not a.opens(i) and a.span_at(i) is None:
            nxt = a.tok(i + 1)
            end = i + 2 if nxt is not None and nxt.text == "Hồ" and a.joined(i, i + 1) else i + 1
            if nxt is not None and nxt.is_cap and end == i + 1 and a.joined(i, i + 1):
                continue
            a.add(Span(i, end, "Person", "Hồ Chí Minh", aliases=(a.surface(i, end),)))


_NAME_WORD = r"[A-ZÀ-ỸĐ][^\W\d_A-ZĐ]*"  # no capital inside: "ThủyTheo" is a name and a source
_BYLINE = re.compile(
    rf"(?P<name>(?:[A-ZĐ]\.\s?)?{_NAME_WORD}(?:[ .]{_NAME_WORD}){{0,4}})"  # "Như Quỳnh", "H.Long", "T. Thủy"
    r"\s*(?:\((?P<note>[^)\n]{1,60})\))?"  # "(TTXVN)"
    r"\s*(?:Theo\s[^\n]{1,80})?\s*$")  # a source after the author, even glued: "T.ThủyTheo The Verge"


def find_byline(a: Analysis) -> None:
    """The author's name alone on the last line ("Như Quỳnh", "H.Long", "Minh PhươngTheo Bloomberg");
    a line that only names a source ("Theo AFP") has no author."""
    text = a.text.rstrip()
    start = text.rfind("\n") + 1
    if start == 0 or text[-1:] in ".!?:;,":
        return
    m = _BYLINE.fullmatch(text, start)
    if m is None or m.group("name").startswith("Theo"):
        return
    name = m.group("name")
    if name.endswith("Theo") or len(name.split()) > 5:
        return
    begin, end = start + m.start("name") - m.start(), start + m.end("name") - m.start()
    first = bisect_left(a.tokens, begin, key=_begin)  # the name's first token
    last = bisect_left(a.tokens, end, key=_begin)  # after its last one
    for s in a.spans_in(first, last):
        a.spans.remove(s)
        for k in range(s.i, s.j):
            a.taken[k] = None
    name = a.text[begin:end]
    a.author_span = a.add(Span(first, last, "Person", name, aliases=(name,), end_offset=end))


def find_people(a: Analysis) -> None:
    find_byline(a)
    find_titled(a)
    find_addressed(a)
    find_surnamed(a)
    find_appositions(a)
    find_initials(a)
    find_uncle_ho(a)
    find_given_names(a)
