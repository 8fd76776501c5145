"""The interactive network of a case: one self-contained HTML file.

``reports/interactive/<wave>/<case>.html`` shows a case network as SVG drawn
by a small script inside the page: a search box (actor id or organisation),
hover details of an actor (sector, organisation, every metric and role
column of ``actors.csv``) or a tie (every column of ``ties.csv``),
checkboxes that show or hide ties by tie class (strong, weak) and actors by
sector, and zoom (wheel) and pan (drag). It loads nothing: no CDN, no
network, no other file, so it opens offline and can be mailed.

Positions are computed here, with the seeded Fruchterman–Reingold layout of
the case pages (:func:`netinnov.reports.network.case_layout`), so the view
matches the static drawing and the same results give the same file.

Every value from the data (ids, sector labels, organisation names) is
hostile: the data sits in one ``<script type="application/json">`` element
with ``<``, ``>``, ``&``, U+2028 and U+2029 written as JSON escapes
(:func:`json_for_script`), so no value can close the element or start
markup, and the script inserts every value with ``textContent``, never as
HTML. Pseudonymised runs show the ids of the results tables as they are.

ipysigma was considered and not used: its ``write_html`` is ipywidgets'
embedding, whose page loads the widget manager and sigma.js from a CDN, so
it does not open offline.
"""

from __future__ import annotations

import html as html_lib
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["case_view", "interactive_link", "json_for_script", "render_case_page", "write_case_page", "write_wave_pages"]

#: Columns shown first in an actor's details, in this order (when present).
_FIRST = ("sector", "organization", "organisation", "reported_roles", "convener_score", "facilitator_score",
          "catalyst_score", "degree", "weighted_degree", "betweenness")
#: Columns of actors.csv and ties.csv that are not details.
_NOT_DETAILS = ("case_id", "line")

#: A relative link the pipeline writes: a path of file-safe names (see netinnov.contract).
_SAFE_LINK = re.compile(r"(\.\./)*[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\.html")

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(value) -> str:
    """``value`` as JSON that is safe inside ``<script type="application/json">``:
    ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026`` (no ``</script>``
    nor ``<!--`` can appear) and U+2028/U+2029 escaped; NaN and infinities as null."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def interactive_link(href: str) -> str:
    """Markdown linking a case page to its interactive view, or ``""`` when
    ``href`` is empty or not a relative path of file-safe names (then no link
    is written: a link never carries a scheme or markup)."""
    href = str(href or "")
    if not _SAFE_LINK.fullmatch(href):
        return ""
    return (f"[Interactive view of this network]({href}): search, hover details, "
            "filters by tie class and sector (opens offline).")


def _plain(value):
    """A table cell as a JSON value: numbers (6 significant digits), booleans,
    text; missing and non-finite values as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        v = float(value)
        return float(f"{v:.6g}") if math.isfinite(v) else None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _columns(frame: pd.DataFrame, skip: tuple[str, ...]) -> list[str]:
    return [c for c in frame.columns if c not in skip and c not in _NOT_DETAILS]


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    return [[_plain(v) for v in row] for row in frame[columns].itertuples(index=False, name=None)]


