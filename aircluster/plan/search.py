"""Search the layouts a request leaves open: every combination that can run and fits in memory, fastest first.

Fixed fields stay fixed; open ones range over
    tp           powers of two up to the GPUs per node (tensor parallelism stays on NVLink)
    cp           powers of two keeping at least 8,192 tokens per rank (as Llama 3's CP16 at 131,072 did)
    pp           every divisor of what is left, up to the number of layers
    dp           what is left
    vpp          1, 2, 4, 8 (interleaving only with pp > 1)
    micro_batch  powers of two up to 16 that divide the sequences per data-parallel rank
    zero         2 and 3 (in this model stage 2 never costs more than 0 or 1 and saves memory)
    act_ckpt     none, selective, full
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from aircluster.errors import UsageError
from aircluster.plan.estimate import Estimate, estimate
from aircluster.plan.gpus import GPU
from aircluster.plan.layout import Layout, LayoutRequest, check_layout
from aircluster.plan.model import ACT_CKPT, ModelShape
from aircluster.plan.step_time import CONSTANTS, Constants

MIN_TOKENS_PER_CP_RANK = 8192


@dataclass(frozen=True)
class SearchResult:
    ranked: list[Estimate]  # layouts that fit, fastest first
    candidates: int  # layouts that can run at all (fitting or not)


def _powers_of_two(limit: int) -> list[int]:
    out, value = [], 1
    while value <= limit:
        out.append(value)
        value *= 2
    return out


def candidates(
    model: ModelShape, gpus: int, request: LayoutRequest, global_batch_tokens: int, gpus_per_node: int
) -> Iterator[Layout]:
    """Every layout consistent with the request that passes `check_layout`."""
    tps = [request.tp] if request.tp else [t for t in _powers_of_two(gpus_per_node) if model.heads % t == 0]
    cps = [request.cp] if request.cp else _powers_of_two(max(1, model.seq_len // MIN_TOKENS_PER_CP_RANK))
    zeros = [request.zero] if request.zero is not None else [2, 3]
    ckpts = [request.act_ckpt] if request.act_ckpt else list(ACT_CKPT)
    for tp in tps:
        for cp in cps:
            if gpus % (tp * cp):
                continue
            rest = gpus // (tp * cp)
            pps = [request.pp] if request.pp else [p for p in range(1, min(rest, model.layers) + 1) if rest % p == 0]
            for pp in pps:
                if rest % pp:
                    continue
                dp = rest // pp
                if request.dp and dp != request.dp:
                    continue
                vpps = [request.vpp] if request.vpp else ([1] if pp == 1 else [v for v in (1, 2, 4, 8) if pp * v <= model.layers])
                per_replica = (
                    global_batch_tokens // (model.seq_len * dp) if global_batch_tokens % (model.seq_len * dp) == 0 else 0
                )
                mbs = (
                    [request.micro_batch]
                    if request.micro_batch
                    else [m for m in _powers_of_two(16) if per_replica and per_replica % m == 0]
                )
                for vpp in vpps:
                    for mb in mbs:
                        for zero in zeros:
                            for act_ckpt in ckpts:
                                layout = Layout(
                                    tp,
                                    pp,
                                    cp,
                                    dp,
                                    vpp,
                                    mb,
                                    zero,
                                    act_ckpt,
                                    request.precision,
                                    request.attention,
                                    request.dp_overlap,
                                )
                                try:
                                    check_layout(layout, model, gpus, global_batch_tokens)
                                except UsageError:
                                    continue
                                yield layout


def search(
    model: ModelShape,
    gpu: GPU,
    gpus: int,
    request: LayoutRequest,
    global_batch_tokens: int,
    gpus_per_node: int,
    constants: Constants = CONSTANTS,
) -> SearchResult:
    ranked: list[Estimate] = []
    count = 0
    for layout in candidates(model, gpus, request, global_batch_tokens, gpus_per_node):
        count += 1
        result = estimate(model, layout, gpu, global_batch_tokens, gpus_per_node, constants)
        if result.memory.fits:
            ranked.append(result)
    ranked.sort(key=lambda e: (-e.tokens_per_s_per_gpu, e.memory.total))
    return SearchResult(ranked, count)
