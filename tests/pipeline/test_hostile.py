"""Hostile input: whatever a scraper gives, each file builds or is reported by name, and
the outputs stay readable by other tools.

One corpus of broken, odd and malicious files (bytes and file names) is built once with
``kg build``; the tests then check each file's fate and every output. docs/robustness.md
lists the cases and what each produces.
"""
from __future__ import annotations

import os
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from conftest import (NEEDS_RAPPER, Outputs, as_stored, cli_build, expected_text, named_graph_violations, nif_errors,
                      rapper_quads, triples, union_mismatches)
from kg.errors import InputError
from kg.text.read import MAX_BYTES, read_document
from kg.validate import validate

NEWS = ("Bộ trưởng Bộ Khoa học và Công nghệ Huỳnh Thành Đạt dự Hội nghị Chuyển đổi số 2024 do UBND tỉnh "
        "Nghệ An tổ chức tại TP Vinh ngày 12/5/2024. Công ty TNHH Sao Mai đạt giải Nhất trị giá 50 triệu đồng.")
NKG = "https://w3id.org/newskg/ontology#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
XSS = "</script><script>alert('kg-xss')</script>"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # its parsers use its own old API


def article(title: str, body: str = NEWS) -> str:
    return f"{title}\n{body}\nThu Hà\n"


@dataclass(frozen=True)
class Case:
    """One hostile file: its bytes, and either the text it builds from or the reason it is refused."""

    id: str
    file: str
    data: bytes | Callable[[], bytes]
    text: str | None = None
    error: str | None = None


def ok(id: str, text: str, file: str | None = None, data: bytes | None = None) -> Case:
    return Case(id, file or f"{id}.txt", data if data is not None else text.encode("utf-8"), text=text)


def bad(id: str, data: bytes | Callable[[], bytes], error: str) -> Case:
    return Case(id, f"{id}.txt", data, error=error)