def case_view(
    actors: pd.DataFrame, ties: pd.DataFrame, *, case_id: str, wave: str, group_attribute: str = "sector",
    seed: int = 1, directed: bool = False,
) -> dict:
    """The data of one case's view: actors (id, position, sector, details),
    ties (ends as actor positions, tie class, details), the sectors and tie
    classes for the checkboxes and their colours.

    ``actors`` and ``ties`` are the case's rows of the wave's ``actors.csv``
    and ``ties.csv``; ties whose ends are not listed actors are left out.
    """
    from netinnov.reports.figures import sector_colour
    from netinnov.reports.network import case_layout

    actors = actors.reset_index(drop=True)
    ids = actors["actor_id"].astype(str).to_numpy(dtype=object) if len(actors) else np.zeros(0, dtype=object)
    position = {a: i for i, a in enumerate(ids)}
    src = ties["source"].astype(str).map(position) if len(ties) else pd.Series(dtype=float)
    tgt = ties["target"].astype(str).map(position) if len(ties) else pd.Series(dtype=float)
    keep = (src.notna() & tgt.notna()).to_numpy(dtype=bool) if len(ties) else np.zeros(0, dtype=bool)
    ties = ties[keep].reset_index(drop=True)
    s = src[keep].to_numpy(dtype=np.int64)
    t = tgt[keep].to_numpy(dtype=np.int64)
    xy = case_layout(len(ids), s, t, seed=seed)
    if len(xy):  # into [0, 1000] × [0, 1000], the aspect kept
        xy = xy - xy.min(axis=0)
        span = float(xy.max()) or 1.0
        xy = xy / span * 1000.0
    groups = (actors[group_attribute].astype("string").fillna("(unknown)").astype(str).to_numpy(dtype=object)
              if group_attribute in actors.columns else np.full(len(ids), "(unknown)", dtype=object))
    sectors = sorted(set(groups.tolist()))
    colours = sector_colour(sectors)
    if "tie_class" in ties.columns:
        classes_of = ties["tie_class"].astype("string").fillna("(none)").astype(str).to_numpy(dtype=object)
    else:
        classes_of = np.full(len(ties), "(none)", dtype=object)
    order = {"strong": 0, "weak": 1}
    classes = sorted(set(classes_of.tolist()), key=lambda c: (order.get(c, 2), c))
    first = [c for c in _FIRST if c in actors.columns and c != group_attribute]
    actor_columns = [group_attribute] * (group_attribute in actors.columns) + first + [
        c for c in _columns(actors, ("actor_id",)) if c not in first and c != group_attribute]
    tie_columns = _columns(ties, ("source", "target"))
    degree = np.bincount(np.concatenate([s, t]), minlength=len(ids)) if len(ids) else np.zeros(0, dtype=np.int64)
    return {
        "case_id": str(case_id),
        "wave": str(wave),
        "directed": bool(directed),
        "group_attribute": str(group_attribute),
        "sectors": [[sec, colours[sec]] for sec in sectors],
        "tie_classes": classes,
        "actor_columns": [str(c) for c in actor_columns],
        "tie_columns": [str(c) for c in tie_columns],
        "actors": [
            {"id": str(a), "x": round(float(x), 2), "y": round(float(y), 2), "g": sectors.index(g), "k": int(k),
             "d": d}
            for a, (x, y), g, k, d in zip(ids, xy, groups, degree, _rows(actors, actor_columns), strict=True)
        ],
        "ties": [
            {"s": int(a), "t": int(b), "c": classes.index(c), "d": d}
            for a, b, c, d in zip(s, t, classes_of, _rows(ties, tie_columns), strict=True)
        ],
    }


_STYLE = """*{box-sizing:border-box}
body{margin:0;font-family:system-ui,sans-serif;color:#222;display:flex;flex-direction:column;height:100vh}
header{padding:.5em 1em;border-bottom:1px solid #ddd}
header h1{font-size:1.2em;margin:.1em 0} header p{margin:.1em 0;color:#555;font-size:.9em}
main{flex:1;display:flex;min-height:0}
aside{width:17em;padding:.6em 1em;border-right:1px solid #ddd;overflow:auto;font-size:.9em}
aside h2{font-size:1em;margin:.8em 0 .3em} aside label{display:block;margin:.15em 0;word-break:break-all}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.3em;vertical-align:middle}
#search{width:100%;padding:.3em} #matches{color:#555;margin:.3em 0}
#view{flex:1;position:relative;min-width:0}
svg{width:100%;height:100%;display:block;background:#fcfcfc;cursor:grab}
line{stroke:#888;stroke-opacity:.55} line.strong{stroke:#333;stroke-opacity:.8} line.hot{stroke:#d97706;stroke-opacity:1}
circle{stroke:#fff;stroke-width:1} circle.match{stroke:#d00;stroke-width:3} .dim{opacity:.15}
#tip{position:absolute;pointer-events:none;background:#fff;border:1px solid #999;border-radius:4px;padding:.4em .6em;
font-size:.82em;max-width:26em;box-shadow:0 2px 6px rgba(0,0,0,.2);display:none;word-break:break-all}
#tip table{border-collapse:collapse} #tip td{padding:0 .4em 0 0;vertical-align:top} #tip td:first-child{color:#555}
#tip .title{font-weight:bold;margin-bottom:.2em}
noscript{padding:1em}"""

