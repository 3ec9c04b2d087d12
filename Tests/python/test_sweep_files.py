"""Sweep files (`bordersim sweep`, `merge`) as users read them, from real runs: the layout of
results/README.md, summaries equal to numpy's statistics of /replications, a tidy pandas frame
and an xarray dataset with parameter coordinates, identical files for any thread count, resume
after SIGTERM, shards + merge equal to the whole sweep (and merge's refusals), bad plans, and no
progress line when stdout is a pipe."""
from __future__ import annotations

import itertools
import os
import pty
import random
import re
import signal
import subprocess
import termios
import time
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import (BORDERSIM, CRASH_MARKERS, REPO, TABLE_ENTITY_AXIS, assert_clean_failure, assert_ok,
                      bordersim, describe, errors_only, kill_quietly, leftovers, scale_names, snapshot,
                      start_bordersim, strings)
from sweep_helpers import TRAINING, assert_statistics, sweep, write_busy_scenario, write_plan

THRESHOLDS = [0.5, 1.0, 1.5]
AUCS = [0.7, 0.9]
GRID_BODY = f"""\
description: threshold x AUC on the training scenario (test)
scenario: {TRAINING}
replications: 3
design: grid
parameters:
  targeting.rule.threshold: {THRESHOLDS}
  classes.traveller.risk.auc: {AUCS}
"""
# Several entities per table, a non-grid design, an integer range, a plan seed and `set:`.
SOBOL_BODY = """\
scenario: busy.yaml
replications: 4
seed: 7
set: {horizon: 1h, warm-up: 10 min}
design: {sobol: {points: 5}}
parameters:
  what-if.booths: {min: 1.0, max: 1.5}
  stations.scanner.extra-servers: {min: 0, max: 2, integer: true}
  lanes.general.capacity: [30, 60]
"""
# The land port as configured (26 h), one replication per point: ~0.2 s a point in a debug
# build, long enough to be interrupted between points.
RESUME_BODY = """\
scenario: {land_port}
replications: 1
design: grid
parameters:
  what-if.booths: [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9]
"""


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sweep-plans")
    write_busy_scenario(d)
    write_plan(d, "grid", GRID_BODY)
    write_plan(d, "sobol", SOBOL_BODY)
    write_plan(d, "resumable", RESUME_BODY.format(land_port=REPO / "scenarios/land-port.yaml"))
    return d


@pytest.fixture(scope="module")
def grid(plans):
    """(file, completed process): the 3 x 2 grid, 3 replications, 2 threads, stdout captured."""
    out = plans / "grid.h5"
    return out, sweep(plans / "grid.yaml", out, "--threads", 2)


@pytest.fixture(scope="module")
def sobol(plans) -> Path:
    out = plans / "sobol.h5"
    sweep(plans / "sobol.yaml", out, "--threads", 2, "--quiet")
    return out


@pytest.fixture(params=["grid", "sobol"])
def sweep_file(request, grid, sobol) -> tuple[Path, str]:
    return (grid[0] if request.param == "grid" else sobol), request.param


def entity_dims(table: str) -> list[str]:
    return ([TABLE_ENTITY_AXIS[table]] if TABLE_ENTITY_AXIS[table] else []) + [f"{table}_metric"]


# --------------------------------------------------------------------------------------------
# Layout


def test_root_attributes(sweep_file, plans):
    path, name = sweep_file
    with h5py.File(path, "r") as f:
        a = f.attrs
        assert a["file_kind"] == "sweep" and a["tool"] == "bordersim"
        assert int(a["schema_version"]) == 4
        assert re.fullmatch(r"[0-9a-f]{64}", a["plan_sha256"]), a["plan_sha256"]
        assert a["plan_name"] == name
        assert a["plan_yaml"] == (plans / f"{name}.yaml").read_text()
        assert int(a["shard_index"]) == 1 and int(a["shard_count"]) == 1
        if name == "grid":
            assert a["design"] == "grid"
            assert int(a["points_total"]) == 6 and int(a["replications"]) == 3
            assert int(a["seed"]) == 42 and a["horizon_s"] == 3 * 3600
        else:
            assert a["design"] == "sobol (points 5, skip 0)"
            assert int(a["points_total"]) == 5 and int(a["replications"]) == 4
            # The plan's seed and `set:` reach the run attributes.
            assert int(a["seed"]) == 7 and a["horizon_s"] == 3600 and a["warm_up_s"] == 600
        for key in ("created", "command_line", "scenario_yaml", "scenario_sha256", "plan_path"):
            assert key in a, key


