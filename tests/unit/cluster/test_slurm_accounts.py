"""A shared installation serving Slurm jobs of ordinary accounts, with real OS users on the emulated cluster.

Root runs `server init --shared` (the server runs as the system account `aircluster`, listening on TCP
127.0.0.1 with MUNGE); root imports `posts` and grants aircluster-t-slurmalice `train` on it; a steward
approves it. Alice submits `aircluster train --backend slurm --nodes 2` herself. The server verifies the Slurm
allocation her job reports with Slurm, binds the job's token to the nodes Slurm names, and refuses the token
to another account, and to alice herself from a node outside the allocation. Bob's allocation reported as
alice's job's is refused.
"""

from __future__ import annotations

import encodings.idna  # noqa: F401 - loaded here: a child that became another account cannot read root's stdlib
import json
import os
import pwd
import shutil
import signal
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aircluster import installation
from aircluster.client.connection import Client
from aircluster.client.jobs import RemoteJobs
from aircluster.errors import PermissionDenied
from aircluster.jobs.run_config import load_config, to_dict
from aircluster.server import config as server_config
from tests.accounts import call_as, ensure_user, make_traversable, run_as
from tests.servers import cli, home_env, import_dataset, start_server, stop_server, write_posts
from tests.unit.cluster.conftest import SlurmCluster, wait_for
from tests.unit.cluster.test_launch_local import TRAIN_ARGS
from tests.unit.jobs.test_job_credentials import read_with, token_of
from tests.unit.server.conftest import python_for, pythonpath
from tests.unit.store.policies import ALLOW_ALL

pytestmark = [pytest.mark.slow, pytest.mark.slurm]

ALICE, BOB, CAROL = (f"aircluster-t-slurm{name}" for name in ("alice", "bob", "carol"))
JOB_TIMEOUT = 400


@dataclass
class Shared:
    cluster: SlurmCluster
    home: Path
    sock: str
    listen: str  # the server's TCP address, for processes on the nodes
    munge_socket: str
    users: dict[str, pwd.struct_passwd]
    python: str  # an interpreter the accounts may run

    @property
    def paths(self) -> installation.Paths:
        return server_config.load(installation.Paths(self.home)).paths(self.home)

    def env(self, **extra: str) -> dict[str, str]:
        """What an account's shell on the cluster has: the installation, Slurm, munged, this code."""
        return {
            "AIRCLUSTER_HOME": str(self.home),
            "PYTHONPATH": pythonpath(),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "SLURM_CONF": self.cluster.env["SLURM_CONF"],
            "AIRCLUSTER_MUNGE_SOCKET": self.munge_socket,
            "OMP_NUM_THREADS": "1",
            **extra,
        }

    def on_node(self, node: str | None) -> dict[str, str]:
        """The environment of a process talking to the server over TCP from `node` (None: naming no node)."""
        env = {"AIRCLUSTER_SERVER": self.listen, "AIRCLUSTER_MUNGE_SOCKET": self.munge_socket}
        return env | ({"SLURMD_NODENAME": node} if node else {})

    def audit(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in (self.home / "audit" / "audit.log").read_text().splitlines()]

    def binding(self, job_id: str) -> tuple[str | None, list[str] | None]:
        """The token's binding as the server stored it (root may read the server's catalog)."""
        db = sqlite3.connect(f"file:{self.paths.catalog}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT slurm_job_id, nodes_json FROM job_tokens WHERE job_id=?", (job_id,)).fetchone()
        finally:
            db.close()
        return row[0], None if row[1] is None else json.loads(row[1])


