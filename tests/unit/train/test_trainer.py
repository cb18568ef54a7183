"""The training loop: schedule, synthetic data, metrics, resume (bitwise, on 2 gloo processes), preemption."""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import torch

from aircluster.jobs.run_config import load_config
from aircluster.train.batches import SyntheticSource
from aircluster.train.checkpoint import consolidate
from aircluster.train.data import build_data
from aircluster.train.metrics import read_metrics
from aircluster.train.models import LMArgs, build_model, model_args
from aircluster.train.parallel import Dist
from aircluster.train.schedule import lr_factor
from aircluster.train.step import loss_and_correct
from aircluster.train.trainer import EXIT_PREEMPTED, main, train

REPO = Path(__file__).resolve().parents[3]
# A small, fast LM: every test below trains it for real.
FAST = [
    "model.args.dim=32",
    "model.args.n_layers=1",
    "data.seq_len=16",
    "data.batch_size=4",
    "train.lr=1e-2",
    "train.warmup_steps=2",
    "train.precision=fp32",
    "checkpoint.every_steps=4",
    "data.val_batches=2",
]


def losses(run_dir: Path) -> dict[int, float]:
    return {r["step"]: r["loss"] for r in read_metrics(run_dir) if "loss" in r}


# ---- schedule ------------------------------------------------------------------------------------


def test_lr_warms_up_linearly_then_decays_by_cosine_to_the_floor() -> None:
    factors = [lr_factor(s, warmup_steps=4, total_steps=20, min_ratio=0.1) for s in range(20)]
    assert factors[:4] == [0.25, 0.5, 0.75, 1.0]
    assert all(a > b for a, b in itertools.pairwise(factors[4:]))
    assert factors[12] == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * 0.5)))
    assert lr_factor(20, 4, 20, 0.1) == pytest.approx(0.1) and lr_factor(50, 4, 20, 0.1) == pytest.approx(0.1)


# ---- synthetic data ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["lm", "classify", "vit"])
def test_synthetic_source_resumes_exactly(kind: str) -> None:
    source = SyntheticSource(kind, batch_size=3, seq_len=8, vocab_size=50, num_classes=4, image_size=8, seed=1)
    for _ in range(2):
        next(source)
    state = source.state_dict()
    expected = [next(source) for _ in range(2)]
    again = SyntheticSource(kind, batch_size=3, seq_len=8, vocab_size=50, num_classes=4, image_size=8, seed=1)
    again.load_state_dict(json.loads(json.dumps(state)))  # the state is plain JSON
    for want, got in zip(expected, (next(again) for _ in range(2))):
        assert want.keys() == got.keys()
        assert all(torch.equal(want[k], got[k]) for k in want)


def test_synthetic_stream_is_the_same_for_any_number_of_processes() -> None:
    one = SyntheticSource("lm", batch_size=4, seq_len=8, seed=0)
    two = [SyntheticSource("lm", batch_size=2, seq_len=8, seed=0, rank=r, world_size=2) for r in range(2)]
    for _ in range(3):
        whole = next(one)["tokens"]
        parts = torch.cat([next(s)["tokens"] for s in two])
        assert torch.equal(whole, parts)
    assert one.state_dict() == two[0].state_dict() == two[1].state_dict()


def test_synthetic_lm_targets_are_next_tokens_and_splits_differ() -> None:
    cfg = load_config(None, FAST)
    train_batch = next(build_data(cfg, Dist(), "train"))
    val_batch = next(build_data(cfg, Dist(), "val"))
    assert torch.equal(train_batch["tokens"][:, 1:], train_batch["targets"][:, :-1])
    assert not torch.equal(train_batch["tokens"], val_batch["tokens"])
    with pytest.raises(Exception, match="synthetic"):
        SyntheticSource("lm", batch_size=1, seed=0).load_state_dict(SyntheticSource("vit", 1).state_dict())


# ---- one process, in-process ---------------------------------------------------------------------