def test_point_parameter_replication_scales(sweep_file):
    path, name = sweep_file
    with h5py.File(path, "r") as f:
        total, reps = int(f.attrs["points_total"]), int(f.attrs["replications"])
        for axis in ("point", "parameter", "replication"):
            assert f[axis].attrs["CLASS"] == b"DIMENSION_SCALE", f"/{axis} is not a dimension scale"
        assert f["point"].dtype == np.int64 and f["point"][:].tolist() == list(range(total))
        assert f["replication"][:].tolist() == list(range(reps))
        expected = (["targeting.rule.threshold", "classes.traveller.risk.auc"] if name == "grid" else
                    ["what-if.booths", "stations.scanner.extra-servers", "lanes.general.capacity"])
        assert strings(f["parameter"]) == expected
        assert sorted(f["points"]) == sorted(expected)
        for key in expected:
            d = f["points"][key]
            assert d.dtype == np.float64 and d.shape == (total,), (key, d.dtype, d.shape)
            assert [dim.label for dim in d.dims] == ["point"] and scale_names(d) == ["point"], key
        values = {k: f["points"][k][:] for k in expected}
    if name == "grid":
        # Every combination once, the first parameter varying slowest (scenarios/README.md).
        assert list(zip(*values.values())) == list(itertools.product(THRESHOLDS, AUCS))
    else:
        assert ((values["what-if.booths"] >= 1.0) & (values["what-if.booths"] < 1.5)).all()
        servers = values["stations.scanner.extra-servers"]
        assert set(servers) <= {0.0, 1.0, 2.0}, servers
        assert set(values["lanes.general.capacity"]) <= {30.0, 60.0}
        assert len(set(values["what-if.booths"])) == 5, "Sobol points should differ"


@pytest.mark.parametrize("table", list(TABLE_ENTITY_AXIS))
def test_replications_and_summary_shapes(sweep_file, table):
    path, _ = sweep_file
    with h5py.File(path, "r") as f:
        assert table in strings(f["summary"].attrs["tables"])
        P, R = len(f["point"]), len(f["replication"])
        dims = entity_dims(table)
        shape = tuple(len(f[d]) for d in dims)
        values = f[f"replications/{table}"]
        assert values.shape == (P, R) + shape
        assert [d.label for d in values.dims] == ["point", "replication"] + dims
        assert scale_names(values) == ["point", "replication"] + dims
        for statistic in ("mean", "sd", "ci_low", "ci_high"):
            d = f[f"summary/{table}/{statistic}"]
            assert d.shape == (P,) + shape, (statistic, d.shape)
            assert [x.label for x in d.dims] == ["point"] + dims
            assert scale_names(d) == ["point"] + dims


def test_several_entities_in_the_busy_sweep(sobol):
    with h5py.File(sobol, "r") as f:
        assert strings(f["lane"]) == ["general", "express", "walk"]
        assert strings(f["station"]) == ["scanner", "exam"]
        assert len(f["flow"]) == 4 and len(f["violation_type"]) == 2


@pytest.mark.parametrize("table", list(TABLE_ENTITY_AXIS))
def test_summary_equals_numpy(sweep_file, table):
    path, _ = sweep_file
    with h5py.File(path, "r") as f:
        values = f[f"replications/{table}"][:]
        level = float(f["summary"].attrs["confidence_level"])
        assert level == 0.95 and int(f["summary"].attrs["replications"]) == values.shape[1]
        assert_statistics(f[f"summary/{table}"], values, 1, level, f"/summary/{table}")


