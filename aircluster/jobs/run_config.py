"""Training configuration: a TOML file read into typed dataclasses, with `section.key=value` overrides.

The dataclass fields are the schema: an unknown section or key, or a value of the wrong type, is a
`UsageError` naming the key. The resolved config is written back as TOML into the run directory.
"""

from __future__ import annotations

import dataclasses
import json
import math
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aircluster.errors import UsageError

Scalar = str | int | float | bool


@dataclass
class ModelConfig:
    name: str = "lm"  # lm | vit | classify
    size: str = "tiny"  # a named size of that model
    args: dict[str, Scalar] = field(default_factory=dict)  # overrides of the size's model args


@dataclass
class DataConfig:
    datasets: list[str] = field(default_factory=lambda: ["synthetic"])  # NAME@VERSION[:weight] or "synthetic"
    seq_len: int = 128
    batch_size: int = 8  # per process; the global batch is batch_size x world size
    num_workers: int = 0  # loader worker processes (store-backed datasets)
    val_batches: int = 4  # batches of the held-out split per validation


@dataclass
class TrainConfig:
    steps: int = 200
    stop_at_step: int = 0  # checkpoint and exit after this step, as if preempted (0 = run to `steps`)
    lr: float = 3e-4
    min_lr_ratio: float = 0.1  # the cosine decays to lr x min_lr_ratio
    warmup_steps: int = 10
    weight_decay: float = 0.1
    grad_clip: float = 1.0  # 0 = no clipping
    seed: int = 0
    run_dir: str = ""  # "" = AIRCLUSTER_HOME/runs/<job id>
    parallel: str = "auto"  # auto | fsdp | ddp | none
    precision: str = "auto"  # auto (bf16 where the device computes it natively) | fp32 | bf16
    compile: bool = False
    activation_checkpointing: bool = False
    deterministic: bool = False  # bitwise-reproducible kernels (slower); needed for exact-resume checks
    log_every: int = 1
    val_every: int = 0  # 0 = validate only at the end


@dataclass
class CheckpointConfig:
    every_steps: int = 50  # 0 = no step-based saves
    every_minutes: float = 0.0  # 0 = no time-based saves
    keep: int = 3
    async_save: bool = False
    save_final: bool = True  # so that rerunning with more steps resumes


@dataclass
class MetricsConfig:
    tensorboard: bool = True  # when the tensorboard package is installed
    progress: bool = True  # a rich progress bar on rank 0


@dataclass
class PlanConfig:
    """The hardware and parallel layout `aircluster plan` assumes for this run; the trainer ignores it."""

    gpu: str = ""  # a GPU of the planner's table (aircluster/plan/gpus.toml); "" = the planner's default
    gpus: int = 0  # 0 = given on the planner's command line
    gpus_per_node: int = 0  # 0 = the GPU table's node
    tp: int = 0  # parallel degrees; 0 = derived from the others (one) or searched
    pp: int = 0
    cp: int = 0
    dp: int = 0


@dataclass
class Config:
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    checkpoint: CheckpointConfig = field(default_factory=CheckpointConfig)
    metrics: MetricsConfig = field(default_factory=MetricsConfig)
    plan: PlanConfig = field(default_factory=PlanConfig)


_CHOICES = {
    "model.name": ("lm", "vit", "classify"),
    "train.parallel": ("auto", "fsdp", "ddp", "none"),
    "train.precision": ("auto", "fp32", "bf16"),
}
_POSITIVE = {"data.seq_len", "data.batch_size", "data.val_batches", "train.steps", "train.log_every", "checkpoint.keep"}


def load_config(path: str | Path | None = None, overrides: typing.Sequence[str] = ()) -> Config:
    """Read `path` (or the defaults when None), apply `section.key=value` overrides, check every value."""
    raw: dict[str, Any] = {}
    if path is not None:
        p = Path(path)
        try:
            raw = tomllib.loads(p.read_text())
        except FileNotFoundError:
            raise UsageError(f"config file {p} does not exist") from None
        except tomllib.TOMLDecodeError as err:
            raise UsageError(f"{p}: invalid TOML: {err}") from None
    for item in overrides:
        key, value = parse_override(item)
        _set_dotted(raw, key, value)
    return from_dict(raw)


def parse_override(item: str) -> tuple[str, Any]:
    """`train.steps=100` -> ("train.steps", 100). The value is read as TOML, else taken as a plain string."""
    key, sep, text = item.partition("=")
    key = key.strip()
    if not sep or not key or "." not in key:
        raise UsageError(f"override {item!r} is not of the form section.key=value")
    text = text.strip()
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        if text.startswith(("[", "{", '"', "'")):
            raise UsageError(f"override {key}: {text!r} is not a valid TOML value") from None
        value = text  # bare words: model.name=vit
    return key, value


