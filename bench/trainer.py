"""Benchmark: aircluster's trainer against a bare PyTorch loop, same model, batch, sequence and processes. Prints tables.

    .venv/bin/python bench/trainer.py [--runs 1] [--steps 25] [--batch 4] [--dim 384] [--layers 6] [--seq 256]
    .venv/bin/python bench/trainer.py --quick        # smoke run: tiny model, few steps

In one run, for each mode (1 process fp32, 1 process bf16, 2 processes DDP, 2 processes FSDP2):
- ours: `python -m aircluster.train.trainer` (under `torch.distributed.run --standalone --nproc-per-node 2` for 2
  processes) reading an encrypted dataset (imported and approved once under --work/home, a temp
  AIRCLUSTER_HOME) through the store's loader; tokens/s and data_wait_frac from the run's metrics.jsonl;
- bare: this file's own loop (spawned with torch.multiprocessing, gloo): the same model from
  `build_model("lm", model_args(...))`, `torch.optim.AdamW(fused=True)`, random tokens already in memory,
  `torch.autocast("cpu", torch.bfloat16)` for bf16, `DistributedDataParallel` or per-block `fully_shard` for
  2 processes; each process gets torch.set_num_threads(cores // processes), as aircluster/train/parallel.py does.
Then the default configuration (train.parallel=auto, train.precision=auto) on 1 and 2 processes: what it picks
and its tokens/s; and the cost of a checkpoint (every 5 steps, sync and async): the wall time between
consecutive metrics lines (stamped by this script as they appear) after a checkpoint step, minus the median of
the others in the same run. The first --warmup steps are discarded. tok/s are global (all processes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, load_average, median, print_table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
CLI = ROOT / ".venv" / "bin" / "aircluster"
SIZE = "small"  # the named size whose other args (multiple_of, max_seq_len 512) the overrides start from
MODES = [  # label, processes, train.parallel, train.precision
    ("1 proc fp32", 1, "none", "fp32"),
    ("1 proc bf16", 1, "none", "bf16"),
    ("2 procs DDP fp32", 2, "ddp", "fp32"),
    ("2 procs FSDP2 fp32", 2, "fsdp", "fp32"),
]


# --- data: an encrypted, approved dataset in a temp AIRCLUSTER_HOME -------------------------------------


def prepare(work: Path, mb: float) -> dict[str, str]:
    home = work / "home"
    env = {**os.environ, "AIRCLUSTER_HOME": str(home), "AIRCLUSTER_USER": "bench-importer"}
    if (work / "prepared").exists():
        return env
    shutil.rmtree(home, ignore_errors=True)
    rng = random.Random(0)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 9))) for _ in range(4000)]
    text = work / "posts.jsonl"
    with open(text, "w") as f:
        size, i = 0, 0
        while size < mb * (1 << 20):
            line = (
                json.dumps(
                    {
                        "id": i,
                        "user_id": f"u{rng.randrange(10**6):07d}",
                        "text": " ".join(rng.choices(words, k=rng.randint(20, 200))),
                    }
                )
                + "\n"
            )
            f.write(line)
            size += len(line)
            i += 1
    policy = work / "allow-all.toml"
    policy.write_text('[defaults]\naction = "allow"\n')
    t = time.perf_counter()
    for cmd, user in (
        (["init"], "bench-importer"),
        (["data", "import", "bench", str(text), "--policy", str(policy)], "bench-importer"),
        (["review", "approve", "bench@1", "--note", "bench"], "steward"),
    ):
        proc = subprocess.run([str(CLI), *cmd], env={**env, "AIRCLUSTER_USER": user}, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"aircluster {' '.join(cmd)} failed: {proc.stderr.strip()}")
    (work / "prepared").write_text("ok\n")
    print(f"prepared dataset bench@1 ({mb} MiB JSONL, encrypted, approved) in {time.perf_counter() - t:.0f} s", flush=True)
    return env


# --- ours: the trainer as a user runs it ----------------------------------------------------------------


class MetricsWatcher:
    """Stamps each metrics.jsonl line with the wall time it appeared (polled every 10 ms)."""

    def __init__(self, path: Path):
        self.path, self.stamps, self._stop = path, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pos, buf = 0, ""
        while not self._stop.is_set():
            if self.path.exists():
                with open(self.path) as f:
                    f.seek(pos)
                    chunk = f.read()
                    pos = f.tell()
                now = time.perf_counter()
                buf += chunk
                *lines, buf = buf.split("\n")
                for line in lines:
                    try:
                        rec = json.loads(line)
                    except ValueError:
                        continue
                    if "tokens_per_s" in rec:
                        self.stamps.setdefault(rec["step"], now)
            self._stop.wait(0.01)

    def stop(self) -> dict[int, float]:
        self._stop.set()
        self._thread.join()
        return self.stamps


def run_ours(
    opts: argparse.Namespace,
    env: dict[str, str],
    procs: int,
    parallel: str,
    precision: str,
    *,
    ckpt_every: int = 0,
    async_save: bool = False,
    tag: str = "",
) -> dict:
    # A fresh directory per run: the trainer resumes from any checkpoint it finds in its run_dir.
    run_dir = Path(opts.work) / "runs" / f"{tag or parallel + '-' + precision}-{procs}p-{os.getpid()}-{time.time_ns()}"
    config = Path(opts.work) / "lm.toml"
    config.write_text(f'[model]\nname = "lm"\nsize = "{SIZE}"\n\n[data]\ndatasets = ["bench@1"]\n')
    overrides = [
        f"model.args.dim={opts.dim}",
        f"model.args.n_layers={opts.layers}",
        f"model.args.n_heads={opts.heads}",
        f"data.seq_len={opts.seq}",
        f"data.batch_size={opts.batch}",
        f"train.steps={opts.steps}",
        f"train.parallel={parallel}",
        f"train.precision={precision}",
        f"train.run_dir={run_dir}",
        f"checkpoint.every_steps={ckpt_every}",
        f"checkpoint.async_save={str(async_save).lower()}",
        "checkpoint.save_final=false",
        "data.val_batches=1",
        "metrics.progress=false",
        "metrics.tensorboard=false",
    ]
    launcher = [str(PY)] if procs == 1 else [str(PY), "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={procs}"]
    cmd = launcher + ["-m", "aircluster.train.trainer", str(config), *overrides]
    watcher = MetricsWatcher(run_dir / "metrics.jsonl")
    proc = subprocess.run(cmd, env={**env, "AIRCLUSTER_USER": "bench-trainer"}, capture_output=True, text=True, timeout=3600)
    stamps = watcher.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"trainer ({procs}p {parallel} {precision}) exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    records = [json.loads(ln) for ln in (run_dir / "metrics.jsonl").read_text().splitlines() if ln.strip()]
    steps = [r for r in records if "tokens_per_s" in r and r["step"] > opts.warmup]
    picked = re.search(r"x (\d+) procs, (\w+), (\w+);", proc.stderr)
    shutil.rmtree(run_dir, ignore_errors=True)  # checkpoints are large; the numbers are read
    return {
        "tok_s": median(r["tokens_per_s"] for r in steps),
        "wait_pct": 100 * median(r["data_wait_frac"] for r in steps),
        "wait_pct_max": 100 * max(r["data_wait_frac"] for r in steps),
        "step_s": median(r["step_s"] for r in steps),
        "picked": f"{picked.group(2)}, {picked.group(3)}" if picked else "?",
        "stamps": stamps,
    }


def checkpoint_cost(stamps: dict[int, float], every: int, warmup: int) -> tuple[float, float, float]:
    """(median interval after a checkpoint step, median of the other intervals, amortized cost per checkpoint)."""
    steps = sorted(stamps)
    intervals = {k: stamps[k] - stamps[k - 1] for k in steps if k - 1 in stamps and k > warmup + 1}
    after = [v for k, v in intervals.items() if (k - 1) % every == 0]
    others = [v for k, v in intervals.items() if (k - 1) % every != 0]
    base = median(others)
    n_ckpt = len(after)
    amortized = (sum(intervals.values()) - len(intervals) * base) / n_ckpt if n_ckpt else float("nan")
    return median(after), base, amortized


# --- bare: a plain PyTorch loop ---------------------------------------------------------------------------


def bare_rank(rank: int, o: dict, port: int, out: str) -> None:
    import contextlib

    import torch
    import torch.distributed as dist
    import torch.nn.functional as F

    from aircluster.train.models import build_model, model_args

    procs = o["procs"]
    torch.set_num_threads(max(1, (os.cpu_count() or 1) // procs))
    if procs > 1:
        os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
        dist.init_process_group("gloo", rank=rank, world_size=procs)
    torch.manual_seed(0)
    args = model_args("lm", SIZE, dim=o["dim"], n_layers=o["layers"], n_heads=o["heads"])
    model = build_model("lm", args)
    bf16 = o["precision"] == "bf16"
    if o["mode"] == "ddp":
        from torch.nn.parallel import DistributedDataParallel

        model = DistributedDataParallel(model)
    elif o["mode"] == "fsdp":
        from torch.distributed.device_mesh import init_device_mesh
        from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard

        mesh = init_device_mesh("cpu", (procs,))
        mp = MixedPrecisionPolicy(param_dtype=torch.bfloat16, reduce_dtype=torch.float32) if bf16 else MixedPrecisionPolicy()
        for block in model.layers:
            fully_shard(block, mesh=mesh, mp_policy=mp)
        fully_shard(model, mesh=mesh, mp_policy=mp)
    try:
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, fused=True)
    except (RuntimeError, ValueError):
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    gen = torch.Generator().manual_seed(rank)
    tokens = torch.randint(0, args.vocab_size, (o["batch"], o["seq"] + 1), generator=gen)
    inputs, targets = tokens[:, :-1], tokens[:, 1:].reshape(-1)
    autocast = (lambda: torch.autocast("cpu", torch.bfloat16)) if bf16 and o["mode"] != "fsdp" else contextlib.nullcontext
    times = []
    for _ in range(o["steps"]):
        start = time.perf_counter()
        with autocast():
            logits = model(inputs)
        loss = F.cross_entropy(logits.flatten(0, 1).float(), targets)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        loss.item()
        times.append(time.perf_counter() - start)
    if rank == 0:
        Path(out).write_text(json.dumps({"times": times, "fused": bool(optimizer.defaults.get("fused"))}))
    if procs > 1:
        dist.destroy_process_group()


def bare_child(o: dict) -> None:
    out = Path(o["work"]) / f"bare-{os.getpid()}.json"
    if o["procs"] == 1:
        bare_rank(0, o, 0, str(out))
    else:
        import torch.multiprocessing as mp

        mp.spawn(bare_rank, args=(o, free_port(), str(out)), nprocs=o["procs"], join=True)
    result = json.loads(out.read_text())
    out.unlink()
    print(json.dumps(result))


def run_bare(opts: argparse.Namespace, procs: int, mode: str, precision: str) -> dict:
    o = {
        "procs": procs,
        "mode": mode,
        "precision": precision,
        "dim": opts.dim,
        "layers": opts.layers,
        "heads": opts.heads,
        "seq": opts.seq,
        "batch": opts.batch,
        "steps": opts.steps,
        "work": opts.work,
    }
    proc = subprocess.run([str(PY), __file__, "--bare-child", json.dumps(o)], capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"bare loop ({procs}p {mode} {precision}) exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    step = median(result["times"][opts.warmup :])
    return {"tok_s": opts.batch * opts.seq * procs / step, "step_s": step, "fused": result["fused"]}


# --- the driver ---------------------------------------------------------------------------------------------


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=1, help="repeat every measurement; tables show medians")
    p.add_argument("--steps", type=int, default=25)
    p.add_argument("--warmup", type=int, default=5, help="first steps discarded")
    p.add_argument("--batch", type=int, default=4, help="per process")
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--dim", type=int, default=384)
    p.add_argument("--layers", type=int, default=6)
    p.add_argument("--heads", type=int, default=6)
    p.add_argument("--ckpt-every", type=int, default=5, help="checkpoint interval of the checkpoint-cost runs")
    p.add_argument("--data-mb", type=float, default=2.0, help="size of the generated text dataset")
    p.add_argument("--quick", action="store_true", help="smoke run: tiny model, 10 steps")
    p.add_argument("--work", default="/tmp/aircluster-bench-trainer")
    p.add_argument(
        "--modes",
        help="comma-separated subset of: " + ", ".join(m[0] for m in MODES) + "; skips the default-config and checkpoint runs",
    )
    p.add_argument("--bare-child", help=argparse.SUPPRESS)
    opts = p.parse_args()
    if opts.bare_child:
        return bare_child(json.loads(opts.bare_child))
    if opts.quick:
        opts.dim, opts.layers, opts.heads, opts.seq, opts.steps, opts.warmup, opts.ckpt_every = 64, 2, 4, 64, 10, 2, 3
    Path(opts.work).mkdir(parents=True, exist_ok=True)
    env = prepare(Path(opts.work), opts.data_mb)
    print(
        f"model lm d_model {opts.dim}, {opts.layers} layers, {opts.heads} heads, seq {opts.seq}, batch {opts.batch}"
        f"/process, {opts.steps} steps ({opts.warmup} warm-up discarded), {opts.runs} run(s); {os.cpu_count()} cores; "
        f"load {load_average()}",
        flush=True,
    )

    modes = MODES
    if opts.modes:
        wanted = [w.strip() for w in opts.modes.split(",")]
        unknown = [w for w in wanted if w not in {m[0] for m in MODES}]
        if unknown:
            sys.exit(f"--modes: unknown mode(s) {', '.join(unknown)}; choose from {', '.join(m[0] for m in MODES)}")
        modes = [m for m in MODES if m[0] in wanted]
    ours: dict[str, list[dict]] = {m[0]: [] for m in MODES}
    bare: dict[str, list[dict]] = {m[0]: [] for m in MODES}
    defaults: dict[int, list[dict]] = {1: [], 2: []}
    ckpt: dict[str, list[tuple[float, float, float]]] = {"sync": [], "async": []}
    for run in range(opts.runs):
        for label, procs, mode, precision in modes:
            if run % 2 == 0:  # alternate the order (ABBA over runs) so that load drifting over time favours neither
                o = run_ours(opts, env, procs, mode, precision)
                b = run_bare(opts, procs, mode, precision)
            else:
                b = run_bare(opts, procs, mode, precision)
                o = run_ours(opts, env, procs, mode, precision)
            ours[label].append(o)
            bare[label].append(b)
            print(
                f"  run {run + 1}: {label:<20} ours {o['tok_s']:8.0f} tok/s (data wait {o['wait_pct']:.2f}%)  "
                f"bare {b['tok_s']:8.0f} tok/s  ratio {o['tok_s'] / b['tok_s']:.2f}",
                flush=True,
            )
        if opts.modes:
            continue
        for procs in (1, 2):
            d = run_ours(opts, env, procs, "auto", "auto", tag="default")
            defaults[procs].append(d)
            print(f"  run {run + 1}: default on {procs} proc(s) picks {d['picked']}: {d['tok_s']:.0f} tok/s", flush=True)
        for kind in ("sync", "async"):
            c = run_ours(opts, env, 1, "none", "auto", ckpt_every=opts.ckpt_every, async_save=kind == "async", tag=f"ckpt-{kind}")
            ckpt[kind].append(checkpoint_cost(c["stamps"], opts.ckpt_every, opts.warmup))
            after, base, amort = ckpt[kind][-1]
            print(
                f"  run {run + 1}: checkpoint {kind}: step after a checkpoint {after:.3f} s vs {base:.3f} s "
                f"(amortized {amort:.3f} s per checkpoint)",
                flush=True,
            )

    rows = []
    for label, _procs, _mode, _precision in modes:
        o, b = median(r["tok_s"] for r in ours[label]), median(r["tok_s"] for r in bare[label])
        # Each run measured ours and bare back to back: the median of those paired ratios is what load
        # drifting between runs disturbs least.
        paired = median(x["tok_s"] / y["tok_s"] for x, y in zip(ours[label], bare[label]))
        rows.append(
            [
                label,
                o,
                b,
                f"{o / b:.2f}x",
                f"{paired:.2f}x",
                median(r["wait_pct"] for r in ours[label]),
                max(r["wait_pct_max"] for r in ours[label]),
                median(r["step_s"] for r in ours[label]),
            ]
        )
    print()
    print_table(
        [
            "mode",
            "ours tok/s",
            "bare tok/s",
            "ours/bare",
            "median run ratio",
            "ours data-wait % (median)",
            "data-wait % (max)",
            "ours step s",
        ],
        rows,
        digits=2,
        title=f"Trainer vs bare PyTorch loop: lm d_model {opts.dim} x {opts.layers} layers, seq {opts.seq}, "
        f"batch {opts.batch}/process; medians of steps {opts.warmup + 1}..{opts.steps}"
        f" over {opts.runs} run(s); target ours/bare >= 0.95x, data wait < 2%",
    )
    if opts.modes:
        return
    by_label = {label: median(r["tok_s"] for r in ours[label]) for label, *_ in MODES}
    rows = []
    for procs in (1, 2):
        best_label = max((m[0] for m in MODES if m[1] == procs), key=by_label.get)
        d = median(r["tok_s"] for r in defaults[procs])
        rows.append(
            [
                f"{procs} proc(s), auto/auto",
                defaults[procs][0]["picked"],
                d,
                best_label,
                by_label[best_label],
                f"{d / by_label[best_label]:.2f}x",
            ]
        )
    overall = max(by_label, key=by_label.get)
    print()
    print_table(
        ["default config", "picks (parallel, precision)", "tok/s", "fastest measured mode", "its tok/s", "default/fastest"],
        rows,
        title=f"Default configuration (train.parallel=auto, train.precision=auto); fastest of all measured: "
        f"{overall} ({by_label[overall]:.0f} tok/s)",
    )
    rows = []
    for kind in ("sync", "async"):
        after = median(c[0] for c in ckpt[kind])
        base = median(c[1] for c in ckpt[kind])
        rows.append([kind, base, after, after - base, median(c[2] for c in ckpt[kind])])
    print()
    print_table(
        ["checkpoint", "step s (no ckpt)", "step s (after ckpt)", "cost s", "amortized cost s / ckpt"],
        rows,
        digits=3,
        title=f"Checkpoint cost (1 process, precision auto, every {opts.ckpt_every} steps, DCP): wall "
        f"time between metrics lines; amortized = all excess time in the run / checkpoints",
    )


if __name__ == "__main__":
    main()