def test_train_writes_metrics_config_checkpoints_and_learns(home: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    cfg = load_config(
        REPO / "configs" / "lm-tiny.toml",
        [*FAST, f"train.run_dir={run_dir}", "train.steps=16", "train.val_every=8", "checkpoint.keep=2"],
    )
    result = train(cfg)
    assert (result.start_step, result.final_step, result.preempted) == (0, 16, False)

    records = read_metrics(run_dir)
    steps = [r for r in records if "loss" in r]
    assert [r["step"] for r in steps] == list(range(1, 17))
    for r in steps:
        assert r["tokens_per_s"] > 0 and 0 <= r["data_wait_frac"] <= 1 and r["peak_mem_bytes"] > 0
        assert 0 < r["mfu"] < 1 and r["lr"] > 0 and math.isfinite(r["loss"])
    first, last = sum(r["loss"] for r in steps[:3]) / 3, sum(r["loss"] for r in steps[-3:]) / 3
    assert last < first - 0.5, (first, last)
    vals = [r for r in records if "val_loss" in r]
    assert [v["step"] for v in vals] == [8, 16] and all(0 <= v["val_acc"] <= 1 for v in vals)

    saved = load_config(run_dir / "config.toml")
    assert saved.train.run_dir == str(run_dir.resolve()) and saved.model.args == cfg.model.args
    assert sorted(p.name for p in (run_dir / "checkpoints").iterdir()) == ["latest", "step-000012", "step-000016"]
    assert list((run_dir / "tensorboard").glob("events.out.tfevents.*"))
    assert (run_dir / "logs" / "rank0.log").read_text()

    # Running again with more steps resumes from the latest checkpoint and extends the same history.
    more = train(load_config(run_dir / "config.toml", ["train.steps=20", "train.val_every=0"]))
    assert (more.start_step, more.final_step) == (16, 20)
    assert sorted(losses(run_dir)) == list(range(1, 21))


@pytest.mark.parametrize("name", ["classify", "vit"])
def test_classifiers_train_and_report_samples_per_s(name: str, home: Path, tmp_path: Path) -> None:
    cfg = load_config(
        REPO / "configs" / f"{name}-tiny.toml",
        [
            f"train.run_dir={tmp_path}",
            "train.steps=4",
            "train.val_every=0",
            "train.precision=fp32",
            "data.batch_size=4",
            "data.val_batches=1",
            "metrics.tensorboard=false",
        ],
    )
    result = train(cfg)
    records = [r for r in read_metrics(tmp_path) if "loss" in r]
    assert len(records) == 4 and all(r["samples_per_s"] > 0 and "tokens_per_s" not in r for r in records)
    assert result.val is not None and 0 <= result.val["val_acc"] <= 1


def test_time_based_and_async_checkpoints(home: Path, tmp_path: Path) -> None:
    cfg = load_config(
        None,
        [
            *FAST,
            f"train.run_dir={tmp_path}",
            "train.steps=3",
            "checkpoint.every_steps=0",
            "checkpoint.every_minutes=1e-9",
            "checkpoint.async_save=true",
            "checkpoint.keep=5",
            "metrics.tensorboard=false",
        ],
    )
    train(cfg)
    names = sorted(p.name for p in (tmp_path / "checkpoints").iterdir())
    assert names == ["latest", "step-000001", "step-000002", "step-000003"]
    resumed = train(load_config(tmp_path / "config.toml", ["train.steps=4"]))
    assert resumed.start_step == 3


def test_default_run_dir_is_under_home_runs_by_job_id(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRCLUSTER_JOB_ID", "job-42")
    cfg = load_config(None, [*FAST, "train.steps=2", "metrics.tensorboard=false"])
    result = train(cfg)
    assert result.run_dir == (home / "runs" / "job-42").resolve()
    assert (result.run_dir / "config.toml").exists() and (result.run_dir / "checkpoints" / "step-000002").is_dir()


def test_loss_and_accuracy_shapes() -> None:
    logits = torch.tensor([[[2.0, 0.0], [0.0, 2.0]]])
    loss, correct, n = loss_and_correct("lm", logits, {"targets": torch.tensor([[0, 0]])})
    assert (correct.item(), n) == (1, 2) and loss.item() > 0


def test_command_line_errors_are_one_line(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    config = REPO / "configs" / "lm-tiny.toml"
    assert main([str(config), "train.stepz=3"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "train.stepz" in err and "\n" not in err
    assert main([str(config), *FAST, f"train.run_dir={tmp_path}", "--resume"]) == 2
    assert "no checkpoint" in capsys.readouterr().err


# ---- several real processes ----------------------------------------------------------------------


def torchrun(nproc: int, run_dir: Path, *overrides: str, home: Path) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "AIRCLUSTER_HOME": str(home), "PYTHONPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        f"--nproc-per-node={nproc}",
        "-m",
        "aircluster.train.trainer",
        str(REPO / "configs" / "lm-tiny.toml"),
        *FAST,
        f"train.run_dir={run_dir}",
        "train.deterministic=true",
        "metrics.tensorboard=false",
        *overrides,
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(proc: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=timeout)
    return proc.returncode, out


@pytest.mark.slow
def test_resume_on_two_processes_is_bitwise_and_reshards_to_one(home: Path, tmp_path: Path) -> None:
    steps = ["train.steps=8", "train.val_every=0"]
    code, out = finish(torchrun(2, tmp_path / "whole", *steps, home=home))
    assert code == 0, out
    # The first half saves asynchronously: its checkpoint must hold the step-4 state all the same.
    code, out = finish(torchrun(2, tmp_path / "split", *steps, "train.stop_at_step=4", "checkpoint.async_save=true", home=home))
    assert code == 0, out
    assert sorted(losses(tmp_path / "split")) == [1, 2, 3, 4]
    resharded = tmp_path / "resharded"
    shutil.copytree(tmp_path / "split", resharded)  # the same step-4 state, resumed on one process below
    code, out = finish(torchrun(2, tmp_path / "split", *steps, home=home))
    assert code == 0, out
    whole = losses(tmp_path / "whole")
    assert sorted(whole) == list(range(1, 9))
    assert losses(tmp_path / "split") == whole  # bitwise: floats compared exactly

    # Saved on 2 processes, resumed on 1: DCP reshards the FSDP state, the loader continues the stream.
    weights = consolidate(resharded / "checkpoints" / "step-000004", tmp_path / "step4.pt")
    code, out = finish(torchrun(1, resharded, *steps, home=home))
    assert code == 0, out
    after = losses(resharded)
    assert sorted(after) == list(range(1, 9)) and all(math.isfinite(v) for v in after.values())
    # Step 5 on one process = the step-4 weights on the next samples of the stream (offset 4 x 2 x 4).
    cfg = load_config(REPO / "configs" / "lm-tiny.toml", FAST)
    args = model_args("lm", "tiny", **cfg.model.args)
    assert isinstance(args, LMArgs)
    model = build_model("lm", args)
    model.load_state_dict(torch.load(weights, weights_only=True))
    source = SyntheticSource("lm", batch_size=4, seq_len=16, vocab_size=args.vocab_size, seed=0)
    source.load_state_dict({**source.state_dict(), "offset": 32})
    batch = next(source)
    with torch.no_grad():
        expected, _, _ = loss_and_correct("lm", model(batch["tokens"]), batch)
    assert after[5] == pytest.approx(expected.item(), rel=1e-5)
    resumed = [r for r in read_metrics(resharded) if r.get("event") == "resumed"]
    assert resumed == [{"step": 4, "event": "resumed", "world_size": 1}]


@pytest.mark.slow
def test_a_signal_to_one_rank_stops_all_ranks_at_the_same_step_with_a_checkpoint(home: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    proc = torchrun(2, run_dir, "train.steps=100000", "checkpoint.every_steps=0", home=home)
    deadline = time.monotonic() + 120
    while len(losses(run_dir)) < 3:
        assert proc.poll() is None and time.monotonic() < deadline, "training did not start"
        time.sleep(0.2)
    workers = [
        p for p in psutil.Process(proc.pid).children(recursive=True) if "aircluster.train.trainer" in " ".join(p.cmdline())
    ]
    rank1 = next(p for p in workers if p.environ().get("RANK") == "1")
    rank1.send_signal(signal.SIGUSR1)
    code, out = finish(proc, timeout=120)
    assert code != 0, out  # torchrun reports the workers' EXIT_PREEMPTED as a failure to its caller

    stopped = [
        json.loads(line.rsplit("step ", 1)[1].split(",")[0])
        for rank in (0, 1)
        for line in (run_dir / "logs" / f"rank{rank}.log").read_text().splitlines()
        if "stop requested" in line
    ]
    assert len(stopped) == 2 and stopped[0] == stopped[1], stopped
    step = stopped[0]
    assert re.search(rf"exitcode\s*:\s*{EXIT_PREEMPTED}\b", out), out
    assert (run_dir / "checkpoints" / f"step-{step:06d}").is_dir()
    assert (run_dir / "checkpoints" / "latest").read_text().strip() == f"step-{step:06d}"
    assert read_metrics(run_dir)[-1] == {"step": step, "event": "preempted"}


def _train_then_count_leftovers(rank: int, port: int, config: str, run_dir: str, out: str) -> None:
    os.environ.update(
        RANK=str(rank),
        LOCAL_RANK=str(rank),
        WORLD_SIZE="2",
        LOCAL_WORLD_SIZE="2",
        MASTER_ADDR="127.0.0.1",
        MASTER_PORT=str(port),
        OMP_NUM_THREADS="1",
    )
    import gc

    import torch.distributed as dist

    # Only an explicit collection may free reference cycles here, as when the interpreter shuts down.
    gc.disable()
    train(load_config(config, [*FAST, "train.steps=3", f"train.run_dir={run_dir}"]))
    leftovers = sorted(
        {
            type(o).__name__
            for o in gc.get_objects()
            if type(o).__name__ in ("DTensor", "ProcessGroup", "ProcessGroupGloo") or type(o).__name__.startswith("FSDP")
        }
    )
    if rank == 0:
        Path(out).write_text(json.dumps({"leftovers": leftovers, "initialized": dist.is_initialized()}))


@pytest.mark.slow
def test_a_distributed_run_frees_its_model_before_the_process_group_goes(home: Path, tmp_path: Path) -> None:
    # FSDP state freed after the gloo group is destroyed (at interpreter shutdown) aborted a worker that had
    # finished its run ("terminate called without an active exception"): torchrun took it for a failure.
    import socket

    from torch.multiprocessing.spawn import spawn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "leftovers.json"
    spawn(
        _train_then_count_leftovers,
        args=(port, str(REPO / "configs" / "lm-tiny.toml"), str(tmp_path / "run"), str(out)),
        nprocs=2,
        join=True,
    )
    result = json.loads(out.read_text())
    assert result == {"leftovers": [], "initialized": False}
