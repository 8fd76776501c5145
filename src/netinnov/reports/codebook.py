"""``reports/codebook.html``: the codebook of the run's result tables and its methods paragraph.

Rendered from ``datapackage.json`` (one section per kind of table, the union
of its files' fields: name, type, description) and ``methods.md``. A small
static page, linked from ``reports/index.html``; every value is escaped.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

__all__ = ["codebook_page", "write_codebook_page"]

_STYLE = """body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em} h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd} h3{font-size:1.05em}
table{border-collapse:collapse;font-size:.9em;width:100%} td,th{padding:3px 8px;text-align:left;
border-bottom:1px solid #eee;vertical-align:top} code{font-size:.95em} .desc{color:#555}
.methods{background:#f7f7f7;padding:.5em 1.2em;border-radius:4px}"""


def _e(value) -> str:
    return html_lib.escape(str(value), quote=True)


def _inline(text: str) -> str:
    """Escaped text with `code` spans."""
    parts = re.split(r"`([^`]*)`", text)
    return "".join(f"<code>{_e(p)}</code>" if i % 2 else _e(p) for i, p in enumerate(parts))


def _markdown(text: str) -> str:
    """The little Markdown of methods.md (headings, paragraphs, bullet lists), escaped."""
    out, items = [], []

    def flush_items() -> None:
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.strip().splitlines()
        if all(line.startswith("- ") for line in lines):
            items.extend(line[2:] for line in lines)
            continue
        flush_items()
        if lines and lines[0].startswith("#"):
            level = min(len(lines[0]) - len(lines[0].lstrip("#")) + 1, 4)
            out.append(f"<h{level}>{_inline(lines[0].lstrip('#').strip())}</h{level}>")
            lines = lines[1:]
        if lines:
            out.append(f"<p>{_inline(' '.join(lines))}</p>")
    flush_items()
    return "\n".join(out)


def codebook_page(package: dict, methods: str | None = None, *, title: str = "Codebook") -> str:
    """The page's HTML."""
    kinds: dict[str, dict] = {}
    for res in package.get("resources", []):
        kind = kinds.setdefault(res.get("title") or res["name"], {
            "description": res.get("description", ""), "paths": [], "fields": {}, "key": None})
        kind["paths"].append(res["path"])
        schema = res.get("schema", {})
        kind["key"] = kind["key"] or schema.get("primaryKey")
        for f in schema.get("fields", []):
            kind["fields"].setdefault(f["name"], f)
    parts = [f"<h1>{_e(title)}</h1>",
             "<p class='desc'>Every column of every result table of this run, with its type, unit, range, "
             "definition and reference (the package's <code>datapackage.json</code>, a Frictionless Data Package; "
             "definitions in <code>netinnov.codebook.columns</code>). Missing values are empty cells.</p>"]
    if methods:
        parts.append("<h2 id='methods'>Methods paragraph (<code>methods.md</code>)</h2>")
        parts.append(f"<div class='methods'>{_markdown(methods)}</div>")
    parts.append("<h2>Tables</h2><ul>")
    for i, (name, kind) in enumerate(kinds.items()):
        parts.append(f"<li><a href='#t{i}'>{_e(name)}</a> <span class='desc'>— {_e(kind['description'])}</span></li>")
    parts.append("</ul>")
    for i, (name, kind) in enumerate(kinds.items()):
        paths = kind["paths"]
        shown = ", ".join(f"<code>{_e(p)}</code>" for p in paths[:6]) + (f" and {len(paths) - 6} more"
                                                                        if len(paths) > 6 else "")
        parts.append(f"<h3 id='t{i}'>{_e(name)}</h3><p class='desc'>{_e(kind['description'])}. Files: {shown}."
                     + (f" Primary key: <code>{_e(', '.join(kind['key']))}</code>." if kind["key"] else "") + "</p>")
        parts.append("<table><tr><th>column</th><th>type</th><th>definition</th></tr>")
        for f in kind["fields"].values():
            parts.append(f"<tr><td><code>{_e(f['name'])}</code></td><td>{_e(f.get('type', ''))}</td>"
                         f"<td>{_e(f.get('description', ''))}</td></tr>")
        parts.append("</table>")
    parts += _figures_section()
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>\n" + "\n".join(parts)
            + "\n</body></html>\n")


def _figures_section() -> list[str]:
    """The figures and tables the reports save (:data:`netinnov.codebook.figures.FIGURES`)."""
    from netinnov.codebook.figures import FIGURES

    parts = ["<h2 id='figures'>Figures and tables of the reports</h2>",
             "<p class='desc'>Saved under <code>reports/figures/&lt;folder&gt;/</code>: every figure as "
             "<code>.png</code> (200 dpi), <code>.svg</code> and <code>.pdf</code>, every table as "
             "<code>.html</code>. Folder and name are regular expressions where the data name them (a wave, a "
             "case, a source).</p>",
             "<table><tr><th>folder</th><th>name</th><th>formats</th><th>what it shows</th></tr>"]
    for entry in FIGURES:
        parts.append(f"<tr><td><code>{_e(entry.folder)}</code></td><td><code>{_e(entry.name)}</code></td>"
                     f"<td>{_e(', '.join(entry.formats))}</td><td>{_e(entry.description)}</td></tr>")
    parts.append("</table>")
    return parts


def write_codebook_page(datapackage: Path, out: Path, methods: Path | None = None, *, title: str = "Codebook") -> None:
    """Write ``reports/codebook.html`` from ``datapackage.json`` and ``methods.md``."""
    package = json.loads(Path(datapackage).read_text(encoding="utf-8"))
    text = Path(methods).read_text(encoding="utf-8") if methods is not None and Path(methods).exists() else None
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(codebook_page(package, text, title=title), encoding="utf-8")
