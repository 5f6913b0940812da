"""Organisations: a head noun (Bộ, Sở, UBND, Công ty ...), a name, and often a place.

"Sở KH&CN Hải Phòng" -> label "Sở Khoa học và Công nghệ Hải Phòng", alias as written,
location Hải Phòng; "Phòng Thương mại và Công nghiệp Việt Nam (VCCI)" gains the alias VCCI.
"""
from __future__ import annotations

import re

from .base import Analysis, Span
from ..text.tokens import DROP_INVISIBLE
from .names import gazetteer_at, lower_continues, prefix_at
from .places import place_at

MAX_LOWER = 6
_CONNECTORS = frozenset({"và", "&", "-", "–"})
_ABBREV = re.compile(r"[A-ZĐ][A-ZĐ0-9&.\-]{1,9}|[A-ZĐ][a-zđ]+(?:[A-ZĐ][A-Za-zđĐ0-9]*)+")  # VCCI, LienVietPostBank


def expand(a: Analysis, words: list[str]) -> str:
    """Spell out the abbreviations in a name: ``UBND TP Hải Phòng`` -> ``Ủy ban nhân dân thành phố Hải Phòng``."""
    out = [a.lex.abbreviations.get(w, w) if w.isupper() or w.endswith(".") or w in ("Tp",) else w for w in words]
    return re.sub(r"\s+", " ", " ".join(out)).replace(" ,", ",").strip().translate(DROP_INVISIBLE)




def person_starts(a: Analysis, k: int) -> bool:
    """A surname-led run of 2-4 capitalised words starts at ``k`` (and not one word later:
    in "Bạch Mai Nguyễn Quang Tuấn" the name is "Nguyễn Quang Tuấn")."""
    if a.tokens[k].key not in a.lex.surnames:
        return False
    end = a.cap_run(k, 6)
    if k + 1 < end and a.tokens[k + 1].key in a.lex.surnames and end - (k + 1) >= 3:
        return False
    return 2 <= end - k <= 4


def consume_name(a: Analysis, j: int, stop_at_place: bool = True, stop_at_person: bool = True,
                 max_lower: int = MAX_LOWER) -> int:
    """End of the name words after a head noun: capitalised words, each with a few lower-case
    words after it, joined by và/&/-; stops before a place, a title, or (after a title, where
    the name of the post holder follows) a person's name."""
    k, words = j, 0
    while k < len(a.tokens):
        t = a.tokens[k]
        if k > 0 and not a.joined(k - 1, k) and t.text not in ("-",):
            break
        if words and ((stop_at_person and person_starts(a, k)) or (stop_at_place and place_at(a, k))
                      or a.lex.titles_lower.match(a.tokens, k)):
            break
        field = a.lex.fields.match(a.tokens, k) if t.is_cap else None
        if field:
            k += field[0]
            words += 1
            continue
        if t.is_word and t.is_cap and not a.starts[k]:
            k += 1
            words += 1
            lowers = 0
            while lowers < max_lower and not t.text.isupper() and lower_continues(a, k):
                k += 1
                lowers += 1
            continue
        nxt = a.tok(k + 1)
        if words and t.key in _CONNECTORS and nxt and nxt.is_cap and nxt.is_word:
            if t.key in ("-", "–") and a.lex.org_heads.match(a.tokens, k + 1):
                break  # "Cục Cảnh sát giao thông - Bộ Công an": two bodies
            k += 1
            continue
        break
    return k


def descriptor(a: Analysis, k: int, limit: int = 4) -> int:
    """Lower-case words between a head and the name ("giải trí" in "công ty giải trí BOSP",
    "phòng chống lụt bão" in "Ban phòng chống lụt bão huyện Hương Trà"): how many, or 0
    when no name follows them. A name that is a person's is not taken ("trường hợp Nguyễn Văn A")."""
    head, first = a.tok(k - 1), a.tok(k)
    if head is None or first is None or f"{head.low} {first.key}" in a.lex.common:
        return 0  # "trường hợp", "ban hành": the head is part of a plain word
    n = 0
    while n < limit and lower_continues(a, k + n):
        n += 1
    if not n or not a.joined(k + n - 1, k + n):
        return 0
    if place_at(a, k + n):  # "Ban phòng chống lụt bão huyện Hương Trà"; not "cục diện Trung Đông",
        return n if n >= 2 and prefix_at(a, k + n) else 0  # nor "hãng công nghệ Trung Quốc"
    if a.is_name_word(k + n) and not person_starts(a, k + n) and not a.lex.titles.match(a.tokens, k + n) \
            and not a.lex.org_heads.match(a.tokens, k + n):
        return n
    return 0


def _capitalised(name: str) -> str:
    """A name as written in running text ("công ty Sao Mai") as it is labelled: "Công ty Sao Mai"."""
    return name[:1].upper() + name[1:]


def _after_title(a: Analysis, i: int) -> bool:
    """Does a title end just before ``i`` ("Giám đốc Bệnh viện Bạch Mai Nguyễn Quang Tuấn")?"""
    for n in range(1, 5):
        hit = a.lex.titles_lower.match(a.tokens, i - n) if i - n >= 0 else None
        if hit and hit[0] == n:
            return True
    return False


