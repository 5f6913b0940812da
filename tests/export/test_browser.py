"""graph.html in a real browser: Debian's Chromium driven by Playwright, with the network blocked.

Skipped when /usr/bin/chromium or Playwright for Python is missing; Playwright's own
browser downloads are never used.
"""
from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.export.html import write_html

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="needs Playwright for Python (pip install playwright; no browser download)"),
]

ID = "https://w3id.org/newskg/id/"
NKG = "https://w3id.org/newskg/ontology#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
EVIL = '<script>window.kgPwned=1;alert(1)</script><img src=x onerror="window.kgPwned=2">'
TEXTS = {
    "a1": "Techfest mở màn\nThứ trưởng Lê Xuân Định phát biểu tại Techfest Hải Phòng 2023.",
    "a2": f"Tin {EVIL}\nÔng {EVIL} dự Techfest Hải Phòng 2023.",
}
ENTITIES = {  # key -> (class, label, article keys, anchor)
    "person/le-xuan-dinh": ("Person", "Lê Xuân Định", ("a1",)),
    "org/bkhcn": ("Organisation", "Bộ Khoa học và Công nghệ", ("a1",)),
    "event/techfest": ("Event", "Techfest Hải Phòng 2023", ("a1", "a2")),
    "person/evil": ("Person", EVIL, ("a2",)),
}


def q(s: str, p: str, o, g: str) -> ox.Quad:
    term = lambda x: x if isinstance(x, (ox.Literal, ox.NamedNode)) else ox.NamedNode(x if "://" in x else ID + x)  # noqa: E731
    return ox.Quad(term(s), term(p), term(o), term("article/" + g))