def test_points_differ_where_parameters_matter(grid):
    """Common random numbers: the same arrivals at every point, different referrals."""
    with h5py.File(grid[0], "r") as f:
        port = f["replications/port"][:]
        metrics = strings(f["port_metric"])
    arrived, referred = port[..., metrics.index("parties_arrived")], port[..., metrics.index("referred")]
    assert (arrived == arrived[0]).all(), "arrivals differ between points (no common random numbers?)"
    assert len(np.unique(referred.mean(axis=1))) > 1


# --------------------------------------------------------------------------------------------
# pandas and xarray (the snippets of /tmp/coord/README-sweep-example.py)


def test_pandas_tidy_frame(sobol):
    path = str(sobol)
    # --- snippet (9 lines) ---
    with h5py.File(path, "r") as f:
        params = pd.DataFrame({k: f["points"][k][:] for k in f["parameter"].asstr()[:]},
                              index=pd.Index(f["point"][:], name="point"))
        lanes, metrics = f["lane"].asstr()[:], f["lane_metric"].asstr()[:]
        mean = f["summary/lane/mean"][:]                          # point × lane × lane_metric
    tidy = (pd.DataFrame(mean.reshape(-1, len(metrics)), columns=metrics,
                         index=pd.MultiIndex.from_product([params.index, lanes], names=["point", "lane"]))
            .reset_index().join(params, on="point"))              # one row per point × lane
    # --- end of snippet ---
    with h5py.File(path, "r") as f:
        P, L = len(f["point"]), len(f["lane"])
        raw = f["summary/lane/mean"][:]
        plist = strings(f["parameter"])
        pvalues = {k: f["points"][k][:] for k in plist}
    assert len(tidy) == P * L
    assert list(tidy.columns) == ["point", "lane", *metrics, *plist]
    assert not tidy.isna().any().any()
    for _, row in tidy.sample(n=6, random_state=1).iterrows():
        p, lane = int(row["point"]), list(lanes).index(row["lane"])
        for k in plist:
            assert row[k] == pvalues[k][p]
        assert row["mean_wait_min"] == raw[p, lane, list(metrics).index("mean_wait_min")]
    # A typical question: the general lane's wait by booth factor.
    general = tidy.query("lane == 'general'").set_index("what-if.booths")["mean_wait_min"]
    assert len(general) == P


def test_pandas_snippet_of_results_readme(sobol):
    """The snippet in results/README.md, as printed there (file name replaced)."""
    f = h5py.File(sobol, "r")
    try:
        params = pd.DataFrame({k: f["points"][k][:] for k in f["parameter"].asstr()[:]}, index=f["point"][:])
        lanes, metrics = f["lane"].asstr()[:], f["lane_metric"].asstr()[:]
        mean = f["summary/lane/mean"][:]
        tidy = pd.DataFrame(mean.reshape(-1, len(metrics)), columns=metrics,
                            index=pd.MultiIndex.from_product([f["point"][:], lanes], names=["point", "lane"]))
        tidy = tidy.join(params, on="point")
        shown = tidy.query("lane == 'general'")[list(params) + ["mean_wait_min", "p95_wait_min"]]
    finally:
        f.close()
    assert len(tidy) == len(params) * len(lanes) and len(shown) == len(params)
    assert not tidy[list(params)].isna().any().any(), "parameter columns not joined"