_SCRIPT = r"""(function () {
"use strict";
// any later script error (hover, filters, search) shows in the status, which tests read
window.addEventListener("error", function (ev) {
  document.getElementById("status").textContent = "error: " + ev.message;
});
var data = JSON.parse(document.getElementById("netinnov-data").textContent);
var NS = "http://www.w3.org/2000/svg";
var svg = document.getElementById("net"), tip = document.getElementById("tip");
var edgeLayer = document.createElementNS(NS, "g"), nodeLayer = document.createElementNS(NS, "g");
svg.appendChild(edgeLayer); svg.appendChild(nodeLayer);
function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
function shown(v) {
  if (v === null || v === undefined) return "\u2013";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return String(v);
}
var maxK = 1; data.actors.forEach(function (a) { if (a.k > maxK) maxK = a.k; });
function radius(a) { return 5 + 9 * Math.sqrt(a.k / maxK); }
if (data.directed) {  // arcs end in an arrowhead at the target's rim
  var defs = document.createElementNS(NS, "defs"), marker = document.createElementNS(NS, "marker");
  var head = document.createElementNS(NS, "path");
  marker.setAttribute("id", "arrow"); marker.setAttribute("viewBox", "0 0 10 10"); marker.setAttribute("refX", "10");
  marker.setAttribute("refY", "5"); marker.setAttribute("markerWidth", "5"); marker.setAttribute("markerHeight", "5");
  marker.setAttribute("orient", "auto"); head.setAttribute("d", "M0,0L10,5L0,10z"); head.setAttribute("fill", "#666");
  marker.appendChild(head); defs.appendChild(marker); svg.insertBefore(defs, edgeLayer);
}
var lines = data.ties.map(function (t) {
  var a = data.actors[t.s], b = data.actors[t.t], l = document.createElementNS(NS, "line");
  var x2 = b.x, y2 = b.y, len = Math.hypot(b.x - a.x, b.y - a.y);
  if (data.directed && len > 0) { var back = radius(b) / len; x2 = b.x - (b.x - a.x) * back; y2 = b.y - (b.y - a.y) * back; }
  l.setAttribute("x1", a.x); l.setAttribute("y1", a.y); l.setAttribute("x2", x2); l.setAttribute("y2", y2);
  if (data.directed) l.setAttribute("marker-end", "url(#arrow)");
  if (data.tie_classes[t.c] === "strong") l.setAttribute("class", "strong");
  l.setAttribute("stroke-width", data.tie_classes[t.c] === "strong" ? 2.5 : 1.2);
  edgeLayer.appendChild(l); return l;
});
var circles = data.actors.map(function (a) {
  var c = document.createElementNS(NS, "circle");
  c.setAttribute("cx", a.x); c.setAttribute("cy", a.y); c.setAttribute("r", radius(a));
  c.setAttribute("fill", data.sectors[a.g][1]);
  nodeLayer.appendChild(c); return c;
});
var neighbours = data.actors.map(function () { return []; });
data.ties.forEach(function (t, i) { neighbours[t.s].push(i); neighbours[t.t].push(i); });
// the view box: zoom with the wheel, pan by dragging
var pad = 40, box = [-pad, -pad, 1000 + 2 * pad, 1000 + 2 * pad];
function setBox() { svg.setAttribute("viewBox", box.join(" ")); }
setBox();
svg.addEventListener("wheel", function (ev) {
  ev.preventDefault();
  var r = svg.getBoundingClientRect(), f = ev.deltaY > 0 ? 1.2 : 1 / 1.2;
  var scale = Math.max(box[2] / r.width, box[3] / r.height);
  var mx = box[0] + (ev.clientX - r.left) * scale, my = box[1] + (ev.clientY - r.top) * scale;
  box = [mx - (mx - box[0]) * f, my - (my - box[1]) * f, box[2] * f, box[3] * f]; setBox();
}, {passive: false});
var drag = null;
svg.addEventListener("mousedown", function (ev) { drag = [ev.clientX, ev.clientY]; svg.style.cursor = "grabbing"; });
window.addEventListener("mouseup", function () { drag = null; svg.style.cursor = ""; });
window.addEventListener("mousemove", function (ev) {
  if (!drag) return;
  var r = svg.getBoundingClientRect(), scale = Math.max(box[2] / r.width, box[3] / r.height);
  box[0] -= (ev.clientX - drag[0]) * scale; box[1] -= (ev.clientY - drag[1]) * scale;
  drag = [ev.clientX, ev.clientY]; setBox();
});
// hover details, every value as text
function details(title, columns, values, ev) {
  tip.replaceChildren();
  tip.appendChild(el("div", title)).className = "title";
  var table = el("table");
  columns.forEach(function (name, i) {
    var tr = el("tr"); tr.appendChild(el("td", name)); tr.appendChild(el("td", shown(values[i]))); table.appendChild(tr);
  });
  tip.appendChild(table);
  tip.style.display = "block";
  var r = document.getElementById("view").getBoundingClientRect();
  var x = ev.clientX - r.left + 14, y = ev.clientY - r.top + 14;
  if (x + tip.offsetWidth > r.width) x = Math.max(0, ev.clientX - r.left - tip.offsetWidth - 14);
  if (y + tip.offsetHeight > r.height) y = Math.max(0, r.height - tip.offsetHeight);
  tip.style.left = x + "px"; tip.style.top = y + "px";
}
function hide() { tip.style.display = "none"; }
circles.forEach(function (c, i) {
  var a = data.actors[i];
  c.addEventListener("mousemove", function (ev) {
    details(a.id, ["ties shown"].concat(data.actor_columns), [visibleDegree(i)].concat(a.d), ev);
    neighbours[i].forEach(function (j) { lines[j].classList.add("hot"); });
  });
  c.addEventListener("mouseleave", function () { hide(); neighbours[i].forEach(function (j) { lines[j].classList.remove("hot"); }); });
});
lines.forEach(function (l, i) {
  var t = data.ties[i], arrow = data.directed ? " \u2192 " : " \u2013 ";
  l.addEventListener("mousemove", function (ev) {
    details(data.actors[t.s].id + arrow + data.actors[t.t].id, data.tie_columns, t.d, ev);
  });
  l.addEventListener("mouseleave", hide);
});
// filters: tie class and sector checkboxes
function boxes(id, labels, colours) {
  var holder = document.getElementById(id);
  return labels.map(function (label, i) {
    var lab = el("label"), input = el("input");
    input.type = "checkbox"; input.checked = true; input.addEventListener("change", update);
    lab.appendChild(input);
    if (colours) { var sw = el("span"); sw.className = "swatch"; sw.style.background = colours[i]; lab.appendChild(sw); }
    lab.appendChild(document.createTextNode(label));
    holder.appendChild(lab); return input;
  });
}
var classBoxes = boxes("classes", data.tie_classes, null);
var sectorBoxes = boxes("sectors", data.sectors.map(function (s) { return s[0]; }), data.sectors.map(function (s) { return s[1]; }));
var actorOn = [], tieOn = [];
function visibleDegree(i) { return neighbours[i].filter(function (j) { return tieOn[j]; }).length; }
function update() {
  actorOn = data.actors.map(function (a) { return sectorBoxes[a.g].checked; });
  tieOn = data.ties.map(function (t) { return classBoxes[t.c].checked && actorOn[t.s] && actorOn[t.t]; });
  circles.forEach(function (c, i) { c.style.display = actorOn[i] ? "" : "none"; });
  lines.forEach(function (l, i) { l.style.display = tieOn[i] ? "" : "none"; });
  search();
}
// search: actor id or any text column (organisation, sector, roles)
var input = document.getElementById("search"), count = document.getElementById("matches");
var textColumns = data.actor_columns.map(function (c, i) { return i; });
function search() {
  var q = input.value.trim().toLowerCase(), n = 0;
  data.actors.forEach(function (a, i) {
    var hit = false;
    if (q) {
      hit = a.id.toLowerCase().indexOf(q) >= 0 || textColumns.some(function (k) {
        return typeof a.d[k] === "string" && a.d[k].toLowerCase().indexOf(q) >= 0;
      });
    }
    if (hit && actorOn[i]) n++;
    circles[i].classList.toggle("match", hit);
    circles[i].classList.toggle("dim", !!q && !hit);
  });
  lines.forEach(function (l) { l.classList.toggle("dim", !!q); });
  count.textContent = q ? n + " of " + data.actors.length + " actors match" : data.actors.length + " actors, " + data.ties.length + " ties";
}
input.addEventListener("input", search);
update();
document.getElementById("status").textContent = "ready";
})();
"""


