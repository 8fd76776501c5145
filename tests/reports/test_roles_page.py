"""The roles page warns beside the AUC figure when an AUC rests on few holders."""

from __future__ import annotations

import pandas as pd

from netinnov.reports.roles import FEW_HOLDERS, few_holders_note


def _validation(holders: list[int]) -> pd.DataFrame:
    return pd.DataFrame({
        "wave": ["w1"] * len(holders), "level": ["actor", "case", "actor"][: len(holders)],
        "role": ["convener", "catalyst", "<b>x</b>"][: len(holders)], "auc": 0.9, "n_holders": holders,
    })  # fmt: skip


def test_few_holders_are_named_with_their_count_and_escaped():
    text = few_holders_note(_validation([1, 12, 3]))
    assert text is not None and "Few holders" in text
    assert "convener actor (1)" in text and "catalyst" not in text  # 12 holders: no warning
    assert "<b>" not in text and "(3)" in text  # a label from data is escaped


def test_no_warning_with_enough_holders_or_no_rows():
    assert few_holders_note(_validation([FEW_HOLDERS, 40])) is None
    assert few_holders_note(pd.DataFrame()) is None


def test_the_rendered_roles_page_carries_the_warning_when_holders_are_few(tmp_path_factory):
    from helpers.reports import rendered

    r = rendered(tmp_path_factory)
    validation = pd.concat([pd.read_csv(p) for p in r.results.glob("waves/*/roles_validation.csv")])
    html = r.pages["roles"].read_text(encoding="utf-8")
    few = pd.to_numeric(validation.get("n_holders", pd.Series(dtype=float)), errors="coerce") < FEW_HOLDERS
    assert ("Few holders" in html) == bool(few.any())
