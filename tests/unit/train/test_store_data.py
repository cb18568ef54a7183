"""Training on approved, encrypted dataset versions through the streaming loader."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aircluster.client.jobs import RemoteJobs
from aircluster.errors import PermissionDenied, ReviewRequired
from aircluster.jobs.run_config import load_config, to_dict
from aircluster.train.data import is_held_out
from aircluster.train.metrics import read_metrics
from aircluster.train.trainer import train
from tests.unit.store.conftest import approve, write_images, write_jsonl
from tests.unit.train.test_trainer import FAST, REPO, losses

POSTS = [
    {"id": i, "text": f"post {i}: the quick brown fox jumps over the lazy dog number {i % 7}", "label": i % 2} for i in range(300)
]


@pytest.fixture
def posts(cli, tmp_path, permissive_policy) -> str:
    write_jsonl(tmp_path / "posts.jsonl", POSTS)
    cli.ok(
        "data",
        "import",
        "posts",
        str(tmp_path / "posts.jsonl"),
        "--policy",
        str(permissive_policy),
        "--shard-size",
        "2k",
    )
    approve(cli, "posts@1")
    return "posts@1"


def cfg_for(config: str, run_dir: Path, *extra: str):
    return load_config(
        REPO / "configs" / config,
        [
            *FAST,
            f"train.run_dir={run_dir}",
            "train.deterministic=true",
            "metrics.tensorboard=false",
            "train.val_every=0",
            *extra,
        ],
    )


def test_lm_on_stored_data_resumes_bitwise(posts, tmp_path):
    data = f'data.datasets=["{posts}"]'
    whole = train(cfg_for("lm-tiny.toml", tmp_path / "whole", data, "train.steps=12"))
    assert whole.final_step == 12
    train(cfg_for("lm-tiny.toml", tmp_path / "split", data, "train.steps=12", "train.stop_at_step=5"))
    assert sorted(losses(tmp_path / "split")) == [1, 2, 3, 4, 5]
    train(cfg_for("lm-tiny.toml", tmp_path / "split", data, "train.steps=12"))
    assert losses(tmp_path / "split") == losses(tmp_path / "whole")  # bitwise: the same tokens in the same order
    # the checkpoint holds positions, not text
    state = next((tmp_path / "split" / "checkpoints").glob("step-*/"))
    blobs = b"".join(p.read_bytes() for p in state.rglob("*") if p.is_file())
    assert b"quick brown fox" not in blobs


def test_unapproved_dataset_cannot_be_trained_on(cli, tmp_path, permissive_policy):
    write_jsonl(tmp_path / "posts.jsonl", POSTS)
    cli.ok("data", "import", "raw", str(tmp_path / "posts.jsonl"), "--policy", str(permissive_policy))
    with pytest.raises(ReviewRequired, match="aircluster review approve raw@1"):
        train(cfg_for("lm-tiny.toml", tmp_path / "run", 'data.datasets=["raw@1"]', "train.steps=2"))
    code, _, err = cli("train", str(REPO / "configs" / "lm-tiny.toml"), 'data.datasets=["raw@1"]')
    assert code != 0 and "pending privacy review" in err


def test_a_job_reads_only_the_versions_it_was_submitted_with(posts, cli, tmp_path, monkeypatch, permissive_policy):
    write_jsonl(tmp_path / "other.jsonl", POSTS[:50])
    cli.ok("data", "import", "other", str(tmp_path / "other.jsonl"), "--policy", str(permissive_policy))
    approve(cli, "other@1")
    with RemoteJobs.connect() as jobs:  # registered through the server, as `aircluster train` does
        job, token = jobs.register(
            config=to_dict(load_config(None)),
            backend="local",
            nodes=1,
            procs_per_node=1,
            datasets=["other@1"],
            run_dir=str(tmp_path / "j"),
        )
    monkeypatch.setenv("AIRCLUSTER_JOB_ID", job.id)
    monkeypatch.setenv("AIRCLUSTER_JOB_TOKEN", token)
    with pytest.raises(PermissionDenied, match=f"job {job.id} may not read posts@1: it was not pinned at submission"):
        train(cfg_for("lm-tiny.toml", tmp_path / "run", f'data.datasets=["{posts}"]', "train.steps=2"))


def test_classifier_and_vit_on_stored_data(cli, tmp_path, permissive_policy):
    write_jsonl(tmp_path / "posts.jsonl", POSTS)
    cli.ok(
        "data",
        "import",
        "labeled",
        str(tmp_path / "posts.jsonl"),
        "--policy",
        str(permissive_policy),
        "--label-field",
        "label",
    )
    approve(cli, "labeled@1")
    result = train(cfg_for("classify-tiny.toml", tmp_path / "cls", 'data.datasets=["labeled@1"]', "train.steps=4"))
    assert result.final_step == 4
    write_images(tmp_path / "imgs", per_class=8, classes=("a", "b"))
    cli.ok("data", "import", "pics", str(tmp_path / "imgs"), "--policy", str(permissive_policy))
    approve(cli, "pics@1")
    result = train(
        cfg_for("vit-tiny.toml", tmp_path / "vit", 'data.datasets=["pics@1"]', "train.steps=3", "model.args.num_classes=2")
    )
    assert result.final_step == 3


@pytest.mark.slow
def test_two_processes_on_stored_data_resume_bitwise(posts, home, tmp_path):
    def torchrun(run_dir: Path, *overrides: str) -> None:
        env = {**os.environ, "OMP_NUM_THREADS": "1", "AIRCLUSTER_HOME": str(home), "PYTHONPATH": str(REPO)}
        cmd = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc-per-node=2",
            "-m",
            "aircluster.train.trainer",
            str(REPO / "configs" / "lm-tiny.toml"),
            *FAST,
            f"train.run_dir={run_dir}",
            "train.deterministic=true",
            "metrics.tensorboard=false",
            "train.val_every=0",
            f'data.datasets=["{posts}"]',
            "train.steps=10",
            *overrides,
        ]
        proc = subprocess.run(cmd, check=False, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    torchrun(tmp_path / "whole")
    torchrun(tmp_path / "split", "train.stop_at_step=4")
    torchrun(tmp_path / "split")
    assert sorted(losses(tmp_path / "whole")) == list(range(1, 11))
    assert losses(tmp_path / "split") == losses(tmp_path / "whole")
    log = (home / "audit" / "audit.log").read_text().splitlines()
    releases = [json.loads(line) for line in log if '"keys.release"' in line and '"train"' in line]
    assert {r["rank"] for r in releases} == {0, 1}  # each rank's key release is audited


def _split_posts(n_train: int, n_val: int) -> list[dict]:
    """Posts of which exactly n_val fall in the held-out split (the trainer's own keyed hash decides)."""
    train_posts, val_posts = [], []
    for i in range(10_000):
        post = {"id": i, "text": f"post {i}: a short line about nothing in particular {i % 13}", "label": i % 2}
        (val_posts if is_held_out(post, "text") else train_posts).append(post)
        if len(train_posts) >= n_train and len(val_posts) >= n_val:
            break
    return train_posts[:n_train] + val_posts[:n_val]


def _import_approved(cli, tmp_path, policy, name: str, records: list[dict]) -> str:
    write_jsonl(tmp_path / f"{name}.jsonl", records)
    cli.ok("data", "import", name, str(tmp_path / f"{name}.jsonl"), "--policy", str(policy), "--shard-size", "2k")
    approve(cli, f"{name}@1")
    return f"{name}@1"


def test_a_run_whose_held_out_split_is_empty_trains_and_skips_validation(cli, tmp_path, permissive_policy):
    ref = _import_approved(cli, tmp_path, permissive_policy, "trainonly", _split_posts(60, 0))
    result = train(cfg_for("lm-tiny.toml", tmp_path / "run", f'data.datasets=["{ref}"]', "train.steps=3"))
    # it used to train every step, save, then fail at the final validation ("val split ... has no records")
    assert (result.final_step, result.val) == (3, None)
    events = [r for r in read_metrics(tmp_path / "run") if r.get("event") == "val_skipped"]
    assert [e["step"] for e in events] == [3]
    assert not [r for r in read_metrics(tmp_path / "run") if "val_loss" in r]


@pytest.mark.slow
def test_two_ranks_skip_validation_together_when_one_has_no_held_out_records(cli, home, tmp_path, permissive_policy):
    """One held-out record: one rank has it, the other none. FSDP's forwards are collective, so a rank
    that validated alone would wait forever for the other: both must skip, and the run ends cleanly."""
    ref = _import_approved(cli, tmp_path, permissive_policy, "oneval", _split_posts(80, 1))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "AIRCLUSTER_HOME": str(home), "PYTHONPATH": str(REPO)}
    cmd = [
        *(sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node=2"),
        *("-m", "aircluster.train.trainer", str(REPO / "configs" / "lm-tiny.toml"), *FAST),
        *(f"train.run_dir={tmp_path / 'run'}", "metrics.tensorboard=false", "train.val_every=2"),
        *(f'data.datasets=["{ref}"]', "train.steps=4"),
    ]
    proc = subprocess.run(cmd, check=False, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    records = read_metrics(tmp_path / "run")
    assert [r["step"] for r in records if r.get("event") == "val_skipped"] == [2, 4]
    assert sorted(r["step"] for r in records if "loss" in r) == [1, 2, 3, 4]
    assert "validation skipped" in proc.stderr
