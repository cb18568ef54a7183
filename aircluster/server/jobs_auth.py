"""A job token, checked in the server: it names a live job of the caller, pinned to the version asked for, and,
for a Slurm job, is used on a node of the job's allocation as Slurm (not the client) names it.

Node binding of a Slurm job's token (the allocation is verified when the job reports its Slurm id, see
operations/jobs.py; its nodes are Slurm's, refreshed from Slurm when a request names a node not yet bound, as
after a requeue):
- key releases (keys.open, keys.unwrap, keys.mac) only to a process that names a node of the allocation
  (SLURMD_NODENAME) and runs on it: over TCP the MUNGE credential's origin address must be one of that node's
  addresses (NodeAddr, NodeHostName); on the Unix socket the server's own host must be;
- status writes (jobs.event/update/set_status/finish) under the same rule once the allocation has nodes, except
  from a Unix-socket client that names no node: the submitting command on the server's host following its job.

On the emulated cluster (scripts/slurm-local.sh) every node's address is 127.0.0.1, so the address check is
real but cannot tell emulated nodes apart; the node-name check can.
"""

from __future__ import annotations

import logging

from aircluster.catalog import Version
from aircluster.catalog.jobs import Job, Jobs
from aircluster.errors import PermissionDenied
from aircluster.server import slurm_allocation
from aircluster.server.registry import Request

log = logging.getLogger("aircluster.server")


def check(req: Request, token: str, version: Version | None = None, *, releasing: bool = True) -> Job:
    """The job `token` is for, if the caller may use it now: for data keys (`releasing`) or a status write."""
    jobs = Jobs(req.ctx.catalog)
    job = jobs.check_token(token, user=req.user, version_id=version.id if version else None)
    if job.backend == "slurm":
        _on_allocation(req, jobs, job, releasing)
    return job


def _on_allocation(req: Request, jobs: Jobs, job: Job, releasing: bool) -> None:
    slurm_id, bound = jobs.binding(job.id)
    nodes = bound or []
    node = req.node
    tcp = req.caller.transport == "tcp"
    if not releasing and not tcp and node is None:
        return  # the submitting command, on the server's host (kernel-attested), following its job
    if slurm_id is None:
        if releasing:
            _refuse(req, job, None, node, f"job {job.id} has no Slurm allocation the server has verified yet")
        return  # the job's own first report of its allocation comes with a status write
    if node is None or node not in nodes:
        nodes = _refresh(req, jobs, job, slurm_id, nodes)
    if not releasing and not nodes:
        return  # still queued: no process of the job runs on a node yet
    if node is None:
        _refuse(req, job, slurm_id, None, f"a process of job {job.id} must name its Slurm node (SLURMD_NODENAME)")
    assert node is not None
    if node not in nodes:
        _refuse(
            req,
            job,
            slurm_id,
            node,
            f"the token of job {job.id} is bound to Slurm allocation {slurm_id} on {_listed(nodes)}, not {node}",
        )
    node_addresses = slurm_allocation.node_addresses(node)
    origin = req.caller.origin if tcp else None
    on_node = origin in node_addresses if tcp else bool(slurm_allocation.host_addresses() & node_addresses)
    if not on_node:
        came_from = f"a MUNGE credential made on {origin or 'an unknown host'}" if tcp else "the server's host"
        _refuse(
            req,
            job,
            slurm_id,
            node,
            f"job {job.id}: {came_from} is not node {node} (addresses {', '.join(sorted(node_addresses))})",
        )


def _refresh(req: Request, jobs: Jobs, job: Job, slurm_id: str, bound: list[str]) -> list[str]:
    """The allocation's nodes now, as Slurm says (bound to the token); the ones bound before if Slurm cannot say."""
    try:
        allocation = slurm_allocation.lookup(slurm_id)
    except slurm_allocation.SlurmUnavailable as err:
        log.warning("job %s: cannot refresh Slurm allocation %s: %s", job.id, slurm_id, err)
        return bound
    nodes = [] if allocation is None else allocation.nodes
    if allocation is not None and allocation.user != job.principal:
        _refuse(req, job, slurm_id, req.node, f"Slurm job {slurm_id} belongs to {allocation.user}, not {job.principal}")
    if nodes != bound:
        with req.ctx.catalog.transaction():
            jobs.bind_allocation(job.id, slurm_job_id=slurm_id, nodes=nodes)
    return nodes


def _listed(nodes: list[str]) -> str:
    return ", ".join(nodes) or "no node yet"


def _refuse(req: Request, job: Job, slurm_id: str | None, node: str | None, why: str) -> None:
    """Audited, then refused: a token used outside its allocation is worth a line in the log."""
    req.ctx.log("job.token_refused", job_id=job.id, owner=job.principal, slurm_job_id=slurm_id, reason=why, **req.where())
    raise PermissionDenied(why)
