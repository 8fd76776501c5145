"""``reports/index.html``: one page that links every report."""

from __future__ import annotations

import html as html_lib
import os
from pathlib import Path

__all__ = ["write_index"]


def write_index(out: Path, pages: list[Path], *, title: str = "netinnov reports") -> None:
    """Write an index page with a link to each page, by file name, relative to ``out``."""
    items = []
    for page in sorted(pages, key=lambda p: p.name):
        rel = os.path.relpath(page, out.parent)
        label = page.stem.replace("_", " ")
        items.append(f'<li><a href="{html_lib.escape(rel)}">{html_lib.escape(label)}</a></li>')
    body = "\n".join(items)
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html_lib.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;}} li{{margin:.3em 0}}</style>
</head><body>
<h1>{html_lib.escape(title)}</h1>
<ul>
{body}
</ul>
</body></html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(doc, encoding="utf-8")
