"""Events and projects: named events (a head noun and a name, a quoted title, a name with
a year), the series an edition belongs to, bare references ("Ngày hội") and prize-winning projects.
"""
from __future__ import annotations

import re

from .base import Analysis, Span
from .organisations import consume_name, declared_abbreviation
from .names import gazetteer_at

_YEAR = re.compile(r"(19|20)\d\d")
_OPEN, _CLOSE = "\"“«", "\"”»"
_STOP = frozenset({"do", "tại", "được", "đã", "sẽ", "đang", "vừa", "khi", "là", "có", "diễn", "khai",
                   "tổ", "thu", "với", "cho", "của", "từ", "ở", "trong", "nhằm", "để", "gồm", "vào"})
_PROJECT_HEADS = ("dự án", "giải pháp", "phần mềm", "ứng dụng", "nền tảng", "đề tài", "tác phẩm", "startup")
_REFERENCES = frozenset({"Ngày hội", "Sự kiện", "Chương trình", "Hội nghị", "Diễn đàn", "Lễ hội", "Festival",
                         "Tuần lễ", "Cuộc thi", "Hội thảo", "Triển lãm", "Hội chợ", "Liên hoan", "Giải đấu"})


_REFERENCE_FIRST = frozenset(r.split()[0] for r in _REFERENCES)
_PROJECT_FIRST = frozenset(h.split()[0] for h in _PROJECT_HEADS)


def is_year(a: Analysis, k: int) -> bool:
    t = a.tok(k)
    return t is not None and t.is_number and len(t.text) == 4 and bool(_YEAR.fullmatch(t.text))


def canonical(a: Analysis, i: int, j: int) -> str:
    """The name over tokens ``i:j`` with place names in their gazetteer spelling (Haiphong -> Hải Phòng)."""
    words, k = [], i
    while k < j:
        hit = gazetteer_at(a, k)
        if hit and k + hit[0] <= j:
            words.append(hit[2].label)
            k += hit[0]
        else:
            words.append(a.tokens[k].text)
            k += 1
    return " ".join(words)


def edition_at(a: Analysis, i: int) -> Span | None:
    """``Techfest Hải Phòng 2023``: capitalised words then a year; the words name the series."""
    if not a.is_name_word(i):
        return None
    end = a.cap_run(i, 7)
    if end == i or not is_year(a, end) or not a.joined(end - 1, end):
        return None
    hit = gazetteer_at(a, i)
    if hit and hit[0] >= end - i:
        return None
    if a.span_at(i) is not None and a.span_at(i).kind in ("Person", "Organisation"):
        return None
    series = canonical(a, i, end)
    name = f"{series} {a.tokens[end].text}"
    return Span(i, end + 1, "Event", name, aliases=(a.surface(i, end + 1),),
                series=series)


def _quoted(a: Analysis, k: int) -> int | None:
    """Index of the closing quote when a quotation opens at ``k``."""
    t = a.tok(k)
    if t is None or t.text not in _OPEN:
        return None
    for m in range(k + 1, min(k + 40, len(a.tokens))):
        if a.tokens[m].text in _CLOSE:
            return m if m > k + 1 else None
        if a.tokens[m].text in ".!?\n":
            return None
    return None


def headed_at(a: Analysis, i: int) -> Span | None:
    """``Cuộc thi "Tìm kiếm tài năng ... 2023"``, ``Diễn đàn Kinh tế Việt Nam 2023``."""
    t = a.tok(i)
    if t is None or not t.is_word:
        return None
    hit = a.lex.event_heads.match(a.tokens, i, lower_first=not t.is_cap)
    if not hit:
        return None
    n = hit[0]
    close = _quoted(a, i + n)
    if close is not None:
        inner = a.surface(i + n + 1, close)
        head = a.surface(i, i + n)
        return Span(i + n + 1, close, "Event", inner, aliases=(inner, f"{head[0].upper()}{head[1:]} {inner}"),
                    head=head)
    if not t.is_cap:
        return None
    for y in range(i + n, min(i + n + 18, len(a.tokens))):
        tok = a.tokens[y]
        if is_year(a, y):
            if y > i + n:
                return _with_edition(a, i, _year_range_end(a, y))
            break
        if not tok.is_word and tok.text not in "-–&" or tok.key in _STOP or not a.joined(y - 1, y):
            break
    end = consume_name(a, i + n, stop_at_place=False, max_lower=1)
    if end == i + n:
        return None
    name = a.surface(i, end)
    return Span(i, end, "Event", canonical(a, i, end), aliases=(name,), head=a.surface(i, i + n))