def _big() -> bytes:
    line = (" ".join(["lorem"] * 170) + "\n").encode()
    return article("Tệp 50 MB").encode() + line * (50 * 2**20 // len(line) + 1)


_LONG_LINE = "Một dòng 5 MB\n" + NEWS + " " + ("x" * 999 + " ") * 5300 + NEWS
_RANDOM = random.Random(7).randbytes(20_000)
_WORDS = "lorem ipsum dolor sit amet".split()

CASES = [
    # encodings
    bad("invalid_utf8", b"Tin t\xe1c\n" + NEWS.encode() + b"\xff\xfe\x80", "is not UTF-8 (byte 0xe1 at 5)"),
    bad("truncated_utf8", article("Tin cụt").encode() + "ệ".encode()[:2], "line 4 of"),
    bad("utf8_encoded_surrogate", "Tin lạ\n".encode() + b"\xed\xa0\x80 abc", "is not UTF-8 (byte 0xed"),
    bad("utf8_overlong", b"Tin \xc0\xaf overlong\n" + NEWS.encode(), "is not UTF-8 (byte 0xc0"),
    bad("windows_1258", "Tin tức hôm nay\nBộ Y tế họp.".encode("cp1258", "replace"), "convert the file to UTF-8"),
    ok("utf8_bom", article("Tin có BOM"), data=b"\xef\xbb\xbf" + article("Tin có BOM").encode()),
    ok("utf16le_bom", article("Tin UTF-16 LE"), data=b"\xff\xfe" + article("Tin UTF-16 LE").encode("utf-16-le")),
    ok("utf16be_bom", article("Tin UTF-16 BE"), data=b"\xfe\xff" + article("Tin UTF-16 BE").encode("utf-16-be")),
    ok("utf32_bom", article("Tin UTF-32"), data=article("Tin UTF-32").encode("utf-32")),
    bad("utf16_odd_length", b"\xff\xfe" + "Tin".encode("utf-16-le") + b"\x41", "not valid UTF-16"),
    bad("utf16_lone_surrogate", b"\xff\xfe" + "Tin ".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le"),
        "not valid UTF-16"),
    bad("utf16_without_bom", article("Tin không BOM").encode("utf-16-le"), "UTF-16 without a byte-order mark"),
    # binary files
    bad("binary_png", b"\x89PNG\r\n\x1a\n" + _RANDOM, "is not UTF-8 (byte 0x89 at 0)"),
    bad("binary_random", b"\xfa" + _RANDOM, "is not UTF-8"),
    bad("binary_elf", b"\x7fELF\x02\x01\x01" + b"\x00" * 4000 + _RANDOM, "looks like a binary file"),
    bad("binary_gzip", b"\x1f\x8b\x08\x00" + _RANDOM, "is not UTF-8"),
    # empty
    bad("empty", b"", "is empty"),
    bad("whitespace_only", b" \t\n\r\n   \n\t\x0b\x0c", "is empty"),
    bad("unicode_spaces_only", "\u00a0\u3000\u2028\u2029\u2003\n\u205f\x85".encode(), "is empty"),
    bad("invisible_only", "\u200b\u200c\u200d\u2060\u200e\u202e\x01\x7f\n\ufeff".encode(), "is empty"),
    bad("bom_only", b"\xef\xbb\xbf", "is empty"),
    # size
    bad("big_50mb", _big, "articles over 8 MB are refused"),
    ok("long_line_5mb", _LONG_LINE),
    bad("escapes_over_limit", "Tin\n".encode() + b"\x01" * (2 * 2**20), "MB of text; articles over 8 MB"),
    ok("many_lines", "Tin nhiều dòng\n" + "".join(f"{random.Random(i).choice(_WORDS)}\n" for i in range(40_000))),
    # Unicode
    ok("nfd", unicodedata.normalize("NFD", article("Tin tức tổng hợp"))),
    ok("zero_width", article("Tin\u200b ẩn", NEWS.replace("Bộ", "B\u200bộ").replace("Sao", "\u2060Sao\ufeff")
                             .replace("Vinh", "Vi\u00adnh").replace("Đạt", "Đ\u200dạt"))),
    ok("bidi_controls", article("\u202eTin đảo chiều\u202c", "\u2067" + NEWS + "\u2069 \u202dLRO\u202c \u200f\u200e "
                                "\u2066x\u2069 \u061c ")),
    ok("nul_characters", article("Tin\x00 có NUL", NEWS.replace(" ", "\x00", 3))),
    ok("control_characters", article("Tin \x01\x02\x07\x08\x1b[31m", "".join(map(chr, range(1, 32))).replace("\n", "")
                                     .replace("\r", "") + " " + NEWS + " \x7f\x80\x85\x9b\x9f")),
    ok("line_endings", article("Tin CRLF").replace("\n", "\r\n") + "dòng\rcũ\r\n\u2028mới\u2029\x85hết\r"),
    ok("emoji", article("Tin 🎉 vui 👨‍👩‍👧‍👦", NEWS.replace("Sao Mai", "Sao 🌟 Mai") + " 🇻🇳 👍🏽 𝕏 𠀀 ❤️")),
    ok("noncharacters", article("Tin \ufffe\uffff", NEWS + " \ufdd0 \U0001fffe \U0010ffff \ue000 \U000f0000 \ufffd")),
    ok("combining_pile", article("Tin dấu", "a" + "\u0301\u0323\u0309" * 60 + " " + NEWS + " Hà\u0300\u0300 Nội")),
    ok("other_scripts", article("Тin Сyrillic", NEWS.replace("o", "о") + " Иван Петров và Сергей Лавров; 北京 "
                                "العربية עברית")),
    # markup and syntax of other languages
    ok("html", article("<h1>Tin &amp; tức</h1>", f'<p class="lead">{NEWS}</p><!-- c --> '
                       '<a href="http://x/?a=1&b=2">link</a> &lt;&gt;&#x27;&#0;')),
    ok("html_script", article("Tin có mã", f"Bộ trưởng Bộ Y tế Nguyễn Văn An nói {XSS} tại Hà Nội. {NEWS}")),
    ok("turtle_like", article('Tin """ba nháy""" \'\'\' <http://evil/> .', '@prefix ex: <http://e/> . ex:a ex:b '
                              '"""x""" ; ex:c "y"^^xsd:string . } GRAPH <g> { <s> <p> <o> } \\u0022 \\" \\\\ '
                              f'{NEWS} >> << _:b0 [] ( ) .')),
    ok("sparql_like", article("SELECT * WHERE { ?s ?p ?o }", 'DROP ALL; INSERT DATA { <a> <b> "c" } '
                              f'FILTER(?x > 1) {NEWS} }}}}}} {{{{{{ ">" ')),
    ok("jsonld_like", article('{"@context": {"@vocab": "http://evil/"}, "@id": "_:x"}',
                              '{"@graph": [{"@id": "x", "@type": "@json"}]} ' + NEWS)),
    ok("xml_like", article('<?xml version="1.0"?><![CDATA[ Tin ]]>', f"{NEWS} <!DOCTYPE x [<!ENTITY e SYSTEM "
                           '"file:///etc/passwd">]> &e; &#x0;')),
    ok("escape_sequences", article(r"Tin C:\new\u0041\U0001F600", r"\n \t \\ \" \u0000 %20 %00 " + NEWS)),
    ok("iri_breaking_names", article('Công ty <A|B> "C" {D}', NEWS.replace("Sao Mai", 'Sao<Mai>"{|}\\^`')
                                     + ' Công ty TNHH Ánh \\Dương^ ` và Tổng công ty {Hà|Nội} cùng Bộ <Quốc> '
                                     '"Phòng" tham dự.')),
    ok("title_only", "Chỉ có tiêu đề"),
    ok("punctuation_only", "!!! ??? ... ---\n,,,; :: ''' \"\"\" «» “”"),
    # file names
    ok("name_spaces", article("Tin tên có dấu cách"), file="tin tức có dấu cách.txt"),
    ok("name_iri_breaking", article("Tin tên xấu"), file='a<b>"c"{d}|e\\f^g`h j.txt'),
    ok("name_url_syntax", article("Tin tên # ? %"), file="a#frag?q=1&r=%20:x@y.txt"),
    ok("name_newline", article("Tin tên xuống dòng"), file="line\nbreak\ttab.txt"),
    ok("name_nfd", article("Tên file NFD"), file=unicodedata.normalize("NFD", "Tin tức.txt")),
    ok("name_nfc", article("Tên file NFC"), file="Tin tức.txt"),
    ok("name_dash", article("Tin tên gạch"), file="-rf --out.txt"),
    ok("name_hidden", article("Tin ẩn"), file=".hidden.txt"),
    ok("name_long", article("Tin tên dài"), file="dài" * 62 + ".txt"),
    ok("name_emoji", article("Tin tên emoji"), file="🎉 \u202e.txt"),
    ok("name_quotes", article("Tin tên nháy"), file="'; DROP TABLE x; --.txt"),
    ok("name_folder", article("Tin trong thư mục"), file="sub <x> {y}/nested \"z\".txt"),
]
ERRORS = [c for c in CASES if c.error]
BUILT = [c for c in CASES if c.text is not None]


@dataclass
class Hostile:
    corpus: Path
    result: object
    outputs: Outputs


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    for case in CASES:
        path = corpus / case.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.data() if callable(case.data) else case.data)
    (corpus / "dangling.txt").symlink_to(corpus / "nowhere")
    (corpus / "folder.txt").mkdir()
    os.mkfifo(corpus / "pipe.txt")  # reading it would block forever: it must not be read
    out = corpus.parent / "out"
    result = cli_build(corpus, "--out", out)
    return Hostile(corpus, result, Outputs(out))


