"""Check a built graph against the SHACL shapes in ontology/shapes.ttl.

The shapes and the ontology are read from the package (``kg/data/ontology``),
else from the repository's ``ontology/`` folder (see :mod:`kg.resources`).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph

from .errors import InputError, UsageError
from .resources import ontology_file

FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
"""File suffix -> rdflib parser name."""

_QUAD_FORMATS = {"trig", "nquads", "json-ld"}


@cache
def _schema(name: str) -> Graph:
    return Graph().parse(ontology_file(name), format="turtle")


def load_graph(path: Path) -> Graph:
    """The triples of ``path``; for a dataset, the union of all its graphs.

    >>> load_graph(Path("exports/graph.trig"))  # doctest: +SKIP
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        allowed = ", ".join(sorted(FORMATS))
        raise UsageError(f"{path} has an unknown RDF suffix {path.suffix!r}; allowed: {allowed}")
    try:
        if fmt not in _QUAD_FORMATS:
            return Graph().parse(path, format=fmt)
        dataset = Dataset()
        dataset.parse(path, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many unrelated types
        raise InputError(f"{path} cannot be parsed as {fmt}: {exc}; check the file or its suffix") from exc
    union = Graph()
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace, override=False)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def validate_graph(data: Graph) -> tuple[bool, str]:
    """SHACL-validate ``data`` with kg's shapes and ontology; (conforms, report text)."""
    conforms, _, text = shacl_validate(
        data,
        shacl_graph=_schema("shapes.ttl"),
        ont_graph=_schema("kg.ttl"),
        inference="none",
        abort_on_first=False,
    )
    return bool(conforms), text


def load_named_graphs(path: Path) -> list[tuple[str, Graph]]:
    """(name, graph) for each named graph of a TriG or N-Quads file."""
    path = Path(path)
    try:
        dataset = Dataset()
        dataset.parse(path, format=FORMATS[path.suffix.lower()])
    except Exception as exc:  # rdflib's parsers raise many unrelated types
        raise InputError(f"{path} cannot be parsed: {exc}; check the file or its suffix") from exc
    graphs = []
    for context in dataset.contexts():
        if len(context) and context.identifier != dataset.default_graph.identifier:
            graph = Graph()
            for triple in context:
                graph.add(triple)
            graphs.append((str(context.identifier), graph))
    return sorted(graphs, key=lambda item: item[0])


def validate(data_path: Path) -> tuple[bool, str]:
    """Validate a .ttl, .nt, .trig, .nq or .jsonld file; (conforms, report text).

    A TriG or N-Quads dataset is validated article graph by article graph, as each named
    graph holds everything extracted from its article (two articles may label the same
    entity differently; the union exports keep one label and make the others altLabels).

    >>> validate(Path("exports/graph.trig"))  # doctest: +SKIP
    (True, 'Validation Report\\nConforms: True\\n')

    Raises InputError naming the file when it cannot be read or parsed.
    """
    path = Path(data_path)
    if FORMATS.get(path.suffix.lower()) not in ("trig", "nquads"):
        return validate_graph(load_graph(path))
    load_graph(path)  # the same errors for a missing or broken file
    named = load_named_graphs(path)
    if not named:
        return validate_graph(load_graph(path))
    failures = []
    for name, graph in named:
        conforms, text = validate_graph(graph)
        if not conforms:
            failures.append(f"In graph <{name}>:\n{text}")
    if not failures:
        return True, f"Validation Report\nConforms: True\n({len(named)} named graphs checked one by one)\n"
    return False, f"Validation Report\nConforms: False\n{len(failures)} of {len(named)} named graphs do not conform\n\n" \
        + "\n".join(failures)
