"""`aircluster demo`: the main job, end to end, on embedded defaults, in a few minutes on 2 CPU cores.

1. generate a synthetic "production" dataset of user posts containing PII;
2. import it through the privacy review (PII detected, the strict policy applied, encrypted shards);
3. approve it: as root, by a steward account created for the demo (four-eyes, enforced by the server); as
   an ordinary user, by that one person of a personal installation (four-eyes cannot hold there);
4. verify every shard;
5. train a small language model with FSDP2 on 2 local processes (torchrun), checkpointing as it goes;
6. kill one training process on purpose and let the launcher restart the group from the last checkpoint;
7. summarise: PII found and what was done, bytes encrypted, loss before and after, tokens/s, ETTR, where
   everything is, and text sampled from the trained model.
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from pathlib import Path
from typing import Any

from aircluster import installation
from aircluster.context import open_audit
from aircluster.errors import AirclusterError
from aircluster.security.audit import AuditLog
from aircluster.security.witness import Witness

DEMO_DATASET = "demo-posts"
DEMO_RECORDS = 4000
KILL_AT_STEP = 120
TRAIN_CONFIG = Path(__file__).with_name("demo_train.toml")


def generate_posts(path: Path, n: int, seed: int) -> None:
    """User posts with PII in them (names, emails, phones, cards, addresses...), deterministic per seed."""
    from aircluster.demo.posts import generate_records

    with open(path, "w") as f:
        for record in generate_records(n, seed):
            f.write(json.dumps(record) + "\n")


def _steps(run_dir: Path) -> list[dict[str, Any]]:
    path = run_dir / "metrics.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue  # a line being written
    return out


def _kill_one_worker_at(run_dir: Path, step: int, done: threading.Event, say, info: dict[str, Any]) -> None:
    """Watch the run's metrics; at `step`, SIGKILL one trainer process (local rank 1) of the job; `info`
    receives its pid and the time."""
    import psutil

    def rank_one() -> psutil.Process | None:
        # This job's trainers (their command names its run directory). Trainers are not dumpable once they
        # hold keys, so only root may read their environment; otherwise rank 1 is the second one torchrun
        # started.
        mine = []
        for proc in psutil.process_iter(["cmdline", "create_time"]):
            cmd = " ".join(proc.info.get("cmdline") or [])
            if "aircluster.train.trainer" in cmd and str(run_dir) in cmd and "torch.distributed.run" not in cmd:
                try:
                    if proc.environ().get("LOCAL_RANK") == "1":
                        return proc
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    mine.append(proc)
        mine.sort(key=lambda p: (p.info["create_time"], p.pid))
        return mine[1] if len(mine) == 2 else None

    def watch() -> None:
        while not done.is_set():
            if any(r.get("step", 0) >= step and "loss" in r for r in _steps(run_dir)):
                victim = rank_one()
                if victim is not None:
                    try:
                        info["pid"], info["at"] = victim.pid, time.time()
                        victim.kill()
                        say(
                            f"   !! killed trainer process {victim.pid} (rank 1) at step >= {step}: "
                            "torchrun restarts the group, which resumes from the last checkpoint"
                        )
                        return
                    except psutil.NoSuchProcess:
                        info.clear()
            time.sleep(0.2)

    threading.Thread(target=watch, daemon=True).start()


def _own_workdir(home: Path) -> Path:
    """The demo's files belong to whoever runs it: in a shared installation, beside the home, not in it."""
    own = os.access(home, os.W_OK) and os.stat(home).st_uid == os.getuid()
    return home / "demo" if own else home.parent / f"{home.name}-demo"


def _read_through_loader(ref: str) -> int:
    from aircluster.store.loader import StreamingDataLoader, StreamingDataset

    loader = StreamingDataLoader(
        StreamingDataset(ref, seed=0, purpose="demo read"), batch_size=64, num_workers=2, collate_fn=lambda records: len(records)
    )
    return sum(loader)


def _sample_text(run_dir: Path, prompt: str) -> str:
    import torch

    from aircluster.jobs.run_config import load_config
    from aircluster.train.checkpoint import consolidate
    from aircluster.train.models import build_model, generate, model_args
    from aircluster.train.tokenizer import ByteTokenizer

    cfg = load_config(run_dir / "config.toml")
    latest = (run_dir / "checkpoints" / "latest").read_text().strip()
    weights = consolidate(run_dir / "checkpoints" / latest, run_dir / "model.pt")
    model = build_model("lm", model_args("lm", cfg.model.size, **cfg.model.args))
    state = torch.load(weights, map_location="cpu", weights_only=True)
    model.load_state_dict(state.get("model", state))
    model.eval()
    tok = ByteTokenizer()
    ids = torch.tensor([tok.encode(prompt)])
    out = generate(model, ids, max_new_tokens=80, temperature=0.8, top_k=20, generator=torch.Generator().manual_seed(0))
    return tok.decode(out[0].tolist())