def sample_store() -> ox.Store:
    quads = []
    for key, text in TEXTS.items():
        quads += [q("article/" + key, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", NKG + "Article", key),
                  q("article/" + key, NKG + "headline", ox.Literal(text.split("\n")[0], language="vi"), key),
                  q("article/" + key, NIF + "isString", ox.Literal(text), key)]
    for entity, (kind, label, keys) in ENTITIES.items():
        for key in keys:
            quads += [q(entity, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", NKG + kind, key),
                      q(entity, "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal(label, language="vi"), key)]
            begin = TEXTS[key].rfind(label)
            mention = f"{ID}article/{key}#char={begin},{begin + len(label)}"
            quads += [q(mention, NIF + "referenceContext", "article/" + key, key),
                      q(mention, NIF + "beginIndex", ox.Literal(str(begin)), key),
                      q(mention, NIF + "endIndex", ox.Literal(str(begin + len(label))), key),
                      q(mention, "http://www.w3.org/2005/11/its/rdf#taIdentRef", entity, key)]
    quads += [q("person/le-xuan-dinh", NKG + "holds", "membership/m1", "a1"),
              q("membership/m1", NKG + "role", ox.Literal("Thứ trưởng", language="vi"), "a1"),
              q("membership/m1", NKG + "organisation", "org/bkhcn", "a1"),
              q("event/techfest", NKG + "organiser", "org/bkhcn", "a1"),
              q("event/techfest", NKG + "speaker", "person/le-xuan-dinh", "a1"),
              q("event/techfest", NKG + "participant", "person/evil", "a2")]
    store = ox.Store()
    store.extend(quads)
    return store


def large_store(entities: int, relations: int, articles: int) -> ox.Store:
    """A corpus-shaped store: many entities, sparse relations, no texts."""
    rng = random.Random(7)
    kinds = ("Person", "Organisation", "Event", "Place")
    quads = []
    for i in range(entities):
        key, kind = f"a{i % articles}", kinds[i % len(kinds)]
        quads += [q(f"x/{i}", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", NKG + kind, key),
                  q(f"x/{i}", "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal(f"Thực thể {i}", language="vi"), key)]
    for _ in range(relations):
        a, b = rng.randrange(entities), rng.randrange(entities)
        quads.append(q(f"x/{a}", NKG + "participant", f"x/{b}", f"a{a % articles}"))
    store = ox.Store()
    store.extend(quads)
    return store


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


def open_page(browser, path: Path):
    """The page from disk with every http(s) request aborted and recorded, and dialogs and errors recorded."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.attempted, page.dialogs, page.errors = [], [], []
    page.route("http://**/*", lambda route: (page.attempted.append(route.request.url), route.abort()))
    page.route("https://**/*", lambda route: (page.attempted.append(route.request.url), route.abort()))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.kgReady === true", timeout=30000)
    return page


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("page") / "graph.html"
    write_html(sample_store(), path)
    return path


def test_page_draws_the_nodes_and_edges_offline(browser, sample_page):
    page = open_page(browser, sample_page)
    labels = page.evaluate("() => nodes.get().map(n => n.label).sort()")
    assert labels == sorted(label for _, label, _ in ENTITIES.values())
    edges = page.evaluate("() => edges.get().map(e => [nodes.get(e.from).label, e.label, nodes.get(e.to).label])")
    assert sorted(map(tuple, edges)) == sorted([
        ("Lê Xuân Định", "Thứ trưởng", "Bộ Khoa học và Công nghệ"), ("Bộ Khoa học và Công nghệ", "tổ chức", "Techfest Hải Phòng 2023"),
        ("Lê Xuân Định", "phát biểu", "Techfest Hải Phòng 2023"), (EVIL, "tham gia", "Techfest Hải Phòng 2023")])
    assert page.evaluate("() => Object.keys(network.body.nodes).length") >= 4  # drawn, not just stored
    assert page.attempted == [] and page.errors == []
    page.close()


def test_search_without_diacritics_finds_a_node_and_shows_its_provenance(browser, sample_page):
    page = open_page(browser, sample_page)
    page.fill("#kg-search", "le xuan dinh")
    first = page.locator("#kg-results li").first
    assert first.inner_text().startswith("Lê Xuân Định")
    first.click()
    details = page.locator("#kg-details")
    assert details.is_visible()
    text = details.inner_text()
    assert "Thứ trưởng, Bộ Khoa học và Công nghệ" in text
    assert page.locator("#kg-details .kg-sentence").first.inner_text().startswith(
        "Thứ trưởng Lê Xuân Định phát biểu tại Techfest Hải Phòng 2023.")
    assert "Techfest mở màn" in page.locator("#kg-details cite").first.inner_text()
    selected = page.evaluate("() => network.getSelectedNodes().map(id => nodes.get(id).label)")
    assert selected == ["Lê Xuân Định"]
    page.close()


def test_a_script_in_a_label_is_shown_as_text_and_never_runs(browser, sample_page):
    page = open_page(browser, sample_page)
    page.fill("#kg-search", "kgpwned")
    page.locator("#kg-results li").first.click()
    assert page.locator("#kg-details h2").inner_text() == EVIL
    assert EVIL in page.locator("#kg-details .kg-sentence").first.inner_text()
    page.wait_for_timeout(700)  # the zoom onto the node ends
    node = page.evaluate("() => nodes.get({filter: n => n.label.indexOf('kgPwned') >= 0})[0].id")
    box = page.locator("#kg-graph canvas").bounding_box()
    spot = page.evaluate(f"() => network.canvasToDOM(network.getPosition({node}))")
    page.mouse.move(box["x"] + spot["x"] - 30, box["y"] + spot["y"] - 30)
    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"], steps=5)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    assert "<script>" in page.locator("div.vis-tooltip").inner_text()
    page.wait_for_timeout(300)
    assert page.evaluate("() => typeof window.kgPwned") == "undefined"
    assert page.dialogs == [] and page.errors == []
    page.close()


def test_class_and_article_filters_hide_the_rest(browser, sample_page):
    page = open_page(browser, sample_page)
    visible = "() => nodes.get({filter: n => !n.hidden}).map(n => n.label).sort()"
    page.uncheck('#kg-legend input[data-kind="Person"]')
    assert page.evaluate(visible) == ["Bộ Khoa học và Công nghệ", "Techfest Hải Phòng 2023"]
    page.check('#kg-legend input[data-kind="Person"]')
    page.select_option("#kg-article", label="Techfest mở màn")
    assert page.evaluate(visible) == ["Bộ Khoa học và Công nghệ", "Lê Xuân Định", "Techfest Hải Phòng 2023"]
    assert page.evaluate("() => edges.get({filter: e => !e.hidden}).length") == 3
    page.close()


def test_a_corpus_sized_page_shows_the_core_and_is_ready_quickly(browser, tmp_path):
    path = tmp_path / "graph.html"
    report = write_html(large_store(6000, 4000, 500), path)
    page = open_page(browser, path)
    assert page.evaluate("() => nodes.length") == report.nodes == 1500
    assert "Showing 1,500 of 6,000 entities" in page.locator("#kg-note").inner_text()
    assert page.evaluate("() => window.kgReadyAt") < 10000  # about 1.5 s on a 2-core machine; generous for CI
    page.fill("#kg-search", "thuc the")
    assert page.locator("#kg-results li").count() > 0
    assert page.attempted == [] and page.errors == []
    page.close()
