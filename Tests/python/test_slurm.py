"""A sweep on a real single-node Slurm cluster: `bordersim slurm` writes the scripts, the cluster
runs the job array (one shard per task) and the merge job (afterok), and the merged file equals a
local `bordersim sweep` of the same plan.

The cluster (munged, slurmctld, slurmd from Debian's packages) is started by
`Tests/slurm/cluster.sh` under a private directory, with its own slurm.conf passed to every Slurm
command as SLURM_CONF (nothing under /etc is written), and stopped by process id when the module's
tests are done, whatever their outcome. It needs root; when it cannot be installed or started the
tests FAIL with the reason. Developers without root can skip them with BORDERSIM_NO_SLURM=1.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import pytest

from conftest import BORDERSIM, REPO, assert_clean_failure, assert_ok, bordersim, describe, strings

CLUSTER_SH = REPO / "Tests/slurm/cluster.sh"
PLAN = REPO / "Tests/python/data/slurm-sweep.yaml"
TASKS = 3
POINTS = 6              # the plan's 3 x 2 grid
JOB_TIMEOUT_S = 300     # bound on the wait for the array and the merge job


@dataclass
class Cluster:
    base: Path
    env: dict
    start_s: float

    def run(self, *argv, timeout=120, cwd=REPO) -> subprocess.CompletedProcess:
        """A command with this cluster's SLURM_CONF."""
        return subprocess.run(list(map(str, argv)), env=self.env, cwd=cwd, capture_output=True,
                              text=True, timeout=timeout)

    def wait(self, *job_ids, timeout=JOB_TIMEOUT_S) -> dict[str, tuple[str, str]]:
        """Waits (bounded) until none of the jobs is pending or running; returns
        {job or array task id ('12', '12_3'): (state, exit code)}."""
        p = self.run("bash", CLUSTER_SH, "wait", *job_ids, timeout, timeout=timeout + 60)
        assert p.returncode == 0, (f"jobs {job_ids} did not finish within {timeout} s\n"
                                   f"{p.stdout}\n{p.stderr}\n{self.logs()}")
        states = {}
        for line in p.stdout.splitlines():
            parts = line.split()
            if len(parts) == 3:
                states[parts[0]] = (parts[1], parts[2])
        return states

    def logs(self, lines=40) -> str:
        out = []
        for name in ("slurmctld.log", "slurmd.log", "jobcomp.txt"):
            path = self.base / "log" / name
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                out.append(f"----- {path} (last {lines} lines)\n" + "\n".join(text))
        return "\n".join(out)


