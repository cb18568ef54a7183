"""A job request's own checks, before anything is registered: Slurm time limits, and bad input refused in one
line with no job left behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aircluster.cluster.request import SLURM_QUEUE_ALLOWANCE_S, LaunchRequest, slurm_seconds, token_lifetime
from aircluster.errors import UsageError
from tests.servers import cli, personal_server

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90 * 60),
        ("5:30", 5 * 60 + 30),
        ("01:30:00", 5400),
        ("2-00", 2 * 86400),
        ("1-02:03", 86400 + 2 * 3600 + 3 * 60),
        ("1-02:03:04", 86400 + 2 * 3600 + 3 * 60 + 4),
    ],
)
def test_slurm_time_limits_in_every_form(text: str, seconds: int) -> None:
    assert slurm_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "1:2:3:4", "-5", "1-"])
def test_a_bad_time_limit_is_refused_naming_it(text: str) -> None:
    with pytest.raises(UsageError, match=rf"--time {text!r}: give a Slurm time limit"):
        slurm_seconds(text)


def test_token_lives_for_the_time_limit_plus_the_queue_or_the_servers_default() -> None:
    slurm = LaunchRequest("c.toml", [], backend="slurm", time_limit="01:00:00")
    assert token_lifetime(slurm) == 3600 + SLURM_QUEUE_ALLOWANCE_S
    assert token_lifetime(LaunchRequest("c.toml", [], backend="slurm")) is None
    assert token_lifetime(LaunchRequest("c.toml", [])) is None


def test_bad_requests_fail_in_one_line_and_register_no_job(tmp_path: Path) -> None:
    config = str(REPO / "configs" / "lm-tiny.toml")
    with personal_server(tmp_path / "home") as env:
        cases = {
            ("--backend", "slurm", "--time", "soon"): "error: --time 'soon': give a Slurm time limit",
            ("--nodes", "2"): "error: --backend local runs on this machine: use --nodes 1",
            ("train.steps=0",): "error: ",
            ('data.datasets=["missing@1"]',): "error: ",
        }
        for args, start in cases.items():
            proc = cli(env, "train", config, *args, check=False)
            assert proc.returncode != 0, args
            assert proc.stderr.startswith(start) and len(proc.stderr.strip().splitlines()) == 1, (args, proc.stderr)
            assert "Traceback" not in proc.stderr
        assert json.loads(cli(env, "jobs", "ls", "--json").stdout) == []
        assert not any((tmp_path / "home" / "runs").iterdir())
