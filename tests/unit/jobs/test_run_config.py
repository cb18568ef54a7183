"""Training config: TOML into typed dataclasses, overrides, clear errors, and the example configs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from aircluster.errors import UsageError
from aircluster.jobs.run_config import Config, from_dict, load_config, parse_override, save_config, to_toml
from aircluster.train.models import count_params, model_args

CONFIGS = Path(__file__).resolve().parents[3] / "configs"


def test_design_contract_keys_load(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[model]\nname = "vit"\nsize = "tiny"\n[data]\ndatasets = ["posts@1"]\nseq_len = 64\nbatch_size = 4\n'
        '[train]\nsteps = 7\nlr = 1e-3\nseed = 3\nrun_dir = "/x"\n[checkpoint]\nevery_steps = 5\nkeep = 2\n'
    )
    cfg = load_config(path)
    assert (cfg.model.name, cfg.model.size) == ("vit", "tiny")
    assert cfg.data.datasets == ["posts@1"] and (cfg.data.seq_len, cfg.data.batch_size) == (64, 4)
    assert (cfg.train.steps, cfg.train.lr, cfg.train.seed, cfg.train.run_dir) == (7, 1e-3, 3, "/x")
    assert (cfg.checkpoint.every_steps, cfg.checkpoint.keep) == (5, 2)


def test_overrides_are_typed_like_toml() -> None:
    cfg = load_config(
        None,
        [
            "train.steps=100",
            'data.datasets=["a@1","b@2"]',
            "model.name=classify",
            "train.lr=1",
            "train.compile=true",
            "model.args.n_layers=3",
            'train.run_dir="/tmp/r x"',
        ],
    )
    assert cfg.train.steps == 100
    assert cfg.data.datasets == ["a@1", "b@2"]
    assert cfg.model.name == "classify"
    assert cfg.train.lr == 1.0 and isinstance(cfg.train.lr, float)
    assert cfg.train.compile is True
    assert cfg.model.args == {"n_layers": 3}
    assert cfg.train.run_dir == "/tmp/r x"


def test_override_beats_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[train]\nsteps = 5\n")
    assert load_config(path, ["train.steps=9"]).train.steps == 9


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ("train.stepz=1", "train.stepz"),
        ("optim.lr=1", "[optim]"),
        ('train.steps="ten"', "train.steps"),
        ("train.steps=1.5", "train.steps"),
        ("train.steps=true", "train.steps"),
        ("train.compile=1", "train.compile"),
        ("data.datasets=3", "data.datasets"),
        ("data.datasets=[1]", "data.datasets[0]"),
        ("model.name=gpt", "model.name"),
        ("train.precision=fp8", "train.precision"),
        ("data.batch_size=0", "data.batch_size"),
        ("data.datasets=[]", "data.datasets"),
        ("train.steps", "train.steps"),
        ('data.datasets=["a"', "data.datasets"),
        ("plan.gpus=-8", "plan.gpus"),
        ("plan.tp=-1", "plan.tp"),
        ("plan.nodes=2", "plan.nodes"),
    ],
)
def test_bad_keys_and_values_name_the_key(override: str, named: str) -> None:
    with pytest.raises(UsageError) as err:
        load_config(None, [override])
    assert named in str(err.value)
    assert "\n" not in str(err.value)


def test_bad_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="missing.toml"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[train\nsteps = 1\n")
    with pytest.raises(UsageError, match="bad.toml"):
        load_config(bad)
    scalar_section = tmp_path / "scalar.toml"
    scalar_section.write_text("train = 3\n")
    with pytest.raises(UsageError, match="train must be a table"):
        load_config(scalar_section)


def test_parse_override_bare_words_are_strings() -> None:
    assert parse_override("model.size=small") == ("model.size", "small")
    assert parse_override("train.lr=3e-4") == ("train.lr", 3e-4)


def test_resolved_config_round_trips_through_toml(tmp_path: Path) -> None:
    cfg = load_config(
        CONFIGS / "lm-1t.toml",
        ['data.datasets=["a@1", "b \\"quoted\\"@2"]', "model.args.rope_theta=1e6", "train.run_dir=/runs/7"],
    )
    path = tmp_path / "config.toml"
    save_config(cfg, path)
    again = from_dict(tomllib.loads(path.read_text()))
    assert again == cfg
    assert to_toml(Config()) != to_toml(cfg)


@pytest.mark.parametrize("name", ["lm-tiny", "lm-small", "vit-tiny", "classify-tiny", "lm-1t"])
def test_example_configs_are_valid(name: str) -> None:
    cfg = load_config(CONFIGS / f"{name}.toml")
    args = model_args(cfg.model.name, cfg.model.size, **cfg.model.args)
    assert count_params(args) > 0
    if cfg.model.name != "vit":
        assert cfg.data.seq_len <= args.max_seq_len


def test_lm_1t_is_a_trillion_parameters() -> None:
    cfg = load_config(CONFIGS / "lm-1t.toml")
    params = count_params(model_args(cfg.model.name, cfg.model.size, **cfg.model.args))
    assert 0.9e12 < params < 1.2e12
    assert cfg.checkpoint.async_save and cfg.checkpoint.every_minutes > 0