def run_demo(json_output: bool = False, workdir: str | None = None) -> int:
    from aircluster.cli.output import human_bytes
    from aircluster.cli.upload import ServerImport
    from aircluster.client.connection import connect
    from aircluster.client.jobs import RemoteJobs
    from aircluster.client.remote import ServerKeys
    from aircluster.cluster.launch import launch
    from aircluster.cluster.request import LaunchRequest
    from aircluster.demo.people import approve, assemble, self_approval_refused
    from aircluster.store.reader import verify_version

    say = (lambda *a: None) if json_output else (lambda *a: print(*a, flush=True))
    started = time.time()
    home = installation.home()
    cast = assemble(home)
    paths = installation.Paths(home)
    work = Path(workdir) if workdir else _own_workdir(home)
    work.mkdir(parents=True, exist_ok=True)
    source = work / "posts.jsonl"
    importer = installation.principal()
    if cast.personal:
        say(f"0. a personal installation in {home}: its server runs as {importer}, who is its only person")
    else:
        say(
            f"0. a shared installation in {home}: its server runs as account {cast.config.account}; "
            f"{importer} imports, steward {cast.steward} reviews"
        )

    say(f"1. generating {DEMO_RECORDS} synthetic user posts containing PII -> {source}")
    generate_posts(source, DEMO_RECORDS, seed=0)

    say(f"2. importing as {importer} through the server: privacy scan (2 processes), strict policy, encrypted shards")
    with connect() as server:
        upload = ServerImport(server, DEMO_DATASET, [str(source)], {"shard_bytes": 256 << 10})
        upload.begin(None, min(2, os.cpu_count() or 1))  # the strict default policy
        upload.upload(lambda n: None)
        result = upload.run()
    report = result["review"].get("report") or {}
    say(
        f"   {result['ref']}: {result['records']} records kept in {result['shards']} shards, "
        f"{human_bytes(result['bytes_stored'])} encrypted (AES-256-GCM, a key per shard); review {result['review'].get('state')}"
    )
    for row in report.get("findings", [])[:12]:
        actions = ", ".join(f"{a} {c}" for a, c in sorted(row["actions"].items()))
        say(f"   - {row['entity']:<14} in {row['field']:<10} {row['count']:>5} found -> {actions}")

    note = "demo: synthetic data, strict policy applied"
    if cast.personal:
        decision = approve(cast, result["ref"], note)
        say(f"3. approved by {decision['principal']}: {decision['note']}")
    else:
        refusal = self_approval_refused(result["ref"])
        say(f"3. {importer} tries to approve its own import; the server refuses: {refusal}")
        decision = approve(cast, result["ref"], note)
        say(f"   approved by {decision['principal']}, a second account with the steward role (four-eyes)")

    say(
        "4. verifying every shard and the manifest (no data printed), then reading it back through the "
        "streaming loader with 2 workers (data keys from the server; plaintext only in the workers' memory)"
    )
    with ServerKeys.connect() as keys:
        version = keys.catalog.resolve(result["ref"])
        verified = verify_version(keys, version)
    loaded = _read_through_loader(version.ref)
    if loaded != version.records:
        raise AirclusterError(f"{version.ref}: the loader delivered {loaded} records, expected {version.records}")
    say(f"   {loaded} records delivered exactly once (decrypted in the workers' memory only)")

    req = LaunchRequest(
        config_path=str(TRAIN_CONFIG),
        overrides=[f'data.datasets=["{version.ref}"]'],
        backend="local",
        nodes=1,
        procs_per_node=2,
        max_restarts=3,
    )
    done = threading.Event()
    killed: dict[str, Any] = {}

    def watch(job) -> None:  # the job exists, torchrun not yet: follow its run directory
        run_dir = Path(job.run_dir)
        say(
            f"5. training job {job.id}: a small byte-level LM ({TRAIN_CONFIG.name}), FSDP2 on 2 processes, "
            f"checkpoints as it goes -> {run_dir}"
        )
        _kill_one_worker_at(run_dir, KILL_AT_STEP, done, say, killed)
        threading.Thread(target=_report_progress, args=(run_dir, done, say), daemon=True).start()

    try:
        job, code = launch(req, echo=False, on_created=watch)
    finally:
        done.set()
    run_dir = Path(job.run_dir)
    with RemoteJobs.connect() as jobs:
        record = jobs.describe(job.id)
        events = jobs.events(job.id)
    if code != 0:
        say(f"   training failed (exit {code}); see `aircluster jobs logs {job.id}`")
        return 1

    steps = [r for r in _steps(run_dir) if "loss" in r]
    first = statistics.mean(r["loss"] for r in steps[:5])
    last = statistics.mean(r["loss"] for r in steps[-5:])
    rates = [r["tokens_per_s"] for r in steps if "tokens_per_s" in r]
    resumed = [e for e in events if e["kind"] == "attempt"]
    say("6. sampling text from the trained model")
    sample = _sample_text(run_dir, "I ")
    try:
        audit = open_audit().verify()
    except AirclusterError as err:  # an account without a home of its own: keep the heads it saw beside the demo
        say(f"   (audit witness: {err}; keeping it in {work / 'witness'})")
        audit = AuditLog(
            paths.audit_log, paths.audit_head, paths.audit_public_key, paths.audit_signing_key, Witness(work / "witness")
        ).verify()
    summary = {
        "installation": {"home": str(home), "mode": cast.config.mode, "server_account": cast.config.account},
        "dataset": version.ref,
        "records": result["records"],
        "shards": result["shards"],
        "bytes_encrypted": result["bytes_stored"],
        "review": {
            "state": "approved",
            "imported_by": importer,
            "approved_by": decision["principal"],
            "four_eyes": decision.get("four_eyes", True),
            "findings": report.get("findings", []),
            "records_dropped": report.get("records_dropped", 0),
        },
        "verify": verified,
        "job": job.id,
        "status": record["status"],
        "restarts": record["restarts"],
        "killed_pid": killed.get("pid"),
        "attempts": [{"restart": e.get("restart"), "resumed_from_step": e.get("step")} for e in resumed],
        "loss_first": first,
        "loss_last": last,
        "tokens_per_s_median": statistics.median(rates) if rates else None,
        "ettr": record["ettr"],
        "sample": sample,
        "audit": audit.to_dict(),
        "paths": {
            "home": str(home),
            "run_dir": str(run_dir),
            "checkpoints": str(run_dir / "checkpoints"),
            "metrics": str(run_dir / "metrics.jsonl"),
            "audit_log": str(paths.audit_log),
            "store": version.location,
        },
        "seconds": round(time.time() - started, 1),
    }
    if json_output:
        print(json.dumps(summary, indent=2))
        return 0
    e = record["ettr"]
    say("")
    say("summary")
    say(
        f"  privacy   {sum(r['count'] for r in report.get('findings', []))} PII findings in {report.get('records', 0)} "
        f"records; {report.get('records_dropped', 0)} records dropped (secrets); "
        f"report: `aircluster review show {version.ref}`"
    )
    say(
        f"  store     {version.ref}: {result['records']} records, {result['shards']} shards, "
        f"{human_bytes(result['bytes_stored'])} "
        "of ciphertext; plaintext only ever in memory"
    )
    say(
        f"  training  loss {first:.2f} -> {last:.2f} over {len(steps)} logged steps; "
        f"median {summary['tokens_per_s_median']:,.0f} tokens/s on 2 processes (FSDP2)"
    )
    say(
        f"  failure   killed pid {killed.get('pid')}; {len(resumed) - 1} restart(s), resumed from step "
        f"{', '.join(str(a['resumed_from_step']) for a in summary['attempts'][1:]) or '-'}"
    )
    say(
        f"  ETTR      {e['ettr']:.2f} (productive {e['productive_s']:.0f} s of {e['eligible_s']:.0f} s; lost to restart "
        f"{e['lost_restart_s']:.0f} s, recomputation {e['lost_recompute_s']:.0f} s)"
    )
    say(f"  sample    {sample!r}")
    say(f"  where     run {run_dir}; checkpoints {run_dir / 'checkpoints'}; metrics {run_dir / 'metrics.jsonl'}")
    verdict = f"{audit.entries} entries, intact" if audit.ok else f"NOT VERIFIED: {audit.problem}"
    say(f"            audit log {paths.audit_log} ({verdict})")
    say(f"  took      {summary['seconds']} s.  Next: `aircluster jobs show {job.id}`, `aircluster review show {version.ref}`")
    return 0


def _report_progress(run_dir: Path, done: threading.Event, say) -> None:
    shown = 0
    while not done.is_set():
        for r in _steps(run_dir):
            if "loss" in r and r["step"] >= shown + 50:
                shown = r["step"] - r["step"] % 50
                say(f"   step {r['step']:>4}  loss {r['loss']:.3f}  {r.get('tokens_per_s', 0):,.0f} tokens/s")
        time.sleep(1)
