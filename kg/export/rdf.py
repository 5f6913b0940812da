"""TriG, N-Quads, Turtle and JSON-LD writers, streaming one article at a time."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ..vocab import PREFIXES, RDF, RDFS, RDFS_LABEL, SKOS_ALT, XSD
from ..resources import read_context


def _without_prefixes(data: bytes) -> bytes:
    lines = data.split(b"\n")
    return b"\n".join(line for line in lines if not line.startswith(b"@prefix "))


class TrigWriter:
    """Appends one named graph per article; prefixes once, at the top."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream
        self.first = True

    def write(self, quads: list[ox.Quad]) -> None:
        self.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES))

    def write_bytes(self, data: bytes) -> None:
        """Append TriG that pyoxigraph wrote with ``PREFIXES`` for one article."""
        self.stream.write(data if self.first else _without_prefixes(data))
        self.first = False


LABELS_TO_FIX = """
SELECT ?s (GROUP_CONCAT(?tagged; SEPARATOR="\\u0001") AS ?all) WHERE {
  { SELECT DISTINCT ?s ?tagged WHERE { ?s <""" + RDFS + """label> ?l .
      BIND(CONCAT(LANG(?l), "\\u0002", STR(?l)) AS ?tagged) } }
} GROUP BY ?s HAVING (COUNT(?tagged) > 1)"""


def one_label_per_language(store: ox.Store) -> None:
    """Make the union in the store's default graph keep one ``rdfs:label`` per language.

    An entity named differently in two articles keeps the longest label (then the first in
    code-point order); the others become ``skos:altLabel``.
    """
    for row in list(store.query(LABELS_TO_FIX)):
        _one_label_per_language(store, row["s"], row["all"].value.split("\u0001"))


def _one_label_per_language(store: ox.Store, subject, tagged: list[str]) -> None:
    by_lang: dict[str, list[str]] = {}
    for item in tagged:
        lang, _, text = item.partition("\u0002")
        by_lang.setdefault(lang, []).append(text)
    for lang, texts in by_lang.items():
        if len(texts) < 2:
            continue
        keep = sorted(texts, key=lambda t: (-len(t), t))[0]
        for text in texts:
            if text != keep:
                label = ox.Literal(text, language=lang) if lang else ox.Literal(text)
                store.remove(ox.Quad(subject, RDFS_LABEL, label, ox.DefaultGraph()))
                store.add(ox.Quad(subject, SKOS_ALT, label, ox.DefaultGraph()))


def union_quads(store: ox.Store, *, in_order: bool) -> Iterable[ox.Quad]:
    """The union (the store's default graph), sorted by subject, predicate and object when
    ``in_order`` (this holds it all in memory), else streamed in the store's key order, which
    groups a subject's triples together on disk but not in an in-memory store."""
    quads = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    return sorted(quads, key=str) if in_order else quads


def union_groups(quads: Iterable[ox.Quad]) -> Iterator[list[ox.Quad]]:
    """The union's triples grouped by (consecutive) subject."""
    for _, group in groupby(quads, key=lambda q: q.subject):
        yield list(group)


def write_union_turtle(quads: Iterable[ox.Quad], path: Path) -> None:
    ox.serialize((q.triple for q in quads), output=str(path), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


RDF_TYPE = RDF + "type"


class JsonLdWriter:
    """Compact JSON-LD with the project's context: short names for the terms."""

    def __init__(self, context: dict | None = None):
        self.context = context or read_context()
        self._compacted: dict[str, str] = {}
        self.terms: dict[str, tuple[str, bool]] = {}
        self.prefixes: list[tuple[str, str]] = []
        for name, value in self.context.items():
            if isinstance(value, str) and value.endswith(("#", "/")):
                self.prefixes.append((value, name))
        for name, value in self.context.items():
            iri = value.get("@id") if isinstance(value, dict) else value
            if isinstance(iri, str) and not iri.endswith(("#", "/")):
                is_id = isinstance(value, dict) and value.get("@type") == "@id"
                self.terms[self._expand(iri)] = (name, is_id)

    def _expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        target = self.context.get(prefix)
        return target + local if isinstance(target, str) and local and not local.startswith("//") else curie

    def _compact_iri(self, iri: str) -> str:
        found = self._compacted.get(iri)
        if found is None:
            found = iri
            for namespace, name in self.prefixes:
                if iri.startswith(namespace) and len(iri) > len(namespace):
                    found = f"{name}:{iri[len(namespace):]}"
                    break
            if len(self._compacted) < 200_000:
                self._compacted[iri] = found
        return found

    def _value(self, term, is_id: bool):
        if isinstance(term, ox.NamedNode):
            return self._compact_iri(term.value) if is_id else {"@id": self._compact_iri(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD + "string":
            return {"@value": term.value} if is_id else term.value
        return {"@value": term.value, "@type": self._compact_iri(term.datatype.value)}

    def _term(self, iri: str, is_id: bool) -> tuple[str, bool]:
        """The short name of a property or class, and whether its values are IRIs."""
        found = self.terms.get(iri)
        if found is None:
            found = self.terms[iri] = (self._compact_iri(iri), is_id)
        return found

    def node(self, triples: list[ox.Triple] | list[ox.Quad]) -> dict:
        """One node object from the triples (or quads) of one subject."""
        subject = triples[0].subject
        obj: dict = {"@id": self._compact_iri(subject.value) if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"}
        for t in triples:
            predicate, value = t.predicate.value, t.object
            if predicate == RDF_TYPE and isinstance(value, ox.NamedNode):
                obj.setdefault("@type", []).append(self._term(value.value, True)[0])
                continue
            name, is_id = self._term(predicate, False)
            obj.setdefault(name, []).append(self._value(value, is_id))
        return obj

    def write(self, groups: Iterable[list[ox.Triple]], stream: IO[bytes]) -> None:
        self.start(stream)
        for triples in groups:
            self.add(triples, stream)
        self.end(stream)

    def start(self, stream: IO[bytes]) -> None:
        stream.write(b'{\n"@context": ')
        stream.write(json.dumps(self.context, ensure_ascii=False, sort_keys=True).encode())
        stream.write(b',\n"@graph": [')
        self._encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
        self._first = True

    def add(self, triples: list[ox.Triple] | list[ox.Quad], stream: IO[bytes]) -> None:
        """Write the node of one subject's triples (after ``start``)."""
        stream.write(b"\n" if self._first else b",\n")
        stream.write(self._encode(self.node(triples)).encode())
        self._first = False

    def end(self, stream: IO[bytes]) -> None:
        stream.write(b"\n]\n}\n")


def write_jsonld(groups: Iterable[list[ox.Triple]], path: Path) -> None:
    with path.open("wb") as stream:
        JsonLdWriter().write(groups, stream)


def write_union(quads: Iterable[ox.Quad], turtle: Path, jsonld: Path) -> None:
    """``graph.ttl`` and ``graph.jsonld`` from one pass over the union's quads: reading an
    on-disk store term by term costs more than both writers together, so it is read once."""
    writer = JsonLdWriter()
    with jsonld.open("wb") as stream:
        writer.start(stream)

        def triples() -> Iterator[ox.Triple]:
            for group in union_groups(quads):
                writer.add(group, stream)
                for quad in group:
                    yield quad.triple

        ox.serialize(triples(), output=str(turtle), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        writer.end(stream)