def test_corpus_has_at_least_thirty_hostile_files():
    assert len(CASES) >= 30 and len({c.file for c in CASES}) == len(CASES)


def test_exit_status_says_some_files_failed(hostile):
    result = hostile.result
    assert result.exit_code == 1, result.output
    assert f"built {len(BUILT)} article(s)" in result.stdout
    assert f"{len(ERRORS) + 1} failed" in result.stdout  # + the broken symbolic link
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", ERRORS, ids=lambda c: c.id)
def test_refused_file_is_reported_by_name_with_its_problem(hostile, case):
    path = str(hostile.corpus / case.file)
    lines = [line for line in hostile.result.stderr.splitlines() if line.startswith(f"kg: skipped {path}: ")]
    assert len(lines) == 1, hostile.result.stderr
    message = lines[0].removeprefix(f"kg: skipped {path}: ")
    assert path in message and case.error in message, message


def test_broken_link_is_reported_and_pipes_and_folders_are_passed_over(hostile):
    err = hostile.result.stderr
    assert f"kg: skipped {hostile.corpus / 'dangling.txt'}: cannot read" in err
    assert "pipe.txt" not in err and "folder.txt" not in err


@pytest.fixture(scope="module")
def articles(hostile) -> dict[str, tuple[str, str]]:
    """fileName -> (article IRI, nif:isString) from the store."""
    rows = hostile.outputs.store.query(f"""SELECT ?a ?name ?text WHERE {{ GRAPH ?a {{
        ?a <{NKG}fileName> ?name ; <{NIF}isString> ?text }} }}""")
    found: dict[str, list] = {}
    for row in rows:
        found.setdefault(row["name"].value, []).append((row["a"].value, row["text"].value))
    assert all(len(v) == 1 for v in found.values()), "one article per file name"
    return {name: v[0] for name, v in found.items()}


