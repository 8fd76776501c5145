"""Files a survey tool, a careless user or an attacker can produce, each with
its true reason (issue 14, items 7–9). Cases a corpus folder cannot hold (a
symlink, a FIFO, binary files, an unreadable folder) are built here; see the
"Hostile and messy input" section of docs/bad_input.md."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import threading
import unicodedata
import zipfile
from pathlib import Path

import pytest

from helpers.paths import BAD_BASE
from netinnov.cli import main as netinnov
from netinnov.contract import MAX_NAME, case_file_name
from netinnov.io import InputError, discover_waves, validate_wave

BASE = BAD_BASE
INTERACTIONS = "waves/w1/interactions.csv"


@pytest.fixture
def dataset(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(BASE, root)
    return root


def _stop(root: Path, wave: str = "w1") -> InputError:
    with pytest.raises(InputError) as err:
        validate_wave(root, wave)
    return err.value


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_named_as_utf16(dataset, encoding):
    path = dataset / INTERACTIONS
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    err = _stop(dataset)
    assert err.file == INTERACTIONS and err.line == 1
    assert "UTF-16" in err.message and "without a byte-order mark" in err.message
    assert "required column" not in err.message


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "what"), [
    (_xlsx(), "Excel workbook (.xlsx)"),
    (gzip.compress(b"case_id,source,target\nc1,a1,a2\n", mtime=0), "gzip-compressed"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old Excel workbook (.xls)"),
])
def test_a_binary_file_renamed_to_csv_is_named_for_what_it_is(dataset, content, what):
    (dataset / INTERACTIONS).write_bytes(content)
    err = _stop(dataset)
    assert err.file == INTERACTIONS and "not a CSV text file" in err.message and what in err.message
    assert "Latin-1" not in err.message


def test_a_broken_symlink_is_named_as_such(dataset):
    path = dataset / INTERACTIONS
    path.unlink()
    path.symlink_to(dataset / "gone.csv")
    err = _stop(dataset)
    assert err.file == INTERACTIONS and "symbolic link" in err.message and "gone.csv" in err.message


def test_a_fifo_stops_at_once_instead_of_hanging(dataset):
    fifo = dataset / "waves" / "w1" / "roles.csv"
    os.mkfifo(fifo)
    result = {}

    def run():
        try:
            validate_wave(dataset, "w1")
        except InputError as err:
            result["err"] = err

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():  # unblock the reader so the test run can end
        with open(fifo, "wb"):
            pass
        pytest.fail("validation hangs on a FIFO")
    err = result["err"]
    assert err.file == "waves/w1/roles.csv" and "not a regular file" in err.message


def test_an_unreadable_waves_folder_is_an_input_error(dataset, monkeypatch):
    real = Path.iterdir

    def denied(self):
        if self.name == "waves":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", denied)
    with pytest.raises(InputError, match=r"cannot read the 'waves' folder \(Permission denied\)"):
        discover_waves(dataset)


def test_ids_typed_in_two_unicode_forms_are_one_id(dataset, caplog):
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert unicodedata.normalize("NFC", decomposed) == composed
    actors = dataset / "actors.csv"
    actors.write_text(actors.read_text(encoding="utf-8") + f"{composed},public,\n", encoding="utf-8")
    inter = dataset / INTERACTIONS
    inter.write_text(inter.read_text(encoding="utf-8")
                     + f"c1,{decomposed},a1,1,10,3,email,design,2024-04-01\n", encoding="utf-8")
    with caplog.at_level("INFO", logger="netinnov"):
        data = validate_wave(dataset, "w1")
    assert len(data.rejected) == 0
    assert composed in set(data.interactions["source"].astype(str))
    assert "normalised to Unicode NFC" in caplog.text and INTERACTIONS in caplog.text


def test_a_byte_order_mark_inside_a_file_is_removed(dataset, caplog):
    inter = dataset / INTERACTIONS
    inter.write_bytes(inter.read_bytes() + b"\xef\xbb\xbfc2,a4,a1,1,10,3,email,design,2024-04-01\n")
    with caplog.at_level("INFO", logger="netinnov"):
        data = validate_wave(dataset, "w1")
    assert len(data.rejected) == 0
    assert set(data.interactions["case_id"].astype(str)) == {"c1", "c2"}
    assert "1 byte-order mark inside the file removed" in caplog.text


def test_a_very_long_case_id_gets_a_short_file_name(dataset, tmp_path):
    long_id = "c" * 300
    inter = dataset / INTERACTIONS
    inter.write_text(inter.read_text(encoding="utf-8").replace("c2,", f"{long_id},"), encoding="utf-8")
    name = case_file_name(long_id)
    assert len(name) <= MAX_NAME + 9 and name != case_file_name("c" * 301)
    out = tmp_path / "results" / "data" / "waves" / "w1"
    assert netinnov(["validate-wave", "--dataset", str(dataset), "--wave", "w1", "--out", str(out)]) == 0
    assert netinnov(["wave", "--wave-dir", str(out), "--wave", "w1", "--options", json.dumps({"ei_permutations": 5})]) == 0
    assert (out / "networks" / f"{name}.graphml").is_file()


@pytest.mark.parametrize("stray", ["inf", "-inf", "1e400", "yes", "two"])
def test_a_stray_value_in_a_numeric_outcome_column_is_quarantined(dataset, stray):
    (dataset / "waves" / "w1" / "outcomes.csv").write_text(
        f"case_id,implemented,note\nc1,1,fine\nc2,{stray},{stray}\n", encoding="utf-8")
    data = validate_wave(dataset, "w1")
    rejected = data.rejected[["file", "line", "reason"]].values.tolist()
    assert rejected == [["waves/w1/outcomes.csv", 3, "implemented not a number"]]
    assert data.outcomes["implemented"].dtype.kind in "if"
    assert data.outcomes["implemented"].tolist() == [1]


def test_a_text_outcome_column_stays_text(dataset):
    (dataset / "waves" / "w1" / "outcomes.csv").write_text(
        "case_id,status\nc1,yes\nc2,no\n", encoding="utf-8")
    data = validate_wave(dataset, "w1")
    assert len(data.rejected) == 0 and data.outcomes["status"].astype(str).tolist() == ["yes", "no"]


def test_excel_text_formula_wrappers_are_read_as_their_text(dataset, caplog):
    actors = dataset / "actors.csv"
    actors.write_text(actors.read_text(encoding="utf-8") + '="0012",public,"=""Q"" Ltd"\n', encoding="utf-8")
    inter = dataset / INTERACTIONS
    inter.write_text(inter.read_text(encoding="utf-8")
                     + '"=""c1""",="0012",a1,1,10,3,email,design,2024-04-01\n', encoding="utf-8")
    with caplog.at_level("INFO", logger="netinnov"):
        data = validate_wave(dataset, "w1")
    assert len(data.rejected) == 0
    assert "0012" in set(data.actors["actor_id"].astype(str))
    assert data.interactions["source"].astype(str).iloc[-1] == "0012"
    assert data.interactions["case_id"].astype(str).iloc[-1] == "c1"
    assert "Excel text formula" in caplog.text


@pytest.mark.parametrize("cell", ["note|x|y|z|w", "a;b;c;d;e;f"])
def test_a_delimiter_inside_a_header_cell_does_not_change_the_delimiter(dataset, cell):
    inter = dataset / INTERACTIONS
    lines = inter.read_text(encoding="utf-8").splitlines()
    body = [lines[0] + f",{cell}"] + [line + ",ok" for line in lines[1:]]
    inter.write_text("\n".join(body) + "\n", encoding="utf-8")
    data = validate_wave(dataset, "w1")
    assert len(data.rejected) == 0 and len(data.interactions) == 5
    assert cell in data.interactions.columns


def test_an_empty_header_cell_next_to_one_named_like_it_is_no_duplicate(dataset):
    inter = dataset / INTERACTIONS
    lines = inter.read_text(encoding="utf-8").splitlines()
    # the 10th and 11th header cells: one empty, one literally "unnamed_10"
    body = [lines[0] + ",,unnamed_10"] + [line + ",x,y" for line in lines[1:]]
    inter.write_text("\n".join(body) + "\n", encoding="utf-8")
    data = validate_wave(dataset, "w1")
    assert len(data.rejected) == 0
    assert {"unnamed_10", "unnamed_10_"} <= set(data.interactions.columns)