def _year_range_end(a: Analysis, y: int) -> int:
    """End of an edition's year, taking in a season: ``2020 - 2021``, ``2020-2021``."""
    dash = a.tok(y + 1)
    if dash is not None and dash.text in "-–" and is_year(a, y + 2):
        return y + 3
    return y + 1


def _with_edition(a: Analysis, i: int, end: int) -> Span:
    """A headed name ending in a year; when it ends with a named edition, that is its name."""
    whole = a.surface(i, end)
    for k in range(i + 1, end - 1):
        inner = edition_at(a, k)
        before = a.tokens[k - 1]
        starts_run = not (before.is_cap and before.is_word) and before.text not in "-–&"
        if inner is not None and inner.j == end and a.joined(k - 1, k) and starts_run:
            return Span(i, end, "Event", inner.name, aliases=(whole, *inner.aliases), series=inner.series)
    return Span(i, end, "Event", canonical(a, i, end), aliases=(whole,), head=a.surface(i, i + 1))


def find_events(a: Analysis) -> None:
    end = 0
    # only capitalised tokens and those an event's head noun may start with
    for i in sorted({*a.capitalised, *a.lex.event_heads.positions(a.tokens, a.word_index)}):
        if i < end or a.taken[i] is not None:
            continue
        span = headed_at(a, i) or edition_at(a, i)
        if span and a.free(span.i, span.j):
            a.add(span)
            declared_abbreviation(a, span)
            end = span.j
    _find_series(a)
    _find_references(a)


def _find_series(a: Analysis) -> None:
    """A series named alone (``Techfest Hải Phòng tổ chức lần đầu năm 2017``) once an edition of it is known."""
    series = {s.series for s in a.spans if s.kind == "Event" and s.series}
    if not series:
        return
    for i in range(len(a.tokens)):
        if a.span_at(i) is not None or not a.tokens[i].is_cap:
            continue
        end = a.cap_run(i, 7)
        if canonical(a, i, end) in series and not is_year(a, end) and a.free(i, end):
            name = canonical(a, i, end)
            a.add(Span(i, end, "Event", name, aliases=(a.surface(i, end),), is_series=True))


def _find_references(a: Analysis) -> None:
    """A bare event noun opening a sentence (``Ngày hội thu hút ...``) refers back to an event."""
    for i, t in enumerate(a.tokens):
        if not t.is_cap or a.taken[i] is not None or t.key not in _REFERENCE_FIRST or not a.opens(i):
            continue
        for n in (2, 1):
            if a.surface(i, min(i + n, len(a.tokens))) in _REFERENCES:
                nxt = a.tok(i + n)
                if nxt is None or not nxt.is_cap:
                    a.add(Span(i, i + n, "EventRef", a.surface(i, i + n), mention=False))
                break


def find_projects(a: Analysis) -> None:
    """``Dự án phần mềm KiKai Factory``: a project noun, maybe more nouns, then a capitalised name."""
    lowered = [t.low for t in a.tokens]
    for i in range(len(a.tokens)):
        if lowered[i] not in _PROJECT_FIRST or a.taken[i] is not None:
            continue
        k = i
        while k < len(a.tokens) - 1 and (" ".join(lowered[k:k + 2]) in _PROJECT_HEADS or lowered[k] in _PROJECT_HEADS):
            k += 2 if " ".join(lowered[k:k + 2]) in _PROJECT_HEADS else 1
        if k == i or k >= len(a.tokens) or not a.tokens[k].is_cap or not a.joined(k - 1, k):
            continue
        close = _quoted(a, k)
        end = close if close is not None else a.cap_run(k, 6)
        start = k + 1 if close is not None else k
        if end > start and a.free(start, end) and not gazetteer_at(a, start) \
                and not (end - start == 1 and a.tokens[start].text.isupper()):  # "nền tảng CNTT": no name
            name = a.surface(start, end)
            a.add(Span(start, end, "Project", name, aliases=(name, a.surface(i, end))))
