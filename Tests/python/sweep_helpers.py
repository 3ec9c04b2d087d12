"""Helpers shared by the sweep-file and comparison-file tests (test_sweep_files.py,
test_compare_files.py): small plans on fast scenarios, and the summary statistics recomputed
with numpy from a file's /replications tables."""
from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np

from conftest import BUSY_SCENARIO, REPO, assert_close, assert_ok, bordersim, describe, t_quantile

# ~360 travellers in 3 hours, one lane, one station: a replication takes a few milliseconds.
TRAINING = REPO / "scenarios/training/risk-targeting.yaml"
STATISTICS = ("mean", "sd", "ci_low", "ci_high")


def write_busy_scenario(directory: Path) -> Path:
    """conftest's congested crossing (3 lanes, a lane serving 2 classes, 2 stations, 2 violation
    types): tables with several entities."""
    path = directory / "busy.yaml"
    path.write_text(BUSY_SCENARIO, encoding="utf-8")
    return path


def write_plan(directory: Path, name: str, body: str) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(f"name: {name}\n{body}", encoding="utf-8")
    return path


def sweep(plan: Path, out: Path, *extra, timeout=120):
    """`bordersim sweep PLAN --out OUT EXTRA...`, which must succeed and write OUT."""
    proc = bordersim("sweep", plan, "--out", out, *extra, timeout=timeout)
    assert_ok(proc)
    assert out.is_file(), f"{out} not written\n" + describe(proc)
    assert not Path(str(out) + ".progress").exists(), "the checkpoint folder outlived a finished sweep"
    return proc


def recompute(values: np.ndarray, replication_axis: int, level: float) -> dict[str, np.ndarray]:
    """mean, sd (n - 1) and Student-t bounds over `replication_axis`, each cell over the
    replications where its value is defined (NaN, an undefined value, is left out; a cell
    defined nowhere has a NaN mean, one defined once a NaN sd and interval)."""
    defined = ~np.isnan(values)
    n = defined.sum(axis=replication_axis)
    total = np.where(defined, values, 0).sum(axis=replication_axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        deviation = np.where(defined, values - np.expand_dims(mean, replication_axis), 0)
        sd = np.where(n > 1, np.sqrt((deviation ** 2).sum(axis=replication_axis) / np.maximum(n - 1, 1)), np.nan)
        t = np.vectorize(lambda k: t_quantile(0.5 + level / 2, k - 1) if k > 1 else np.nan)(n)
        half = t * sd / np.sqrt(np.maximum(n, 1))
    return {"mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half}


def assert_statistics(group: h5py.Group, values: np.ndarray, replication_axis: int, level: float, what: str):
    """GROUP/{mean,sd,ci_low,ci_high} equal numpy's statistics of `values` over `replication_axis`."""
    expected = recompute(values, replication_axis, level)
    scale = np.nan_to_num(np.nanmax(np.abs(values), axis=replication_axis, initial=0.0))
    for statistic in STATISTICS:
        assert_close(group[statistic][:], expected[statistic], f"{what} {statistic}", rtol=1e-12, scale=scale)
