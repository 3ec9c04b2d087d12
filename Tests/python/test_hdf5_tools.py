"""Test 4: the standard HDF5 command-line tools read the files: `h5ls -r` and `h5dump -H`
exit 0, list every object, and show the dimension scales."""
from __future__ import annotations

import re
import shutil
import subprocess

import h5py
import pytest

from conftest import SERIES_AXES, TABLE_ENTITY_AXIS

RUNS = ["main_run", "short_run", "busy_run"]


@pytest.fixture(params=RUNS)
def run(request):
    return request.getfixturevalue(request.param)


def tool(name, *args):
    if shutil.which(name) is None:
        pytest.skip(f"{name} not installed (Debian package hdf5-tools)")
    return subprocess.run([name, *map(str, args)], capture_output=True, text=True, timeout=60)


def all_objects(path):
    names = []
    with h5py.File(path, "r") as f:
        f.visit(lambda name: names.append("/" + name))
    return names


def test_h5ls_lists_every_object(run):
    proc = tool("h5ls", "-r", run.path)
    assert proc.returncode == 0, proc.stderr
    listed = {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}
    missing = set(all_objects(run.path)) - listed
    assert not missing, f"h5ls -r does not list {sorted(missing)}"
    assert re.search(r"^/replications/lane\s+Dataset \{\d+, \d+, \d+\}$", proc.stdout, re.M), proc.stdout[:2000]


def test_h5dump_header_shows_the_dimension_scales(run):
    proc = tool("h5dump", "-H", run.path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "HDF5-DIAG" not in proc.stderr, proc.stderr
    # Every labelled dataset (each table + its 4 summaries, the series, flow_lane/flow_class)
    # carries a DIMENSION_LIST; the axes carry the scale bookkeeping.
    assert out.count('ATTRIBUTE "DIMENSION_LIST"') == len(TABLE_ENTITY_AXIS) * 5 + len(SERIES_AXES) + 2
    assert 'ATTRIBUTE "DIMENSION_LABELS"' in out and 'ATTRIBUTE "REFERENCE_LIST"' in out
    assert 'ATTRIBUTE "scenario_sha256"' in out and "H5T_CSET_UTF8" in out


def test_h5dump_attributes_name_the_scales(run):
    """With attribute values: the 12 axes and one metric axis per table are DIMENSION_SCALEs, and
    the DIMENSION_LIST of /replications/lane points at /replication, /lane, /lane_metric."""
    proc = tool("h5dump", "-A", run.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count('"DIMENSION_SCALE"') == 12 + len(TABLE_ENTITY_AXIS)
    proc = tool("h5dump", "-A", "-a", "/replications/lane/DIMENSION_LIST", run.path)
    assert proc.returncode == 0, proc.stderr
    targets = re.findall(r'\(DATASET \d+ "([^"]+)"\)', proc.stdout)
    assert targets == ["/replication", "/lane", "/lane_metric"], proc.stdout


def test_h5dump_reads_the_data(short_run):
    """Not only the header: h5dump decodes a summary table and a compressed series."""
    proc = tool("h5dump", "-m", "%.17g", "-d", "/summary/port/mean", "-d", "/series/queue_length", short_run.path)
    assert proc.returncode == 0, proc.stderr
    assert 'DATASET "/summary/port/mean"' in proc.stdout and 'DATASET "/series/queue_length"' in proc.stdout
    with h5py.File(short_run.path, "r") as f:
        first = f["summary/port/mean"][0]
    numbers = re.search(r'DATASET "/summary/port/mean".*?DATA \{\s*\(0\): ([^,\s]+)', proc.stdout, re.S)
    assert numbers and float(numbers.group(1)) == first


def test_h5dump_shows_series_shuffle_and_deflate(short_run):
    proc = tool("h5dump", "-p", "-H", "-d", "/series/queue_length", short_run.path)
    assert proc.returncode == 0, proc.stderr
    assert "PREPROCESSING SHUFFLE" in proc.stdout and "COMPRESSION DEFLATE { LEVEL 4 }" in proc.stdout
    assert re.search(r"CHUNKED \( 1, \d+, 7 \)", proc.stdout), proc.stdout[:800]
