"""Test 6: writing safely — existing targets, directories, missing or read-only directories,
a full disk (tmpfs and RLIMIT_FSIZE), and bad input. A failure never leaves a file under the
target name nor a NAME.partial behind, and the program reports it cleanly (no crash)."""
from __future__ import annotations

import os
import resource
import signal
import stat
from pathlib import Path

import h5py
import pytest

from conftest import (LAND_PORT, assert_clean_failure, assert_ok, bordersim, describe, errors_only,
                      file_bytes, leftovers, try_mount_tmpfs, unmount)

# A run of about 0.1 s in debug: one replication of one hour.
QUICK = (LAND_PORT, "--replications", 1, "--set", "horizon=1h", "--set", "warm-up=0")
# A run whose file (with the trace, ~8 MB) cannot fit in 256 KiB.
TRACED = (LAND_PORT, "--replications", 3, "--seed", 7, "--trace", "--set", "horizon=6h", "--set", "warm-up=1h")


def run_to(target, *extra, scenario=QUICK, **kwargs):
    return bordersim("run", *scenario, "--out", target, *extra, **kwargs)


@pytest.fixture
def existing(tmp_path) -> Path:
    target = tmp_path / "existing.h5"
    assert_ok(run_to(target, "--seed", 1))
    return target


def seed_of(path):
    with h5py.File(path, "r") as f:
        return int(f.attrs["seed"])


# (a) and (b) ---------------------------------------------------------------------------------

def test_existing_target_is_refused_without_force(existing):
    before = file_bytes(existing)
    proc = run_to(existing, "--seed", 2)
    assert_clean_failure(proc, str(existing), "--force")
    assert file_bytes(existing) == before, "the existing file was changed"
    assert leftovers(existing) == [existing.name], leftovers(existing)


def test_existing_target_is_refused_before_the_run(existing):
    """The refusal comes first: no summary printed, i.e. no simulation was run for nothing."""
    proc = run_to(existing, "--seed", 2)
    assert proc.returncode != 0
    assert "replications of" not in proc.stdout, proc.stdout


def test_force_replaces_the_target(existing):
    assert seed_of(existing) == 1
    proc = run_to(existing, "--seed", 2, "--force")
    assert_ok(proc)
    assert seed_of(existing) == 2
    assert leftovers(existing) == [existing.name]


def test_force_replaces_atomically_a_new_inode(existing):
    """--force renames the complete new file over the old one (rename(2)): a reader holding
    the old file open keeps reading a complete old file."""
    inode = existing.stat().st_ino
    with h5py.File(existing, "r") as old:
        assert_ok(run_to(existing, "--seed", 3, "--force"))
        assert int(old.attrs["seed"]) == 1 and old["summary/port/mean"].shape[0] > 0
    assert existing.stat().st_ino != inode
    assert seed_of(existing) == 3


def test_dangling_symlink_target_is_not_replaced_without_force(tmp_path):
    target = tmp_path / "link.h5"
    target.symlink_to(tmp_path / "nowhere.h5")
    proc = run_to(target)
    assert_clean_failure(proc, str(target), "--force")
    assert target.is_symlink() and os.readlink(target) == str(tmp_path / "nowhere.h5")
    assert not (tmp_path / "nowhere.h5").exists()
    assert leftovers(target) == [target.name]


# (c) (d) (e) ---------------------------------------------------------------------------------

