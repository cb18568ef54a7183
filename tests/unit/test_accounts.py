"""The helpers that run code as real OS accounts do act as those accounts, with the kernel enforcing it."""

from __future__ import annotations

import functools
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from aircluster.errors import PermissionDenied
from tests.accounts import ChildFailed, call_as, ensure_user, make_traversable, run_as

ALICE = "aircluster-t-alice"


@pytest.fixture(scope="module")
def alice() -> pwd.struct_passwd:
    return ensure_user(ALICE)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A root file 0600 in a directory alice may traverse: only the file's own mode keeps her out."""
    make_traversable(tmp_path)
    path = tmp_path / "secret"
    path.write_text("root only")
    path.chmod(0o600)
    return path


def read_text(path: Path) -> str:
    return path.read_text()


def test_ensure_user_is_idempotent_and_refuses_other_names(alice: pwd.struct_passwd) -> None:
    again = ensure_user(ALICE)
    assert (again.pw_uid, again.pw_gid) == (alice.pw_uid, alice.pw_gid)
    assert alice.pw_uid != 0 and alice.pw_shell == "/usr/sbin/nologin"
    with pytest.raises(ValueError, match="aircluster-t-"):
        ensure_user("root")


def test_ensure_user_survives_a_race() -> None:
    name = "aircluster-t-racer"
    subprocess.run(["userdel", name], capture_output=True)
    code = f"from tests.accounts import ensure_user; print(ensure_user({name!r}).pw_uid)"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(6)]
    uids = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert uids == {str(pwd.getpwnam(name).pw_uid)}
    entries = [line for line in Path("/etc/passwd").read_text().splitlines() if line.startswith(f"{name}:")]
    assert len(entries) == 1, entries  # useradd alone, raced, writes the name twice


def test_call_as_runs_with_the_accounts_ids(alice: pwd.struct_passwd) -> None:
    uid, gid, groups = call_as(alice, lambda: (os.getuid(), os.getgid(), os.getgroups()))
    assert (uid, gid) == (alice.pw_uid, alice.pw_gid)
    assert 0 not in groups
    assert os.getuid() == 0  # the parent stayed root


def test_call_as_brings_back_the_kernels_refusal(alice: pwd.struct_passwd, secret: Path) -> None:
    assert call_as(pwd.getpwuid(0), read_text, secret) == "root only"  # the same call as root succeeds
    with pytest.raises(PermissionError) as caught:
        call_as(alice, read_text, secret)
    assert str(secret) in str(caught.value)


def test_call_as_raises_project_errors_as_themselves(alice: pwd.struct_passwd) -> None:
    def deny() -> None:
        raise PermissionDenied(f"uid {os.getuid()} may not approve")

    with pytest.raises(PermissionDenied, match=f"uid {alice.pw_uid} may not approve"):
        call_as(alice, deny)


def test_call_as_unpicklable_exception_comes_back_as_its_type_and_message(alice: pwd.struct_passwd) -> None:
    class Local(Exception):  # a local class cannot be pickled
        pass

    def fail() -> None:
        raise Local("made in the child")

    with pytest.raises(ChildFailed, match=r"Local: made in the child"):
        call_as(alice, fail)


def test_call_as_captures_output_and_sets_home(alice: pwd.struct_passwd) -> None:
    def talk(word: str) -> str:
        print(word)
        print("to stderr", file=sys.stderr)
        home = Path(os.environ["HOME"])
        (home / "written").write_text(word)  # HOME is the account's own and writable
        return str(home)

    home, out, err = call_as(alice, talk, "hello", capture=True)
    assert (out, err) == ("hello\n", "to stderr\n")
    assert Path(home).stat().st_uid == alice.pw_uid
    assert (Path(home) / "written").read_text() == "hello"


def test_call_as_env_is_the_childs_only(alice: pwd.struct_passwd) -> None:
    assert call_as(alice, os.environ.get, "AIRCLUSTER_T_PROBE", env={"AIRCLUSTER_T_PROBE": "set"}) == "set"
    assert "AIRCLUSTER_T_PROBE" not in os.environ


def test_call_as_kills_a_child_that_overruns(alice: pwd.struct_passwd) -> None:
    import time

    with pytest.raises(TimeoutError, match="killed"):
        call_as(alice, time.sleep, 30, timeout=0.5)


def test_call_as_child_that_exits_hard(alice: pwd.struct_passwd) -> None:
    with pytest.raises(ChildFailed, match="died without a result"):
        call_as(alice, functools.partial(os._exit, 3))


def test_run_as_id_and_clean_env(alice: pwd.struct_passwd, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRCLUSTER_T_KEEP", "kept")
    monkeypatch.setenv("SECRET_OF_ROOT", "leaked")
    proc = run_as(alice, ["sh", "-c", 'id -u; id -g; echo "$HOME|$AIRCLUSTER_T_KEEP|$SECRET_OF_ROOT|$EXTRA"'], env={"EXTRA": "x"})
    assert proc.returncode == 0, proc.stderr
    uid, gid, line = proc.stdout.splitlines()
    assert (int(uid), int(gid)) == (alice.pw_uid, alice.pw_gid)
    home, kept, leaked, extra = line.split("|")
    assert (kept, leaked, extra) == ("kept", "", "x")
    assert Path(home).stat().st_uid == alice.pw_uid


def test_run_as_cannot_read_roots_file(alice: pwd.struct_passwd, secret: Path) -> None:
    proc = run_as(alice, ["cat", str(secret)])
    assert proc.returncode != 0
    assert "Permission denied" in proc.stderr


def test_make_traversable_adds_only_the_search_bit(alice: pwd.struct_passwd) -> None:
    top = Path(tempfile.mkdtemp(prefix="aircluster-t-trav-"))  # 0700, like pytest's /tmp/pytest-of-root
    try:
        inner = top / "a" / "b"
        for d in (top / "a", inner):
            d.mkdir()
            d.chmod(0o700)
        (inner / "file").write_text("x")
        (inner / "file").chmod(0o644)
        assert run_as(alice, ["cat", str(inner / "file")]).returncode != 0
        make_traversable(inner)
        for d in (top, top / "a", inner):
            assert stat.S_IMODE(d.stat().st_mode) == 0o701
        assert run_as(alice, ["cat", str(inner / "file")]).stdout == "x"
        assert run_as(alice, ["ls", str(top)]).returncode != 0  # traversable, not listable
    finally:
        shutil.rmtree(top)
    with pytest.raises(ValueError, match="not /etc"):
        make_traversable("/etc")
