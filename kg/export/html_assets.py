"""The page's Jinja template, CSS and JavaScript, kept apart from the Python that fills them.

Article text reaches the page only as JSON through Jinja's ``tojson`` (which
escapes ``<``, ``>``, ``&`` and ``'``) and is put into the DOM only through
``textContent``; the canvas draws labels as text. The Content-Security-Policy
forbids every network request, so the page works, and is known to work, offline.
"""
from __future__ import annotations

TEMPLATE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>{{ kg.title }}</title>
<style>{{ kg.css }}</style>
<script>{{ kg.vis_js }}</script>
</head>
<body>
<header>
  <h1>{{ kg.title }}</h1>
  <p id="kg-note">{{ kg.note }}</p>
</header>
<main>
  <aside id="kg-side">
    <label for="kg-search">Search by name</label>
    <input id="kg-search" type="search" placeholder="e.g. le xuan dinh" autocomplete="off">
    <ol id="kg-results"></ol>
    <h2>Classes</h2>
    <ul id="kg-legend">
    {% for c in kg.legend %}
      <li><label><input type="checkbox" data-kind="{{ c.kind }}" checked>{{ c.svg }}<span>{{ c.kind }}</span> <small>{{ c.count }}</small></label></li>
    {% endfor %}
    </ul>
    <p class="hint">Edges: {{ kg.edge_words }}</p>
    <h2><label for="kg-article">Article</label></h2>
    <select id="kg-article"><option value="-1">All articles ({{ kg.article_count }})</option></select>
    <p id="kg-count"></p>
    <p><button id="kg-physics" type="button">Physics: off</button> <button id="kg-fit" type="button">Fit</button></p>
  </aside>
  <div id="kg-stage"><div id="kg-graph"></div><div id="kg-loading">Laying out {{ nodes|length }} nodes…</div></div>
  <aside id="kg-details" hidden></aside>
</main>
<script type="application/json" id="kg-data">{{ kg.data|tojson }}</script>
<script>
var nodes = new vis.DataSet({{ nodes|tojson }});
var edges = new vis.DataSet({{ edges|tojson }});
var options = {{ options|safe }};
var network = new vis.Network(document.getElementById("kg-graph"), {nodes: nodes, edges: edges}, options);
{{ kg.app_js }}
</script>
</body>
</html>
"""

CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px/1.4 system-ui,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1f2937}
body{display:flex;flex-direction:column}
header{padding:6px 12px;border-bottom:1px solid #d1d5db;background:#f9fafb}
header h1{font-size:16px;margin:0}
#kg-note{margin:2px 0 0;color:#4b5563;font-size:13px}
main{flex:1;display:flex;min-height:0}
#kg-side{width:250px;padding:10px;overflow:auto;border-right:1px solid #d1d5db;background:#fff}
#kg-side h2{font-size:13px;margin:14px 0 4px;text-transform:uppercase;color:#6b7280}
#kg-side input[type=search],#kg-side select{width:100%;padding:5px;font:inherit}
#kg-results{list-style:none;margin:4px 0;padding:0;max-height:220px;overflow:auto}
#kg-results li{padding:3px 4px;cursor:pointer;border-radius:3px}
#kg-results li:hover,#kg-results li:focus{background:#e5e7eb}
#kg-results small,#kg-legend small{color:#6b7280}
#kg-legend{list-style:none;margin:0;padding:0}
#kg-legend label{display:flex;align-items:center;gap:6px;cursor:pointer}
.hint{font-size:12px;color:#6b7280}
#kg-stage{flex:1;position:relative;min-width:0}
#kg-graph{position:absolute;inset:0}
#kg-loading{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;color:#6b7280;background:#fff;z-index:2}
body.kg-ready #kg-loading{display:none}
#kg-details{width:360px;padding:10px 12px;overflow:auto;border-left:1px solid #d1d5db;background:#fff}
#kg-details h2{font-size:17px;margin:0 0 2px}
#kg-details h3{font-size:12px;margin:12px 0 3px;text-transform:uppercase;color:#6b7280}
#kg-details ul{margin:0;padding-left:18px}
#kg-details blockquote{margin:4px 0 8px;padding:4px 8px;border-left:3px solid #d1d5db;background:#f9fafb}
#kg-details cite{display:block;font-size:12px;color:#6b7280}
#kg-details mark{background:#fde68a}
#kg-details button.link{border:0;background:none;padding:0;color:#1d4ed8;cursor:pointer;text-align:left;font:inherit}
.kind{font-weight:600}
div.vis-tooltip{position:absolute;visibility:hidden;padding:5px 7px;white-space:pre-line;max-width:360px;
 font-size:13px;background:#fffbea;border:1px solid #a8a29e;border-radius:3px;box-shadow:2px 2px 8px rgba(0,0,0,.2);pointer-events:none;z-index:5}
"""

