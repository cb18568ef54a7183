"""A Plan as text: rich tables for a terminal (the JSON form is `Plan.to_dict()`)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table

from aircluster.plan.estimate import Estimate
from aircluster.plan.layout import Layout
from aircluster.plan.plan import Plan


def _layout_text(layout: Layout) -> str:
    parts = [f"tp {layout.tp}", f"pp {layout.pp}", f"cp {layout.cp}", f"dp {layout.dp}"]
    if layout.pp > 1:
        parts.append(f"vpp {layout.vpp}")
    parts += [
        f"micro-batch {layout.micro_batch}",
        f"ZeRO {layout.zero}",
        f"act-ckpt {layout.act_ckpt}",
        layout.precision,
    ]
    if layout.attention != "flash":
        parts.append(f"{layout.attention} attention")
    if not layout.dp_overlap:
        parts.append("no DP overlap")
    return "  ".join(parts)


def _gb(value: float) -> str:
    return f"{value / 1e9:,.1f} GB"


def _top_table(top: list[Estimate]) -> Table:
    table = Table(title="fastest layouts that fit", title_justify="left")
    for column in ("tp", "pp", "cp", "dp", "vpp", "mb", "ZeRO", "act-ckpt", "tokens/s/GPU", "MFU", "memory"):
        table.add_column(column, justify="left" if column == "act-ckpt" else "right")
    for e in top:
        lay = e.layout
        table.add_row(
            str(lay.tp),
            str(lay.pp),
            str(lay.cp),
            str(lay.dp),
            str(lay.vpp),
            str(lay.micro_batch),
            str(lay.zero),
            lay.act_ckpt,
            f"{e.tokens_per_s_per_gpu:,.0f}",
            f"{e.mfu:.1%}",
            _gb(e.memory.total),
        )
    return table


def render(plan: Plan) -> Group:
    best, model, rel, ckpt = plan.best, plan.model, plan.reliability, plan.checkpoint
    mem, step = best.memory, best.step
    sim = rel.simulated
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        "model",
        f"{model.name}: {model.params:,} parameters, {model.layers} layers, d_model {model.dim}, "
        f"{model.heads} heads ({model.kv_heads} kv), ffn {model.ffn_dim}, seq {model.seq_len}",
    )
    table.add_row(
        "hardware",
        f"{plan.gpus:,} x {plan.gpu.name} ({plan.gpus / plan.gpus_per_node:,g} nodes of "
        f"{plan.gpus_per_node}); batch {plan.global_batch_tokens:,} tokens",
    )
    searched = f"  (fastest of {plan.candidates:,} layouts searched)" if plan.searched else ""
    table.add_row("layout", _layout_text(best.layout) + searched)
    table.add_row(
        "memory / GPU",
        f"parameters {_gb(mem.parameters)}, gradients {_gb(mem.gradients)}, optimizer "
        f"{_gb(mem.optimizer)}, activations {_gb(mem.activations)}, buffers {_gb(mem.buffers)}"
        f"; total {_gb(mem.total)} of {_gb(mem.capacity)}: " + ("fits" if mem.fits else "DOES NOT FIT"),
    )
    table.add_row(
        "step time",
        f"{step.total:.3g} s for {step.micro_batches} micro-batches: compute {step.compute:.3g}, "
        f"TP {step.tp_exposed:.3g}, CP {step.cp_exposed:.3g}, PP bubble {step.pp_bubble:.3g}, "
        f"PP sends {step.pp_p2p:.3g}, DP {step.dp_exposed:.3g} (of {step.dp_total:.3g}), "
        f"other {step.other:.3g}",
    )
    table.add_row(
        "throughput",
        f"{best.tokens_per_s_per_gpu:,.1f} tokens/s per GPU; MFU {best.mfu:.1%}, "
        f"HFU {best.hfu:.1%} (of {plan.gpu.peak_bf16_tflops:g} TFLOP/s bf16)",
    )
    table.add_row(
        "checkpoint",
        f"{ckpt.size_gb:,.1f} GB, written in {ckpt.write_s:.3g} s at {ckpt.gb_per_s:g} GB/s; "
        f"blocks training {ckpt.blocking_s:.3g} s" + (" (async)" if ckpt.asynchronous else ""),
    )
    table.add_row(
        "reliability",
        f"MTTF {rel.mttf_h:.3g} h at {rel.failure_rate:g} failures per 1,000 node-days; "
        f"restart {rel.restart_min:g} min; checkpoint every {rel.interval_min:.3g} min "
        f"({rel.interval_source})",
    )
    table.add_row(
        "ETTR",
        f"{rel.ettr:.3f} expected (closed form); simulated {sim.mean:.3f} +- {sim.std:.3f} "
        f"(p5 {sim.p5:.3f}, p95 {sim.p95:.3f}; {sim.runs} runs of {sim.work_days:.3g} days' training, "
        f"{sim.failures_mean:.3g} failures each)",
    )
    parts: list[Table] = [table]
    if plan.searched and len(plan.top) > 1:
        parts.append(_top_table(plan.top))
    return Group(*parts)
