"""Test 2: the summaries read with pandas agree with statistics recomputed from the
per-replication tables: mean, sample standard deviation (n - 1) and Student-t bounds."""
from __future__ import annotations

import math

import h5py
import numpy as np
import pandas as pd
import pytest

from sweep_helpers import recompute

from conftest import TABLE_ENTITY_AXIS, assert_close, strings, t_cdf, t_quantile

RUNS = ["main_run", "short_run", "busy_run"]  # 3, 4 and 3 replications


@pytest.fixture(params=RUNS)
def run(request):
    return request.getfixturevalue(request.param)


def frames(f: h5py.File, table: str):
    """(summary DataFrames by statistic, long per-replication DataFrame, entity labels, metric labels)."""
    entity_axis = TABLE_ENTITY_AXIS[table]
    metrics = f[f"{table}_metric"].asstr()[:]
    entities = f[entity_axis].asstr()[:] if entity_axis else np.array(["port"])
    summary = {}
    for statistic in ("mean", "sd", "ci_low", "ci_high"):
        values = f[f"summary/{table}/{statistic}"][:]
        summary[statistic] = pd.DataFrame(values.reshape(len(entities), len(metrics)), index=entities, columns=metrics)
    values = f[f"replications/{table}"][:]
    long = pd.DataFrame({"value": values.ravel()},
                        index=pd.MultiIndex.from_product([f["replication"][:], entities, metrics],
                                                         names=["replication", "entity", "metric"])).reset_index()
    return summary, long, entities, metrics


@pytest.mark.parametrize("table", list(TABLE_ENTITY_AXIS))
def test_summary_matches_pandas_and_numpy(run, table):
    with h5py.File(run.path, "r") as f:
        summary, long, entities, metrics = frames(f, table)
        level = float(f["summary"].attrs["confidence_level"])
        reps = f[f"replications/{table}"][:]
    n = reps.shape[0]
    assert n == run.replications and long.shape[0] == reps.size
    if len(entities) == 0:
        pytest.skip(f"{table}: no entities in this scenario")
    # NaN is an undefined value: pandas skips it, and so must the file's summary (numpy: nan*).

    # pandas: group the long table by entity and metric.
    grouped = long.groupby(["entity", "metric"], sort=False)["value"]
    pd_mean = grouped.mean().unstack().reindex(index=entities, columns=metrics)
    pd_sd = grouped.std(ddof=1).unstack().reindex(index=entities, columns=metrics)
    scale = long.assign(a=long["value"].abs()).groupby(["entity", "metric"], sort=False)["a"].max() \
        .unstack().reindex(index=entities, columns=metrics)
    assert_close(summary["mean"].to_numpy(), pd_mean.to_numpy(), f"{table} mean vs pandas", scale=scale)
    assert_close(summary["sd"].to_numpy(), pd_sd.to_numpy(), f"{table} sd vs pandas", scale=scale)

    # numpy over the replication axis of /replications/TABLE.
    shape = (len(entities), len(metrics))
    expected = recompute(reps, 0, level)
    np_scale = np.nan_to_num(np.nanmax(np.abs(reps), axis=0, initial=0.0)).reshape(shape)
    for statistic in ("mean", "sd", "ci_low", "ci_high"):
        assert_close(summary[statistic].to_numpy(), expected[statistic].reshape(shape), f"{table} {statistic} vs numpy",
                     scale=np_scale)
    # Where every replication is defined, the interval is the textbook one.
    if not np.isnan(reps).any():
        t = t_quantile(0.5 + level / 2, n - 1)
        half = t * reps.std(axis=0, ddof=1).reshape(shape) / math.sqrt(n)
        assert_close(summary["ci_low"].to_numpy(), reps.mean(axis=0).reshape(shape) - half, f"{table} ci_low", scale=np_scale)
    low, mean, high = (summary[k].to_numpy() for k in ("ci_low", "mean", "ci_high"))
    interval = ~np.isnan(low)
    assert (low[interval] <= mean[interval]).all() and (mean[interval] <= high[interval]).all()


def test_single_replication_has_undefined_spread(single_run):
    """One replication: mean = the value, sd and bounds NaN (results/README.md)."""
    with h5py.File(single_run.path, "r") as f:
        for table in TABLE_ENTITY_AXIS:
            reps = f[f"replications/{table}"][:]
            assert reps.shape[0] == 1
            assert_close(f[f"summary/{table}/mean"][:], reps[0], f"{table} mean of one replication")
            for statistic in ("sd", "ci_low", "ci_high"):
                v = f[f"summary/{table}/{statistic}"][:]
                assert np.isnan(v).all(), f"{table}/{statistic} should be NaN with one replication: {v}"


def test_student_t_reference_values():
    """The quantile used above, against textbook values (and the series CDF against itself)."""
    for df, expected in ((1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (9, 2.262), (29, 2.045)):
        assert round(t_quantile(0.975, df), 3) == expected, df
        assert abs(t_cdf(t_quantile(0.975, df), df) - 0.975) < 1e-12


def test_long_table_pivots_back_to_the_dataset(main_run):
    """The long DataFrame is the dataset: pivoting it back gives /replications/lane exactly."""
    with h5py.File(main_run.path, "r") as f:
        _, long, lanes, metrics = frames(f, "lane")
        reps = f["replications/lane"][:]
    wide = long.pivot_table(index=["replication", "entity"], columns="metric", values="value", sort=False)
    wide = wide.reindex(columns=metrics)
    for r in range(reps.shape[0]):
        np.testing.assert_array_equal(wide.xs(r, level="replication").reindex(lanes).to_numpy(), reps[r])
    waits = long[(long.metric == "mean_wait_min")]
    assert (waits.value >= 0).all() and waits.value.max() > 0