def org_at(a: Analysis, i: int) -> Span | None:
    t = a.tok(i)
    if t is None or not t.is_word:
        return None
    hit = a.lex.org_heads.match(a.tokens, i, cap_first=t.is_lower)
    if not hit:
        return None
    n, (needs_name, opens) = hit
    if t.is_lower and "lower" not in opens:
        return None  # "vụ", "bộ", "tổ chức": in lower case these are plain words
    prev = a.tok(i - 1)
    if prev is not None and prev.is_cap and prev.is_word and a.joined(i - 1, i) and not a.opens(i - 1):
        return None  # a head noun inside a longer name: "Tây Ban Nha"
    for back in (1, 2):
        inside = gazetteer_at(a, i - back) if i - back >= 0 else None
        if inside and inside[0] > back:
            return None
    if a.lex.titles_lower.match(a.tokens, i):
        return None  # "Bộ Trưởng", "Viện trưởng": a title, not a body
    # the name starts after "truyền hình" in "Đài truyền hình MBC"
    start = i + n + (descriptor(a, i + n) if "descriptor" in opens else 0)
    if t.is_lower and not (a.is_name_word(start) and a.joined(start - 1, start)):
        return None  # a lower-case head ("đội tuyển", "công ty") needs a capitalised name after it
    if t.is_lower and "place" not in opens and start == i + n and place_at(a, start):
        return None  # "trung tâm Hà Nội" is a part of the city
    named = gazetteer_at(a, i)  # a place or country whose name starts with the head word
    if named and named[0] >= n:
        return None
    if n == 1 and t.key in a.lex.surnames:
        run = a.cap_run(i, 6)
        after = a.tok(run)
        if 3 <= run - i <= 4 and not (after is not None and after.is_lower and lower_continues(a, run)):
            return None  # "Đoàn Văn An", "Đoàn Nguyên Đức": a person, not a body headed "Đoàn"
    # after a descriptor or a lower-case head ("công ty Sao Mai") a person's name is another name
    informal = t.is_lower or start > i + n
    name_end = consume_name(a, start, stop_at_person=informal or _after_title(a, i))
    place = place_at(a, name_end) if a.joined(name_end - 1, name_end) else None
    if needs_name and name_end == start and place is None:
        return None
    if n == 1 and t.key in a.lex.surnames and place is None:
        run = a.cap_run(i, 6)
        if 2 <= run - i <= 4 and name_end == run:
            return None  # "Đoàn Văn An" is a person, not an organisation headed "Đoàn"
    end = place.j if place else name_end
    if named and named[0] == end - i:
        return None
    words = [tok.text for tok in a.tokens[i:end]]
    label = _capitalised(expand(a, words))
    key_words = [tok.text for tok in a.tokens[i:name_end]] + ([place.name] if place else [])
    return Span(i, end, "Organisation", label, key_name=_capitalised(expand(a, key_words)),
                aliases=(a.surface(i, end),), place=place if place and place.kind == "Place" else None)


def declared_abbreviation(a: Analysis, span: Span) -> None:
    """``X (ABBR)`` after an organisation or event: ABBR is its other name."""
    op, ab, cl = a.tok(span.j), a.tok(span.j + 1), a.tok(span.j + 2)
    if op and ab and cl and op.text == "(" and cl.text in (")", "-", "–", ",", ";") and _ABBREV.fullmatch(ab.text):
        span.aliases = span.aliases + (ab.text,)
        span.abbreviation = ab.text
        a.add(Span(span.j + 1, span.j + 2, span.kind, span.name, key_name=span.key_name,
                   aliases=(ab.text,), same_as=span))


def find_organisations(a: Analysis) -> None:
    end = 0
    for i in a.lex.org_heads.positions(a.tokens, a.word_index, any_case=True):
        if i < end or a.taken[i] is not None:
            continue
        span = org_at(a, i)
        if span and a.free(span.i, span.j):
            a.add(span)
            declared_abbreviation(a, span)
            end = span.j


def find_known_abbreviations(a: Analysis) -> None:
    """Later bare uses of a declared abbreviation (``VCCI``) name the same organisation."""
    declared = {s.abbreviation: s for s in a.spans if s.abbreviation}
    if not declared:
        return
    for i, t in enumerate(a.tokens):
        if t.text in declared and a.span_at(i) is None:
            named = declared[t.text]
            a.add(Span(i, i + 1, named.kind, named.name, key_name=named.key_name, aliases=(t.text,),
                       same_as=named))


def implied_org(a: Analysis, head: str, i: int, j: int) -> Span:
    """An organisation named by a field after a title: "Thứ trưởng Khoa học và Công nghệ" -> Bộ ..."""
    words = [head] + [tok.text for tok in a.tokens[i:j]]
    label = expand(a, words)
    return Span(i, j, "Organisation", label, key_name=label, aliases=(label,), mention=False)


__all__ = ["consume_name", "declared_abbreviation", "expand", "find_known_abbreviations", "find_organisations", "implied_org",
           "org_at", "person_starts"]
