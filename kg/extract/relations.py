"""Facts between the entities of one article: organisers, places, participants, speakers,
sub-events, and the event a figure, prize or date belongs to.
"""
from __future__ import annotations

import re
from collections import Counter

from ..records import Location, Organiser, PartOf, Participant, PlaceInName, Speaker, SubOrganisationOf
from .base import Analysis, Span
from .names import gazetteer_at

_ORGANISED = ("tổ chức", "đăng cai", "chủ trì")
_PARTICIPATION = re.compile(r" (?:tham gia|tham dự|thu hút|đến từ|góp mặt|quy tụ|đại biểu|(?<!tập )(?<!liên )đoàn) ")
_ATTENDED_BY = ("sự tham dự của", "sự tham gia của", "sự góp mặt của", "sự có mặt của")
_SPOKE = ("phát biểu", "chia sẻ tại", "nhấn mạnh tại", "cho biết tại", "khẳng định tại", "trình bày tại",
          "báo cáo tại", "phát biểu khai mạc", "phát biểu bế mạc")
_SUB_HEADS = ("cuộc thi", "hội thảo", "diễn đàn", "tọa đàm", "toạ đàm", "triển lãm", "lễ", "hội chợ", "phiên",
              "hội nghị", "chương trình", "giải")
_SUBJECT_WITHIN = 4  # tokens from a sentence's start within which its subject is named
_PRIZE_HEADS = ("cuộc thi", "hội thi", "giải", "liên hoan", "festival")
_WITHIN = ("trong khuôn khổ", "thuộc", "nằm trong", "trong chuỗi", "bên lề")


_RANKS = (("Chính phủ", "Quốc hội"), ("Bộ ", "Ủy ban nhân dân tỉnh", "Ủy ban nhân dân thành phố"),
          ("Tổng cục", "Sở ", "Ủy ban nhân dân"), ("Cục ", "Vụ ", "Viện ", "Học viện", "Đại học", "Văn phòng"),
          ("Chi cục", "Trường", "Trung tâm", "Phòng", "Khoa ", "Ban "))


def _rank(org: Span) -> int:
    """How high in the state hierarchy a body's head noun puts it (0 highest; unknown lowest)."""
    return next((n for n, heads in enumerate(_RANKS) if org.name.startswith(heads)), len(_RANKS))