@pytest.fixture(scope="module")
def shared(slurm_cluster: SlurmCluster) -> Iterator[Shared]:
    # Not under pytest's basetemp, which another pytest session of root makes 0700 again (the server's account
    # and the users must keep walking down to the home).
    top = Path(tempfile.mkdtemp(prefix="aircluster-t-slurm-accounts-"))
    policy = top / "allow-all.toml"
    policy.write_text(ALLOW_ALL)
    home = top / "home"
    munge_socket = str(slurm_cluster.state_dir / "munge" / "munge.socket")
    env = home_env(home, {**slurm_cluster.env, "AIRCLUSTER_MUNGE_SOCKET": munge_socket, "OMP_NUM_THREADS": "1"})
    users = {name: ensure_user(name) for name in (ALICE, BOB, CAROL)}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AIRCLUSTER_HOME", str(home))
        for name in ("AIRCLUSTER_JOB_ID", "AIRCLUSTER_JOB_TOKEN", "AIRCLUSTER_SERVER"):
            mp.delenv(name, raising=False)
        cli(env, "server", "init", "--shared")
        make_traversable(home)
        status = start_server(env, listen="127.0.0.1:0", shared=True)
        try:
            assert status["listen"].startswith("127.0.0.1:")
            import_dataset(env, "posts", write_posts(top / "posts.jsonl"), policy)  # root, the admin, imports
            sock = str(home / "server.sock")
            cli(env, "access", "role", "add", "steward", CAROL)
            call_as(users[CAROL], _decide, sock, "posts@1")
            cli(env, "access", "grant", ALICE, "train", "posts")
            yield Shared(slurm_cluster, home, sock, status["listen"], munge_socket, users, python_for(users[ALICE]))
        finally:
            stop_server(env)
            shutil.rmtree(top, ignore_errors=True)


def _decide(sock: str, ref: str) -> None:
    with Client(sock) as server:
        server.call("review.decide", ref=ref, decision="approved", note="reviewed by a steward")


def _events(sock: str, job_id: str, token: str, kind: str) -> None:
    with RemoteJobs(Client(), token) as jobs:  # AIRCLUSTER_SERVER: over TCP, from the node the environment names
        jobs.event(job_id, kind)


def _register_slurm_job(sock: str) -> tuple[str, str]:
    with RemoteJobs(Client(sock)) as jobs:
        job, token = jobs.register(
            config=to_dict(load_config(None)),
            backend="slurm",
            nodes=1,
            procs_per_node=1,
            datasets=["posts@1"],
            run_dir="/nonexistent/run",
        )
    return job.id, token


def _report(sock: str, job_id: str, token: str, fields: dict[str, Any]) -> dict[str, Any]:
    with RemoteJobs(Client(sock), token) as jobs:
        return jobs.update(job_id, **fields).__dict__


def _status(sock: str, job_id: str) -> str:
    with RemoteJobs(Client(sock)) as jobs:
        return jobs.get(job_id).status


# What a step of the job's allocation, run as the job's account, can open of the server's state.
PROBE = """
import json, os, sys
seen = {}
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f:
            f.read(1)
        seen[path] = "read"
    except OSError as err:
        seen[path] = type(err).__name__
print(json.dumps({"node": os.environ.get("SLURMD_NODENAME"), "uid": os.getuid(), "opened": seen}))
"""


@contextmanager
def munged_claiming(origin: str, key: Path) -> Iterator[str]:
    """A second munged with the cluster's MUNGE key whose credentials say they were made on `origin` (its
    --origin): what a credential made on another host looks like to the server. Yields its socket."""
    where = Path(tempfile.mkdtemp(prefix="aircluster-t-munge-"))
    where.chmod(0o755)
    argv = [
        "munged",
        f"--socket={where / 'munge.socket'}",
        f"--key-file={key}",
        f"--pid-file={where / 'munged.pid'}",
        f"--log-file={where / 'munged.log'}",
        f"--seed-file={where / 'munged.seed'}",
        f"--origin={origin}",
        "--force",
    ]
    subprocess.run(argv, check=True, capture_output=True, timeout=30)
    try:
        yield str(where / "munge.socket")
    finally:
        os.kill(int((where / "munged.pid").read_text()), signal.SIGTERM)
        shutil.rmtree(where, ignore_errors=True)


def allocation_nodes(cluster: SlurmCluster, slurm_id: str) -> list[str]:
    nodelist = cluster.job(slurm_id).get("NodeList", "")
    return cluster.run("scontrol", "show", "hostnames", nodelist).stdout.split() if nodelist not in ("", "(null)") else []


