"""Text from data (case ids, actor ids, sector labels, wave names) made safe
to show in a report page's Markdown: what a reader sees is the value's
characters, never markup (a tag, a ``javascript:`` link, emphasis) made of them.

HTML tables are escaped where they are written (:func:`netinnov.reports.display.table_html`,
:mod:`netinnov.reports.index`); figure text needs no escaping (matplotlib draws
it as glyphs; mathtext is switched off in the figure modules).
"""

from __future__ import annotations

import html as html_lib
import math
import re

__all__ = ["format_count", "format_number", "format_p", "is_count_column", "is_p_column", "md", "md_unescape"]

#: What a missing value is shown as, in tables and text.
MISSING = "–"

#: Characters written as HTML entities: HTML would read them as markup.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
#: ASCII punctuation, which Markdown may read as syntax (links, emphasis, headings,
#: tables, code); each is written with a backslash (CommonMark: a literal character).
_PUNCTUATION = frozenset(r"""!#$%()*+,-./:;=?@[\]^_`{|}~""")
#: Line breaks and other control characters: they could end a heading or start a
#: new block, so they become spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def md(value) -> str:
    """``value`` (an id, label or any text from data) as literal Markdown text.

    HTML's special characters become entities, every other ASCII punctuation
    character is backslash-escaped and control characters (line breaks
    included) become spaces, so that no value can open a tag, a link
    (``[x](javascript:...)``, ``<javascript:...>``), emphasis or a new block:
    the reader sees the value's characters, never markup made of them.
    Use it for every value from data put into :func:`note` text.
    """
    text = _CONTROL.sub(" ", str(value))
    body = text.strip(" ")
    lead = len(text) - len(text.lstrip(" "))
    trail = len(text) - lead - len(body)
    # spaces at either end as entities: at a line start they would indent a code block
    escaped = "".join(_ENTITIES.get(c) or (f"\\{c}" if c in _PUNCTUATION else c) for c in body)
    return "&#32;" * lead + escaped + "&#32;" * trail


def md_unescape(text: str) -> str:
    """The plain text of Markdown written with :func:`md` (for a page title)."""
    return html_lib.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text))


def _number(value) -> float | None:
    """``value`` as a finite-or-infinite float, ``None`` when missing or not a number."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def format_count(value) -> str:
    """A count as a whole number with thousands separators (``36.0`` → ``36``,
    ``12345`` → ``12,345``); missing as ``–``. A value that is not whole keeps
    one decimal (a mean count, say), so nothing is silently rounded away."""
    x = _number(value)
    if x is None:
        return MISSING
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.1f}"


def format_p(value, *, prefix: bool = False) -> str:
    """The one p-value (and q-value) format of every report: three decimals,
    and ``< 0.001`` below that (``0.0004`` → ``< 0.001``, ``0.04213`` → ``0.042``).

    With ``prefix`` the text reads as a statement (``p < 0.001``, ``p = 0.042``),
    for sentences and figure labels. Missing (an untested case) is ``–``.
    """
    x = _number(value)
    if x is None:
        return MISSING
    if x < 0.001:
        return "p < 0.001" if prefix else "< 0.001"
    return f"p = {x:.3f}" if prefix else f"{x:.3f}"


def format_number(value, precision: int = 3) -> str:
    """A float rounded to ``precision`` decimals with thousands separators; a
    whole number stored as a float (``36.0``) is shown as the integer; missing as ``–``."""
    x = _number(value)
    if x is None:
        return MISSING
    if math.isinf(x) or x.is_integer():
        return format_count(x)
    return f"{x:,.{precision}f}"


_P_COLUMN = re.compile(r"(^|[_ ])[pq]([_ -]?value)?($|[_ ])", re.IGNORECASE)
_COUNT_COLUMN = re.compile(
    r"(^|[_ ])(n|count|counts|ties|actors|cases|rows|folds|dyads|permutations|records|respondents|waves|"
    r"groups|degree|total|cases_tested|size)($|[_ ])|^n[_ ]|(^|[_ ])n$",
    re.IGNORECASE,
)


def is_p_column(name) -> bool:
    """Whether a table column holds p-values or q-values (``p_value``, ``q_value``,
    ``wilcoxon_p_value``, ``p_value_cr1``, ``ei_p_value``, ``p``); not a count of
    tests such as ``p <= 0.05``."""
    text = str(name)
    return not re.search(r"[<>=]", text) and bool(_P_COLUMN.search(text))


def is_count_column(name) -> bool:
    """Whether a table column's name says it holds counts (``n``, ``n_actors``,
    ``cases_tested``, ``gf_total``, ``degree``; not ``weighted degree`` or ``effective size``)."""
    text = str(name)
    if re.search(r"weighted|effective|mean|share|rate|median|std|score", text, re.IGNORECASE):
        return False
    return bool(_COUNT_COLUMN.search(text))
