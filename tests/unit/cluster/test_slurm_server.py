"""A 2-node training job on the emulated Slurm cluster reading through the server over TCP with MUNGE.

The server listens on 127.0.0.1 (a port the kernel picks); the batch script gets AIRCLUSTER_SERVER, and every
process of the job (hooks, trainer ranks, loader) connects over TCP and proves its account with a MUNGE
credential made by the cluster's munged. The job's token reaches them in the environment, never in the script.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.servers import approve, cli, import_dataset, personal_server, write_posts
from tests.unit.cluster.conftest import SlurmCluster
from tests.unit.cluster.test_launch_local import TRAIN_ARGS
from tests.unit.store.policies import ALLOW_ALL

pytestmark = [pytest.mark.slow, pytest.mark.slurm]


def test_two_node_slurm_job_reads_through_the_server_over_tcp_with_munge(slurm_cluster: SlurmCluster, tmp_path: Path) -> None:
    munge_socket = str(slurm_cluster.state_dir / "munge" / "munge.socket")
    policy = tmp_path / "allow-all.toml"
    policy.write_text(ALLOW_ALL)
    extra = {**slurm_cluster.env, "AIRCLUSTER_MUNGE_SOCKET": munge_socket, "OMP_NUM_THREADS": "1"}
    with personal_server(tmp_path / "home", extra, listen="127.0.0.1:0") as env:
        listen = json.loads(cli(env, "server", "status", "--json").stdout)["listen"]
        assert listen and listen.startswith("127.0.0.1:")
        import_dataset(env, "posts", write_posts(tmp_path / "posts.jsonl"), policy)
        approve(tmp_path / "home", "posts@1")
        proc = cli(
            env,
            "train",
            *TRAIN_ARGS,
            "train.steps=10",
            'data.datasets=["posts@1"]',
            "--backend",
            "slurm",
            "--nodes",
            "2",
            "--procs-per-node",
            "1",
            "--json",
            check=False,
            timeout=400,
        )
        doc = json.loads(proc.stdout) if proc.stdout.strip() else {}
        assert proc.returncode == 0 and doc.get("status") == "completed", (proc.stderr[-3000:], doc.get("message"))
        job_id = doc["id"]
        assert len(doc["nodes_used"]) == 2 and set(doc["nodes_used"]) <= set(slurm_cluster.nodes)
        audit = [json.loads(line) for line in (tmp_path / "home" / "audit" / "audit.log").read_text().splitlines()]
    releases = [e for e in audit if e["action"] == "keys.release" and e.get("job_id") == job_id and e["purpose"] == "train"]
    assert {e["rank"] for e in releases} == {0, 1}
    assert {e["via"] for e in releases} == {"tcp"}  # the ranks reached the server over TCP, authenticated by MUNGE
    assert {e["principal"] for e in releases} == {"root"}
    script = (Path(doc["run_dir"]) / "job.sbatch").read_text()
    assert f"export AIRCLUSTER_SERVER={listen}" in script
    assert "AIRCLUSTER_JOB_TOKEN=" not in script and "AIRCLUSTER_USER" not in script
    events = [e["kind"] for e in doc["events"]]
    assert events[0] == "submitted" and "slurm_attempt" in events and events[-1] == "completed"


def test_slurm_job_whose_allocation_is_gone_is_failed_within_a_minute_and_its_token_refused(
    slurm_cluster: SlurmCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aircluster.client.connection import Client
    from aircluster.client.jobs import RemoteJobs
    from aircluster.errors import PermissionDenied
    from tests.unit.cluster.conftest import wait_for
    from tests.unit.jobs.test_job_credentials import read_with, token_of

    policy = tmp_path / "allow-all.toml"
    policy.write_text(ALLOW_ALL)
    home = tmp_path / "home"
    extra = {**slurm_cluster.env, "OMP_NUM_THREADS": "1"}
    with personal_server(home, extra) as env:
        monkeypatch.setenv("AIRCLUSTER_HOME", str(home))
        import_dataset(env, "posts", write_posts(tmp_path / "posts.jsonl"), policy)
        approve(home, "posts@1")
        out = cli(
            env,
            "train",
            *TRAIN_ARGS,
            "train.steps=100000",
            'data.datasets=["posts@1"]',
            "--backend",
            "slurm",
            "--nodes",
            "2",
            "--procs-per-node",
            "1",
            "--detach",
            "--json",
        ).stdout
        job_id, slurm_id = json.loads(out)["id"], json.loads(out)["slurm_job_id"]
        with RemoteJobs(Client(str(home / "server.sock"))) as jobs:
            try:
                wait_for("the job to train", lambda: any(e["kind"] == "attempt" for e in jobs.events(job_id)), timeout=180)
                token = token_of(job_id, at_least=2)  # the batch script, srun's tasks, torchrun and ranks: one token
                # the token works only on a node of the job's allocation: read as a process there would
                nodelist = slurm_cluster.job(slurm_id)["NodeList"]
                node = slurm_cluster.run("scontrol", "show", "hostnames", nodelist).stdout.split()[0]
                monkeypatch.setenv("SLURMD_NODENAME", node)
                assert len(read_with(token, "posts@1", 2)) == 2
            finally:
                slurm_cluster.run("scancel", "--full", "--signal=KILL", slurm_id, check=False)
            gone_at = slurm_cluster.run("date", "+%s.%N").stdout
            failed = wait_for(
                f"job {job_id} to be shown failed", lambda: (j := jobs.get(job_id)).status == "failed" and j, timeout=75
            )
        took = time.time() - float(gone_at)
        print(f"\nSlurm job {slurm_id} killed: job {job_id} shown failed after {took:.1f} s")
        assert took < 60
        assert f"Slurm allocation {slurm_id} is gone" in (failed.message or "")
        with pytest.raises(PermissionDenied, match=f"the token of job {job_id} was revoked"):
            read_with(token, "posts@1")