def test_ordinary_account_trains_on_two_slurm_nodes_through_the_shared_server(shared: Shared) -> None:
    alice, bob = shared.users[ALICE], shared.users[BOB]
    steps = ["train.steps=200", "checkpoint.every_steps=100"]  # still training while the checks run
    argv = ["train", *TRAIN_ARGS, *steps, 'data.datasets=["posts@1"]', "--backend", "slurm", "--nodes", "2"]
    done = run_as(
        alice, [shared.python, "-m", "aircluster.cli", *argv, "--procs-per-node", "1", "--detach", "--json"], env=shared.env()
    )
    assert done.returncode == 0, done.stderr
    submitted = json.loads(done.stdout)
    job_id, slurm_id = submitted["id"], submitted["slurm_job_id"]
    assert submitted["principal"] == ALICE
    assert shared.cluster.job(slurm_id)["UserId"].startswith(f"{ALICE}(")  # Slurm runs it as alice, not root
    try:
        with RemoteJobs(Client(shared.sock)) as jobs:  # root: the admin sees every job
            wait_for("alice's job to train", lambda: any(e["kind"] == "attempt" for e in jobs.events(job_id)), timeout=240)
        nodes = allocation_nodes(shared.cluster, slurm_id)
        assert len(nodes) == 2
        # the token is bound to the allocation Slurm reports, and the record names Slurm's nodes
        assert shared.binding(job_id) == (slurm_id, nodes)
        token = token_of(job_id, at_least=2)

        # A step inside the job's allocation, as alice, on both nodes: the server's files stay closed to it.
        paths = shared.paths
        secrets = [paths.master_key, paths.keystore, paths.catalog, paths.audit_signing_key]
        shard = next(p for p in paths.store.rglob("*") if p.is_file() and p.name != "manifest.json")
        probe = run_as(
            alice,
            ["srun", f"--jobid={slurm_id}", "--overlap", "-N", "2", "--ntasks-per-node=1", shared.python, "-c", PROBE]
            + [str(p) for p in [*secrets, shard]],
            env=shared.env(),
            timeout=120,
        )
        assert probe.returncode == 0, probe.stderr
        reports = [json.loads(line) for line in probe.stdout.splitlines() if line.startswith("{")]
        assert sorted(r["node"] for r in reports) == nodes
        for report in reports:
            assert report["uid"] == alice.pw_uid
            assert {report["opened"][str(p)] for p in secrets} == {"PermissionError"}, report
            assert report["opened"][str(shard)] == "read"  # the ciphertext shards are readable: the test is real

        # Another ordinary account presenting the job's token is refused, even from a node of the allocation.
        with pytest.raises(PermissionDenied, match=f"the token of job {job_id} belongs to {ALICE}, not {BOB}"):
            call_as(bob, read_with, token, "posts@1", env=shared.on_node(nodes[0]))
        # Alice herself, from a node outside the allocation (or naming none), is refused too, and it is audited.
        outside = next(n for n in shared.cluster.nodes if n not in nodes)
        with pytest.raises(PermissionDenied, match=rf"bound to Slurm allocation {slurm_id} on {', '.join(nodes)}, not {outside}"):
            call_as(alice, read_with, token, "posts@1", env=shared.on_node(outside))
        with pytest.raises(PermissionDenied, match=f"a process of job {job_id} must name its Slurm node"):
            call_as(alice, read_with, token, "posts@1", env=shared.on_node(None))
        with pytest.raises(PermissionDenied, match=f"not {outside}"):
            call_as(alice, _events, shared.sock, job_id, token, "checkpoint_seen", env=shared.on_node(outside))
        refused = [e for e in shared.audit() if e["action"] == "job.token_refused" and e.get("job_id") == job_id]
        assert {(e["principal"], e.get("node"), e["via"]) for e in refused} >= {(ALICE, outside, "tcp")}

        with RemoteJobs(Client(shared.sock)) as jobs:
            wait_for(f"job {job_id} to end", lambda: jobs.get(job_id).status in ("completed", "failed", "cancelled"), JOB_TIMEOUT)
            job = jobs.get(job_id)
    finally:
        shared.cluster.run("scancel", slurm_id, check=False)
    assert job.status == "completed", (job.status, job.message, shared.cluster.describe(slurm_id))
    assert job.nodes_used == nodes
    releases = [e for e in shared.audit() if e["action"] == "keys.release" and e.get("job_id") == job_id]
    train = [e for e in releases if e["purpose"] == "train"]
    assert {e["principal"] for e in releases} == {ALICE}
    assert {e["via"] for e in releases} == {"tcp"}  # the ranks reached the server over TCP, proven by MUNGE
    assert {e["rank"] for e in train} == {0, 1}
    assert {e["node"] for e in train} == set(nodes)  # the nodes the server verified, one rank on each


