"""The interactive network view of a case (issue 16, item 5).

The page is self-contained (no file, no network), holds its data as escaped
JSON in one ``<script type="application/json">``, and shows hostile ids,
sector labels and organisation names as text only. In headless Chromium
(skipped without it, as ``test_browser.py``): the view renders, runs no
injected script, searches, filters by tie class and sector and shows hover
details as text.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from helpers.hostile_data import ACTORS, CASES, SCRIPTS, hostile_wave
from netinnov.cli import main as netinnov
from netinnov.io.result_tables import read_table
from netinnov.reports.index import write_index
from netinnov.reports.interactive import (
    case_view,
    interactive_link,
    json_for_script,
    render_case_page,
)
from netinnov.reports.selection import wave_selection

HOSTILE_TEXT = [*SCRIPTS, "</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!--", "]]>",
                "a\u2028b\u2029c", "&amp; &lt;", "\"'`${x}`", "\\u003c"]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.scripts, self._in = [], [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs
        if tag == "script":
            self._in = dict(attrs)
            self.scripts.append([self._in, ""])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None

    def handle_data(self, data):
        if self._in is not None:
            self.scripts[-1][1] += data


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_json_for_script_cannot_close_the_element(value):
    text = json_for_script({"id": value, "list": [value, 1.5, None]})
    for char in "<>&\u2028\u2029":
        assert char not in text
    assert json.loads(text) == {"id": value, "list": [value, 1.5, None]}


def test_json_for_script_writes_no_nan():
    assert json.loads(json_for_script({"x": None})) == {"x": None}
    with pytest.raises(ValueError):
        json_for_script({"x": float("nan")})  # values are cleaned first (case_view): never NaN in the page


def _hostile_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = list(ACTORS) + ["</script><script>alert(1)</script>"]
    actors = pd.DataFrame({
        "case_id": "c", "actor_id": ids,
        "sector": [ACTORS.get(a, "<img src=x onerror=alert(1)>") for a in ids],
        "organization": [f"<script>alert('{i}')</script> org\u2028" for i in range(len(ids))],
        "degree": range(len(ids)), "betweenness": [0.5, float("nan"), 1e-9, 2.0, 0.0, 1.0, 3.25],
        "reported_roles": ["convener", "", "<b>x</b>", "", "", "", ""],
        "responded": pd.array([True, False, None, True, True, True, False], dtype="boolean"),
    })
    pairs = list(zip(ids, ids[1:] + ids[:1], strict=True))
    ties = pd.DataFrame({
        "case_id": "c", "source": [p[0] for p in pairs], "target": [p[1] for p in pairs],
        "weight": 1.0, "tie_class": ["strong", "weak"] * 3 + ["strong"], "local_bridge": [True, False] * 3 + [True],
        "channels": "<script>alert(9)</script>",
    })
    ties.loc[len(ties)] = ["c", ids[0], "not an actor", 1.0, "weak", False, ""]  # dropped: an end not listed
    return actors, ties


def test_case_view_holds_every_actor_and_tie_column():
    actors, ties = _hostile_case()
    view = case_view(actors, ties, case_id=CASES[0], wave="w1", seed=3)
    assert [a["id"] for a in view["actors"]] == list(actors["actor_id"])
    assert len(view["ties"]) == len(ties) - 1
    assert view["tie_classes"] == ["strong", "weak"]
    assert {s for s, _ in view["sectors"]} == set(actors["sector"])
    assert view["actor_columns"][:3] == ["sector", "organization", "reported_roles"]
    assert set(view["actor_columns"]) == set(actors.columns) - {"case_id", "actor_id"}
    assert set(view["tie_columns"]) == set(ties.columns) - {"case_id", "source", "target"}
    assert all(0 <= a["x"] <= 1000 and 0 <= a["y"] <= 1000 for a in view["actors"])
    col = view["actor_columns"].index("betweenness")
    assert view["actors"][1]["d"][col] is None  # NaN → null
    col = view["actor_columns"].index("responded")
    assert [a["d"][col] for a in view["actors"]] == [True, False, None, True, True, True, False]
    assert view == case_view(actors, ties, case_id=CASES[0], wave="w1", seed=3)  # seeded layout


def test_page_is_self_contained_and_data_is_only_json():
    actors, ties = _hostile_case()
    view = case_view(actors, ties, case_id="</script><script>alert(1)</script>", wave="<img src=x onerror=alert(1)>")
    page = render_case_page(view, static_page="javascript:alert(1)")
    parsed = _Page()
    parsed.feed(page)
    assert len(parsed.scripts) == 2
    (data_attrs, data_text), (code_attrs, code_text) = parsed.scripts
    assert data_attrs == {"type": "application/json", "id": "netinnov-data"} and code_attrs == {}
    assert json.loads(data_text) == json.loads(json.dumps(view))
    assert "alert(" not in code_text and "innerHTML" not in code_text and "insertAdjacentHTML" not in code_text
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<img" not in page and "<script>alert" not in page and "<b " not in page
    outside = page.replace(data_text, "")  # the values outside the JSON are HTML-escaped text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in outside and "onerror=alert(1)&gt;" in outside
    assert not [k for k, _ in parsed.attrs if k.startswith("on")]
    assert set(parsed.tags) <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "p", "span",
                                "main", "aside", "h2", "label", "input", "div", "svg", "noscript", "script"}
    # nothing loaded: no src, no link to a scheme, no url() in the style
    assert not [v for k, v in parsed.attrs if k in ("src", "href", "action")]
    assert re.findall(r"url\([^)]*\)", page) == ["url(#arrow)"] and "@import" not in page  # the arrowhead only
    assert re.findall(r"https?://[^\s\"']+", page) == ["http://www.w3.org/2000/svg"] * 2  # the SVG namespace


def test_interactive_link_is_a_safe_relative_path():
    assert "(../../../interactive/w1/case-1.x.html)" in interactive_link("../../../interactive/w1/case-1.x.html")
    for bad in ("", "javascript:alert(1)", "http://x/y.html", "a b.html", "x.html)<script>", "/etc/p.html",
                "a/../../b.html?x"):
        assert interactive_link(bad) == ""


@pytest.fixture(scope="module")
def hostile_views(tmp_path_factory):
    """The hostile dataset through the wave step, its interactive views
    (the pipeline's command) and an index that links them."""
    root = tmp_path_factory.mktemp("interactive")
    results = root / "results" / "hostile"
    folder = results / "waves" / "w1"
    hostile_wave(root, folder)
    reports = results / "reports"
    selection_csv = reports / "cases" / "selection.csv"
    selection = wave_selection([results / "waves" / "w1" / "cases.csv"], ["w1"], "all", per_job=2, out=selection_csv)
    out = reports / "interactive" / "w1"
    assert netinnov(["interactive-views", "--selection", str(selection_csv), "--wave", "w1", "--wave-dir",
                     str(folder), "--out", str(out), "--seed", "5", "--cases-dir", str(reports / "cases")]) == 0
    index = reports / "index.html"
    write_index(index, [], title="t", selection=selection, waves=["w1"], interactive_dir=reports / "interactive")
    pages = [out / p for p in selection["page"]]
    return {"folder": folder, "selection": selection, "pages": pages, "index": index, "out": out}


def test_one_view_per_selected_case_named_like_the_case_pages(hostile_views):
    sel = hostile_views["selection"]
    assert sorted(p.name for p in hostile_views["out"].iterdir()) == sorted(sel["page"])
    actors = read_table(hostile_views["folder"] / "actors.csv")
    for row, page in zip(sel.itertuples(index=False), hostile_views["pages"], strict=True):
        text = page.read_text(encoding="utf-8")
        data = json.loads(text.split('id="netinnov-data">', 1)[1].split("</script>", 1)[0])
        assert data["case_id"] == row.case_id
        assert sorted(a["id"] for a in data["actors"]) == sorted(actors.loc[actors["case_id"] == row.case_id,
                                                                             "actor_id"])
        # the link back to the case network page
        assert f'href="../../cases/w1/{row.part}/{row.page}"' in text
    index = hostile_views["index"].read_text(encoding="utf-8")
    for page in sel["page"]:
        assert f'href="interactive/w1/{page}"' in index


def test_views_are_the_same_file_every_run(hostile_views):
    sel = hostile_views["selection"]
    again = hostile_views["out"].parent / "w1_again"  # same depth: same links
    from netinnov.reports.interactive import write_wave_pages

    write_wave_pages(sel, "w1", hostile_views["folder"], again, seed=5, cases_dir=hostile_views["out"].parents[1]
                     / "cases")
    for page in hostile_views["pages"]:
        assert (again / page.name).read_bytes() == page.read_bytes()


_NO_HANDLERS = """return Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)
    .filter(a => a.name.toLowerCase().startsWith('on')).map(a => e.tagName + ' ' + a.name));"""


def _no_alert(driver, name):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"{name}: a script ran (alert {text!r})")
    except NoAlertPresentException:
        pass


