"""Report notebooks run in a kernel that talks over private IPC sockets: no TCP
port is opened, and the kernel prints no warning about unencrypted TCP."""

from __future__ import annotations

import os

import nbformat
import pytest

from netinnov.reports.execute import execute_notebook


@pytest.mark.skipif(os.name != "posix", reason="IPC sockets need a POSIX system")
def test_a_notebook_runs_over_ipc_without_the_tcp_warning(tmp_path, capfd):
    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print('answer', int(x) + 1)"),
    ]
    source = tmp_path / "tiny.ipynb"
    nbformat.write(nb, source)
    execute_notebook(source, tmp_path / "out" / "tiny.ipynb", tmp_path / "out" / "tiny.html", {"x": "41"})
    captured = capfd.readouterr()
    assert "without encryption" not in captured.out + captured.err
    html = (tmp_path / "out" / "tiny.html").read_text(encoding="utf-8")
    assert "answer 42" in html
    assert not list((tmp_path / "out").glob("kernel*"))  # no socket files left beside the outputs
