"""Small helpers the tests share: extract a synthetic article and look its facts up."""
from __future__ import annotations

from kg.extract import extract
from kg.records import Document, Extraction


def run(body: str, title: str = "Tin tức") -> Extraction:
    return extract(Document("t.txt", f"{title}\n{body}"))


def labels(ex: Extraction, kind: str | None = None) -> set[str]:
    return {e.label for e in ex.entities if kind is None or e.kind == kind}


def key_of(ex: Extraction, label: str) -> str:
    found = [e.key for e in ex.entities if e.label == label or label in e.aliases]
    assert found, f"no entity named {label!r}; have {sorted(labels(ex))}"
    return found[0]


def facts(ex: Extraction, kind: str) -> set[tuple]:
    return {r.args for r in ex.relations if r.kind == kind}