def test_allocation_of_another_account_is_refused_and_nodes_are_slurms(shared: Shared) -> None:
    alice, bob = shared.users[ALICE], shared.users[BOB]
    sleep = ["sbatch", "--parsable", "-N", "1", "-o", "/dev/null", "--wrap", "sleep 300"]
    bobs = run_as(bob, sleep, env=shared.env())
    assert bobs.returncode == 0, bobs.stderr
    bob_slurm = bobs.stdout.strip().split(";")[0]
    alices = run_as(alice, sleep, env=shared.env())
    assert alices.returncode == 0, alices.stderr
    alice_slurm = alices.stdout.strip().split(";")[0]
    try:
        job_id, token = call_as(alice, _register_slurm_job, shared.sock)
        # Bob's allocation, reported as alice's job's: Slurm says whose it is, the server refuses, one line, audited.
        with pytest.raises(PermissionDenied) as refused:
            call_as(alice, _report, shared.sock, job_id, token, {"slurm_job_id": bob_slurm})
        line = str(refused.value)
        assert line == f"Slurm job {bob_slurm} belongs to {BOB}, not to job {job_id}'s owner {ALICE}" and "\n" not in line
        entry = next(e for e in shared.audit() if e["action"] == "job.allocation_refused" and e.get("job_id") == job_id)
        assert (entry["principal"], entry["slurm_job_id"], entry["slurm_user"]) == (ALICE, bob_slurm, BOB)
        assert shared.binding(job_id) == (None, None)
        with pytest.raises(PermissionDenied, match="Slurm does not know job 987654"):
            call_as(alice, _report, shared.sock, job_id, token, {"slurm_job_id": "987654"})

        # Her own allocation is accepted; once it runs, the token is bound to the node Slurm names.
        call_as(alice, _report, shared.sock, job_id, token, {"slurm_job_id": alice_slurm})
        with pytest.raises(PermissionDenied, match=f"job {job_id} runs in Slurm allocation {alice_slurm}, not {bob_slurm}"):
            call_as(alice, _report, shared.sock, job_id, token, {"slurm_job_id": bob_slurm})  # nor a second one later
        wait_for("alice's allocation to run", lambda: shared.cluster.job(alice_slurm).get("JobState") == "RUNNING", 60)
        node = allocation_nodes(shared.cluster, alice_slurm)
        other = next(n for n in shared.cluster.nodes if n not in node)
        # A claim naming a node outside the allocation is refused; the nodes recorded and bound are Slurm's.
        with pytest.raises(PermissionDenied, match=f"{other} not in Slurm allocation {alice_slurm}"):
            call_as(alice, _report, shared.sock, job_id, token, {"nodes_used": [other]})
        reported = call_as(alice, _report, shared.sock, job_id, token, {"nodes_used": node})
        assert reported["slurm_job_id"] == alice_slurm and reported["nodes_used"] == node
        assert shared.binding(job_id) == (alice_slurm, node)
        # On its node the token reads; a credential made on another host naming that node is refused (the
        # address check: every emulated node is 127.0.0.1, so only a credential from elsewhere fails it).
        assert len(call_as(alice, read_with, token, "posts@1", 2, env=shared.on_node(node[0]))) == 2
        key = shared.cluster.state_dir / "munge" / "munge.key"
        with munged_claiming("192.0.2.7", key) as elsewhere:
            claimed = shared.on_node(node[0]) | {"AIRCLUSTER_MUNGE_SOCKET": elsewhere}
            with pytest.raises(PermissionDenied, match=rf"job {job_id}: a MUNGE credential made on 192\.0\.2\.7 is not node"):
                call_as(alice, read_with, token, "posts@1", 2, env=claimed)
        refused = [e for e in shared.audit() if e["action"] == "job.token_refused" and e.get("job_id") == job_id]
        assert [(e["principal"], e["node"]) for e in refused] == [(ALICE, node[0])] and "192.0.2.7" in refused[0]["reason"]
        # The reaper still watches the allocation: gone, the job is failed within a minute.
        shared.cluster.run("scancel", alice_slurm)
        wait_for(f"job {job_id} to be failed", lambda: call_as(alice, _status, shared.sock, job_id) == "failed", timeout=75)
    finally:
        shared.cluster.run("scancel", bob_slurm, alice_slurm, check=False)
