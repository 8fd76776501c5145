"""Text from data (case ids, actor ids, sector labels, wave names) made safe
to show in a report page's Markdown: what a reader sees is the value's
characters, never markup (a tag, a ``javascript:`` link, emphasis) made of them.

HTML tables are escaped where they are written (:func:`netinnov.reports.display.table_html`,
:mod:`netinnov.reports.index`); figure text needs no escaping (matplotlib draws
it as glyphs; mathtext is switched off in the figure modules).
"""

from __future__ import annotations

import html as html_lib
import re

__all__ = ["md", "md_unescape"]

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
