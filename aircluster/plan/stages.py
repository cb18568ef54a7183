"""How the layers are split over pipeline stages: the last stage also holds the output head, so it gets fewer
layers when that balances the stages better (the Llama 3 paper, sec. 3.3.2, takes a layer off the first and last)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class StageSplit:
    pp: int
    layers_first: int  # the most layers on any stage but the last (the first stage holds the embedding)
    layers_last: int  # layers on the last stage, which also holds the output head

    def slowest(self, layer_cost: float, head_cost: float) -> tuple[int, float]:
        """(layers on the slowest stage, its cost), in the units of the per-layer and head costs."""
        last = self.layers_last * layer_cost + head_cost
        if self.pp == 1 or last >= self.layers_first * layer_cost:
            return self.layers_last, last
        return self.layers_first, self.layers_first * layer_cost


def split_layers(layers: int, pp: int, head_in_layers: float) -> StageSplit:
    """The contiguous split minimizing the slowest stage, the head costing `head_in_layers` layers."""
    if pp == 1:
        return StageSplit(1, layers, layers)
    best: tuple[float, int, int] | None = None
    for last in range(layers + 1):
        rest = layers - last
        if rest < pp - 1:  # every stage but the last needs a layer
            break
        first = math.ceil(rest / (pp - 1))
        cost = max(first, last + head_in_layers)
        if best is None or cost < best[0]:
            best = (cost, first, last)
    assert best is not None
    return StageSplit(pp, best[1], best[2])
