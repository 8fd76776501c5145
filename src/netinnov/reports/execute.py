"""Execute notebooks with papermill and render them to self-contained HTML.

:func:`execute_notebook` runs one notebook in a fresh kernel.
:func:`execute_many` runs notebooks one after another (e.g. one page per
case) in a single kernel, so the kernel start and the imports are paid once per
job rather than once per page; every run is still a papermill execution with
its own injected parameters and its own executed ``.ipynb``.

The HTML has the figures embedded (with their titles as alternative text), no
code cells, and loads nothing from the network (no MathJax, RequireJS or
Mermaid scripts), so it opens offline.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from netinnov.reports.text import md_unescape

__all__ = ["execute_many", "execute_notebook", "html_exporter", "parse_parameters", "render_html"]

#: The lab template without the scripts it would fetch from a CDN.
_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" \
alt="{{ ((output | get_metadata('alt', 'image/png')) or 'figure') | escape_html }}">
</div>
{%- endblock data_png %}
"""


def html_exporter(*, exclude_input: bool = True):
    """An nbconvert HTML exporter (lab look, offline) for report pages."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"netinnov_offline.html.j2": _OFFLINE_TEMPLATE})],
        template_file="netinnov_offline.html.j2",
    )
    exporter.exclude_input = exclude_input
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def render_html(ipynb: Path, html: Path, *, exclude_input: bool = True, exporter=None) -> None:
    """Render an executed notebook to one HTML file (figures embedded as data URIs).

    The page title is the notebook's first heading, followed by the first
    heading the notebook displayed (e.g. "Case network — Case c1, wave w1").
    """
    import nbformat

    nb = nbformat.read(str(ipynb), as_version=4)
    exporter = exporter or html_exporter(exclude_input=exclude_input)
    title = " — ".join(t for t in (_first_heading(nb), _first_output_heading(nb)) if t) or Path(ipynb).stem
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text(body, encoding="utf-8")


def _first_heading(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def _first_output_heading(nb) -> str:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown", "")
            for line in text.splitlines():
                if line.startswith("#"):  # values in it are escaped (reports.text.md)
                    return md_unescape(line.lstrip("#").strip())
    return ""


def _absolute(parameters: Mapping[str, str]) -> dict[str, str]:
    """Parameters whose names end in ``_dir``, ``_path`` or ``_file`` made absolute (empty stays empty).

    The ``figures_dir`` folder is created, so that it exists (as a pipeline
    output) even when the notebook has nothing to save in it.
    """
    out = {
        k: (str(Path(v).resolve()) if k.endswith(("_dir", "_path", "_file")) and str(v) else v)
        for k, v in parameters.items()
    }
    if out.get("figures_dir"):
        Path(out["figures_dir"]).mkdir(parents=True, exist_ok=True)
    return out


def parse_parameters(items: Sequence[str] | None) -> dict[str, str]:
    """Notebook parameters from ``key=value`` command-line items (values as text)."""
    params = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SystemExit(f"parameter {item!r} is not key=value")
        params[key] = value
    return params


def _papermill(notebook: Path, out: Path, parameters: Mapping[str, str], **engine: Any) -> None:
    """One papermill run of ``notebook`` into ``out``, paths among the parameters made absolute."""
    import papermill as pm

    out.parent.mkdir(parents=True, exist_ok=True)
    pm.execute_notebook(
        str(notebook),
        str(out),
        parameters=_absolute(parameters),
        kernel_name="python3",
        progress_bar=False,
        request_save_on_cell_execute=False,
        **engine,
    )


def execute_notebook(notebook: Path, out: Path, html: Path, parameters: Mapping[str, str]) -> None:
    """Run ``notebook`` with ``parameters`` into ``out``, then render ``html``.

    Paths among the parameters are made absolute so the notebook can run from
    its own folder. A cell that raises stops the run (papermill keeps the
    executed notebook with the error for inspection) and the step fails.
    """
    execute_many([(notebook, out, html, parameters)], cwd=out.parent)


def execute_many(runs: Iterable[tuple[Path, Path, Path, Mapping[str, str]]], *, cwd: Path) -> int:
    """Execute ``(notebook, out, html, parameters)`` runs one after another in one shared kernel.

    Each run is a papermill execution with its own injected parameters cell,
    and writes its own executed notebook and HTML page. Variables of earlier
    runs stay defined in the kernel, so a notebook must set everything it
    uses (the report notebooks do: parameters, then loading, then figures);
    modules stay imported and :func:`netinnov.reports.data.load_wave` keeps
    the wave's tables, which is what makes many small pages cheap. The first
    failing run stops the job with papermill's error.

    Returns
    -------
    int
        The number of notebooks executed.
    """
    runs = list(runs)
    if not runs:
        return 0
    cwd.mkdir(parents=True, exist_ok=True)
    with _local_kernel(cwd) as km:
        exporter = html_exporter()
        for notebook, out, html, parameters in runs:
            _papermill(notebook, out, parameters, engine_name=_shared_engine_name(), km=km)
            render_html(out, html, exporter=exporter)
    return len(runs)


@contextlib.contextmanager
def _local_kernel(cwd: Path):
    """A python3 kernel started in ``cwd``, shut down on exit.

    Where the system has Unix sockets, the kernel talks over IPC sockets in a
    private temporary folder rather than over TCP on localhost: no port is
    open to other users of the machine (the reports hold survey data), and
    the kernel does not warn at every start that TCP traffic is unencrypted.
    """
    from jupyter_client.manager import KernelManager

    with tempfile.TemporaryDirectory(prefix="netinnov-kernel-") as sockets:
        if os.name == "posix":
            km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"))
        else:  # pragma: no cover - Windows: TCP on localhost
            km = KernelManager(kernel_name="python3")
        km.start_kernel(cwd=str(cwd))
        try:
            yield km
        finally:
            km.shutdown_kernel(now=True)


_ENGINE = "netinnov-shared-kernel"


def _shared_engine_name() -> str:
    """Register (once) a papermill engine that runs in a kernel it is given and
    closes its client's channels afterwards (the kernel itself stays up)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    if _ENGINE in papermill_engines._engines:
        return _ENGINE

    class SharedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, **final_kwargs)
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(_ENGINE, SharedKernelEngine)
    return _ENGINE
