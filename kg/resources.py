"""Files shipped with the package: ontology, shapes, context and lexicons."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

PACKAGE_DATA = Path(__file__).parent / "data"
REPO_ONTOLOGY = Path(__file__).parent.parent / "ontology"


def ontology_file(name: str) -> Path:
    """``kg.ttl``, ``shapes.ttl`` or ``context.jsonld``: the package copy, else the repo's."""
    for folder in (PACKAGE_DATA / "ontology", REPO_ONTOLOGY):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"ontology file {name} is missing from {PACKAGE_DATA / 'ontology'} and {REPO_ONTOLOGY}")


@cache
def read_context() -> dict:
    data = json.loads(ontology_file("context.jsonld").read_text(encoding="utf-8"))
    return data["@context"]


def data_file(name: str) -> Path:
    return PACKAGE_DATA / name
