"""TriG, N-Quads, Turtle and JSON-LD writers, streaming one article at a time."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ..graph import PREFIXES, RDFS_LABEL, SKOS_ALT
from ..resources import read_context

_UNION = """SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o"""


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


def union_triples(store: ox.Store) -> Iterator[list[ox.Triple]]:
    """The union of all named graphs, grouped by subject, sorted, one label per language.

    An entity named differently in two articles keeps the longest label as
    ``rdfs:label`` and the others become ``skos:altLabel``.
    """
    rows = ((s["s"], s["p"], s["o"]) for s in store.query(_UNION))
    for subject, group in groupby(rows, key=lambda row: row[0]):
        triples = [ox.Triple(*row) for row in group]
        yield _one_label_per_language(subject, triples)


def _one_label_per_language(subject, triples: list[ox.Triple]) -> list[ox.Triple]:
    labels = [t.object for t in triples if t.predicate == RDFS_LABEL]
    if len(labels) == len({getattr(o, "language", None) for o in labels}):
        return triples
    keep = {}
    for label in sorted(labels, key=lambda o: (-len(o.value), o.value)):
        keep.setdefault(label.language, label)
    kept = [t for t in triples if t.predicate != RDFS_LABEL or keep.get(t.object.language) == t.object]
    alts = {t.object for t in triples if t.predicate == SKOS_ALT}
    for label in labels:
        if keep[label.language] != label and label not in alts:
            kept.append(ox.Triple(subject, SKOS_ALT, label))
    return sorted(kept, key=str)


def write_turtle(groups: Iterable[list[ox.Triple]], stream: IO[bytes]) -> None:
    first = True
    for triples in groups:
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        stream.write(data if first else _without_prefixes(data))
        first = False
    if first:
        stream.write(ox.serialize([], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))


class JsonLdWriter:
    """Compact JSON-LD with the project's context: short names for the terms."""

    def __init__(self, context: dict | None = None):
        self.context = context or read_context()
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
        for namespace, name in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{name}:{iri[len(namespace):]}"
        return iri

    def _value(self, term, is_id: bool):
        if isinstance(term, ox.NamedNode):
            return self._compact_iri(term.value) if is_id else {"@id": self._compact_iri(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return {"@value": term.value} if is_id else term.value
        return {"@value": term.value, "@type": self._compact_iri(term.datatype.value)}

    def node(self, triples: list[ox.Triple]) -> dict:
        subject = triples[0].subject
        obj: dict = {"@id": self._compact_iri(subject.value) if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"}
        for t in triples:
            if t.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" and isinstance(t.object, ox.NamedNode):
                name = self.terms.get(t.object.value, (self._compact_iri(t.object.value), True))[0]
                obj.setdefault("@type", []).append(name)
                continue
            name, is_id = self.terms.get(t.predicate.value, (self._compact_iri(t.predicate.value), False))
            obj.setdefault(name, []).append(self._value(t.object, is_id))
        return obj

    def write(self, groups: Iterable[list[ox.Triple]], stream: IO[bytes]) -> None:
        stream.write(b'{\n"@context": ')
        stream.write(json.dumps(self.context, ensure_ascii=False, sort_keys=True).encode())
        stream.write(b',\n"@graph": [')
        for i, triples in enumerate(groups):
            stream.write(b",\n" if i else b"\n")
            stream.write(json.dumps(self.node(triples), ensure_ascii=False, sort_keys=True).encode())
        stream.write(b"\n]\n}\n")


def write_jsonld(groups: Iterable[list[ox.Triple]], path: Path) -> None:
    with path.open("wb") as stream:
        JsonLdWriter().write(groups, stream)