def test_xarray_summary_lane(sobol):
    import xarray as xr  # the Makefile's venv installs xarray and h5netcdf: no skip in make test
    import h5netcdf  # noqa: F401
    path = str(sobol)
    # --- snippet ---
    axes = xr.open_dataset(path, engine="h5netcdf")                     # root: point, lane, lane_metric, ...
    points = xr.open_dataset(path, engine="h5netcdf", group="points")   # parameter values along point
    lane = xr.open_dataset(path, engine="h5netcdf", group="summary/lane")
    lane = lane.assign_coords(point=axes["point"], lane=axes["lane"], lane_metric=axes["lane_metric"],
                              **{k: ("point", points[k].values) for k in points.data_vars})
    wait = lane["mean"].sel(lane="general", lane_metric="mean_wait_min")  # along point, with parameters
    # --- end of snippet ---
    with h5py.File(path, "r") as f:
        raw = f["summary/lane/mean"][:]
        plist = strings(f["parameter"])
        pvalues = {k: f["points"][k][:] for k in plist}
        metrics = strings(f["lane_metric"])
    assert dict(lane.sizes) == {"point": raw.shape[0], "lane": 3, "lane_metric": len(metrics)}
    assert lane["mean"].dims == ("point", "lane", "lane_metric")
    for statistic in ("sd", "ci_low", "ci_high"):
        assert lane[statistic].dims == ("point", "lane", "lane_metric")
    np.testing.assert_array_equal(lane["mean"].values, raw)
    np.testing.assert_array_equal(wait.values, raw[:, 0, metrics.index("mean_wait_min")])
    for k in plist:
        assert lane.coords[k].dims == ("point",)
        np.testing.assert_array_equal(lane.coords[k].values, pvalues[k])
        np.testing.assert_array_equal(wait.coords[k].values, pvalues[k])
    # The parameter coordinates make a point addressable by its values.
    by_booths = wait.swap_dims(point="what-if.booths")
    assert float(by_booths.sel({"what-if.booths": pvalues["what-if.booths"][2]})) == wait.values[2]
    for ds in (axes, points):
        ds.close()
    lane.close()


# --------------------------------------------------------------------------------------------
# Determinism, resume, shards


def test_threads_1_and_2_give_identical_files(plans, grid):
    out = plans / "grid-threads1.h5"
    sweep(plans / "grid.yaml", out, "--threads", 1, "--quiet")
    a, b = snapshot(grid[0]), snapshot(out)
    assert a.keys() == b.keys()
    differ = [k for k in a if a[k] != b[k]]
    assert not differ, f"--threads 1 and 2 differ in {differ}"


def progress_points(directory: Path) -> list[str]:
    try:
        return sorted(p.name for p in directory.iterdir() if p.name.startswith("point-"))
    except FileNotFoundError:
        return []


def test_resume_after_sigterm_equals_an_uninterrupted_sweep(plans, tmp_path):
    plan = plans / "resumable.yaml"
    reference = tmp_path / "reference.h5"
    sweep(plan, reference, "--threads", 2, "--quiet")

    target = tmp_path / "sweep.h5"
    progress = tmp_path / "sweep.h5.progress"
    p = start_bordersim("sweep", plan, "--out", target, "--threads", 1, "--quiet")
    try:
        deadline = time.monotonic() + 60
        while len(progress_points(progress)) < 2:
            if p.poll() is not None:
                pytest.fail(f"the sweep ended (exit {p.returncode}) before saving 2 points: "
                            f"{errors_only(p.stderr.read())[:1500]}")
            if time.monotonic() > deadline:
                pytest.fail("no 2 points saved in OUT.progress/ within 60 s")
            time.sleep(0.01)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
    finally:
        kill_quietly(p)
    stderr = p.stderr.read()
    assert p.returncode == 143, f"exit {p.returncode} after SIGTERM\n{errors_only(stderr)[:1500]}"
    assert "--resume" in stderr and str(progress) in stderr, f"no note on how to resume: {stderr[:500]!r}"
    for marker in CRASH_MARKERS:
        assert marker not in stderr, marker
    assert not target.exists() and leftovers(target) == ["sweep.h5.progress"], leftovers(target)
    saved = progress_points(progress)
    assert 2 <= len(saved) < 10, f"saved points after SIGTERM: {saved}"

    # Without --resume: refused, naming --resume; nothing written, the saved points kept.
    before = sorted(os.listdir(progress))
    refused = bordersim("sweep", plan, "--out", target, "--threads", 1, "--quiet")
    assert_clean_failure(refused, "--resume")
    assert leftovers(target) == ["sweep.h5.progress"] and sorted(os.listdir(progress)) == before

    # With --resume (and another thread count): the uninterrupted file, checkpoint removed.
    resumed = sweep(plan, target, "--resume", "--threads", 2, "--quiet")
    assert "resumed from" in resumed.stdout, resumed.stdout
    assert leftovers(target) == ["sweep.h5"]
    assert snapshot(target) == snapshot(reference)