@pytest.mark.parametrize("case", BUILT, ids=lambda c: c.id)
def test_accepted_file_builds_with_its_exact_text(articles, case):
    name = Path(case.file).name
    assert name in articles, sorted(articles)
    iri, text = articles[name]
    assert iri.startswith("https://w3id.org/newskg/id/article/")
    assert text == expected_text(case.text)


def test_look_alike_file_names_are_two_articles(articles):
    nfc, nfd = "Tin tức.txt", unicodedata.normalize("NFD", "Tin tức.txt")
    assert articles[nfc][0] != articles[nfd][0]


@NEEDS_RAPPER
@pytest.mark.parametrize("name", ["graph.ttl", "graph.trig"])  # rapper needs ~10 s for graph.nq's 5 MB line
def test_outputs_read_the_same_in_pyoxigraph_and_rapper(hostile, name):
    assert rapper_quads(hostile.outputs.folder / name) == hostile.outputs.quads(name)


def test_trig_nquads_and_store_hold_the_same_quads(hostile):
    out = hostile.outputs
    assert out.quads("graph.trig") == out.quads("graph.nq")
    assert as_stored(out.quads("graph.trig")) == out.store_quads
    assert len({q.graph_name for q in out.store_quads}) == len(BUILT)
    assert out.store_union == triples(out.quads("graph.ttl"))


def test_turtle_is_the_union_of_the_named_graphs(hostile):
    out = hostile.outputs
    assert union_mismatches(as_stored(out.quads("graph.trig")), out.quads("graph.ttl")) == []


def test_every_anchor_is_the_text_between_its_offsets(hostile):
    assert nif_errors(hostile.outputs.store) == []


def test_union_conforms_to_the_shapes(hostile):
    conforms, report = validate(hostile.outputs.folder / "graph.ttl")
    assert conforms, report[:3000]


def test_every_named_graph_conforms_to_the_shapes(hostile):
    assert named_graph_violations(hostile.outputs.folder / "graph.trig") == []


def test_jsonld_gives_the_turtle_triples(hostile):
    out = hostile.outputs
    assert out.jsonld_triples == triples(out.quads("graph.ttl"))


def test_graphml_reads_with_networkx(hostile):
    graph = nx.read_graphml(hostile.outputs.folder / "graph.graphml")
    assert graph.number_of_nodes() > 10


def test_html_page_keeps_injected_markup_inert(hostile):
    page = (hostile.outputs.folder / "graph.html").read_text(encoding="utf-8")
    assert "kg-xss" in page, "the sentence around a mention is on the page"
    assert XSS not in page and "<script>alert(" not in page


def test_size_limit_counts_escapes_and_keeps_the_text_readable_by_pyoxigraph(tmp_path):
    """At the limit, the text is one literal that pyoxigraph (which caps a term at 16 MiB) still reads."""
    most = (MAX_BYTES - 7) // 6  # "T\n" and then control characters, each written \u0001: 7 + 6 per character
    file = tmp_path / "limit.txt"
    file.write_bytes(b"T\n" + b"\x01" * most)
    text = read_document(file).text
    data = ox.serialize([ox.Triple(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal(text))],
                        format=ox.RdfFormat.N_TRIPLES)
    assert MAX_BYTES - 16 < len(data) < 16 * 2**20
    assert [t.object.value for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)] == [text]
    file.write_bytes(b"T\n" + b"\x01" * (most + 1))
    with pytest.raises(InputError, match=r"limit\.txt holds 8\.0 MB of text; articles over 8 MB are refused"):
        read_document(file)


def test_file_name_that_is_not_utf8_is_reported_and_the_others_build(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(article("Tin tốt"), encoding="utf-8")
    (corpus / os.fsdecode(b"bad\xffname.txt")).write_text(article("Tin tên hỏng"), encoding="utf-8")
    result = cli_build(corpus, "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "built 1 article(s)" in result.stdout
    assert "bad\\xffname.txt: the file name is not UTF-8" in result.stderr
