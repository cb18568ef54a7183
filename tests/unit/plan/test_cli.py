"""`aircluster plan` end to end through the real CLI entry point: JSON keys, text, configs, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aircluster.train.models import count_params, model_args
from tests.conftest import CLI

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def plan_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CLI:
    return CLI(capsys, monkeypatch)  # the planner needs no AIRCLUSTER_HOME


def test_plan_of_the_1t_config_reports_every_key(plan_cli):
    doc = json.loads(plan_cli.ok("plan", REPO / "configs" / "lm-1t.toml", "--json", "--simulate", "200"))
    assert doc["params"] == count_params(model_args("lm", "1t"))
    assert doc["gpus"] == 16384 and doc["gpu"] == "h100-sxm"
    assert doc["global_batch_tokens"] == 1 * 8192 * 16384  # data.batch_size per GPU, as the trainer means it
    layout = doc["layout"]
    assert layout["tp"] * layout["pp"] * layout["cp"] * layout["dp"] == 16384
    assert layout["act_ckpt"] == "full" and layout["zero"] == 3  # train.activation_checkpointing, parallel = fsdp
    memory = doc["memory"]
    parts = ("parameters_gb", "gradients_gb", "optimizer_gb", "activations_gb", "buffers_gb")
    assert memory["fits"] is True and memory["total_gb"] == pytest.approx(sum(memory[k] for k in parts), abs=0.01)
    assert memory["total_gb"] <= memory["capacity_gb"] == 80.0
    step = doc["step_time"]
    pieces = ("compute_s", "tp_exposed_s", "cp_exposed_s", "pp_bubble_s", "pp_p2p_s", "dp_exposed_s", "other_s")
    assert step["total_s"] == pytest.approx(sum(step[k] for k in pieces))
    assert set(step["overlap"]) == {"tp", "cp", "dp"}
    assert doc["tokens_per_s_per_gpu"] > 0 and 0 < doc["mfu"] < doc["hfu"] < 1
    assert doc["tokens_per_s_per_gpu"] == pytest.approx(doc["global_batch_tokens"] / step["total_s"] / 16384)
    assert doc["checkpoint"]["size_gb"] == pytest.approx(doc["params"] * 12 / 1e9)
    assert doc["checkpoint"]["asynchronous"] is True  # checkpoint.async_save
    reliability = doc["reliability"]
    assert reliability["mttf_h"] == pytest.approx(1.8, abs=0.01)
    assert reliability["checkpoint_interval_min"] == 30.0  # checkpoint.every_minutes
    ettr = doc["ettr"]
    assert 0 < ettr["closed_form"] < 1 and ettr["simulated"]["runs"] == 200
    assert ettr["simulated"]["p5"] <= ettr["simulated"]["mean"] <= ettr["simulated"]["p95"]
    assert abs(ettr["simulated"]["mean"] - ettr["closed_form"]) < 0.01
    top = doc["search"]["top"]
    assert len(top) == 5 and top[0]["tokens_per_s_per_gpu"] == doc["tokens_per_s_per_gpu"]
    assert [t["tokens_per_s_per_gpu"] for t in top] == sorted((t["tokens_per_s_per_gpu"] for t in top), reverse=True)


def test_plan_text_output(plan_cli):
    out = plan_cli.ok("plan", "--model", "70b", "--gpu", "a100-80gb", "--gpus", "64", "--simulate", "50")
    for label in ("memory / GPU", "step time", "tokens/s per GPU", "MFU", "HFU", "MTTF", "ETTR", "fastest layouts"):
        assert label in out
    assert "Traceback" not in out


def test_a_fully_given_layout_is_estimated_as_is_and_dp_derived(plan_cli):
    doc = json.loads(
        plan_cli.ok(
            "plan",
            "--model",
            "405b",
            "--gpus",
            "16384",
            "--tp",
            "8",
            "--pp",
            "16",
            "--cp",
            "1",
            "--vpp",
            "4",
            "--micro-batch",
            "1",
            "--zero",
            "1",
            "--act-ckpt",
            "full",
            "--global-batch-tokens",
            "16777216",
            "--ckpt-gbps",
            "500",
            "--ckpt-interval-min",
            "20",
            "--failure-rate",
            "3.79",
            "--restart-min",
            "5",
            "--simulate",
            "20",
            "--json",
        )
    )
    assert doc["search"] is None
    assert doc["layout"] | {} == {**doc["layout"], "tp": 8, "pp": 16, "cp": 1, "dp": 128, "vpp": 4, "zero": 1}
    assert doc["checkpoint"]["write_s"] == pytest.approx(doc["params"] * 12 / 500e9)
    assert doc["reliability"]["checkpoint_interval_min"] == 20.0 and doc["reliability"]["restart_min"] == 5.0
    assert doc["reliability"]["mttf_h"] == pytest.approx(1000 * 24 / (3.79 * 2048))


def test_explicit_dimensions(plan_cli):
    doc = json.loads(
        plan_cli.ok(
            "plan",
            "--layers",
            "32",
            "--d-model",
            "4096",
            "--heads",
            "32",
            "--kv-heads",
            "8",
            "--ffn-dim",
            "14336",
            "--vocab",
            "128256",
            "--seq-len",
            "8192",
            "--gpu",
            "h200",
            "--gpus",
            "8",
            "--simulate",
            "10",
            "--json",
        )
    )
    assert doc["model"]["name"] == "custom" and doc["params"] == 8_030_261_248  # Llama 3.1 8B
    assert doc["memory"]["capacity_gb"] == 141.0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--model", "70b", "--gpu", "v100", "--gpus", "8"], "--gpu: unknown GPU 'v100'; choose one of"),
        (
            ["--model", "70b", "--gpus", "64", "--tp", "3", "--pp", "4"],
            "--tp 3 --pp 4: their product 12 does not divide --gpus 64",
        ),
        (["--model", "1t", "--gpu", "a100-40gb", "--gpus", "8"], "no layout of 8 x a100-40gb fits the 1t model"),
        (["--gpus", "8"], "no model: give --model SIZE"),
        (["--model", "70b"], "--gpus is required"),
        (["--model", "70b", "--layers", "4", "--gpus", "8"], "--model and --layers: give a named size or explicit"),
        (
            ["--layers", "4", "--d-model", "64", "--gpus", "8"],
            "explicit model dimensions need --heads, --vocab, --seq-len",
        ),
        (["--model", "70b", "--gpus", "8", "--gpu", "a100-80gb", "--precision", "fp8"], "a100-80gb has no fp8"),
        (["--model", "70b", "--gpus", "0"], "--gpus must be a positive integer"),
        (["--model", "70b", "--gpus", "8", "--simulate", "0"], "--simulate must be a positive number of runs"),
        (["--model", "7b", "--gpus", "8", "--restart-min", "-5"], "--restart-min must be >= 0"),
        (["--model", "7b", "--gpus", "8", "--ckpt-interval-min", "0"], "--ckpt-interval-min must be positive"),
        (["--model", "7b", "--gpus", "8", "--ckpt-gbps", "0"], "--ckpt-gbps must be positive"),
        (["--model", "7b", "--gpus", "8", "--seq-len", "0"], "--seq-len must be a positive integer"),
        (["--model", "7b", "--gpus", "8", "--failure-rate", "-1"], "--failure-rate must be >= 0"),
        (["--model", "3t", "--gpus", "8"], "model.size: unknown size '3t'"),
        (["--gpus", "8", "train.steps=5"], "train.steps=5: overrides need a training config"),
        (["no-such-config.toml", "--gpus", "8"], "config file no-such-config.toml does not exist"),
    ],
)
def test_bad_arguments_give_one_line_and_a_usage_exit(plan_cli, argv, message):
    code, out, err = plan_cli("plan", *argv)
    assert code == 2, (code, err)
    assert out == "" and err.count("\n") == 1 and err.startswith("error: ") and message in err, err


def test_a_config_for_another_model_kind_is_refused(plan_cli, tmp_path):
    code, _, err = plan_cli("plan", REPO / "configs" / "vit-tiny.toml", "--gpus", "8")
    assert code == 2 and "the planner plans language models" in err and err.count("\n") == 1
    bad = tmp_path / "bad.toml"
    bad.write_text('[model]\nname = "lm"\nsize = "7b"\n[plan]\ngpus = -8\n')
    code, _, err = plan_cli("plan", bad)
    assert code == 2 and "config key plan.gpus must be >= 0" in err