def test_views_render_search_filter_and_hover_in_chromium(browser, hostile_views):  # noqa: F811
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    for page in hostile_views["pages"]:
        browser.get(page.resolve().as_uri())
        _no_alert(browser, page.name)
        assert browser.find_element(By.ID, "status").get_attribute("textContent") == "ready", page.name
        data = browser.execute_script("return JSON.parse(document.getElementById('netinnov-data').textContent);")
        n, m = len(data["actors"]), len(data["ties"])
        assert n > 0
        assert browser.execute_script("return document.querySelectorAll('#net circle').length;") == n
        assert browser.execute_script("return document.querySelectorAll('#net line').length;") == m
        assert browser.execute_script(_NO_HANDLERS) == [], page.name
        scripts = browser.execute_script("return Array.from(document.scripts).map(s => s.text);")
        assert not [s for s in scripts if "alert(" in s and "application/json" not in s and "JSON.parse" in s]
        assert browser.execute_script("return document.querySelectorAll('img, iframe, object, embed').length;") == 0
        # sectors and tie classes are checkboxes labelled as text
        labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#sectors label")]
        assert labels == [s for s, _ in data["sectors"]]
        # search by the hostile id, as text
        target = data["actors"][0]["id"]
        box = browser.find_element(By.ID, "search")
        box.send_keys(target)
        matched = browser.execute_script("return document.querySelectorAll('#net circle.match').length;")
        assert matched >= 1
        assert "match" in browser.find_element(By.ID, "matches").text
        box.clear()
        browser.execute_script("document.getElementById('search').dispatchEvent(new Event('input'));")
        # hover the first actor: its id and sector as text in the tooltip
        circle = browser.find_elements(By.CSS_SELECTOR, "#net circle")[0]
        ActionChains(browser).move_to_element(circle).perform()
        tip = browser.find_element(By.ID, "tip")
        assert tip.is_displayed()
        assert target in tip.text and data["sectors"][data["actors"][0]["g"]][0] in tip.text
        assert browser.execute_script("return document.querySelectorAll('#tip *:not(div):not(table):not(tbody)"
                                      ":not(tr):not(td)').length;") == 0
        _no_alert(browser, page.name)
        # filters: every tie class off hides every tie; every sector off hides every actor
        for cb in browser.find_elements(By.CSS_SELECTOR, "#classes input"):
            cb.click()
        hidden = browser.execute_script(
            "return Array.from(document.querySelectorAll('#net line')).filter(l => l.style.display === 'none').length;")
        assert hidden == m
        for cb in browser.find_elements(By.CSS_SELECTOR, "#sectors input"):
            cb.click()
        hidden = browser.execute_script(
            "return Array.from(document.querySelectorAll('#net circle')).filter(c => c.style.display === 'none')"
            ".length;")
        assert hidden == n
        # zoom and pan, then: no script error in any handler
        svg = browser.find_element(By.ID, "net")
        browser.execute_script("arguments[0].dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: 300, "
                               "clientY: 300, bubbles: true, cancelable: true}));", svg)
        ActionChains(browser).click_and_hold(svg).move_by_offset(30, 20).release().perform()
        assert browser.find_element(By.ID, "status").get_attribute("textContent") == "ready", page.name
    browser.get(hostile_views["index"].resolve().as_uri())
    _no_alert(browser, "index.html")
    links = [a.get_attribute("href") for a in browser.find_elements(By.LINK_TEXT, "view")]
    assert set(links) == {p.resolve().as_uri() for p in hostile_views["pages"]}


