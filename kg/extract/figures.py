"""Figures: counted quantities ("hơn 110 gian hàng"), prizes with their amounts, and dates."""
from __future__ import annotations

import re

from ..records import Award, DateClue, Statistic
from .base import Analysis, Span

_MULTIPLIERS = {"nghìn": 1e3, "ngàn": 1e3, "vạn": 1e4, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_NOT_COUNTED = frozenset({"đồng", "usd", "đô", "euro", "%", "năm", "tháng", "ngày", "giờ", "phút", "giây",
                          "tuổi", "lần", "h", "vnđ", "vnd", "độ", "thế", "kỷ", "tuần"})
_BEFORE_NOT_COUNTED = frozenset({"ngày", "tháng", "năm", "lúc", "thứ", "số", "hạng", "top", "khoản", "điều",
                                 "quý", "giai", "đoạn", "nghị", "định", "lần", "phòng"})
_RANKS = ("Đặc biệt", "Nhất", "Nhì", "Ba", "Tư", "Năm", "khuyến khích", "Khuyến khích", "Vàng", "Bạc", "Đồng",
          "triển vọng", "Triển vọng")
_TIME_WORDS = frozenset({"ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "từ", "đến", "tới", "khuya"})
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
_RANGE = re.compile(
    r"(?:từ\s+)?(?:ngày\s+)?(\d{1,2})(?:/(\d{1,2}))?(?:/(\d{4}))?\s*(?:-|–|đến|tới)\s*(?:ngày\s+)?"
    r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")


def parse_number(text: str) -> float | None:
    """``5.000`` -> 5000, ``1,5`` -> 1.5, ``110`` -> 110 (Vietnamese separators)."""
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        return float(text.replace(".", ""))
    if re.fullmatch(r"\d+(,\d+)?", text):
        return float(text.replace(",", "."))
    if re.fullmatch(r"\d+\.\d{1,2}", text):
        return float(text)
    return None


def amount_at(a: Analysis, k: int) -> tuple[float, int, str] | None:
    """(value, end token, currency) of a sum of money at ``k``: ``50 triệu đồng``, ``2.000 USD``."""
    t = a.tok(k)
    value = parse_number(t.text) if t is not None and t.is_number else None
    if value is None:
        return None
    m = k + 1
    while a.tok(m) is not None and a.tokens[m].key in _MULTIPLIERS:
        value *= _MULTIPLIERS[a.tokens[m].key]
        m += 1
    cur = a.tok(m)
    if cur is not None and cur.key.lower() in ("đồng", "vnđ", "vnd"):
        return value, m + 1, "VND"
    if cur is not None and cur.key.upper() in ("USD", "EUR"):
        return value, m + 1, cur.key.upper()
    return None


def _unit(a: Analysis, k: int, end: int) -> int:
    """End of the counted noun phrase starting at ``k`` (at most four words)."""
    m = k
    while m < end and m - k < 5:
        t = a.tokens[m]
        if not t.is_word or t.is_number or not a.joined(m - 1, m) or t.key in a.lex.units:
            break
        if t.is_cap and not (m > k and a.tokens[m - 1].key == "giải"):
            break
        m += 1
    return m


def find_statistics(a: Analysis, subject_of) -> None:
    """Counted figures; ``subject_of(i, unit)`` picks what the figure is about."""
    for k, t in enumerate(a.tokens):
        if not t.is_number or a.span_at(k) is not None:
            continue
        prev, nxt = a.tok(k - 1), a.tok(k + 1)
        if (prev is not None and (prev.text in "/.-,:" or prev.key.lower() in _BEFORE_NOT_COUNTED)) or (
                nxt is not None and nxt.text in "/%:"):
            continue
        value = parse_number(t.text)
        if value is None or amount_at(a, k) or re.fullmatch(r"(19|20)\d\d", t.text):
            continue  # a bare four-digit 19xx/20xx is a year; counts that large are written 2.020
        m = k + 1
        while a.tok(m) is not None and a.tokens[m].key in _MULTIPLIERS and a.joined(m - 1, m):
            value *= _MULTIPLIERS[a.tokens[m].key]
            m += 1
        _, end = a.sentence_range(k)
        stop = _unit(a, m, end)
        if stop == m or a.tokens[m].key.lower() in _NOT_COUNTED or a.tokens[m].key in a.lex.common:
            continue
        unit = a.surface(m, stop)
        subject = subject_of(k, unit)
        if subject is not None:
            a.relations.append(Statistic(subject, value, unit))


def find_awards(a: Analysis, event_of) -> None:
    """``trao giải Nhất trị giá 50 triệu đồng cho Dự án X``; ``X giành giải Nhì``."""
    for k in a.word_index.get("giải", ()):
        if not a.joined(k, k + 1):
            continue
        rank = next((r for r in _RANKS if a.surface(k + 1, k + 1 + len(r.split())) == r), None)
        if rank is None:
            continue
        end_rank = k + 1 + len(rank.split())
        begin, end = a.sentence_range(k)
        amount = None
        m = end_rank
        while m < min(end, end_rank + 8):
            amount = amount_at(a, m)
            if amount:
                m = amount[1]
                break
            m += 1
        if not amount:
            m = end_rank
        recipient = _recipient(a, m, end) or _recipient_before(a, begin, k)
        if recipient is not None:
            a.relations.append(Award(event_of(k), recipient, f"giải {rank}",
                                amount[0] if amount else None, amount[2] if amount else "VND"))


def _recipient(a: Analysis, m: int, end: int) -> Span | None:
    for n in range(m, min(end, m + 4)):
        if a.tokens[n].key in ("cho", "về", "thuộc"):
            for s in a.spans_in(n + 1, min(end, n + 12), ("Project", "Person", "Organisation")):
                return s
    return None


def _recipient_before(a: Analysis, begin: int, k: int) -> Span | None:
    words = " ".join(t.key.lower() for t in a.tokens[max(begin, k - 4):k])
    if not any(v in words for v in ("giành", "đoạt", "nhận", "đạt", "được trao")):
        return None
    found = a.spans_in(begin, k, ("Project", "Person", "Organisation"))
    return found[-1] if found else None


def find_dates(a: Analysis, event_of) -> None:
    """Dates and date ranges in sentences about an event: ``từ ngày 18 - 21/9``, ``sáng 18/9``."""
    for begin, end in a.sentences():
        if begin >= end:
            continue
        lo, hi = a.tokens[begin].begin, a.tokens[end - 1].end
        sentence = a.text[lo:hi]
        if "/" not in sentence:
            continue  # every date the patterns match has a slash: a quick test before two regexes
        taken = []
        for m in _RANGE.finditer(sentence):
            d1, m1, y1, d2, m2, y2 = m.groups()
            event = event_of(_token_at(a, lo + m.start(), begin, end))
            if event is not None:
                a.relations.append(DateClue(event, (d1, m1 or m2, y1 or y2), (d2, m2, y2), "range"))
            taken.append((m.start(), m.end()))
        for m in _DATE.finditer(sentence):
            if any(s <= m.start() < e for s, e in taken):
                continue
            before = sentence[:m.start()].split()[-1:] or [""]
            if before[0].lower() not in _TIME_WORDS:
                continue
            event = event_of(_token_at(a, lo + m.start(), begin, end))
            if event is not None:
                kind = "opening" if "khai mạc" in sentence.lower() else "day"
                a.relations.append(DateClue(event, m.groups(), None, kind))


def _token_at(a: Analysis, offset: int, begin: int, end: int) -> int:
    for k in range(begin, end):
        if a.tokens[k].begin >= offset:
            return k
    return end - 1