APP_JS = r"""
(function () {
  "use strict";
  var KG = JSON.parse(document.getElementById("kg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var classOn = {}, article = -1, physicsOn = !!(options.physics && options.physics.enabled);
  KG.kinds.forEach(function (k) { classOn[k] = true; });

  function ready() {
    if (window.kgReady) return;
    window.kgReady = true;
    window.kgReadyAt = performance.now();
    document.body.classList.add("kg-ready");
  }
  function setPhysics(on) {
    physicsOn = on;
    network.setOptions({physics: {enabled: on}});
    $("kg-physics").textContent = "Physics: " + (on ? "on" : "off");
  }
  if (physicsOn && nodes.length) {
    network.once("stabilizationIterationsDone", function () { network.once("afterDrawing", ready); network.redraw(); });
    network.on("stabilizationProgress", function (p) {
      $("kg-loading").textContent = "Laying out " + nodes.length + " nodes… " + Math.round(100 * p.iterations / p.total) + "%";
    });
  } else if (nodes.length) {
    network.once("afterDrawing", ready);
  } else {
    $("kg-loading").textContent = "No entities were found in these articles.";
    ready();
  }
  $("kg-physics").textContent = "Physics: " + (physicsOn ? "on" : "off");
  $("kg-physics").onclick = function () { setPhysics(!physicsOn); };
  $("kg-fit").onclick = function () { network.fit({animation: true}); };

  function fold(s) {
    return s.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  // filters: by class (legend check boxes) and by article
  var select = $("kg-article");
  KG.order.forEach(function (i) {
    var o = el("option", KG.articles[i][0] || KG.articles[i][1]);
    o.value = String(i);
    select.appendChild(o);
  });
  function applyFilters() {
    var show = {}, nodeChanges = [], edgeChanges = [], shownNodes = 0, shownEdges = 0;
    nodes.forEach(function (n) {
      var on = classOn[n.kind] && (article < 0 || n.arts.indexOf(article) >= 0);
      show[n.id] = on;
      if (on) shownNodes++;
      if (!!n.hidden === on) nodeChanges.push({id: n.id, hidden: !on});
    });
    edges.forEach(function (e) {
      var on = show[e.from] && show[e.to] && (article < 0 || e.arts.indexOf(article) >= 0);
      if (on) shownEdges++;
      if (!!e.hidden === on) edgeChanges.push({id: e.id, hidden: !on});
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    $("kg-count").textContent = shownNodes + " of " + nodes.length + " nodes and " + shownEdges + " of " + edges.length + " edges visible.";
    return shownNodes;
  }
  function setArticle(i) {
    article = i;
    select.value = String(i);
    if (applyFilters() && i >= 0) network.fit({nodes: nodes.getIds({filter: function (n) { return !n.hidden; }}), animation: true});
  }
  function setClass(kind, on) {
    classOn[kind] = on;
    var box = document.querySelector('#kg-legend input[data-kind="' + kind + '"]');
    if (box) box.checked = on;
    applyFilters();
  }
  select.onchange = function () { setArticle(parseInt(select.value, 10)); };
  Array.prototype.forEach.call(document.querySelectorAll("#kg-legend input"), function (box) {
    box.onchange = function () { setClass(box.getAttribute("data-kind"), box.checked); };
  });

  // search: every name, diacritics optional
  function search(query) {
    var q = fold(query).trim();
    if (!q) return [];
    var found = nodes.get({filter: function (n) { return n.search.indexOf(q) >= 0; }});
    found.sort(function (a, b) {
      var pa = ("\n" + a.search).indexOf("\n" + q) >= 0 ? 0 : 1, pb = ("\n" + b.search).indexOf("\n" + q) >= 0 ? 0 : 1;
      return pa - pb || b.value - a.value || (a.label < b.label ? -1 : 1);
    });
    return found.slice(0, 30);
  }
  function showResults() {
    var list = $("kg-results");
    list.replaceChildren();
    search($("kg-search").value).forEach(function (n) {
      var li = el("li", n.label);
      li.tabIndex = 0;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("small", n.kind));
      li.onclick = li.onkeydown = function (ev) { if (!ev.key || ev.key === "Enter") focusNode(n.id); };
      list.appendChild(li);
    });
  }
  $("kg-search").oninput = showResults;
  $("kg-search").onkeydown = function (ev) {
    if (ev.key !== "Enter") return;
    var first = search(this.value)[0];
    if (first) focusNode(first.id);
  };

  function focusNode(id) {
    var n = nodes.get(id);
    if (!n) return;
    if (n.hidden) { setArticle(-1); setClass(n.kind, true); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.1), animation: {duration: 400}});
    showDetails(id);
  }

  // details: type, names, roles, figures, Wikidata, the sentences it was found in
  function section(panel, title, items, render) {
    if (!items || !items.length) return;
    panel.appendChild(el("h3", title));
    var ul = el("ul");
    items.forEach(function (item) { var li = el("li"); render ? render(li, item) : li.textContent = item; ul.appendChild(li); });
    panel.appendChild(ul);
  }
  function articleButton(li, i) {
    var b = el("button", KG.articles[i][0] || KG.articles[i][1], "link");
    b.type = "button";
    b.title = KG.articles[i][1];
    b.onclick = function () { setArticle(i); };
    li.appendChild(b);
  }
  function showDetails(id) {
    var n = nodes.get(id), d = KG.details[id], panel = $("kg-details");
    panel.replaceChildren();
    panel.hidden = false;
    panel.appendChild(el("h2", n.label));
    var kind = el("p", n.kind, "kind");
    kind.style.color = KG.colors[n.kind];
    panel.appendChild(kind);
    section(panel, "Names", d.names);
    section(panel, "Roles", d.roles);
    section(panel, "Awards", d.awards);
    section(panel, "Dates", d.dates);
    if (d.wikidata && /^https?:\/\/www\.wikidata\.org\//.test(d.wikidata)) {
      panel.appendChild(el("h3", "Wikidata"));
      var a = el("a", d.wikidata.replace(/^.*\//, ""));
      a.href = d.wikidata; a.target = "_blank"; a.rel = "noopener noreferrer";
      panel.appendChild(a);
    }
    panel.appendChild(el("h3", "Found in the text"));
    panel.appendChild(el("p", d.mentions + " mention(s) in " + n.arts.length + " article(s)" +
      (d.sentences.length < d.mentions ? "; " + d.sentences.length + " of them:" : ":")));
    d.sentences.forEach(function (s) {
      var q = el("blockquote", null, "kg-sentence");
      q.appendChild(document.createTextNode(s[1]));
      q.appendChild(el("mark", s[2]));
      q.appendChild(document.createTextNode(s[3]));
      q.appendChild(el("cite", KG.articles[s[0]][0] || KG.articles[s[0]][1]));
      panel.appendChild(q);
    });
    var links = [];
    network.getConnectedEdges(id).forEach(function (eid) {
      var e = edges.get(eid), out = e.from === id, other = nodes.get(out ? e.to : e.from);
      links.push([out ? e.label + " → " + other.label : other.label + " → " + e.label, other.id]);
    });
    section(panel, "Relations", links.slice(0, 40), function (li, item) {
      var b = el("button", item[0], "link"); b.type = "button";
      b.onclick = function () { focusNode(item[1]); };
      li.appendChild(b);
    });
    section(panel, "Figures", d.figures);
    section(panel, "Author of", d.authored, articleButton);
    section(panel, "Articles", n.arts.slice(0, 25), articleButton);
  }
  network.on("click", function (p) {
    if (p.nodes.length) showDetails(p.nodes[0]); else $("kg-details").hidden = true;
  });
  applyFilters();
  window.kg = {search: search, focusNode: focusNode, showDetails: showDetails, setArticle: setArticle, setClass: setClass, fold: fold};
})();
"""


def glyph(shape: str, colour: str) -> str:
    """A 16-pixel SVG of a vis-network node shape, for the legend."""
    points = {"dot": None, "square": "2,2 14,2 14,14 2,14", "diamond": "8,1 15,8 8,15 1,8",
              "star": "8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6",
              "triangle": "8,2 15,14 1,14", "triangleDown": "1,2 15,2 8,14"}[shape]
    body = (f'<circle cx="8" cy="8" r="6" fill="{colour}"/>' if points is None
            else f'<polygon points="{points}" fill="{colour}"/>')
    return f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{body}</svg>'
