"""Shared helpers and session-wide runs for the result-file tests.

The binary comes from the environment variable BORDERSIM (default `.build/debug/bordersim`,
relative to the repository root). Every command runs with the repository root as working
directory, so scenario paths such as `scenarios/land-port.yaml` resolve as in the README.

A handful of runs are made once per session (in a temporary directory) and shared by the
tests that only read their files; tests that check refusals, interrupts or full disks make
their own small runs.
"""
from __future__ import annotations

import errno
import math
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
BORDERSIM = Path(os.environ.get("BORDERSIM", ".build/debug/bordersim"))
if not BORDERSIM.is_absolute():
    BORDERSIM = REPO / BORDERSIM

LAND_PORT = "scenarios/land-port.yaml"

# The tables of /replications and /summary, in the order of /summary's `tables` attribute, with
# the root axis naming their entities (None: a single row, the whole port). The metric axis is
# always TABLE_metric.
TABLE_ENTITY_AXIS = {
    "port": None,
    "lane": "lane",
    "flow": "flow",
    "class": "class",
    "station": "station",
    "station_class": "station_class",
    "security": "violation_type",
    "attribution": "referral_cause",
    "attribution_class": "referral_cause_class",
}
# /series/NAME -> its axes after `replication`.
SERIES_AXES = {
    "arrivals": ("time", "lane"),
    "served": ("time", "lane"),
    "mean_wait_min": ("time", "lane"),
    "p95_wait_min": ("time", "lane"),
    "p_wait": ("time", "lane"),
    **{f"share_wait_over_{m}min": ("time", "lane") for m in (15, 30, 45, 60, 90, 120)},
    "time_in_system_min": ("time", "lane"),
    "open_booths": ("time", "lane"),
    "busy_booths": ("time", "lane"),
    "in_system": ("time", "lane"),
    "station_utilisation": ("time", "station"),
    "station_busy": ("time", "station"),
    "station_in_system": ("time", "station"),
    "officers_on_duty": ("time",),
    "queue_length": ("sample_time", "queue"),
}
ROOT_SCALES = ("replication", "lane", "class", "station", "violation_type", "flow", "station_class", "referral_cause",
               "referral_cause_class", "queue",
               "time", "sample_time") + tuple(f"{t}_metric" for t in TABLE_ENTITY_AXIS)
PARTY_COLUMNS = ("replication", "party", "class", "lane", "booth", "violation", "trusted",
                 "advance_info", "referred", "detected", "outcome", "station_visits", "risk_score",
                 "arrival_s", "queue_entry_s", "service_start_s", "service_end_s", "exit_s")
VISIT_COLUMNS = ("replication", "party", "station", "entered_s", "started_s", "ended_s", "alarm")

# Marks of a crash rather than a clean error report.
CRASH_MARKERS = ("Traceback", "Program crashed", "Fatal error", "Backtracing", "Segmentation fault",
                 "Assertion failed", "HDF5-DIAG")


# --------------------------------------------------------------------------------------------
# Running the binary


def _start(argv, **kwargs):
    """Popen with retries while the lead relinks the binary (ETXTBSY, missing, half written)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return subprocess.Popen(argv, **kwargs)
        except OSError as e:
            if e.errno not in (errno.ETXTBSY, errno.ENOENT, errno.ENOEXEC, errno.EACCES) \
                    or time.monotonic() > deadline:
                raise
            time.sleep(2)


def wait_for_binary():
    """The binary may be missing for a moment while it is relinked; missing for a minute is a failure."""
    deadline = time.monotonic() + 60
    while not BORDERSIM.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"bordersim binary not found at {BORDERSIM} (set BORDERSIM)")
        time.sleep(2)


def bordersim(*args, timeout=180, preexec_fn=None, cwd=REPO) -> subprocess.CompletedProcess:
    """Runs `bordersim ARGS...` from the repository root; returns the completed process (text)."""
    wait_for_binary()
    argv = [str(BORDERSIM), *map(str, args)]
    p = _start(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
               preexec_fn=preexec_fn)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise
    return subprocess.CompletedProcess(argv, p.returncode, out, err)


def start_bordersim(*args, cwd=REPO) -> subprocess.Popen:
    """Starts `bordersim ARGS...` in the background: stdout discarded, stderr kept for messages."""
    wait_for_binary()
    argv = [str(BORDERSIM), *map(str, args)]
    return _start(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def errors_only(stderr: str) -> str:
    """stderr without the scenario checker's 'warning:' lines (land-port warns about busy hours)."""
    return "\n".join(line for line in stderr.splitlines() if ": warning: " not in line)


