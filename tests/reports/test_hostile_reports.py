"""Values from data never become markup in a report page (issue 14, item 1).

A dataset whose case ids, actor ids, sector labels and organisations are
script and ``javascript:`` payloads is run through the pipeline's steps and
its reports rendered; the pages are opened in headless Chromium (as in
``test_browser.py``), which must run no script, show no ``javascript:`` link
and no element with an event handler, and show the values as text. The fast
tests check the escaping helper against nbconvert's own Markdown renderer.
"""

from __future__ import annotations

from html.parser import HTMLParser

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import step_args
from helpers.hostile_data import ACTORS, CASES, SCRIPTS, hostile_wave
from helpers.paths import REPO
from netinnov.cli import main as netinnov
from netinnov.reports.execute import execute_many, render_html
from netinnov.reports.index import write_index
from netinnov.reports.selection import wave_selection
from netinnov.reports.text import md, md_unescape

NOTEBOOKS = REPO / "workflow" / "notebooks"


class _Elements(HTMLParser):
    """Tags, attributes and text of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def _rendered_note(value: str) -> _Elements:
    from nbconvert.filters.markdown import markdown2html

    parser = _Elements()
    parser.feed(markdown2html(f"## Case {md(value)}, wave w1\n\n{md(value)} and *{md(value)}*."))
    return parser


def _only_own_markup(parsed: _Elements) -> None:
    assert set(parsed.tags) <= {"h2", "a", "p", "em"}, parsed.tags
    hrefs = [v for k, v in parsed.attrs if k == "href"]
    assert all(h.startswith("#") for h in hrefs), hrefs  # only the heading's own anchor link
    assert not [k for k, _ in parsed.attrs if k.startswith("on")]


@pytest.mark.parametrize("value", [*SCRIPTS, *ACTORS, *sorted(set(ACTORS.values())), "<javascript:alert(1)>",
                                   "a\n# b\n<script>x</script>", "`code` ~~s~~ ![i](x.png)"])
def test_md_shows_a_value_as_text_never_as_markup(value):
    parsed = _rendered_note(value)
    _only_own_markup(parsed)
    shown = " ".join(value.split())  # line breaks become spaces
    assert shown in " ".join("".join(parsed.text).split())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40))
def test_md_escapes_any_text(value):
    _only_own_markup(_rendered_note(value))
    assert md_unescape(md(value)) == md_unescape(md(value.replace("\n", " ")))


@pytest.mark.parametrize("title", ["$\\frac$", "a $x^2$ b", "$", "<script>alert(1)</script>"])
def test_figure_titles_are_drawn_as_text(title, tmp_path):
    import netinnov.reports.figures  # noqa: F401  (switches mathtext off)
    from netinnov.reports.display import figure_title

    fig, ax = plt.subplots()
    ax.set_title(title)
    fig.savefig(tmp_path / "f.png")  # mathtext would fail on "$\frac$"
    assert figure_title(fig) == title
    plt.close(fig)


def test_page_title_is_the_plain_heading(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Case network"),
                nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
                    "display_data", data={"text/markdown": f"## Case {md(SCRIPTS[0])}"})])]
    nbformat.write(nb, tmp_path / "p.ipynb")
    render_html(tmp_path / "p.ipynb", tmp_path / "p.html")
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "<title>Case network — Case &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert "<script>alert(1)" not in page


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory):
    """Wave overview, actor-metrics page, every case page and the index of the hostile dataset."""
    root = tmp_path_factory.mktemp("hostile")
    results = root / "results" / "hostile"
    folder = results / "waves" / "w1"
    hostile_wave(root, folder)
    assert netinnov(step_args.wave_summaries(folder)) == 0
    reports = results / "reports"
    pages = [reports / "wave_w1.html", reports / "distributions.html"]
    runs = [(NOTEBOOKS / "wave_overview.ipynb", reports / "wave_w1.ipynb", pages[0],
             {"wave": "w1", "wave_dir": str(folder)}),
            (NOTEBOOKS / "distributions.ipynb", reports / "distributions.ipynb", pages[1],
             {"results_dir": str(results), "waves": "w1"})]
    selection = wave_selection([results / "waves" / "w1" / "cases.csv"], ["w1"], len(CASES), per_job=1,
                               out=reports / "cases" / "selection.csv")
    assert sorted(selection["case_id"]) == sorted(CASES)
    for row in selection.itertuples(index=False):
        html = reports / "cases" / row.wave / row.part / row.page
        pages.append(html)
        runs.append((NOTEBOOKS / "case_network.ipynb", html.with_suffix(".ipynb"), html,
                     {"wave": row.wave, "wave_dir": str(folder), "case_id": row.case_id}))
    execute_many(runs, cwd=reports)
    index = reports / "index.html"
    write_index(index, pages[:2], title="<script>alert(8)</script>", selection=selection, waves=["w1"])
    return [index, *pages]


_NO_HANDLERS = """return Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)
    .filter(a => a.name.toLowerCase().startsWith('on')).map(a => e.tagName + ' ' + a.name));"""
_JS_LINKS = """return Array.from(document.querySelectorAll('[href],[src],[action],[formaction]')).flatMap(e =>
    ['href', 'src', 'action', 'formaction'].map(n => (e.getAttribute(n) || '').replace(/\\s/g, '').toLowerCase())
    .filter(v => v.startsWith('javascript:')));"""


def test_hostile_values_run_no_script_in_chromium(browser, hostile_pages):  # noqa: F811
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    for page in hostile_pages:
        browser.get(page.resolve().as_uri())
        try:
            alert = browser.switch_to.alert
            text = alert.text
            alert.dismiss()
            pytest.fail(f"{page.name}: a script ran (alert {text!r})")
        except NoAlertPresentException:
            pass
        assert browser.execute_script(_NO_HANDLERS) == [], page.name
        assert browser.execute_script(_JS_LINKS) == [], page.name
        scripts = browser.execute_script("return Array.from(document.scripts).map(s => s.text);")
        assert not [s for s in scripts if "alert(" in s], page.name
        body = browser.find_element(By.TAG_NAME, "body").text
        if page.parent.name.startswith("part"):  # a case page shows its case id as text
            case = next(c for c in CASES if c in body)
            assert f"Case {case}, wave w1" in browser.title
    # every case id is shown as text on the index
    browser.get(hostile_pages[0].resolve().as_uri())
    body = browser.find_element(By.TAG_NAME, "body").text
    assert all(c in body for c in CASES) and "<script>alert(8)</script>" in body