@pytest.fixture(scope="module")
def shards(plans, grid) -> list[Path]:
    out = []
    for i in (1, 2, 3):
        path = plans / f"grid.shard-{i}.h5"
        sweep(plans / "grid.yaml", path, "--shard", f"{i}/3", "--threads", 2, "--quiet")
        out.append(path)
    return out


def test_shards_hold_their_points(shards, grid):
    with h5py.File(grid[0], "r") as whole:
        total_hash = whole.attrs["plan_sha256"]
        whole_port = whole["replications/port"][:]
    for i, path in enumerate(shards, start=1):
        with h5py.File(path, "r") as f:
            assert int(f.attrs["shard_index"]) == i and int(f.attrs["shard_count"]) == 3
            assert int(f.attrs["points_total"]) == 6 and f.attrs["plan_sha256"] == total_hash
            points = f["point"][:].tolist()
            assert points == [p for p in range(6) if p % 3 == i - 1]
            np.testing.assert_array_equal(f["points/targeting.rule.threshold"][:],
                                          [THRESHOLDS[p // 2] for p in points])
            # A point's replications do not depend on which other points run with it.
            np.testing.assert_array_equal(f["replications/port"][:], whole_port[points])


def test_merge_in_any_order_equals_the_whole_sweep(shards, grid, tmp_path):
    order = shards[:]
    random.Random(6).shuffle(order)
    if order == shards:
        order.reverse()
    merged = tmp_path / "merged.h5"
    proc = bordersim("merge", *order, "-o", merged)
    assert_ok(proc)
    a, b = snapshot(merged), snapshot(grid[0])
    differ = [k for k in set(a) | set(b) if a.get(k) != b.get(k)]
    assert not differ, f"merged file differs from the whole sweep in {differ}"


def test_merge_refuses_a_missing_shard(shards, tmp_path):
    merged = tmp_path / "merged.h5"
    proc = bordersim("merge", shards[2], shards[0], "-o", merged)
    assert proc.returncode == 2, describe(proc)
    # Shard 2/3 holds points 1 and 4.
    assert_clean_failure(proc, "missing", "1, 4")
    assert leftovers(merged) == []


@pytest.mark.parametrize("how", ["same file twice", "a copy"])
def test_merge_refuses_a_duplicated_shard(shards, tmp_path, how):
    merged = tmp_path / "merged.h5"
    if how == "a copy":
        duplicate = tmp_path / "copy-of-shard-1.h5"
        duplicate.write_bytes(shards[0].read_bytes())
    else:
        duplicate = shards[0]
    proc = bordersim("merge", *shards, duplicate, "-o", merged)
    assert proc.returncode == 2, describe(proc)
    assert_clean_failure(proc, "more than once", duplicate.name)
    assert leftovers(merged) == []


# --------------------------------------------------------------------------------------------
# Bad plans


BAD_PLANS = {
    # name: (body, line, column, words the message must contain)
    "unknown-key": (f"scenario: {TRAINING}\nreplication: 3\nparameters:\n  targeting.rule.threshold: [0.5, 1.0]\n",
                    3, 1, ["replication", "did you mean 'replications'"]),
    "path-typo": (f"scenario: {TRAINING}\nreplications: 2\nparameters:\n  targeting.rule.treshold: [0.5, 1.0]\n",
                  5, 3, ["targeting.rule.treshold", "did you mean 'threshold'"]),
    "bad-value-at-one-point": (f"scenario: {TRAINING}\nreplications: 2\nset: {{horizon: 1h}}\nparameters:\n"
                               f"  targeting.rule.threshold: [0.5, 1.0]\n  stations.secondary.servers: [2, 1, -1]\n",
                               7, 3, ["stations.secondary.servers", "-1"]),
}


@pytest.mark.parametrize("name", list(BAD_PLANS))
def test_bad_plan_exits_2_with_its_location_and_writes_nothing(tmp_path, name):
    body, line, column, words = BAD_PLANS[name]
    plan = write_plan(tmp_path, name, body)
    target = tmp_path / "out.h5"
    proc = bordersim("sweep", plan, "--out", target)
    assert proc.returncode == 2, describe(proc)
    assert_clean_failure(proc, *words)
    locations = re.findall(r"^(\S+?):(\d+):(\d+): ", errors_only(proc.stderr), flags=re.M)
    assert locations, f"no FILE:LINE:COL in\n{proc.stderr}"
    assert (str(plan), str(line), str(column)) in locations, f"expected {plan.name}:{line}:{column} in\n{proc.stderr}"
    if name == "bad-value-at-one-point":
        # Only the points with servers = -1 (2 and 5 of the 2 x 3 grid) are reported: the first
        # with its values, the others with the same problem listed after it.
        assert re.search(r"at point 2\b", proc.stderr), proc.stderr
        assert re.search(r"the same at 1 more point\(s\): 5\)", proc.stderr), proc.stderr
        assert not re.search(r"at point [0134]\b", proc.stderr), proc.stderr
    assert sorted(os.listdir(tmp_path)) == [plan.name], f"files written: {os.listdir(tmp_path)}"


# --------------------------------------------------------------------------------------------
# Progress


def test_no_progress_line_when_stdout_is_a_pipe(grid):
    _, proc = grid
    assert "\r" not in proc.stderr, f"progress line on a pipe: {proc.stderr[:300]!r}"
    assert "\x1b[" not in proc.stderr
    assert "sweep grid: 6 points × 3 replications" in proc.stdout, proc.stdout


def run_on_terminals(args, stdout_tty: bool, stderr_tty: bool) -> tuple[int, str]:
    """Runs bordersim with stdout and/or stderr on pseudo-terminals (no newline translation);
    returns (exit status, what stderr received)."""
    fds, to_close = {}, []
    for stream, tty in (("stdout", stdout_tty), ("stderr", stderr_tty)):
        if tty:
            master, slave = pty.openpty()
            attrs = termios.tcgetattr(slave)
            attrs[1] &= ~termios.OPOST                      # keep '\n' as is: any '\r' is the program's
            termios.tcsetattr(slave, termios.TCSANOW, attrs)
            fds[stream] = (master, slave)
            to_close.append(slave)
    kwargs = {s: (fds[s][1] if s in fds else subprocess.PIPE) for s in ("stdout", "stderr")}
    p = subprocess.Popen([str(BORDERSIM), *map(str, args)], cwd=REPO, **kwargs)
    for fd in to_close:
        os.close(fd)
    captured = {"stdout": b"", "stderr": b""}

    def drain(stream):
        master = fds[stream][0]
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:                                  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            captured[stream] += chunk
        os.close(master)

    # Small outputs: the terminal buffers hold them until the child exits.
    out, err = p.communicate(timeout=120)
    for stream in fds:
        drain(stream)
    if err is not None:
        captured["stderr"] = err
    return p.returncode, captured["stderr"].decode(errors="replace")


def test_progress_line_only_when_both_are_terminals(plans, tmp_path):
    args = ("sweep", plans / "grid.yaml", "--threads", 2)
    code, err = run_on_terminals(args + ("--out", tmp_path / "a.h5"), stdout_tty=False, stderr_tty=True)
    assert code == 0 and "\r" not in err, f"progress with stdout on a pipe: {err[:300]!r}"
    code, err = run_on_terminals(args + ("--out", tmp_path / "b.h5"), stdout_tty=True, stderr_tty=True)
    assert code == 0 and "\rpoints 6/6" in err, f"no progress line on a terminal: {err[:300]!r}"
    code, err = run_on_terminals(args + ("--out", tmp_path / "c.h5", "--quiet"), stdout_tty=True, stderr_tty=True)
    assert code == 0 and "\r" not in err, f"progress despite --quiet: {err[:300]!r}"
