"""Test 5: the per-party trace — equal-length columns, replication order, time order, links
between station visits and parties, counts that match the summary tables — and identical files
for any number of threads."""
from __future__ import annotations

import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import PARTY_COLUMNS, VISIT_COLUMNS, snapshot, strings

RUNS = ["main_run", "busy_run"]  # land port: > 65,536 rows per replication; busy: balks and reneges


@pytest.fixture(params=RUNS)
def run(request):
    return request.getfixturevalue(request.param)


_loaded = {}


def load(path):
    """The trace and the table columns it is checked against (cached: the files are read-only)."""
    if path not in _loaded:
        _loaded[path] = _load(path)
    return _loaded[path]


def _load(path):
    with h5py.File(path, "r") as f:
        parties = f["trace/parties"]
        visits = f["trace/station_visits"]
        lengths = {("parties", k): parties[k].shape[0] for k in parties} | \
                  {("station_visits", k): visits[k].shape[0] for k in visits}
        p = pd.DataFrame({k: parties[k][:] for k in PARTY_COLUMNS})
        v = pd.DataFrame({k: visits[k][:] for k in VISIT_COLUMNS})

        def col(table, metric):
            return f[f"replications/{table}"][..., strings(f[f"{table}_metric"]).index(metric)]

        meta = {
            "replications": int(f.attrs["replications"]), "warm_up": float(f.attrs["warm_up_s"]),
            "horizon": float(f.attrs["horizon_s"]), "lanes": strings(f["lane"]), "classes": strings(f["class"]),
            "stations": strings(f["station"]), "violations": strings(f["violation_type"]),
            "flow_lane": strings(f["flow_lane"]), "flow_class": strings(f["flow_class"]),
            "col": {(t, m): col(t, m) for t, m in [
                ("port", "parties_arrived"), ("flow", "in_system_at_end"), ("flow", "departed"),
                ("flow", "balked"), ("flow", "reneged"), ("security", "detected"), ("security", "missed"),
                ("security", "abandoned")]},
        }
    return lengths, p, v, meta


@pytest.fixture
def trace(run):
    return load(run.path)


def test_columns_have_equal_lengths(trace):
    lengths, p, v, _ = trace
    party_lengths = {n for (t, _), n in lengths.items() if t == "parties"}
    visit_lengths = {n for (t, _), n in lengths.items() if t == "station_visits"}
    assert len(party_lengths) == 1, f"/trace/parties columns differ in length: {lengths}"
    assert len(visit_lengths) == 1, f"/trace/station_visits columns differ in length: {lengths}"
    assert len(p) > 0 and len(v) > 0


def test_rows_are_in_replication_order_then_order_of_leaving(trace):
    _, p, v, meta = trace
    rep = p["replication"].to_numpy()
    assert (np.diff(rep) >= 0).all(), "replication column decreases"
    assert set(np.unique(rep)) == set(range(meta["replications"])), "a replication has no rows"
    for r, rows in p.groupby("replication"):
        np.testing.assert_array_equal(rows["party"].to_numpy(), np.arange(len(rows)),
                                      err_msg=f"party numbers of replication {r}")
        assert (np.diff(rows["exit_s"].to_numpy()) >= 0).all(), f"replication {r}: rows not in order of leaving"
    vr = v[["replication", "party"]].to_numpy()
    order = np.lexsort((vr[:, 1], vr[:, 0]))
    assert (order == np.arange(len(order))).all(), "station visits not in (replication, party) order"


def test_times_are_ordered(trace):
    _, p, v, meta = trace
    assert (p["arrival_s"] >= 0).all() and (p["exit_s"] <= meta["horizon"]).all()
    assert (p["arrival_s"] <= p["exit_s"]).all(), "a party left before it arrived"
    steps = ["arrival_s", "queue_entry_s", "service_start_s", "service_end_s", "exit_s"]
    for a, b in zip(steps, steps[1:]):
        both = p[a].notna() & p[b].notna()
        assert (p.loc[both, a] <= p.loc[both, b]).all(), f"{a} after {b}"
    assert p["arrival_s"].notna().all() and p["exit_s"].notna().all()
    assert ((v["entered_s"] <= v["started_s"]) & (v["started_s"] <= v["ended_s"])).all()


def test_outcomes_match_missing_steps(trace):
    _, p, _, meta = trace
    assert set(p["outcome"].unique()) <= {0, 1, 2}
    departed, balked, reneged = (p[p.outcome == k] for k in (0, 1, 2))
    assert len(departed) > 0
    # Departed: served at a booth; balked: never queued, never served; reneged: never finished.
    assert departed[["queue_entry_s", "service_start_s", "service_end_s"]].notna().all().all()
    assert (departed["booth"] >= 0).all()
    assert balked[["queue_entry_s", "service_start_s", "service_end_s"]].isna().all().all()
    assert (balked["booth"] == -1).all() and (balked["exit_s"] == balked["arrival_s"]).all()
    assert reneged["service_end_s"].isna().all() and reneged["queue_entry_s"].notna().all()
    assert (p["class"].between(0, len(meta["classes"]) - 1)).all()
    assert (p["lane"].between(0, len(meta["lanes"]) - 1)).all()
    assert (p["violation"].between(-1, len(meta["violations"]) - 1)).all()
    assert not ((p["detected"] == 1) & (p["violation"] < 0)).any(), "detected without a violation"
    for c in ("trusted", "advance_info", "referred", "detected"):
        assert set(p[c].unique()) <= {0, 1}, c


