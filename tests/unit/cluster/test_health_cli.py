"""`aircluster health` runs every node check and a real 2-process all-reduce."""

from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_health_command_reports_every_check(cli):
    cli.ok("server", "init", "--personal")  # the key service is the server (idempotent: it may run already)
    cli.ok("server", "start", "--idle-exit", "120")
    code, out, err = cli("health", "--json")
    assert code == 0, err
    report = json.loads(out)
    checks = {c["check"]: c for c in report["checks"]}
    assert {"devices", "memory", "disk", "store", "key_service", "allreduce"} <= set(checks)
    assert report["ok"] is True and all(c["status"] == "ok" for c in checks.values())
    assert checks["allreduce"]["value"] > 0 and "2 local gloo processes" in checks["allreduce"]["message"]
    cli.ok("server", "stop")


def test_health_fails_with_the_key_service_gone(cli, home):
    cli("server", "stop")  # the key service is the server: none answers for this home now
    code, out, _ = cli("health", "--json", "--allreduce-procs", "1")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    failed = [c for c in report["checks"] if c["status"] == "fail"]
    assert [c["check"] for c in failed] == ["key_service"]
    assert f"no aircluster server at {home / 'server.sock'}" in failed[0]["message"]
