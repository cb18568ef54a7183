"""The command line's contract: `train`'s key=value overrides stand before or after its options."""

from __future__ import annotations

import pytest

from aircluster.cli.main import parse

OVERRIDE = 'data.datasets=["x@1"]'


@pytest.mark.parametrize(
    "argv",
    [
        ["train", "c.toml", "--backend", "local", "--nodes", "1", "--procs-per-node", "2", OVERRIDE, "train.steps=5"],
        ["train", "c.toml", OVERRIDE, "train.steps=5", "--backend", "local", "--nodes", "1", "--procs-per-node", "2"],
        ["train", "c.toml", OVERRIDE, "--backend", "local", "--nodes", "1", "--procs-per-node", "2", "train.steps=5"],
        ["train", "--procs-per-node", "2", "--backend", "local", "--nodes", "1", "c.toml", OVERRIDE, "train.steps=5"],
    ],
)
def test_overrides_before_or_after_the_options(argv):
    args = parse(argv)
    assert args.config == "c.toml"
    assert args.overrides == [OVERRIDE, "train.steps=5"]
    assert (args.backend, args.nodes, args.procs_per_node) == ("local", 1, 2)


def test_an_unknown_option_is_still_refused(capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse(["train", "c.toml", "--nodes", "1", "--no-such-flag"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --no-such-flag" in capsys.readouterr().err


def test_other_commands_take_no_stray_words(capsys):
    with pytest.raises(SystemExit):
        parse(["data", "ls", "--json", "a=b"])
    assert "unrecognized arguments: a=b" in capsys.readouterr().err