def _cluster_sh(command, env, timeout):
    try:
        return subprocess.run(["bash", str(CLUSTER_SH), command], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(e.cmd, -1, e.stdout or "", f"timed out after {timeout} s")


@pytest.fixture(scope="module")
def cluster():
    if os.environ.get("BORDERSIM_NO_SLURM") == "1":
        pytest.skip("BORDERSIM_NO_SLURM=1: the real Slurm cluster test is skipped")
    if os.geteuid() != 0:
        pytest.fail("the Slurm cluster test starts munged, slurmctld and slurmd and needs root "
                    "(set BORDERSIM_NO_SLURM=1 to skip it on a developer machine)")
    # Under /tmp itself, not pytest's private (0700) folder: munged runs as user munge and must
    # reach its socket. cluster.sh creates the folder, and `stop --purge` removes it.
    base = Path(tempfile.mkdtemp(prefix="bordersim-slurm.", dir="/tmp"))
    base.rmdir()
    env = dict(os.environ, BORDERSIM_SLURM_BASE=str(base), SLURM_CONF=str(base / "slurm.conf"))

    p = _cluster_sh("install", env, timeout=900)
    if p.returncode != 0:
        pytest.fail(f"could not install Slurm and munge (Tests/slurm/cluster.sh install):\n{p.stdout}\n{p.stderr}")
    t0 = time.monotonic()
    try:
        p = _cluster_sh("start", env, timeout=180)
        start_s = time.monotonic() - t0
        if p.returncode != 0:
            pytest.fail(f"could not start the Slurm cluster (Tests/slurm/cluster.sh start):\n{p.stdout}\n{p.stderr}")
        print(f"\nslurm cluster up in {start_s:.1f} s under {base}")
        yield Cluster(base, env, start_s)
    finally:
        # Always, also after a failed or timed-out start: stops exactly the daemons it started.
        if base.exists():
            p = _cluster_sh("stop", env, timeout=120)
            assert p.returncode == 0, f"could not stop the Slurm cluster:\n{p.stdout}\n{p.stderr}"
            shutil.rmtree(base, ignore_errors=True)


def _job_ids(submit: subprocess.CompletedProcess) -> tuple[str, str]:
    text = submit.stdout + submit.stderr
    array = re.search(r"array job\D*?(\d+)", text, re.IGNORECASE)
    merge = re.search(r"merge job\D*?(\d+)", text, re.IGNORECASE)
    assert array and merge, "submit.sh did not print `array job ID` and `merge job ID` lines\n" + describe(submit)
    return array.group(1), merge.group(1)


def _generate(tmp: Path, *extra) -> Path:
    """`bordersim slurm` for the test plan, scripts under tmp/slurm."""
    out_dir = tmp / "slurm"
    p = bordersim("slurm", PLAN, "--tasks", TASKS, "--dir", out_dir, "--out", tmp / "merged.h5",
                  "--bordersim", BORDERSIM.resolve(), *extra)
    assert_ok(p)
    for name in ("sweep-array.sbatch", "merge.sbatch", "submit.sh"):
        assert (out_dir / name).is_file(), f"bordersim slurm did not write {out_dir / name}\n" + describe(p)
    return out_dir


def _datasets(f: h5py.File, group: str) -> dict[str, np.ndarray]:
    out = {}
    f[group].visititems(lambda name, obj: out.__setitem__(f"{group}/{name}", obj[()])
                        if isinstance(obj, h5py.Dataset) else None)
    return out


def _assert_same_statistics(merged: Path, local: Path):
    with h5py.File(merged, "r") as m, h5py.File(local, "r") as l:
        for attr in ("file_kind", "plan_name", "plan_sha256", "points_total", "replications", "seed"):
            assert attr in m.attrs, f"merged file lacks the root attribute {attr}"
            assert np.array_equal(m.attrs[attr], l.attrs[attr]), \
                f"root attribute {attr}: merged {m.attrs[attr]!r} != local {l.attrs[attr]!r}"
        assert int(m.attrs["points_total"]) == POINTS
        assert np.array_equal(m["point"][()], np.arange(POINTS)), f"merged points {m['point'][()]}"
        assert np.array_equal(m["point"][()], l["point"][()])
        assert strings(m["parameter"]) == strings(l["parameter"]) == \
            ["lanes.general.booths", "stations.exam.servers"]
        # Every other root scale (lane, class, station, TABLE_metric, replication, ...) too.
        for name, obj in l.items():
            if isinstance(obj, h5py.Dataset):
                assert name in m, f"merged file lacks the root dataset {name}"
                a, b = m[name], obj
                if b.dtype.kind == "O":
                    assert strings(a) == strings(b), f"/{name} differs"
                else:
                    assert np.array_equal(a[()], b[()]), f"/{name} differs"
        compared = 0
        for group in ("points", "replications", "summary"):
            assert group in m and group in l, f"/{group} missing (merged: {group in m}, local: {group in l})"
            mine, theirs = _datasets(m, group), _datasets(l, group)
            assert sorted(mine) == sorted(theirs), f"/{group}: datasets differ: {sorted(mine)} vs {sorted(theirs)}"
            for name, b in theirs.items():
                a = mine[name]
                assert a.shape == b.shape, f"/{name}: shape {a.shape} != {b.shape}"
                assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), \
                    f"/{name}: merged differs from local at {np.argwhere(~((a == b) | (np.isnan(a) & np.isnan(b))))[:5].tolist()}"
                compared += 1
            if group == "summary":
                for table in l["summary"]:
                    for stat in ("mean", "sd", "ci_low", "ci_high"):
                        assert f"summary/{table}/{stat}" in theirs, f"/summary/{table}/{stat} missing"
            if group == "points":
                assert sorted(theirs) == ["points/lanes.general.booths", "points/stations.exam.servers"]
        assert compared > 0


