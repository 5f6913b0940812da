"""The command line through click's CliRunner: exit codes and output together."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

SEEDS = Path(__file__).parent.parent / "seeds"
COUNTRIES = """
PREFIX nkg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE {
  ?event rdfs:label "Techfest Hải Phòng 2023"@vi ; nkg:participant ?c .
  ?c a nkg:Country ; rdfs:label ?name .
} ORDER BY ?name
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "out"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "built 1 article(s)" in result.output
    return out


def test_cli_query_answers_which_countries_took_part(built):
    result = CliRunner().invoke(main, ["query", COUNTRIES, "--store", str(built / "store"), "--format", "json"])
    assert result.exit_code == 0, result.output
    names = [row["name"] for row in json.loads(result.output)]
    assert names == sorted(["Hà Lan", "Hàn Quốc", "Israel", "Singapore", "Trung Quốc", "Việt Nam"])


def test_cli_query_reads_a_query_file_and_prints_csv(built, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text(COUNTRIES, encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(rq), "--store", str(built / "store"), "--format", "csv"])
    assert result.exit_code == 0 and result.output.splitlines()[0] == "name"


def test_cli_bad_sparql_is_a_usage_error(built):
    result = CliRunner().invoke(main, ["query", "SELEC nothing", "--store", str(built / "store")])
    assert result.exit_code == 2 and "not valid SPARQL" in result.output


def test_cli_missing_store_says_how_to_make_one(tmp_path):
    result = CliRunner().invoke(main, ["query", "ASK {}", "--store", str(tmp_path / "store")])
    assert result.exit_code == 2 and "kg build" in result.output


def test_cli_build_reports_failed_files_with_exit_1(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Tiêu đề\nÔng Nguyễn Văn An phát biểu.\n", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\xff\xfe\x00")
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "built 1 article(s)" in result.output


def test_cli_bad_base_iri_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path), "--base", "not an iri"])
    assert result.exit_code == 2 and "base IRI" in result.output


def test_cli_nothing_to_build_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "no .txt articles" in result.output


@pytest.mark.parametrize("name", ["graph.ttl", "graph.trig", "graph.jsonld"])
def test_cli_validate_seed_build_conforms(built, name):
    result = CliRunner().invoke(main, ["validate", str(built / name)])
    assert result.exit_code == 0, result.output
    assert "Conforms: True" in result.output


def test_cli_validate_reports_violations_with_exit_1(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix nkg: <https://w3id.org/newskg/ontology#> .\n'
                   '<https://w3id.org/newskg/id/person/x> a nkg:Person .\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1 and "Conforms: False" in result.output


def test_cli_build_where_every_file_is_bad_exits_1(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "bad.txt").write_bytes(b"\xff\xfe\x00")
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1 and "none of the 1 articles could be built" in result.output


def test_cli_missing_input_path_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_every_error_class_has_one_exit_code():
    from kg.cli import exit_code
    from kg.errors import InputError, KGError, StoreError, UsageError
    from kg.push import PushError
    from kg.serve.pool import QueryTimeout

    codes = [exit_code(e("x")) for e in (InputError, UsageError, StoreError, PushError, QueryTimeout, KGError)]
    assert codes == [1, 2, 2, 2, 1, 1]