def describe(proc) -> str:
    return (f"command: {' '.join(map(str, proc.args))}\nexit: {proc.returncode}\n"
            f"stdout: {proc.stdout[-2000:] if proc.stdout else ''}\n"
            f"stderr: {errors_only(proc.stderr or '')[:1500]}")


def assert_ok(proc):
    assert proc.returncode == 0, describe(proc)


def assert_clean_failure(proc, *must_mention: str):
    """Non-zero exit by the program itself (not a signal), a message on stderr naming each of
    `must_mention`, and no crash report."""
    assert proc.returncode != 0, "expected a failure\n" + describe(proc)
    assert proc.returncode > 0, f"killed by signal {-proc.returncode} (a crash)\n" + describe(proc)
    # The Swift runtime reports a crash and the shell maps a signal to 128 + N: 139 = SIGSEGV etc.
    assert proc.returncode < 128 or proc.returncode == 130, "exit status of a crash\n" + describe(proc)
    err = errors_only(proc.stderr)
    assert err.strip(), "no message on stderr\n" + describe(proc)
    for marker in CRASH_MARKERS:
        assert marker not in proc.stderr, f"crash marker {marker!r} on stderr\n" + describe(proc)
    for text in must_mention:
        assert text in err, f"stderr does not mention {text!r}\n" + describe(proc)


# --------------------------------------------------------------------------------------------
# Files


def leftovers(target: Path) -> list[str]:
    """Files next to `target` that carry its name (the target itself, NAME.partial, ...)."""
    if not target.parent.is_dir():
        return []
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(target.name))


def file_bytes(path: Path) -> bytes:
    return Path(path).read_bytes()


def strings(ds) -> list[str]:
    """A variable-length UTF-8 string dataset or attribute as a Python list."""
    if isinstance(ds, h5py.Dataset):
        return list(ds.asstr()[:])
    return [s.decode() if isinstance(s, bytes) else str(s) for s in np.atleast_1d(ds)]


def scale_names(ds: h5py.Dataset) -> list[str]:
    """Names of the dimension scales attached to each axis of `ds` ('' where none)."""
    out = []
    for dim in ds.dims:
        out.append(dim[0].name.lstrip("/") if len(dim) else "")
    return out


def snapshot(path: Path, ignore_root_attrs=("created", "command_line")) -> dict:
    """Everything in a file as plain values: datasets (dtype, shape, bytes), attributes of every
    object (dimension-scale bookkeeping attributes, which hold object references, replaced by the
    names of the attached scales)."""
    out = {}

    def attrs_of(obj, skip=()):
        result = {}
        for k in obj.attrs:
            if k in skip or k in ("DIMENSION_LIST", "REFERENCE_LIST"):
                continue
            v = obj.attrs[k]
            if isinstance(v, np.ndarray):
                v = (str(v.dtype), v.shape, [x.decode() if isinstance(x, bytes) else x for x in v.tolist()])
            elif isinstance(v, bytes):
                v = v.decode()
            elif isinstance(v, np.generic):
                v = (str(v.dtype), v.item())
            result[k] = v
        return result

    with h5py.File(path, "r") as f:
        out["/"] = ("group", attrs_of(f, ignore_root_attrs))

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                if obj.dtype.kind == "O":
                    data = tuple(obj.asstr()[:].tolist())
                else:
                    data = obj[()].tobytes()
                out["/" + name] = ("dataset", str(obj.dtype), obj.shape, data, attrs_of(obj),
                                   [dim.label for dim in obj.dims], scale_names(obj))
            else:
                out["/" + name] = ("group", attrs_of(obj))

        f.visititems(visit)
    return out