def test_station_visits_refer_to_existing_parties(trace):
    _, p, v, meta = trace
    keys = pd.MultiIndex.from_frame(p[["replication", "party"]])
    visit_keys = pd.MultiIndex.from_frame(v[["replication", "party"]])
    assert visit_keys.isin(keys).all(), "a visit refers to a party row that does not exist"
    counts = v.groupby(["replication", "party"]).size()
    declared = p.set_index(["replication", "party"])["station_visits"]
    np.testing.assert_array_equal(counts.reindex(declared.index, fill_value=0).to_numpy(), declared.to_numpy())
    assert declared.sum() == len(v)
    assert (v["station"].between(0, len(meta["stations"]) - 1)).all()
    joined = v.join(p.set_index(["replication", "party"])[["arrival_s", "exit_s", "referred"]],
                    on=["replication", "party"])
    assert (joined["entered_s"] >= joined["arrival_s"]).all() and (joined["ended_s"] <= joined["exit_s"]).all()
    assert (joined["referred"] == 1).all(), "a party visited a station without being referred"


def test_rows_per_replication_equal_the_parties_that_left(trace):
    """Every party that arrived and is no longer in the port at the horizon has one row."""
    _, p, _, meta = trace
    rows = p.groupby("replication").size().reindex(range(meta["replications"]), fill_value=0).to_numpy()
    arrived = meta["col"][("port", "parties_arrived")]
    still_in = meta["col"][("flow", "in_system_at_end")].sum(axis=1)
    np.testing.assert_array_equal(rows, arrived - still_in)


def test_outcomes_after_warm_up_match_the_flow_table(trace):
    """Rows leaving after the warm-up, counted by flow and outcome, are the flow table's
    departed / balked / reneged of the same replication."""
    _, p, _, meta = trace
    after = p[p["exit_s"] >= meta["warm_up"]]
    lane_index = {n: i for i, n in enumerate(meta["lanes"])}
    class_index = {n: i for i, n in enumerate(meta["classes"])}
    total = 0
    for r in range(meta["replications"]):
        rows = after[after["replication"] == r]
        for i, (lane, cls) in enumerate(zip(meta["flow_lane"], meta["flow_class"])):
            flow = rows[(rows["lane"] == lane_index[lane]) & (rows["class"] == class_index[cls])]
            for code, metric in ((0, "departed"), (1, "balked"), (2, "reneged")):
                expected = meta["col"][("flow", metric)][r, i]
                assert (flow["outcome"] == code).sum() == expected, f"replication {r}, flow {lane}/{cls}, {metric}"
                total += expected
    assert total > 0
    # Same for violators: detected / missed (departed) and abandoned (balked or reneged) by type.
    for r in range(meta["replications"]):
        rows = after[after["replication"] == r]
        for t in range(len(meta["violations"])):
            mine = rows[rows["violation"] == t]
            gone = mine[mine["outcome"] == 0]
            assert (gone["detected"] == 1).sum() == meta["col"][("security", "detected")][r, t]
            assert (gone["detected"] == 0).sum() == meta["col"][("security", "missed")][r, t]
            assert (mine["outcome"] != 0).sum() == meta["col"][("security", "abandoned")][r, t]


def test_busy_scenario_exercises_every_outcome(busy_run):
    _, p, _, _ = load(busy_run.path)
    assert set(p["outcome"].unique()) == {0, 1, 2}, "the busy scenario should balk and renege"


def test_trace_comes_from_the_scenario_setting(busy_run):
    """busy.yaml sets metrics.trace: true and the run had no --trace flag."""
    assert "--trace" not in busy_run.args
    with h5py.File(busy_run.path, "r") as f:
        assert f.attrs["has_trace"] == 1 and "trace" in f


def test_no_trace_without_asking(short_run):
    with h5py.File(short_run.path, "r") as f:
        assert f.attrs["has_trace"] == 0 and "trace" not in f


@pytest.mark.parametrize("pair", [("main_run", "main_run_threads1"), ("busy_run", "busy_run_threads1")])
def test_threads_do_not_change_the_file(request, pair):
    """--threads 1 and --threads 2 give the same datasets and attributes (all but the root
    `created` and `command_line`). The land port's replications each span two trace chunks,
    so chunks of a later replication wait while an earlier one is still writing."""
    a, b = (request.getfixturevalue(n) for n in pair)
    sa, sb = snapshot(a.path), snapshot(b.path)
    assert set(sa) == set(sb), f"objects differ: {set(sa) ^ set(sb)}"
    different = [k for k in sa if sa[k] != sb[k]]
    assert not different, f"differ between --threads 2 and --threads 1: {different[:10]}"
    with h5py.File(a.path, "r") as f:
        assert f["trace/parties/party"].shape[0] > 0
