"""Job credentials: a token works for its owner, its pinned versions and its lifetime, and nothing else."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aircluster.catalog import Catalog, Version
from aircluster.catalog.jobs import FINAL, Job, Jobs, token_hash
from aircluster.errors import PermissionDenied, UsageError
from tests.unit.catalog.conftest import AddVersion

HOUR = 3600.0


@pytest.fixture
def jobs(catalog: Catalog) -> Jobs:
    return Jobs(catalog)


@pytest.fixture
def pinned(add_version: AddVersion) -> Version:
    return add_version("posts", "alice")


@pytest.fixture
def other(add_version: AddVersion) -> Version:
    return add_version("secrets", "erin")


def new_job(jobs: Jobs, versions: list[Version], principal: str = "alice") -> Job:
    return jobs.create(
        principal=principal, backend="local", config={}, run_dir="/runs/x", nodes=1, procs_per_node=1, versions=versions
    )


def denied(jobs: Jobs, token: str, match: str, **kwargs) -> str:
    with pytest.raises(PermissionDenied) as err:
        jobs.check_token(token, **{"user": "alice", "version_id": None, **kwargs})
    message = str(err.value)
    assert match in message and "\n" not in message, message
    return message


def test_token_works_for_owner_and_pinned_version(jobs: Jobs, pinned: Version) -> None:
    job = new_job(jobs, [pinned])
    token = jobs.issue_token(job.id, owner="alice", nodes=None, slurm_job_id=None, expires_at=time.time() + HOUR)
    assert len(token) >= 43  # 32 random bytes, base64url
    assert jobs.check_token(token, user="alice", version_id=pinned.id).id == job.id
    assert jobs.check_token(token, user="alice", version_id=None).id == job.id


def test_only_the_hash_is_stored(jobs: Jobs, pinned: Version, catalog: Catalog) -> None:
    job = new_job(jobs, [pinned])
    token = jobs.issue_token(job.id, owner="alice", nodes=None, slurm_job_id=None, expires_at=time.time() + HOUR)
    catalog.db.execute("PRAGMA wal_checkpoint(FULL)")
    files = [p for p in Path(catalog.path).parent.iterdir() if p.name.startswith(Path(catalog.path).name)]
    stored = b"".join(p.read_bytes() for p in files)
    assert token.encode() not in stored
    assert token_hash(token).encode() in stored


def test_refusals(jobs: Jobs, pinned: Version, other: Version) -> None:
    job = new_job(jobs, [pinned])
    token = jobs.issue_token(job.id, owner="alice", nodes=None, slurm_job_id=None, expires_at=time.time() + HOUR)
    denied(jobs, "not-a-token", "alice presented an unknown job token")
    denied(jobs, token, f"the token of job {job.id} belongs to alice, not bob", user="bob")
    message = denied(jobs, token, f"job {job.id} may not read secrets@1", version_id=other.id)
    assert "pinned: posts@1" in message
    denied(jobs, token, "may not read version id nope", version_id="nope")


def test_expired_token_is_refused(jobs: Jobs, pinned: Version) -> None:
    job = new_job(jobs, [pinned])
    token = jobs.issue_token(job.id, owner="alice", nodes=None, slurm_job_id=None, expires_at=time.time() - 1)
    denied(jobs, token, f"the token of job {job.id} expired at")


@pytest.mark.parametrize("status", FINAL)
def test_token_dies_with_the_job(jobs: Jobs, pinned: Version, status: str) -> None:
    job = new_job(jobs, [pinned])
    token = jobs.issue_token(job.id, owner="alice", nodes=None, slurm_job_id=None, expires_at=time.time() + HOUR)
    jobs.set_status(job.id, "running")
    jobs.check_token(token, user="alice", version_id=pinned.id)
    jobs.set_status(job.id, status)
    denied(jobs, token, f"job {job.id} has ended ({status})", version_id=pinned.id)


def test_revoke_and_reissue(jobs: Jobs, pinned: Version) -> None:
    job = new_job(jobs, [pinned])
    first = jobs.issue_token(job.id, owner="alice", nodes=None, slurm_job_id=None, expires_at=time.time() + HOUR)
    second = jobs.issue_token(job.id, owner="alice", nodes=None, slurm_job_id=None, expires_at=time.time() + HOUR)
    assert first != second
    denied(jobs, first, "unknown job token")
    jobs.check_token(second, user="alice", version_id=None)
    jobs.revoke_token(job.id)
    jobs.revoke_token(job.id)  # again: nothing left to do
    denied(jobs, second, f"the token of job {job.id} was revoked")


def test_node_binding(jobs: Jobs, pinned: Version) -> None:
    job = new_job(jobs, [pinned])
    token = jobs.issue_token(job.id, owner="alice", nodes=None, slurm_job_id=None, expires_at=time.time() + HOUR)
    jobs.check_token(token, user="alice", version_id=None, node="node9")  # not bound yet: any node
    jobs.bind_allocation(job.id, slurm_job_id="17", nodes=["node1", "node2"])
    jobs.check_token(token, user="alice", version_id=None, node="node2")
    denied(jobs, token, "is bound to nodes node1, node2, not node9", node="node9")


def test_issue_refuses_wrong_owner_and_ended_job(jobs: Jobs, pinned: Version) -> None:
    job = new_job(jobs, [pinned])
    with pytest.raises(UsageError, match=f"job {job.id} belongs to alice: a token for it cannot be issued to bob"):
        jobs.issue_token(job.id, owner="bob", nodes=None, slurm_job_id=None, expires_at=time.time() + HOUR)
    jobs.set_status(job.id, "cancelled")
    with pytest.raises(UsageError, match="already ended"):
        jobs.issue_token(job.id, owner="alice", nodes=None, slurm_job_id=None, expires_at=time.time() + HOUR)
    assert jobs.db.execute("SELECT COUNT(*) FROM job_tokens").fetchone()[0] == 0


def test_running_jobs_and_reaping(jobs: Jobs, pinned: Version) -> None:
    live, ended, later = (new_job(jobs, [pinned]) for _ in range(3))
    token = jobs.issue_token(live.id, owner="alice", nodes=None, slurm_job_id=None, expires_at=time.time() + HOUR)
    jobs.set_status(live.id, "running")
    jobs.set_status(ended.id, "completed", exit_code=0)
    assert [j.id for j in jobs.running_jobs()] == [live.id, later.id]
    assert jobs.fail_if_live(live.id, "launcher process 1 is gone", reason="reaper") is True
    done = jobs.get(live.id)
    assert done.status == "failed" and done.message == "launcher process 1 is gone" and done.ended_at is not None
    assert jobs.events(live.id)[-1]["reason"] == "reaper"
    denied(jobs, token, "was revoked")
    # a job that recorded its end first keeps it
    assert jobs.fail_if_live(ended.id, "gone", reason="reaper") is False
    assert jobs.get(ended.id).status == "completed"
    assert [j.id for j in jobs.running_jobs()] == [later.id]


def test_launcher_identity_round_trips(jobs: Jobs, pinned: Version) -> None:
    job = new_job(jobs, [pinned])
    assert job.launcher_start_time is None
    jobs.update(job.id, launcher_pid=1234, launcher_start_time=987654)
    got = jobs.get(job.id)
    assert (got.launcher_pid, got.launcher_start_time) == (1234, 987654)
    assert got.to_dict()["launcher_start_time"] == 987654
