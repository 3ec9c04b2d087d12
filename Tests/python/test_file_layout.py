"""Test 1: a run file opened with h5py — root attributes, axes, shapes, dimension scales, units.
The layout under test is results/README.md (schema version 2; run files as in version 1)."""
from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import datetime, timedelta, timezone

import h5py
import numpy as np
import pytest
import yaml

from conftest import (PARTY_COLUMNS, ROOT_SCALES, SERIES_AXES, TABLE_ENTITY_AXIS,
                      VISIT_COLUMNS, assert_ok, bordersim, scale_names, strings)

ROOT_ATTRIBUTES = {
    # name: (numpy type of the value h5py returns; str for strings)
    "tool": str, "tool_version": str, "schema_version": np.int64, "file_kind": str, "created": str,
    "seed": np.uint64, "replications": np.int64, "horizon_s": np.float64, "warm_up_s": np.float64,
    "confidence_level": np.float64, "scenario_name": str, "scenario_path": str, "scenario_yaml": str,
    "scenario_sha256": str, "command_line": str, "has_trace": np.uint8,
}

RUNS = ["main_run", "short_run", "single_run", "busy_run"]
# horizon and warm-up each run was made with (scenario values or --set overrides), seconds.
EXPECTED_TIMES = {"main_run": (48 * 3600, 24 * 3600), "short_run": (6 * 3600, 3600),
                  "single_run": (2 * 3600, 0), "busy_run": (4 * 3600, 1800)}
HAS_TRACE = {"main_run": 1, "short_run": 0, "single_run": 0, "busy_run": 1}


@pytest.fixture(params=RUNS)
def run(request):
    return request.getfixturevalue(request.param), request.param


def test_json_run_keeps_stdout_pure_and_notes_the_file_on_stderr(main_run):
    summary = json.loads(main_run.proc.stdout)  # --json with --out: stdout is only JSON
    assert isinstance(summary, dict) and summary
    assert f"results written to {main_run.path}" in main_run.proc.stderr


def test_plain_run_prints_where_the_results_went(short_run):
    assert f"results written to {short_run.path}" in short_run.proc.stdout
    assert not short_run.path.with_name(short_run.path.name + ".partial").exists()


