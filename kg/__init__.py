"""kg: knowledge graphs of Vietnamese news as linked data.

>>> from pathlib import Path
>>> report = build([Path("seeds")], Path("exports"))  # doctest: +SKIP
"""
from .pipeline.build import BuildReport, build
from .errors import InputError, KGError, StoreError, UsageError
from .extract import extract
from .records import Document, Entity, Extraction, Mention, Relation
from .text.read import read_document

__all__ = [
    "BuildReport",
    "Document",
    "Entity",
    "Extraction",
    "InputError",
    "KGError",
    "Mention",
    "Relation",
    "StoreError",
    "UsageError",
    "build",
    "extract",
    "read_document",
]