def render_case_page(view: dict, *, static_page: str | None = None) -> str:
    """The HTML of one case's interactive view (:func:`case_view`).

    ``static_page`` is a relative link to the case's network page (a link is
    written only for a path of this pipeline: no scheme, no script)."""
    title = f"Interactive network — case {view['case_id']}, wave {view['wave']}"
    n_actors, n_ties = len(view["actors"]), len(view["ties"])
    link = ""
    if static_page and ":" not in static_page:
        link = f' · <a href="{html_lib.escape(static_page)}">case network page</a>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # the page may run its own inline script and nothing else: no file, no network
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{html_lib.escape(title)}</title><style>{_STYLE}</style></head><body>\n"
        f"<header><h1>{html_lib.escape(title)}</h1>"
        f"<p>{n_actors} actors, {n_ties} ties. Hover an actor or a tie for its details; wheel to zoom, drag to pan"
        f"{link}. <span id=\"status\" hidden></span></p></header>\n"
        '<main><aside><h2><label for="search">Search actors</label></h2>'
        '<input id="search" type="search" placeholder="id, organisation, sector" autocomplete="off">'
        '<div id="matches"></div><h2>Tie class</h2><div id="classes"></div>'
        f"<h2>{html_lib.escape(view['group_attribute'].capitalize())}</h2><div id=\"sectors\"></div></aside>"
        '<div id="view"><svg id="net" role="img" aria-label="case network" xmlns="http://www.w3.org/2000/svg">'
        '</svg><div id="tip"></div></div></main>\n'
        "<noscript>This view needs JavaScript; the GraphML file and the case network page hold the same data."
        "</noscript>\n"
        f'<script type="application/json" id="netinnov-data">{json_for_script(view)}</script>\n'
        f"<script>{_SCRIPT}</script>\n</body></html>\n"
    )