def test_root_attributes_types_and_values(run):
    r, name = run
    with h5py.File(r.path, "r") as f:
        attrs = dict(f.attrs)
    assert set(attrs) == set(ROOT_ATTRIBUTES), f"unexpected or missing: {set(attrs) ^ set(ROOT_ATTRIBUTES)}"
    for key, kind in ROOT_ATTRIBUTES.items():
        value = attrs[key]
        if kind is str:
            assert isinstance(value, str), f"{key} is {type(value)}, expected a UTF-8 string"
        else:
            assert isinstance(value, kind), f"{key} is {type(value)} ({getattr(value, 'dtype', '')}), expected {kind}"
    assert attrs["tool"] == "bordersim"
    version = bordersim("--version")
    assert_ok(version)
    assert attrs["tool_version"] == version.stdout.strip()
    assert attrs["schema_version"] == 4
    assert attrs["file_kind"] == "run"
    assert attrs["seed"] == np.uint64(r.seed)
    assert attrs["replications"] == r.replications
    horizon, warm_up = EXPECTED_TIMES[name]
    assert attrs["horizon_s"] == horizon
    assert attrs["warm_up_s"] == warm_up
    assert attrs["confidence_level"] == 0.95
    assert attrs["has_trace"] == HAS_TRACE[name]
    created = datetime.strptime(attrs["created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - created) < timedelta(hours=2), attrs["created"]
    scenario_arg = r.args[1]
    assert attrs["scenario_path"] == str(scenario_arg)
    assert attrs["scenario_name"] == yaml.safe_load(attrs["scenario_yaml"])["name"]
    # The recorded command line names the output file and the seed.
    assert str(r.path) in attrs["command_line"] and f"--seed {r.seed}" in attrs["command_line"]


def test_scenario_sha256_is_the_hash_of_scenario_yaml(run):
    r, _ = run
    with h5py.File(r.path, "r") as f:
        text, digest = f.attrs["scenario_yaml"], f.attrs["scenario_sha256"]
    assert re.fullmatch(r"[0-9a-f]{64}", digest), digest
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == digest


def test_scenario_yaml_is_the_resolved_scenario(short_run, busy_run, busy_scenario):
    """--set overrides are in the stored text; non-ASCII text survives as UTF-8."""
    with h5py.File(short_run.path, "r") as f:
        resolved = yaml.safe_load(f.attrs["scenario_yaml"])
    assert resolved["horizon"] == "6h" and resolved["warm-up"] == "1h"
    with h5py.File(busy_run.path, "r") as f:
        busy = yaml.safe_load(f.attrs["scenario_yaml"])
    assert "Ünïcödé" in busy["description"]
    assert busy == yaml.safe_load(busy_scenario.read_text(encoding="utf-8"))


def test_the_file_alone_reproduces_the_run(busy_run, tmp_path):
    """Re-running the stored scenario text with the stored seed and replications gives the same
    per-replication tables (the README's promise: a file alone reproduces its run)."""
    with h5py.File(busy_run.path, "r") as f:
        text, seed, reps = f.attrs["scenario_yaml"], int(f.attrs["seed"]), int(f.attrs["replications"])
        original = {t: f[f"replications/{t}"][:] for t in TABLE_ENTITY_AXIS}
    scenario = tmp_path / "from-file.yaml"
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "again.h5"
    assert_ok(bordersim("run", scenario, "--seed", seed, "--replications", reps, "--out", out))
    with h5py.File(out, "r") as f:
        for t, values in original.items():
            np.testing.assert_array_equal(f[f"replications/{t}"][:], values, err_msg=t)


def test_root_members_and_trace_presence(run):
    r, name = run
    with h5py.File(r.path, "r") as f:
        expected = set(ROOT_SCALES) | {"flow_lane", "flow_class", "replications", "summary", "series"}
        if HAS_TRACE[name]:
            expected.add("trace")
        assert set(f.keys()) == expected
        assert set(f["replications"].keys()) == set(TABLE_ENTITY_AXIS)
        assert set(f["summary"].keys()) == set(TABLE_ENTITY_AXIS)
        assert set(f["series"].keys()) == set(SERIES_AXES)
        if HAS_TRACE[name]:
            assert set(f["trace"].keys()) == {"parties", "station_visits"}
            assert set(f["trace/parties"].keys()) == set(PARTY_COLUMNS)
            assert set(f["trace/station_visits"].keys()) == set(VISIT_COLUMNS)


def test_axes_are_dimension_scales_with_the_scenario_labels(run):
    r, _ = run
    with h5py.File(r.path, "r") as f:
        scenario = yaml.safe_load(f.attrs["scenario_yaml"])
        for axis in ROOT_SCALES:
            ds = f[axis]
            assert ds.ndim == 1, axis
            assert ds.is_scale, f"/{axis} is not a dimension scale"
            assert h5py.h5ds.get_scale_name(ds.id).decode() == axis
            assert isinstance(ds.attrs["description"], str) and ds.attrs["description"]
        np.testing.assert_array_equal(f["replication"][:], np.arange(r.replications))
        assert f["replication"].dtype == np.int64
        for axis in ("lane", "class", "station", "violation_type", "flow", "queue", "flow_lane", "flow_class"):
            info = h5py.check_string_dtype(f[axis].dtype)
            assert info is not None and info.encoding == "utf-8" and info.length is None, \
                f"/{axis} is not variable-length UTF-8: {f[axis].dtype}"
        lanes = list(scenario["lanes"])
        stations = list(scenario.get("stations") or {})
        assert strings(f["lane"]) == lanes
        assert strings(f["class"]) == list(scenario["classes"])
        assert strings(f["station"]) == stations
        assert strings(f["violation_type"]) == list(scenario.get("violation-types") or [])
        pairs = [(lane, c) for lane in lanes for c in scenario["lanes"][lane]["serves"]]
        assert strings(f["flow"]) == [f"{lane}/{c}" for lane, c in pairs]
        assert strings(f["flow_lane"]) == [lane for lane, _ in pairs]
        assert strings(f["flow_class"]) == [c for _, c in pairs]
        for aux in ("flow_lane", "flow_class"):
            assert f[aux].dims[0].label == "flow" and f[aux].dims[0][0].name == "/flow"
        assert strings(f["queue"]) == [f"lane:{x}" for x in lanes] + [f"station:{x}" for x in stations]

        horizon_h = f.attrs["horizon_s"] / 3600
        for axis in ("time", "sample_time"):
            ds = f[axis]
            assert ds.dtype == np.float64 and ds.attrs["units"] == "h"
            t = ds[:]
            assert t[0] == 0 and t[-1] < horizon_h
            steps = np.diff(t)
            assert np.allclose(steps, steps[0]) and steps[0] > 0, f"/{axis} not evenly spaced"
            assert len(t) == math.ceil(horizon_h / steps[0] - 1e-9), f"/{axis} does not cover the horizon"


def test_every_table_has_its_shape_labels_and_scales(run):
    r, _ = run
    with h5py.File(r.path, "r") as f:
        length = {axis: f[axis].shape[0] for axis in ROOT_SCALES}
        checked = 0

        def check(path, axes):
            nonlocal checked
            ds = f[path]
            assert ds.shape == tuple(length[a] for a in axes), f"{path}: shape {ds.shape} vs axes {axes}"
            assert [d.label for d in ds.dims] == list(axes), f"{path}: labels"
            assert scale_names(ds) == list(axes), f"{path}: attached scales {scale_names(ds)}"
            for d in ds.dims:
                assert len(d) == 1, f"{path}: {len(d)} scales on dimension {d.label}"
            checked += 1

        for table, entity in TABLE_ENTITY_AXIS.items():
            rows = (entity,) if entity else ()
            check(f"replications/{table}", ("replication", *rows, f"{table}_metric"))
            assert f[f"replications/{table}"].dtype == np.float64
            for statistic in ("mean", "sd", "ci_low", "ci_high"):
                check(f"summary/{table}/{statistic}", (*rows, f"{table}_metric"))
                assert f[f"summary/{table}/{statistic}"].dtype == np.float64
        for name, axes in SERIES_AXES.items():
            check(f"series/{name}", ("replication", *axes))
        assert checked == len(TABLE_ENTITY_AXIS) * 5 + len(SERIES_AXES)
        # Nothing outside /trace and the axes themselves is left without scales.
        unlabelled = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and not name.startswith("trace/") and not obj.is_scale:
                if "" in scale_names(obj):
                    unlabelled.append(name)

        f.visititems(visit)
        assert not unlabelled, f"datasets with unattached dimensions: {unlabelled}"


def test_units_and_descriptions(run):
    r, _ = run
    with h5py.File(r.path, "r") as f:
        for table in TABLE_ENTITY_AXIS:
            axis = f[f"{table}_metric"]
            units = strings(axis.attrs["units"])
            descriptions = strings(axis.attrs["descriptions"])
            assert len(units) == len(descriptions) == axis.shape[0] > 0, table
            assert all(units) and all(descriptions), f"{table}: empty unit or description"
            assert strings(f[f"replications/{table}"].attrs["units"]) == units
            for metric, unit in zip(strings(axis), units):
                if metric.endswith("_min"):
                    assert unit == "min", f"{table}.{metric} in {unit}"
                if metric.endswith(("_rate", "_share")) or metric.startswith(("share_", "p_wait")) \
                        or metric in ("utilisation", "down_fraction"):
                    assert unit == "1", f"{table}.{metric} in {unit}"
        for name in SERIES_AXES:
            ds = f[f"series/{name}"]
            assert isinstance(ds.attrs["units"], str) and ds.attrs["units"]
            assert isinstance(ds.attrs["description"], str) and ds.attrs["description"]
        assert f["series/mean_wait_min"].attrs["units"] == "min"
        assert f["series/arrivals"].attrs["units"] == "parties"
        if "trace" in f:
            for group in ("parties", "station_visits"):
                for column, ds in f[f"trace/{group}"].items():
                    if column.endswith("_s"):
                        assert ds.attrs["units"] == "s", f"trace/{group}/{column}"
            assert strings(f["trace/parties/outcome"].attrs["codes"]) == ["departed", "balked", "reneged"]


def test_summary_group_attributes(run):
    r, _ = run
    with h5py.File(r.path, "r") as f:
        s = f["summary"]
        assert s.attrs["confidence_level"] == 0.95
        assert s.attrs["replications"] == r.replications
        assert strings(s.attrs["tables"]) == list(TABLE_ENTITY_AXIS)


def test_series_are_chunked_and_compressed(main_run):
    with h5py.File(main_run.path, "r") as f:
        for name, axes in SERIES_AXES.items():
            ds = f[f"series/{name}"]
            assert ds.chunks is not None, name
            assert ds.compression == "gzip" and ds.shuffle, f"{name}: {ds.compression}, shuffle={ds.shuffle}"
            times = ds.shape[1]
            expected = (1, min(times, 4096)) + tuple(max(1, n) for n in ds.shape[2:])
            assert ds.chunks == expected, f"{name}: chunks {ds.chunks}"
        assert f["series/arrivals"].dtype == np.int64 and f["series/queue_length"].dtype == np.int64
        assert f["series/mean_wait_min"].dtype == np.float64


def test_trace_columns_are_extendible_1d_columns(main_run):
    types = {"replication": np.int32, "party": np.int64, "class": np.int32, "lane": np.int32,
             "booth": np.int32, "violation": np.int32, "station_visits": np.int32, "station": np.int32}
    with h5py.File(main_run.path, "r") as f:
        for group in ("parties", "station_visits"):
            for column, ds in f[f"trace/{group}"].items():
                assert ds.ndim == 1 and ds.maxshape == (None,) and ds.chunks == (65536,), \
                    f"trace/{group}/{column}: {ds.shape} max {ds.maxshape} chunks {ds.chunks}"
                if column.endswith("_s") or column == "risk_score":
                    assert ds.dtype == np.float64, column
                elif column in types:
                    assert ds.dtype == types[column], f"{column}: {ds.dtype}"
                else:
                    assert ds.dtype == np.uint8, f"{column}: {ds.dtype}"


def test_table_values_are_consistent(run):
    """The metric columns are where their names say: conservation per flow and per violation
    type (results/README.md), series arrivals add up to parties_arrived, rates in [0, 1]."""
    r, _ = run
    with h5py.File(r.path, "r") as f:
        def column(table, metric):
            return f[f"replications/{table}"][..., strings(f[f"{table}_metric"]).index(metric)]

        lhs = column("flow", "in_system_at_start") + column("flow", "arrived")
        rhs = sum(column("flow", m) for m in ("departed", "balked", "reneged", "in_system_at_end"))
        np.testing.assert_array_equal(lhs, rhs)
        lhs = column("security", "in_system_at_start") + column("security", "arrived")
        rhs = sum(column("security", m) for m in ("detected", "missed", "abandoned", "in_system_at_end"))
        np.testing.assert_array_equal(lhs, rhs)
        np.testing.assert_array_equal(f["series/arrivals"][:].sum(axis=(1, 2)), column("port", "parties_arrived"))
        assert (column("port", "parties_arrived") > 0).all()
        for table, metric in (("port", "referral_rate"), ("port", "hit_rate"), ("port", "detection_rate"),
                              ("station", "down_fraction"), ("security", "detection_rate")):
            v = column(table, metric)
            # NaN where undefined (no referrals, no violators): never 0 in their place.
            assert (np.isnan(v) | ((v >= 0) & (v <= 1))).all(), f"{table}.{metric} outside [0, 1]: {v}"
        u = column("lane", "utilisation")
        assert (np.isnan(u) | ((u >= 0) & (u <= 1.05))).all(), u
        hits, referred = column("port", "hit_rate"), column("port", "referred")
        assert (np.isnan(hits) == (referred == 0)).all(), "hit rate must be NaN exactly when nobody was referred"

        # The class table sums the class's flows over all lanes serving it; its mean wait is a
        # mean of its flows' means weighted by their waits (equal to the flow's with one lane).
        flow_class = strings(f["flow_class"])
        for c, name in enumerate(strings(f["class"])):
            mine = [i for i, fc in enumerate(flow_class) if fc == name]
            for metric in ("arrived", "served", "departed", "balked", "reneged"):
                np.testing.assert_array_equal(column("class", metric)[:, c],
                                              column("flow", metric)[:, mine].sum(axis=1), err_msg=f"{name} {metric}")
            for metric in ("mean_wait_min", "mean_time_in_system_min"):
                whole, parts = column("class", metric)[:, c], column("flow", metric)[:, mine]
                if len(mine) == 1:
                    np.testing.assert_allclose(whole, parts[:, 0], rtol=1e-12, err_msg=f"{name} {metric}")
                else:
                    # A flow nobody waited in has a NaN mean: it takes no weight.
                    slack = 1e-12 * np.nanmax(np.abs(parts), axis=1)
                    assert ((np.nanmin(parts, axis=1) - slack <= whole)
                            & (whole <= np.nanmax(parts, axis=1) + slack)).all(), \
                        f"{name} {metric}: {whole} outside its flows' {parts}"


def test_readme_ten_line_example_works(main_run):
    """The 'Read it in ten lines' snippet of results/README.md, on a real file."""
    import pandas as pd
    f = h5py.File(main_run.path, "r")
    try:
        lanes, metrics = f["lane"].asstr()[:], f["lane_metric"].asstr()[:]
        mean = pd.DataFrame(f["summary/lane/mean"][:], index=lanes, columns=metrics)
        selected = mean[["mean_wait_min", "p95_wait_min", "utilisation"]]
        assert selected.shape == (len(lanes), 3)
        reps = f["replications/lane"]
        long = pd.DataFrame(reps[:].reshape(-1, len(metrics)), columns=metrics,
                            index=pd.MultiIndex.from_product([f["replication"][:], lanes],
                                                             names=["replication", "lane"]))
        assert long.shape == (main_run.replications * len(lanes), len(metrics))
        hourly = pd.DataFrame(f["series/mean_wait_min"][0], index=f["time"][:], columns=lanes)
        assert hourly.shape == (f["time"].shape[0], len(lanes))
        assert f["summary/lane/mean"].dims[0].label == "lane"
        assert f["summary/lane/mean"].dims[0][0].name == "/lane"
    finally:
        f.close()



def test_command_line_is_shell_quoted(tmp_path):
    """command_line splits back (POSIX shell rules) into exactly the arguments of the run, even
    with spaces, quotes and non-ASCII characters in them."""
    import shlex
    from conftest import BORDERSIM, LAND_PORT
    target = tmp_path / "it's a run ü.h5"
    args = ("run", LAND_PORT, "--replications", "1", "--set", "horizon=1h", "--set", "warm-up=30 min",
            "--out", str(target))
    assert_ok(bordersim(*args))
    with h5py.File(target, "r") as f:
        command = f.attrs["command_line"]
        assert f.attrs["warm_up_s"] == 1800
    assert shlex.split(command) == [str(BORDERSIM), *args]


def test_relative_target_in_the_working_directory(tmp_path):
    from conftest import REPO
    proc = bordersim("run", REPO / "scenarios/land-port.yaml", "--replications", 1, "--set", "horizon=1h",
                     "--set", "warm-up=0", "--out", "here.h5", cwd=tmp_path)
    assert_ok(proc)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here.h5"]
    with h5py.File(tmp_path / "here.h5", "r") as f:
        assert f.attrs["scenario_path"] == str(REPO / "scenarios/land-port.yaml")
