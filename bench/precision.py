"""fp32 vs bf16 autocast: training tokens/s of a small LM on this machine's CPU (or GPU), and matmul peaks.

Run: .venv/bin/python bench/precision.py [--sizes tiny,small,base] [--batch 4] [--seq 256] [--steps 4] [--threads N]
The result justifies `parallel.default_precision`: bf16 where it is clearly faster.
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F

from aircluster.train.flops import flops_per_token, peak_flops
from aircluster.train.models import build_model, count_params, model_args
from aircluster.train.parallel import autocast_context, build_optimizer, default_precision, init_distributed


def tokens_per_second(size: str, precision: str, batch: int, seq: int, steps: int, device: torch.device) -> float:
    torch.manual_seed(0)
    args = model_args("lm", size, max_seq_len=seq)
    model = build_model("lm", args).to(device)
    optimizer = build_optimizer(model, lr=3e-4)
    tokens = torch.randint(0, args.vocab_size, (batch, seq + 1), device=device)

    def step() -> None:
        with autocast_context(device, precision):
            logits = model(tokens[:, :-1])
        F.cross_entropy(logits.flatten(0, 1), tokens[:, 1:].flatten()).backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    step()  # warm-up: allocator, kernel selection
    best = float("inf")
    for _ in range(steps):
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        start = time.perf_counter()
        step()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        best = min(best, time.perf_counter() - start)
    return batch * seq / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="tiny,small,base", help="comma-separated lm sizes")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--seq", type=int, default=256)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0 = torch's default)")
    opts = parser.parse_args()
    device = init_distributed().device
    if opts.threads:
        torch.set_num_threads(opts.threads)
    print(
        f"device {device}, {torch.get_num_threads()} threads, batch {opts.batch} x seq {opts.seq}, "
        f"training step (forward, backward, AdamW), best of {opts.steps} steps"
    )
    print(f"{'model':<10} {'params':>8} {'dim':>5} {'precision':<9} {'tokens/s':>9} {'speedup':>8} {'model TFLOP/s':>14}")
    for size in opts.sizes.split(","):
        args = model_args("lm", size, max_seq_len=opts.seq)
        baseline = None
        for precision in ("fp32", "bf16"):
            tps = tokens_per_second(size, precision, opts.batch, opts.seq, opts.steps, device)
            baseline = baseline or tps
            print(
                f"{'lm-' + size:<10} {count_params(args) / 1e6:>7.1f}M {args.dim:>5} {precision:<9} {tps:>9.0f} "
                f"{tps / baseline:>7.2f}x {tps * flops_per_token(args, opts.seq) / 1e12:>14.3f}"
            )
    for precision in ("fp32", "bf16"):
        print(f"matmul peak {precision}: {peak_flops(device, precision) / 1e12:.3f} TFLOP/s")
    print(
        f"default_precision({device}) = {default_precision(device)}; "
        f"for dim 64: {default_precision(device, dim=64)}, dim 256: {default_precision(device, dim=256)}"
    )


if __name__ == "__main__":
    main()