#: Largest case drawn (the case pages' ``max_draw_actors``): a larger one gets a
#: page that says so and points to the GraphML file.
MAX_ACTORS = 5000


def render_too_large_page(case_id: str, wave: str, n_actors: int, n_ties: int, max_actors: int) -> str:
    """The page of a case too large to draw: its size and where its network is."""
    title = f"Interactive network — case {case_id}, wave {wave}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{html_lib.escape(title)}</title><style>body{{font-family:system-ui,sans-serif;margin:2em}}</style>"
        f"</head><body><h1>{html_lib.escape(title)}</h1><p>{int(n_actors)} actors and {int(n_ties)} ties: more "
        f"than the {int(max_actors)} actors drawn. Open the case's GraphML file "
        "(<code>waves/&lt;wave&gt;/networks/&lt;case&gt;.graphml</code>, every metric as an attribute) in Gephi "
        "or visone.</p></body></html>\n"
    )


def write_case_page(path: Path | str, actors: pd.DataFrame, ties: pd.DataFrame, **kwargs) -> Path:
    """Write one case's page; ``kwargs`` go to :func:`case_view` but
    ``static_page`` (to :func:`render_case_page`)."""
    static_page = kwargs.pop("static_page", None)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_case_page(case_view(actors, ties, **kwargs), static_page=static_page), encoding="utf-8")
    return path


def write_wave_pages(
    selection: pd.DataFrame, wave: str, wave_dir: Path | str, out: Path | str, *, group_attribute: str = "sector",
    seed: int = 1, cases_dir: Path | str | None = None, directed: bool = False, max_actors: int = MAX_ACTORS,
) -> list[Path]:
    """Write ``<out>/<page>`` for every case of ``wave`` in the case selection
    (``reports/cases/selection.csv``: the cases chosen like the case pages,
    same file names). ``cases_dir`` (``reports/cases``) gives each page a link
    to the case's network page. A case of more than ``max_actors`` actors
    gets a page that says so instead of a view."""
    from netinnov.reports.data import load_wave

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = selection[selection["wave"].astype(str) == str(wave)]
    if not len(rows):
        return []
    results = load_wave(wave_dir, wave)
    written = []
    for r in rows.itertuples(index=False):
        case = results.case(str(r.case_id))
        static = None
        if cases_dir is not None:
            import os

            static = os.path.relpath(Path(cases_dir) / str(wave) / str(r.part) / str(r.page), out).replace(os.sep, "/")
        if len(case.actors) > max_actors:
            page = out / str(r.page)
            page.write_text(render_too_large_page(str(r.case_id), str(wave), len(case.actors), len(case.ties),
                                                  max_actors), encoding="utf-8")
            written.append(page)
            continue
        written.append(write_case_page(out / str(r.page), case.actors, case.ties, case_id=str(r.case_id),
                                       wave=str(wave), group_attribute=group_attribute, seed=seed,
                                       directed=directed, static_page=static))
    return written