def from_dict(raw: dict[str, Any]) -> Config:
    cfg = Config()
    for section, values in raw.items():
        sub = getattr(cfg, section, None) if section in _field_names(Config) else None
        if sub is None:
            raise UsageError(f"unknown config section [{section}] (known: {', '.join(_field_names(Config))})")
        if not isinstance(values, dict):
            raise UsageError(f"config key {section} must be a table, got {_type_name(values)}")
        hints = typing.get_type_hints(type(sub))
        for key, value in values.items():
            name = f"{section}.{key}"
            if key not in hints:
                raise UsageError(f"unknown config key {name} (known in [{section}]: {', '.join(hints)})")
            setattr(sub, key, _check_type(name, value, hints[key]))
    _check_values(cfg)
    return cfg


def to_dict(cfg: Config) -> dict[str, Any]:
    return dataclasses.asdict(cfg)


def to_toml(cfg: Config) -> str:
    """The resolved config as TOML. Hand-written because tomllib only reads; the schema is flat
    (scalars, lists of scalars, one level of sub-tables), so JSON literals are valid TOML values."""
    lines: list[str] = []
    for section, values in to_dict(cfg).items():
        tables = {k: v for k, v in values.items() if isinstance(v, dict)}
        lines.append(f"[{section}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in values.items() if k not in tables]
        for name, table in tables.items():
            lines.append(f"[{section}.{name}]")
            lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
        lines.append("")
    return "\n".join(lines)


def save_config(cfg: Config, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(to_toml(cfg))
    tmp.replace(path)


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
        return repr(value)
    if isinstance(value, (int, str)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _set_dotted(raw: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = raw
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise UsageError(f"override {key}: {part} is not a table")
        node = child
    node[parts[-1]] = value


def _check_type(name: str, value: Any, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise UsageError(f"config key {name} must be a list, got {_type_name(value)} {value!r}")
        return [_check_type(f"{name}[{i}]", v, item_hint) for i, v in enumerate(value)]
    if origin is dict:
        _, value_hint = typing.get_args(hint)
        if not isinstance(value, dict):
            raise UsageError(f"config key {name} must be a table, got {_type_name(value)}")
        return {k: _check_type(f"{name}.{k}", v, value_hint) for k, v in value.items()}
    if origin in (types.UnionType, typing.Union):
        if isinstance(value, (str, int, float, bool)):
            return value
        raise UsageError(f"config key {name} must be a string, number or boolean, got {_type_name(value)}")
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # `lr = 1` means 1.0
    if hint in (int, float) and isinstance(value, bool) or not isinstance(value, hint):
        raise UsageError(f"config key {name} must be {hint.__name__}, got {_type_name(value)} {value!r}")
    return value


def _check_values(cfg: Config) -> None:
    for name, choices in _CHOICES.items():
        value = _get(cfg, name)
        if value not in choices:
            raise UsageError(f"config key {name} must be one of {', '.join(choices)}, got {value!r}")
    for name in _POSITIVE:
        if _get(cfg, name) <= 0:
            raise UsageError(f"config key {name} must be positive, got {_get(cfg, name)}")
    for name in (
        "train.warmup_steps",
        "train.val_every",
        "train.stop_at_step",
        "checkpoint.every_steps",
        "data.num_workers",
        "plan.gpus",
        "plan.gpus_per_node",
        "plan.tp",
        "plan.pp",
        "plan.cp",
        "plan.dp",
    ):
        if _get(cfg, name) < 0:
            raise UsageError(f"config key {name} must be >= 0, got {_get(cfg, name)}")
    if cfg.checkpoint.every_minutes < 0:
        raise UsageError(f"config key checkpoint.every_minutes must be >= 0, got {cfg.checkpoint.every_minutes}")
    if cfg.train.lr <= 0:
        raise UsageError(f"config key train.lr must be positive, got {cfg.train.lr}")
    if not cfg.data.datasets:
        raise UsageError('config key data.datasets is empty: name at least one dataset (or "synthetic")')


def _get(cfg: Config, name: str) -> Any:
    section, key = name.split(".")
    return getattr(getattr(cfg, section), key)


def _field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _type_name(value: Any) -> str:
    return {dict: "table", list: "list", str: "string", bool: "boolean"}.get(type(value), type(value).__name__)
