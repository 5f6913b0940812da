"""The package's floor plan: every module imports alone, and the imports between the parts
run the way README's "How it works" draws them (read from the source with ``ast``)."""
from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kg"
BOTTOM = {"kg.errors", "kg.records", "kg.vocab", "kg.iris", "kg.resources"}
MAX_TOP_MODULES = 14


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> list[str]:
    """The kg modules an ``import from`` names: the module itself, or its submodules when they are."""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = package[: len(package) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target != "kg" and not target.startswith("kg."):
        return []
    subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
    return subs if subs and len(subs) == len(node.names) else [target]


def imports(module: str) -> dict[str, bool]:
    """kg modules that ``module`` imports -> whether some import of it sits inside a function."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner: set[int] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner |= {id(n) for n in ast.walk(fn)}
    found: dict[str, bool] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            targets = _resolve(module, path, node)
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names if a.name == "kg" or a.name.startswith("kg.")]
        else:
            continue
        for target in targets:
            found[target] = found.get(target, False) or id(node) in inner
    return found


GRAPH = {m: imports(m) for m in MODULES}


def part(module: str) -> str:
    """``kg.extract.people`` -> ``extract``; ``kg.vocab`` -> ``bottom``; ``kg.cli`` -> ``cli``."""
    if module in BOTTOM:
        return "bottom"
    return module.split(".")[1] if module != "kg" else "kg"


ALLOWED = {  # part -> the parts it may import (besides itself and errors)
    "bottom": set(),
    "text": {"bottom"},
    "extract": {"bottom", "text"},
    "graph": {"bottom"},
    "store": {"bottom"},
    "export": {"bottom", "store", "text"},
    "serve": {"bottom", "store"},
    "validate": {"bottom"},
    "push": {"bottom", "store"},
    "pipeline": {"bottom", "text", "extract", "graph", "store", "export"},
    "cli": {"bottom", "text", "store", "export", "serve", "pipeline", "validate", "push"},
    "kg": {"bottom", "text", "extract", "pipeline"},
    "__main__": {"cli"},
}


def test_every_module_imports_alone_in_a_fresh_interpreter():
    def run(module: str) -> tuple[str, str]:
        done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True)
        return module, done.stderr if done.returncode else ""

    modules = [m for m in MODULES if m != "kg.__main__"]
    with ThreadPoolExecutor(8) as pool:
        failed = {m: err for m, err in pool.map(run, modules) if err}
    assert not failed, failed


def test_no_kg_import_inside_a_function():
    inside = sorted(f"{m} -> {t}" for m, targets in GRAPH.items() for t, inner in targets.items() if inner)
    assert inside == []


def test_no_import_cycle():
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in GRAPH.get(module, {}):
            if target not in GRAPH or target == "kg":
                continue
            if state.get(target) == 1:
                pytest.fail("import cycle: " + " -> ".join(path[path.index(target):] + [target]))
            if target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in GRAPH:
        if module not in state:
            visit(module, [module])


def test_parts_import_only_the_layers_below():
    wrong = []
    for module, targets in GRAPH.items():
        mine = part(module)
        for target in targets:
            theirs = part(target)
            if target == "kg.errors" or theirs == mine:
                continue
            if mine == "bottom" or theirs not in ALLOWED[mine]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_graph_imports_records_vocab_and_iris_only():
    assert set(GRAPH["kg.graph"]) <= {"kg.records", "kg.vocab", "kg.iris"}


def test_vocab_is_the_one_home_of_every_namespace():
    from kg import vocab

    namespaces = [*vocab.PREFIXES.values(), vocab.PROV, vocab.VOID, vocab.DCAT, vocab.DCTERMS]
    found = []
    for module, path in MODULES.items():
        if module == "kg.vocab":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found += [f"{module}: {ns}" for ns in namespaces if ns in node.value]
    assert found == []


def test_name_grammar_runs_one_way():
    """people, events -> organisations -> places -> names."""
    order = ["kg.extract.names", "kg.extract.places", "kg.extract.organisations"]
    for k, module in enumerate(order):
        later = set(order[k + 1:]) | {"kg.extract.people", "kg.extract.events"}
        assert not later & set(GRAPH[module]), module


def test_extract_never_reaches_the_later_stages():
    for module, targets in GRAPH.items():
        if part(module) in ("text", "extract"):
            assert not {part(t) for t in targets} & {"graph", "store", "export", "serve", "pipeline"}, module


def test_only_the_cli_prints_or_exits():
    for module, path in MODULES.items():
        if module in ("kg.cli", "kg.__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                assert name not in ("print", "sys.exit", "exit", "os._exit"), f"{module} calls {name}"


def test_a_few_modules_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top


def test_the_tests_mirror_the_package():
    for folder in sorted(p for p in (ROOT / "tests").iterdir() if p.is_dir() and any(p.glob("test_*.py"))):
        assert folder.name == "benchmarks" or (PACKAGE / folder.name / "__init__.py").is_file(), folder
