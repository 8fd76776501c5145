"""Config coercion and validation."""

import pytest

from helpers.paths import REPO
from netinnov.config import ConfigError, coerce, parse_bool, resolve, results_dir


@pytest.mark.parametrize("text", ["true", "True", "TRUE", "yes", "1", 1, True, "on"])
def test_true_spellings(text):
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["false", "False", "no", "0", 0, False, "off"])
def test_false_spellings(text):
    assert parse_bool(text) is False


def test_bad_boolean_names_the_key():
    with pytest.raises(ConfigError, match="directed"):
        resolve({"dataset": "d", "directed": "maybe"})


def test_command_line_text_is_coerced_then_validated():
    cfg = resolve({"dataset": "data/x/", "directed": "true", "pseudonymize": "no", "waves": "w1,w2 w3", "seed": "7"})
    assert cfg["directed"] is True and cfg["pseudonymize"] is False
    assert cfg["waves"] == ["w1", "w2", "w3"]
    assert cfg["seed"] == 7
    # defaults filled in, nested too
    assert cfg["on_bad_rows"] == "quarantine"
    # the strong/weak rule is absolute on the fixed strength scale by default (issue 12, item 3)
    assert cfg["tie_class"]["method"] == "absolute" and cfg["tie_class"]["threshold"] == 0.5
    assert cfg["tie_strength_scale"]["frequency"] == 52 and cfg["coattendance"] == "layer"
    assert cfg["betweenness"]["exact_max_actors"] == 20000


def test_nested_boolean_is_coerced():
    cfg = resolve({"dataset": "d", "betweenness": {"weighted": "yes"}})
    assert cfg["betweenness"]["weighted"] is True


def test_enum_violation_names_the_key():
    with pytest.raises(ConfigError, match="on_bad_rows"):
        resolve({"dataset": "d", "on_bad_rows": "ignore"})
    with pytest.raises(ConfigError, match="tie_weight"):
        resolve({"dataset": "d", "tie_weight": "heavy"})


def test_coattendance_merge_needs_undirected_data():
    assert resolve({"dataset": "d", "directed": False, "coattendance": "merge"})["coattendance"] == "merge"
    with pytest.raises(ConfigError, match="coattendance.*undirected"):
        resolve({"dataset": "d", "directed": "true", "coattendance": "merge"})
    with pytest.raises(ConfigError, match="coattendance"):
        resolve({"dataset": "d", "coattendance": "both"})
    with pytest.raises(ConfigError, match="tie_class"):
        resolve({"dataset": "d", "tie_class": {"method": "mixture"}})  # removed: it pooled the cases


def test_results_dir_uses_the_dataset_directory_name(tmp_path):
    assert results_dir({"dataset": str(tmp_path / "mydata") + "/"}).name == "mydata"
    assert str(results_dir({"dataset": "data/example"})) == "results/example"


def test_coerce_leaves_input_untouched():
    raw = {"dataset": "d", "directed": "true"}
    coerce(raw)
    assert raw["directed"] == "true"


@pytest.mark.parametrize(
    ("config", "key", "closest"),
    [
        ({"direced": True}, "direced", "directed"),
        ({"pseudonymise": True}, "pseudonymise", "pseudonymize"),
        ({"tie_class": {"quantle": 0.4}}, "tie_class.quantle", "tie_class.quantile"),
        ({"betweenness": {"wieghted": True}}, "betweenness.wieghted", "betweenness.weighted"),
    ],
)
def test_a_misspelled_key_is_refused_with_the_closest_valid_name(config, key, closest):
    with pytest.raises(ConfigError) as err:
        resolve({"dataset": "data/x", **config})
    assert f"config key '{key}' is not a netinnov setting; did you mean '{closest}'?" in str(err.value)


def test_an_unknown_key_without_a_close_name_lists_the_valid_ones():
    with pytest.raises(ConfigError, match=r"'zzz_option' is not a netinnov setting \(valid keys: .*directed"):
        resolve({"dataset": "data/x", "zzz_option": 1})


def test_the_shipped_config_has_no_unknown_key():

    from netinnov.config import load_config

    load_config(REPO / "config" / "config.yaml")
