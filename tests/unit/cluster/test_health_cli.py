"""`aircluster health` runs every node check and a real 2-process all-reduce."""

from __future__ import annotations

import json
import os

import pytest


@pytest.mark.slow
def test_health_command_reports_every_check(cli):
    code, out, err = cli("health", "--json")
    assert code == 0, err
    report = json.loads(out)
    checks = {c["check"]: c for c in report["checks"]}
    assert {"devices", "memory", "disk", "store", "key_service", "allreduce"} <= set(checks)
    assert report["ok"] is True and all(c["status"] == "ok" for c in checks.values())
    assert checks["allreduce"]["value"] > 0 and "2 local gloo processes" in checks["allreduce"]["message"]


def test_health_fails_with_the_key_service_gone(cli, home):
    os.chmod(home / "master" / "master.key", 0o644)  # the key service refuses a readable master key
    code, out, _ = cli("health", "--json", "--allreduce-procs", "1")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    failed = [c for c in report["checks"] if c["status"] == "fail"]
    assert [c["check"] for c in failed] == ["key_service"] and "0600" in failed[0]["message"]
