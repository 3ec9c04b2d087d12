"""Test 3: `bordersim inspect --json FILE` says exactly what h5py reads: every root attribute,
every summary table (NaN <-> null), and the list of datasets with shapes, types and axes."""
from __future__ import annotations

import json
import re
import math

import h5py
import numpy as np
import pytest

from conftest import TABLE_ENTITY_AXIS, assert_ok, bordersim, describe, scale_names, strings

RUNS = ["main_run", "short_run", "single_run", "busy_run"]


@pytest.fixture(params=RUNS)
def run(request):
    return request.getfixturevalue(request.param)


def inspect_json(path):
    proc = bordersim("inspect", "--json", path)
    assert_ok(proc)
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        pytest.fail(f"inspect --json printed invalid JSON ({e})\n" + describe(proc))


def plain(value):
    """An h5py attribute value as JSON would carry it (NaN as None)."""
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    return value


def cells(array):
    """A float array as nested lists with None for NaN."""
    if array.ndim == 0:
        return None if math.isnan(array) else float(array)
    return [cells(a) if isinstance(a, np.ndarray) else (None if math.isnan(a) else float(a)) for a in array]


def same(json_value, h5_value, where):
    """Exact equality; a JSON number must not be a rounded version of the stored double."""
    assert type(json_value) is type(h5_value) or (isinstance(json_value, (int, float)) and isinstance(h5_value, (int, float))), \
        f"{where}: JSON {json_value!r} ({type(json_value).__name__}) vs HDF5 {h5_value!r} ({type(h5_value).__name__})"
    assert json_value == h5_value, f"{where}: JSON {json_value!r} vs HDF5 {h5_value!r}"


def test_attributes_equal_what_h5py_reads(run):
    j = inspect_json(run.path)
    assert j["file"] == str(run.path)
    with h5py.File(run.path, "r") as f:
        attrs = {k: plain(v) for k, v in f.attrs.items()}
    assert set(j["attributes"]) == set(attrs)
    for key, value in attrs.items():
        same(j["attributes"][key], value, f"attribute {key}")
    # Integers stay integers (the seed is uint64, kept exact).
    assert isinstance(j["attributes"]["seed"], int) and j["attributes"]["seed"] == run.seed
    assert isinstance(j["attributes"]["schema_version"], int)


def test_summary_tables_equal_what_h5py_reads(run):
    j = inspect_json(run.path)
    with h5py.File(run.path, "r") as f:
        assert set(j["summary"]) == set(strings(f["summary"].attrs["tables"]))
        for table, entity_axis in TABLE_ENTITY_AXIS.items():
            t = j["summary"][table]
            assert t["entity_axis"] == entity_axis, table
            assert t["entities"] == (strings(f[entity_axis]) if entity_axis else []), table
            assert t["metrics"] == strings(f[f"{table}_metric"]), table
            assert t["units"] == strings(f[f"{table}_metric"].attrs["units"]), table
            for statistic in ("mean", "sd", "ci_low", "ci_high"):
                expected = cells(f[f"summary/{table}/{statistic}"][()])
                assert t[statistic] == expected, f"{table}/{statistic}: JSON differs from the file"


def test_nan_is_null(single_run):
    """With one replication sd and bounds are NaN in the file and null in the JSON."""
    j = inspect_json(single_run.path)
    port = j["summary"]["port"]
    assert port["sd"] and all(v is None for v in port["sd"])
    assert all(v is None for row in j["summary"]["lane"]["ci_low"] for v in row)
    assert all(v is not None for v in port["mean"])


def test_dataset_list_equals_what_h5py_sees(run):
    j = inspect_json(run.path)
    seen = {}
    with h5py.File(run.path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                kind = "string" if h5py.check_string_dtype(obj.dtype) else obj.dtype.name
                seen["/" + name] = {"shape": list(obj.shape), "type": kind, "dimensions": scale_names(obj)}
        f.visititems(visit)
    listed = {d["path"]: {k: d[k] for k in ("shape", "type", "dimensions")} for d in j["datasets"]}
    assert len(listed) == len(j["datasets"]), "a dataset listed twice"
    assert set(listed) == set(seen), f"differ: {set(listed) ^ set(seen)}"
    for path, info in seen.items():
        assert listed[path] == info, path


def test_text_inspect_shows_the_run(main_run):
    proc = bordersim("inspect", main_run.path)
    assert_ok(proc)
    out = proc.stdout
    assert out.startswith(f"{main_run.path}: bordersim ")
    with h5py.File(main_run.path, "r") as f:
        version = int(f.attrs["schema_version"])
    assert f"schema version {version}" in out and f"seed          {main_run.seed}, 3 replications" in out
    # Columns never run together and headers are whole (issue 19): a cell ends before the next begins.
    assert not re.search(r"\][^\s]", out), "cells run together"
    assert "pedestrian-ready/pedestrian-ready" in out or "pedestrian-ready" not in out
    assert "trace         yes (/trace)" in out
    for table in TABLE_ENTITY_AXIS:
        assert f"\n{table} — mean [95% CI] across replications" in out, table
    assert "/replications/lane" in out and "(replication × lane × lane_metric)" in out


def test_inspect_is_independent_of_the_current_directory(main_run, tmp_path):
    """A relative path is read relative to the working directory, as any tool would."""
    link = tmp_path / "copy.h5"
    link.write_bytes(main_run.path.read_bytes())
    proc = bordersim("inspect", "--json", "copy.h5", cwd=tmp_path)
    assert_ok(proc)
    assert json.loads(proc.stdout)["attributes"]["seed"] == main_run.seed
