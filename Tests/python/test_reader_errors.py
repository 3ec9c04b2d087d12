"""Test 8: `bordersim inspect` on files that are not (complete, current) bordersim results:
each exits non-zero by itself (no signal, no crash report) with a message on stderr that names
the file and says what is wrong."""
from __future__ import annotations

import shutil
from pathlib import Path

import h5py
import numpy as np
import pytest

from conftest import assert_clean_failure, bordersim


def inspect_fails(path: Path, *reason: str, json_too=True):
    for args in (("inspect", path), ("inspect", "--json", path)) if json_too else (("inspect", path),):
        proc = bordersim(*args)
        assert_clean_failure(proc, str(path), *reason)
        assert proc.stdout == "", f"stdout should stay empty on failure: {proc.stdout[:300]!r}"


def copy_of(run, tmp_path, name) -> Path:
    path = tmp_path / name
    shutil.copyfile(run.path, path)
    return path


def test_text_file(tmp_path):
    path = tmp_path / "notes.h5"
    path.write_text("seed: 7\nthis is not HDF5\n")
    inspect_fails(path, "not an HDF5 file")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.h5"
    path.write_bytes(b"")
    inspect_fails(path, "not an HDF5 file")


@pytest.mark.parametrize("fraction", [0.5, 0.1])
def test_truncated_result_file(short_run, tmp_path, fraction):
    data = short_run.path.read_bytes()
    path = tmp_path / f"truncated-{fraction}.h5"
    path.write_bytes(data[: int(len(data) * fraction)])
    inspect_fails(path, "truncated")


def test_hdf5_file_without_bordersim_attributes(tmp_path):
    path = tmp_path / "plain.h5"
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(10)
        f.attrs["note"] = "written by h5py"
    inspect_fails(path, "not a bordersim result")


def test_hdf5_file_written_by_another_tool(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f.attrs["tool"] = "othersim"
        f.attrs["schema_version"] = np.int64(1)
    inspect_fails(path, "othersim")


def test_newer_schema_version(short_run, tmp_path):
    path = copy_of(short_run, tmp_path, "future.h5")
    with h5py.File(path, "r+") as f:
        f.attrs["schema_version"] = np.int64(99)
    inspect_fails(path, "99")
    proc = bordersim("inspect", path)
    assert "version" in proc.stderr


def test_unreadable_schema_version(short_run, tmp_path):
    path = copy_of(short_run, tmp_path, "stringversion.h5")
    with h5py.File(path, "r+") as f:
        f.attrs["schema_version"] = "one"
    inspect_fails(path, "schema_version")


def test_missing_summary_dataset(short_run, tmp_path):
    path = copy_of(short_run, tmp_path, "incomplete.h5")
    with h5py.File(path, "r+") as f:
        del f["summary/lane/sd"]
    inspect_fails(path, "summary/lane/sd")


def test_missing_file_and_directory(tmp_path):
    inspect_fails(tmp_path / "absent.h5", "no such file")
    directory = tmp_path / "dir.h5"
    directory.mkdir()
    inspect_fails(directory, "is a directory")


def test_unmodified_copy_still_reads(short_run, tmp_path):
    """Control for the cases above: a byte copy of the file inspects fine."""
    path = copy_of(short_run, tmp_path, "copy.h5")
    proc = bordersim("inspect", path)
    assert proc.returncode == 0, proc.stderr