class Facts:
    """Relations found in one analysed article (spans already carry their keys)."""

    def __init__(self, a: Analysis):
        self.a = a
        self.lows = [t.low for t in a.tokens]
        self.events = [s for s in a.spans if s.kind == "Event"]
        counts = Counter(s.key for s in self.events)
        first = {}
        for s in self.events:
            first.setdefault(s.key, s)
        ranked = sorted(counts, key=lambda k: (-counts[k], first[k].i))
        self.main = first[ranked[0]] if ranked else None

    def lower(self, i: int, j: int) -> str:
        return " ".join(self.lows[i:j])

    def event_of(self, k: int, prefer: tuple[str, ...] = ()) -> Span | None:
        """The event a token's sentence is about: an event named in it (one whose head noun is in
        ``prefer`` first), or the one a bare reference points to."""
        begin, end = self.a.sentence_range(k)
        named = self.a.spans_in(begin, end, ("Event",))
        preferred = [s for s in named if s.head.lower().startswith(prefer)] if prefer else []
        named = preferred or named
        before = [s for s in named if s.i <= k]
        if before:
            return before[-1]
        if named:
            return named[0]
        if self.a.spans_in(begin, end, ("EventRef",)):
            return self.main
        return None

    def prize_event_of(self, k: int) -> Span | None:
        """The event a prize belongs to: a competition or award named in the sentence, if any."""
        return self.event_of(k, prefer=_PRIZE_HEADS)

    def subject_of(self, k: int, unit: str) -> Span | None:
        """What a figure at token ``k`` counts: the event the sentence names before it, else the
        sentence's subject (a named thing opening the sentence); None when unclear."""
        if unit.startswith("giải"):
            return self.prize_event_of(k)
        begin, _ = self.a.sentence_range(k)
        kinds = ("Event", "EventRef", "Organisation", "Place", "Country", "Project")
        before = [s for s in self.a.spans_in(begin, k, kinds) if s.j <= k and not self._listed_after_from(s)]
        events = [s for s in before if s.kind in ("Event", "EventRef")]
        if events:  # an event the sentence is about outranks the organisers named after it
            chosen = events[-1]
        elif before and before[0].i - begin <= _SUBJECT_WITHIN:
            chosen = before[0]
        else:
            return None
        return self.main if chosen.kind == "EventRef" else chosen

    def _listed_after_from(self, s: Span) -> bool:
        return self.lower(max(0, s.i - 2), s.i).endswith(("từ", "đến từ", "như"))

    def organisers(self) -> None:
        """``X do A phối hợp (với) B tổ chức`` -> A and B organised X."""
        a = self.a
        for k in a.word_index.get("do", ()):
            if a.tokens[k].key != "do":
                continue
            _, end = a.sentence_range(k)
            for m in range(k + 1, min(end, k + 30)):
                if any(self.lower(m, m + len(v.split())) == v for v in _ORGANISED):
                    agents = a.spans_in(k + 1, m, ("Organisation", "Person"))
                    event = self.event_of(k)
                    for agent in agents:
                        if event is not None:
                            a.relations.append(Organiser(event, agent))
                    break

    def active_organisers(self) -> None:
        """``A và B phối hợp tổ chức cuộc thi X`` -> A and B organised X."""
        a = self.a
        for e in self.events:
            k = e.i - (1 if e.head and a.tok(e.i - 1) and a.tokens[e.i - 1].text in '"“«' else 0)
            head = e.head
            if head and self.lower(k - len(head.split()), k) == head.lower():
                k -= len(head.split())
            verb = next((v for v in _ORGANISED if self.lower(k - len(v.split()), k) == v), None)
            if verb is None:
                continue
            begin, _ = a.sentence_range(k)
            stop = k - len(verb.split())
            clause = max([begin] + [m + 1 for m in range(begin, stop) if a.tokens[m].text in ";:"])
            for agent in a.spans_in(clause, stop, ("Organisation", "Person")):
                if agent.same_as is None:
                    a.relations.append(Organiser(e, agent))

    def locations(self) -> None:
        a = self.a
        for s in a.spans:
            place = s.place
            if s.kind == "Organisation" and place is not None:
                a.relations.append(Location(s, place))
        for k in sorted(a.word_index.get("tại", []) + a.word_index.get("ở", [])):
            if a.tokens[k].key not in ("tại", "ở") or a.span_at(k + 1) is None:
                continue
            place = a.span_at(k + 1)
            if place.kind not in ("Place", "Country"):
                continue
            begin, _ = a.sentence_range(k)
            events = [e for e in a.spans_in(begin, k, ("Event",)) if 0 <= k - e.j <= 20]
            if events:
                a.relations.append(Location(events[-1], place))
        for e in self.events:  # a place in an event's name: "Lễ hội Pháo hoa Quốc tế Đà Nẵng 2023"
            for k in range(e.i, e.j):
                hit = gazetteer_at(a, k)
                if hit and hit[1] == "Place" and k + hit[0] <= e.j:
                    a.relations.append(PlaceInName(e, hit[2]))

    def participants(self) -> None:
        """Countries in a sentence about an event that says who came ("thu hút ... từ Hà Lan,
        Hàn Quốc"); people and bodies after "sự tham dự của", "sự tham gia của"."""
        a = self.a
        for begin, end in a.sentences():
            words = f" {self.lower(begin, end)} "
            if not _PARTICIPATION.search(words):
                continue
            event = self.event_of(begin)
            if event is None:
                continue
            for country in a.spans_in(begin, end, ("Country",)):
                a.relations.append(Participant(event, country))
            for k in range(begin, end):
                if any(self.lower(k, k + len(c.split())) == c for c in _ATTENDED_BY):
                    for agent in a.spans_in(k, end, ("Person", "Organisation")):
                        if agent.same_as is None:
                            a.relations.append(Participant(event, agent))
                    break

    def speakers(self) -> None:
        a = self.a
        for begin, end in a.sentences():
            words = self.lower(begin, end)
            if not any(cue in words for cue in _SPOKE):
                continue
            people = a.spans_in(begin, end, ("Person",))
            event = self.event_of(end - 1)
            if people and event is not None:
                a.relations.append(Speaker(event, people[0]))

    def sub_events(self) -> None:
        a, main = self.a, self.main
        for e in self.events:
            head = e.head.lower()
            k = e.j
            within = next((v for v in _WITHIN if self.lower(k, k + len(v.split())) == v), None)
            if within:
                larger = a.spans_in(k, k + len(within.split()) + 12, ("Event",))
                if larger and larger[0].key != e.key:
                    a.relations.append(PartOf(e, larger[0]))
                    continue
            if main is not None and e.key != main.key and head.startswith(_SUB_HEADS) \
                    and not e.is_series:
                a.relations.append(PartOf(e, main))
        series = {s.name: s for s in self.events if s.is_series}
        for e in self.events:
            if e.series in series:
                a.relations.append(PartOf(e, series[e.series]))

    def units(self) -> None:
        """``Cục Tin học hóa (Bộ TT&TT)``, ``Viện X thuộc Bộ Y``, and a provincial department
        under the people's committee of the same province when the article names both."""
        a = self.a
        orgs = [s for s in a.spans if s.kind == "Organisation" and s.mention and s.same_as is None]
        for s in orgs:
            k = s.j
            opener = a.tok(k)
            if opener is not None and opener.text == "(":
                parent = a.span_at(k + 1)
                closer = a.tok(parent.j) if parent is not None else None
                if parent is not None and parent.kind == "Organisation" and closer is not None and closer.text == ")" \
                        and parent.same_as is not s:
                    if _rank(s) < _rank(parent):  # "Bộ KH&CN (Tổng cục ...)": the bracket names the unit
                        a.relations.append(SubOrganisationOf(parent, s))
                    else:
                        a.relations.append(SubOrganisationOf(s, parent))
            dash, parent = a.tok(k), a.span_at(k + 1)
            if dash is not None and dash.text in "-–" and parent is not None and parent.kind == "Organisation" \
                    and _rank(parent) < _rank(s):  # "Cục Cảnh sát giao thông - Bộ Công an"
                a.relations.append(SubOrganisationOf(s, parent))
            link = next((v for v in ("trực thuộc", "thuộc") if self.lower(k, k + len(v.split())) == v), None)
            if link:
                parent = a.span_at(k + len(link.split()))
                if parent is not None and parent.kind == "Organisation":
                    a.relations.append(SubOrganisationOf(s, parent))
        committees = {}
        for s in orgs:
            place = s.place
            if place is not None and s.name.startswith("Ủy ban nhân dân"):
                committees.setdefault(place.name, s)
        for s in orgs:
            place = s.place
            if place is not None and s.name.startswith("Sở ") and place.name in committees:
                a.relations.append(SubOrganisationOf(s, committees[place.name]))

    def all(self) -> None:
        self.units()
        self.organisers()
        self.active_organisers()
        self.locations()
        self.participants()
        self.speakers()
        self.sub_events()