def test_sweep_on_slurm_equals_local_sweep(cluster, tmp_path):
    t0 = time.monotonic()
    out_dir = _generate(tmp_path)
    submit = cluster.run("bash", out_dir / "submit.sh", cwd=tmp_path)
    assert_ok(submit)
    array_id, merge_id = _job_ids(submit)

    states = cluster.wait(array_id, merge_id)
    failed = {k: v for k, v in states.items() if v[0] != "COMPLETED"}
    logs = "\n".join(f"----- {p}\n{p.read_text(errors='replace')[-1500:]}"
                     for p in sorted(out_dir.rglob("*.out")) + sorted(out_dir.rglob("*.err")))
    tasks = {k for k in states if k.startswith(f"{array_id}_")}
    assert tasks == {f"{array_id}_{i}" for i in range(1, TASKS + 1)}, f"array tasks: {states}"
    assert merge_id in states, f"no state for the merge job {merge_id}: {states}"
    assert not failed, f"jobs not COMPLETED: {failed}\n{logs}\n{cluster.logs()}"

    shards = sorted((out_dir / "shards").glob("*.h5"))
    assert len(shards) == TASKS, f"expected {TASKS} shard files in {out_dir / 'shards'}, found {[s.name for s in shards]}"
    seen = []
    for s in shards:
        with h5py.File(s, "r") as f:
            assert int(f.attrs["shard_count"]) == TASKS, f"{s.name}: shard_count {f.attrs['shard_count']}"
            i = int(f.attrs["shard_index"])
            # Point p belongs to shard (p % n) + 1.
            assert list(f["point"][()]) == [p for p in range(POINTS) if p % TASKS + 1 == i], f"{s.name}: points"
            seen.append(i)
    assert sorted(seen) == list(range(1, TASKS + 1))
    merged = tmp_path / "merged.h5"
    assert merged.is_file(), f"the merge job did not write {merged}\n{logs}"
    cluster_s = time.monotonic() - t0

    local = tmp_path / "local.h5"
    assert_ok(bordersim("sweep", PLAN, "--out", local, "--quiet"))
    _assert_same_statistics(merged, local)
    print(f"\nslurm sweep: cluster start {cluster.start_s:.1f} s, generate+submit+wait {cluster_s:.1f} s")


def test_failing_array_cancels_the_merge(cluster, tmp_path):
    """Every shard command fails (the sweep binary is /bin/false): the array tasks are FAILED and
    the merge job, whose afterok dependency can never be met, is cancelled, not left pending."""
    out_dir = tmp_path / "slurm"
    p = bordersim("slurm", PLAN, "--tasks", TASKS, "--dir", out_dir, "--out", tmp_path / "merged.h5",
                  "--bordersim", "/bin/false")
    assert_ok(p)
    submit = cluster.run("bash", out_dir / "submit.sh", cwd=tmp_path)
    assert_ok(submit)
    array_id, merge_id = _job_ids(submit)
    states = cluster.wait(array_id, merge_id, timeout=120)
    tasks = {k: v for k, v in states.items() if k.startswith(f"{array_id}_")}
    assert len(tasks) == TASKS and all(v[0] == "FAILED" for v in tasks.values()), f"array tasks: {states}"
    assert states.get(merge_id, ("?",))[0] == "CANCELLED", f"merge job: {states}"
    assert not (tmp_path / "merged.h5").exists()


def test_merge_with_a_missing_shard_names_the_missing_points(tmp_path):
    """No cluster needed: two of three shards, made locally, do not make a sweep."""
    for i in (1, 2):
        assert_ok(bordersim("sweep", PLAN, "--shard", f"{i}/{TASKS}", "--out", tmp_path / f"s{i}.h5", "--quiet"))
    out = tmp_path / "merged.h5"
    p = bordersim("merge", tmp_path / "s1.h5", tmp_path / "s2.h5", "-o", out)
    assert_clean_failure(p, "missing")
    # Shard 3 of 3 holds points 2 and 5 (point p belongs to shard p % 3 + 1).
    assert re.search(r"\b2\b", p.stderr) and re.search(r"\b5\b", p.stderr), \
        "the error does not name the missing points 2 and 5\n" + describe(p)
    assert not out.exists()
