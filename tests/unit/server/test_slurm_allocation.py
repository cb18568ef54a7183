"""The server's own view of hosts and nodes: addresses are resolved once a minute, not per key batch."""

from __future__ import annotations

import socket

import pytest

from aircluster.server import slurm_allocation


def test_host_addresses_cover_localhost_and_are_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    first = slurm_allocation.host_addresses()
    assert "127.0.0.1" in first or "::1" in first

    asked: list[str] = []
    real = socket.getaddrinfo

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - socket.getaddrinfo's own signature
        asked.append(str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    for _ in range(50):
        assert slurm_allocation.host_addresses() == first
    assert asked == []  # within the minute nothing is resolved again


def test_a_failed_node_lookup_is_not_cached() -> None:
    # no Slurm controller answers for this name in a unit run: the error is raised each time, never remembered as
    # "no addresses" (which would refuse a real node for a minute after a controller hiccup)
    for _ in range(2):
        with pytest.raises(slurm_allocation.SlurmUnavailable):
            slurm_allocation.node_addresses("no-such-node-for-this-test")