# --------------------------------------------------------------------------------------------
# Statistics

def t_cdf(t: float, df: int) -> float:
    """Student t CDF for an integer df, by the classical finite series in theta = atan(t / sqrt(df))
    (Abramowitz & Stegun 26.7.3/26.7.4): exact up to rounding, no scipy needed."""
    theta = math.atan(abs(t) / math.sqrt(df))
    c2, s = math.cos(theta) ** 2, math.sin(theta)
    term = total = 1.0
    if df % 2 == 1:
        for k in range(1, (df - 3) // 2 + 1):
            term *= c2 * (2 * k) / (2 * k + 1)
            total += term
        a = 2 * theta / math.pi if df == 1 else 2 / math.pi * (theta + s * math.cos(theta) * total)
    else:
        for k in range(1, (df - 2) // 2 + 1):
            term *= c2 * (2 * k - 1) / (2 * k)
            total += term
        a = s * total
    return 0.5 + a / 2 if t >= 0 else 0.5 - a / 2


def t_quantile(p: float, df: int) -> float:
    """The Student t quantile: scipy when installed; otherwise the closed forms for df 1 and 2
    (the default runs have 3 replications, df = 2), or bisection on `t_cdf`."""
    try:
        from scipy import stats  # type: ignore
        return float(stats.t.ppf(p, df))
    except ImportError:
        pass
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        # (2p - 1) * sqrt(2 / (4 p (1 - p))): t(0.975, 2) = 4.302652729749464.
        return (2 * p - 1) * math.sqrt(2 / (4 * p * (1 - p)))
    lo, hi = (0.0, 1e6) if p >= 0.5 else (-1e6, 0.0)
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if t_cdf(mid, df) < p else (lo, mid)
    return (lo + hi) / 2


def assert_close(actual, expected, what: str, rtol=1e-12, scale=None):
    """Equal to rtol, NaN where NaN. `scale` (same shape) gives the size of the numbers the value
    was computed from, so a difference of 1e-15 on a standard deviation of 0 is not a failure."""
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    nan_a, nan_e = np.isnan(actual), np.isnan(expected)
    assert (nan_a == nan_e).all(), f"{what}: NaN at different places: {np.argwhere(nan_a != nan_e)[:5].tolist()}"
    tol = rtol * np.abs(expected)
    if scale is not None:
        tol = np.maximum(tol, rtol * np.abs(np.asarray(scale, dtype=float)))
    diff = np.abs(np.where(nan_e, 0, actual - expected))
    bad = diff > tol
    if bad.any():
        i = tuple(np.argwhere(bad)[0])
        pytest.fail(f"{what}: {bad.sum()} cells differ; first at {i}: {actual[i]!r} != {expected[i]!r}")


# --------------------------------------------------------------------------------------------
# Mounts (full disk, read-only directory)


def try_mount_tmpfs(directory: Path, options: str) -> tuple[bool, str]:
    """Mounts a tmpfs on `directory`; returns (mounted, reason if not)."""
    if os.geteuid() != 0:
        return False, "not root"
    if shutil.which("mount") is None:
        return False, "no mount command"
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(directory)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return False, f"mount failed: {r.stderr.strip()}"
    return True, ""


def unmount(directory: Path):
    r = subprocess.run(["umount", str(directory)], capture_output=True, text=True)
    if r.returncode != 0:
        subprocess.run(["umount", "-l", str(directory)], capture_output=True, text=True)


# --------------------------------------------------------------------------------------------
# Session runs


@dataclass
class Run:
    path: Path
    args: tuple
    proc: subprocess.CompletedProcess
    seed: int
    replications: int


def make_run(path: Path, scenario: str, *extra, seed: int, replications: int) -> Run:
    args = ("run", scenario, "--out", path, "--replications", replications, "--seed", seed, *extra)
    proc = bordersim(*args)
    assert_ok(proc)
    assert path.is_file(), f"{path} not written\n" + describe(proc)
    return Run(path, args, proc, seed, replications)


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bordersim-results")


@pytest.fixture(scope="session")
def main_run(workdir) -> Run:
    """The land port as configured (48 h, a day of warm-up), 3 replications, with the trace, 2 threads, --json.
    About 146,000 parties per replication (two days): more than one 65,536-row trace chunk each."""
    return make_run(workdir / "land-port.h5", LAND_PORT, "--trace", "--threads", 2, "--json",
                    seed=4242, replications=3)


@pytest.fixture(scope="session")
def main_run_threads1(workdir) -> Run:
    return make_run(workdir / "land-port-threads1.h5", LAND_PORT, "--trace", "--threads", 1, "--json",
                    seed=4242, replications=3)


@pytest.fixture(scope="session")
def short_run(workdir) -> Run:
    """A 6-hour land port with overrides, 4 replications, no trace."""
    return make_run(workdir / "short.h5", LAND_PORT, "--set", "horizon=6h", "--set", "warm-up=1h",
                    seed=99, replications=4)


@pytest.fixture(scope="session")
def single_run(workdir) -> Run:
    """One replication: standard deviations and confidence bounds are undefined (NaN / null)."""
    return make_run(workdir / "single.h5", LAND_PORT, "--set", "horizon=2h", "--set", "warm-up=0",
                    seed=5, replications=1)


BUSY_SCENARIO = """\
name: busy-crossing
description: "A small congested crossing: balking, reneging, a class over two lanes, a lane \
serving two classes, two secondary stations, trace on. \
Ünïcödé in the description — checks UTF-8 text and its hash."
horizon: 4h
warm-up: 30 min
replications: 3
seed: 11
violation-types: [narcotics, undeclared-goods]
classes:
  car:
    kind: passenger-vehicle
    arrivals:
      poisson: 560/h
    trusted-share: 20%
    violations: {narcotics: 1%, undeclared-goods: 3%}
    risk: {auc: 0.8}
    patience: {exponential: {mean: 20 min}}
    balking: {queue-length: 40, probability: 50%}
  pedestrian:
    kind: pedestrian
    arrivals:
      poisson: 200/h
    violations: {undeclared-goods: 2%}
    risk: {auc: 0.7}
    patience: {exponential: {mean: 30 min}}
lanes:
  general:
    serves: [car]
    booths: 4
    service: {car: {exponential: {mean: 45s}}}
    capacity: 60
    primary-detection: {undeclared-goods: 10%}
  express:
    serves: [car]
    booths: 1
    service: {car: {exponential: {mean: 30s}}}
  walk:
    serves: [pedestrian, car]
    booths: 2
    service: {pedestrian: {exponential: {mean: 40s}}, car: {exponential: {mean: 50s}}}
targeting:
  rule: {threshold: 1.5, random: 5%}
stations:
  scanner:
    servers: 2
    service: {exponential: {mean: 5 min}}
    sensitivity: {narcotics: 80%, undeclared-goods: 50%}
    false-alarm-rate: 10%
    on-alarm: exam
    on-clear: release
  exam:
    servers: 2
    service: {exponential: {mean: 15 min}}
    sensitivity: {narcotics: 95%, undeclared-goods: 90%}
    on-alarm: release
    on-clear: release
metrics:
  queue-sample-interval: 10 min
  trace: true
"""


@pytest.fixture(scope="session")
def busy_scenario(workdir) -> Path:
    path = workdir / "busy.yaml"
    path.write_text(BUSY_SCENARIO, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def busy_run(workdir, busy_scenario) -> Run:
    """Trace switched on by `metrics.trace: true` (no --trace flag); parties balk and renege."""
    return make_run(workdir / "busy.h5", str(busy_scenario), "--threads", 2, seed=11, replications=3)


@pytest.fixture(scope="session")
def busy_run_threads1(workdir, busy_scenario) -> Run:
    return make_run(workdir / "busy-threads1.h5", str(busy_scenario), "--threads", 1, seed=11, replications=3)


@pytest.fixture(scope="session")
def all_runs(main_run, short_run, single_run, busy_run) -> list[Run]:
    return [main_run, short_run, single_run, busy_run]


def kill_quietly(p: subprocess.Popen):
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
