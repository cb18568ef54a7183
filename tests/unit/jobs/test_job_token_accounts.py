"""A job token in a shared installation, with real OS accounts: it works for its owner only. Another account
holding the token (copied from the owner's environment, say) is refused by the server, which knows who
connected from the kernel, not from the token; nor may it see or cancel the owner's job. An account
without the `train` grant on a dataset cannot submit a job that reads it.

The server runs as its own system account (`server init` as root). The data is imported by root before
the server starts (the operator), reviewed by a steward, and alice is granted `train` on it.
"""

from __future__ import annotations

import pwd
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aircluster.client.connection import Client
from aircluster.client.jobs import RemoteJobs
from aircluster.errors import NotFound, PermissionDenied
from aircluster.jobs.run_config import load_config, to_dict
from tests.accounts import call_as, ensure_user, make_traversable
from tests.servers import cli, home_env, import_dataset, start_server, stop_server, write_posts
from tests.unit.jobs.test_job_credentials import read_with
from tests.unit.store.policies import ALLOW_ALL

ALICE, BOB, CAROL, DAVE = (f"aircluster-t-job{name}" for name in ("alice", "bob", "carol", "dave"))


@dataclass
class Shared:
    home: Path
    sock: str
    users: dict[str, pwd.struct_passwd]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    top = tmp_path_factory.mktemp("job-token-accounts")
    policy = top / "allow-all.toml"
    policy.write_text(ALLOW_ALL)
    home = top / "home"
    env = home_env(home)
    users = {name: ensure_user(name) for name in (ALICE, BOB, CAROL, DAVE)}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AIRCLUSTER_HOME", str(home))
        mp.delenv("AIRCLUSTER_JOB_TOKEN", raising=False)
        cli(env, "server", "init", "--shared")
        make_traversable(home)  # the server's account, and the users, walk down to it
        start_server(env, shared=True)
        try:
            import_dataset(env, "posts", write_posts(top / "posts.jsonl"), policy)  # by root, through the server
            sock = str(home / "server.sock")
            cli(env, "access", "role", "add", "steward", CAROL)
            call_as(users[CAROL], _approve, sock, "posts@1")
            cli(env, "access", "grant", ALICE, "train", "posts")
            yield Shared(home, sock, users)
        finally:
            stop_server(env)


def _approve(sock: str, ref: str) -> dict[str, Any]:
    with Client(sock) as server:
        return server.call("review.decide", ref=ref, decision="approved", note="reviewed by a steward")


def _register(sock: str, dataset: str) -> tuple[str, str]:
    cfg = to_dict(load_config(None))
    with RemoteJobs(Client(sock)) as jobs:
        job, token = jobs.register(
            config=cfg, backend="local", nodes=1, procs_per_node=1, datasets=[dataset], run_dir="/nonexistent/run"
        )
    return job.id, token


def _read(token: str, ref: str) -> list[str]:
    return [r["text"] for r in read_with(token, ref, 3)]


def _list(sock: str) -> list[str]:
    with RemoteJobs(Client(sock)) as jobs:
        return [j.id for j in jobs.list()]


def _get(sock: str, job_id: str) -> str:
    with RemoteJobs(Client(sock)) as jobs:
        return jobs.get(job_id).status


def _cancel(sock: str, job_id: str) -> str:
    with RemoteJobs(Client(sock)) as jobs:
        return jobs.cancel(job_id).status


def _event(sock: str, job_id: str, token: str) -> None:
    with RemoteJobs(Client(sock), token) as jobs:
        jobs.event(job_id, "step", step=1)


def test_token_works_for_its_owner_and_is_refused_to_another_account(shared: Shared) -> None:
    _, root_token = _register(shared.sock, "posts@1")  # root imported posts, so may train on it
    assert len(_read(root_token, "posts@1")) == 3  # (and this process has imported what the children need)
    alice, bob = shared.users[ALICE], shared.users[BOB]
    job_id, token = call_as(alice, _register, shared.sock, "posts@1")
    assert len(call_as(alice, _read, token, "posts@1")) == 3
    with pytest.raises(PermissionDenied, match=rf"the token of job {job_id} belongs to {ALICE}, not {BOB}"):
        call_as(bob, _read, token, "posts@1")
    with pytest.raises(PermissionDenied, match=f"belongs to {ALICE}, not root"):
        _read(token, "posts@1")  # root, the admin, cannot borrow it either
    with pytest.raises(PermissionDenied, match=f"belongs to {ALICE}, not {BOB}"):
        call_as(bob, _event, shared.sock, job_id, token)
    # bob neither sees nor cancels alice's job; the admin sees it
    assert job_id not in call_as(bob, _list, shared.sock)
    with pytest.raises(NotFound, match=f"no job '{job_id}' of {BOB}"):
        call_as(bob, _get, shared.sock, job_id)
    with pytest.raises(NotFound):
        call_as(bob, _cancel, shared.sock, job_id)
    assert job_id in _list(shared.sock)
    assert call_as(alice, _get, shared.sock, job_id) == "pending"
    # after alice cancels, her own token is dead too
    assert call_as(alice, _cancel, shared.sock, job_id) == "cancelled"
    with pytest.raises(PermissionDenied, match=f"the token of job {job_id} was revoked"):
        call_as(alice, _read, token, "posts@1")


def test_account_without_a_train_grant_cannot_submit_a_job_on_the_dataset(shared: Shared) -> None:
    with pytest.raises(PermissionDenied, match=f"{DAVE}"):
        call_as(shared.users[DAVE], _register, shared.sock, "posts@1")
    assert DAVE not in _owners(shared)  # nothing was registered for him


def _owners(shared: Shared) -> list[str]:
    with RemoteJobs(Client(shared.sock)) as jobs:
        return [j.principal for j in jobs.list(everyone=True)]