@pytest.mark.parametrize("force", [False, True])
def test_target_that_is_a_directory(tmp_path, force):
    target = tmp_path / "results.h5"
    target.mkdir()
    proc = run_to(target, *(["--force"] if force else []))
    assert_clean_failure(proc, str(target), "is a directory")
    assert target.is_dir() and list(target.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.h5"]


def test_directory_that_does_not_exist(tmp_path):
    target = tmp_path / "no" / "such" / "dir" / "run.h5"
    proc = run_to(target)
    assert_clean_failure(proc, str(target), "does not exist")
    assert not (tmp_path / "no").exists()


def test_parent_that_is_a_file(existing):
    target = existing / "run.h5"
    proc = run_to(target)
    assert_clean_failure(proc, str(target))
    assert existing.is_file()


def test_unwritable_directory(tmp_path):
    directory = tmp_path / "readonly"
    directory.mkdir()
    mounted, why = try_mount_tmpfs(directory, "ro,size=1m")
    if not mounted:
        if os.geteuid() == 0:
            pytest.skip(f"cannot make a directory unwritable for root: {why}")
        directory.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    try:
        target = directory / "run.h5"
        proc = run_to(target)
        assert_clean_failure(proc, str(target), "not writable")
        assert list(directory.iterdir()) == []
    finally:
        if mounted:
            unmount(directory)
        else:
            directory.chmod(0o755)


# (f) full disk ------------------------------------------------------------------------------

def check_full_disk_failure(proc, target: Path):
    assert proc.returncode != 0, "a file that cannot fit was reported written\n" + describe(proc)
    assert leftovers(target) == [], f"left behind: {leftovers(target)}\n" + describe(proc)
    assert "could not write" in errors_only(proc.stderr), describe(proc)
    assert_clean_failure(proc, str(target))


@pytest.fixture
def small_tmpfs(tmp_path):
    directory = tmp_path / "small"
    directory.mkdir()
    mounted, why = try_mount_tmpfs(directory, "size=256k")
    if not mounted:
        pytest.skip(f"cannot mount a small tmpfs ({why}); the RLIMIT_FSIZE variant covers a full disk")
    try:
        yield directory
    finally:
        unmount(directory)


def no_bigger_than(limit):
    def limit_child():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write(2) then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_child


def test_full_disk_tmpfs_leaves_nothing(small_tmpfs):
    target = small_tmpfs / "run.h5"
    proc = run_to(target, scenario=TRACED)
    check_full_disk_failure(proc, target)
    assert list(small_tmpfs.iterdir()) == []


def test_file_size_limit_leaves_nothing(tmp_path):
    target = tmp_path / "run.h5"
    proc = run_to(target, scenario=TRACED, preexec_fn=no_bigger_than(256 * 1024))
    check_full_disk_failure(proc, target)


def test_full_disk_message_gives_the_reason(small_tmpfs):
    """The message says why: ENOSPC's text (HDF5Error promises 'errno = 28, No space left...')."""
    proc = run_to(small_tmpfs / "run.h5", scenario=TRACED)
    assert proc.returncode != 0
    assert "No space left on device" in errors_only(proc.stderr), describe(proc)


def test_file_size_limit_message_gives_the_reason(tmp_path):
    proc = run_to(tmp_path / "run.h5", scenario=TRACED, preexec_fn=no_bigger_than(256 * 1024))
    assert proc.returncode != 0
    assert "File too large" in errors_only(proc.stderr), describe(proc)


def test_full_disk_with_force_keeps_the_old_file(tmp_path):
    """--force over an existing file, and the new one does not fit: the old file stays."""
    target = tmp_path / "run.h5"
    assert_ok(run_to(target, "--seed", 1))
    before = file_bytes(target)
    limit = max(len(before) * 2, 256 * 1024)
    proc = run_to(target, "--force", scenario=TRACED, preexec_fn=no_bigger_than(limit))
    assert proc.returncode != 0, describe(proc)
    assert file_bytes(target) == before
    assert leftovers(target) == [target.name]


# (g) bad input ------------------------------------------------------------------------------

BAD_SCENARIO = """\
name: typo
horizn: 4h
classes:
  car:
    kind: passenger-vehicle
    arrivals: {poisson: 100/h}
lanes:
  general:
    serves: [car]
    booths: 2
    service: {car: 40s}
"""


def test_scenario_with_a_typo_writes_nothing(tmp_path):
    scenario = tmp_path / "typo.yaml"
    scenario.write_text(BAD_SCENARIO)
    target = tmp_path / "run.h5"
    proc = bordersim("run", scenario, "--out", target)
    assert_clean_failure(proc, "horizn")
    assert "horizon" in proc.stderr, "no 'did you mean horizon' hint\n" + describe(proc)
    assert leftovers(target) == []


@pytest.mark.parametrize("args, mention", [
    (("--set", "horizn=6h"), "horizn"),
    (("--set", "horizon=banana"), "horizon"),
    (("--replications", 0), "--replications"),
    (("--threads", 0), "--threads"),
    (("--seed", -1), None),
])
def test_bad_options_write_nothing(tmp_path, args, mention):
    target = tmp_path / "run.h5"
    proc = bordersim("run", LAND_PORT, "--out", target, *args)
    assert_clean_failure(proc, *([mention] if mention else []))
    assert leftovers(target) == []


def test_missing_scenario_writes_nothing(tmp_path):
    target = tmp_path / "run.h5"
    proc = bordersim("run", tmp_path / "absent.yaml", "--out", target)
    assert_clean_failure(proc, "absent.yaml")
    assert leftovers(target) == []


def test_trace_needs_out():
    proc = bordersim("run", *QUICK, "--trace")
    assert_clean_failure(proc, "--trace needs --out")
