"""The emulated Slurm cluster fixture, shared with the cluster tests (the liveness tests ask it about allocations)."""

from tests.unit.cluster.conftest import slurm_cluster

__all__ = ["slurm_cluster"]
