"""Execute a notebook with papermill and render it to self-contained HTML."""

from __future__ import annotations

from pathlib import Path

__all__ = ["execute_notebook", "render_html"]


def render_html(ipynb: Path, html: Path, *, exclude_input: bool = True) -> None:
    """Render an executed notebook to one HTML file (figures embedded as data URIs)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(ipynb), as_version=4)
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = exclude_input
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text(body, encoding="utf-8")


def execute_notebook(notebook: Path, out: Path, html: Path, parameters: dict[str, str]) -> None:
    """Run ``notebook`` with ``parameters`` into ``out``, then render ``html``.

    Paths among the parameters are made absolute so the notebook can run from
    its own folder. A cell that raises stops the run (papermill keeps the
    executed notebook with the error for inspection) and the step fails.
    """
    import papermill as pm

    params = {k: (str(Path(v).resolve()) if k.endswith(("_dir", "_path", "_file")) else v) for k, v in parameters.items()}
    out.parent.mkdir(parents=True, exist_ok=True)
    pm.execute_notebook(
        str(notebook),
        str(out),
        parameters=params,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(out.parent),
    )
    render_html(out, html)
