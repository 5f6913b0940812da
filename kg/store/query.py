"""SPARQL against the store, results as a table, CSV or JSON."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from ..errors import UsageError
from .load import open_store, union_options


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value


def run_query(store_dir: Path, sparql: str, fmt: str = "table") -> str:
    """Run a SELECT, ASK or CONSTRUCT query; the answer as text in ``fmt``."""
    store = open_store(Path(store_dir))
    try:
        result = store.query(sparql, **union_options(store))
    except SyntaxError as exc:
        raise UsageError(f"the query is not valid SPARQL: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return json.dumps({"boolean": bool(result)}) + "\n" if fmt == "json" else f"{bool(result)}\n"
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.TURTLE).decode()
    names = [v.value for v in result.variables]
    rows = [[_cell(s[n]) for n in names] for s in result]
    if fmt == "json":
        return json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([names, *rows])
        return buf.getvalue()
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = [" | ".join(n.ljust(w) for n, w in zip(names, widths))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(lines) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