def test_views_load_nothing(hostile_views):
    for page in hostile_views["pages"]:
        text = page.read_text(encoding="utf-8")
        assert "default-src 'none'" in text
        assert 'src="' not in text and "cdn" not in text.lower()
        assert Path(page).stat().st_size < 200_000


def test_a_case_too_large_gets_a_page_that_says_so(hostile_views, tmp_path):
    from netinnov.reports.interactive import write_wave_pages

    sel = hostile_views["selection"]
    pages = write_wave_pages(sel, "w1", hostile_views["folder"], tmp_path / "w1", max_actors=1)
    assert [p.name for p in pages] == list(sel["page"])
    for page, case_id in zip(pages, sel["case_id"], strict=True):
        text = page.read_text(encoding="utf-8")
        assert "more than the 1 actors drawn" in text and "<script" not in text
        assert f"case {html.escape(case_id)}," in text


def test_directed_view_draws_arcs_with_arrowheads_in_chromium(browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    actors, ties = _hostile_case()
    page = tmp_path / "directed.html"
    page.write_text(render_case_page(case_view(actors, ties, case_id="d", wave="w1", directed=True)),
                    encoding="utf-8")
    browser.get(page.resolve().as_uri())
    _no_alert(browser, page.name)
    assert browser.find_element(By.ID, "status").get_attribute("textContent") == "ready"
    assert browser.execute_script("return document.querySelectorAll('#net marker').length;") == 1
    ends = browser.execute_script("return Array.from(document.querySelectorAll('#net line'))"
                                  ".map(l => l.getAttribute('marker-end'));")
    assert ends and set(ends) == {"url(#arrow)"}
