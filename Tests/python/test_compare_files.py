"""Comparison files (`bordersim compare ... --out FILE`) from real runs: the layout of
results/README.md, /summary and /difference equal to numpy's statistics of /replications (paired
differences, replication by replication), `--json` findings that agree with the file, a variant
that changes nothing (all-zero differences), and a variant that changes only targeting (lane
waits identical: common random numbers)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import h5py
import numpy as np
import pytest

from conftest import TABLE_ENTITY_AXIS, assert_clean_failure, assert_ok, bordersim, describe, leftovers, \
    scale_names, snapshot, strings
from sweep_helpers import TRAINING, assert_statistics, recompute, write_busy_scenario

REPLICATIONS = 5
# Training scenario (threshold 1.0, AUC 0.8): a stricter threshold, a no-op (the baseline's own
# threshold), and better intelligence.
TRAINING_VARIANTS = ("strict:targeting.rule.threshold=1.5",
                     "same:targeting.rule.threshold=1.0",
                     "better-intel:classes.traveller.risk.auc=0.92,targeting.rule.random=2%")
# The busy crossing (3 lanes, 2 stations), 1 hour.
BUSY_VARIANTS = ("targeting-only:targeting.rule.threshold=2.5,targeting.rule.random=1%",
                 "noop:what-if.booths=1",
                 "more-booths:lanes.general.booths=6")


def entity_dims(table: str) -> list[str]:
    return ([TABLE_ENTITY_AXIS[table]] if TABLE_ENTITY_AXIS[table] else []) + [f"{table}_metric"]


def compare(*args, out: Path):
    proc = bordersim("compare", *args, "--out", out, timeout=120)
    assert_ok(proc)
    assert out.is_file(), describe(proc)
    return proc


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("compare")
    write_busy_scenario(d)
    return d


@pytest.fixture(scope="module")
def training(workdir):
    """(file, --json findings) of the training scenario against three variants."""
    out = workdir / "training.h5"
    args = [TRAINING]
    for v in TRAINING_VARIANTS:
        args += ["--variant", v]
    proc = compare(*args, "--replications", REPLICATIONS, "--threads", 2, "--json", out=out)
    return out, json.loads(proc.stdout)


@pytest.fixture(scope="module")
def busy(workdir):
    out = workdir / "busy.h5"
    args = [workdir / "busy.yaml", "--set", "horizon=1h", "--set", "warm-up=10 min"]
    for v in BUSY_VARIANTS:
        args += ["--variant", v]
    proc = compare(*args, "--replications", 4, "--threads", 2, "--json", out=out)
    return out, json.loads(proc.stdout)


@pytest.fixture(params=["training", "busy"])
def comparison(request, training, busy):
    return training if request.param == "training" else busy


def names_of(variants) -> list[str]:
    return [v.split(":", 1)[0] for v in variants]


# --------------------------------------------------------------------------------------------
# Layout


def test_root_attributes_and_axes(training):
    path, _ = training
    with h5py.File(path, "r") as f:
        a = f.attrs
        assert a["file_kind"] == "comparison" and int(a["schema_version"]) == 4
        assert a["tool"] == "bordersim"
        configurations = ["risk-targeting-lesson", *names_of(TRAINING_VARIANTS)]
        assert strings(a["configurations"]) == configurations
        assert a["baseline"] == "risk-targeting-lesson"
        assert int(a["replications"]) == REPLICATIONS and int(a["seed"]) == 42
        yamls = strings(a["configuration_yaml"])
        assert len(yamls) == 4
        assert re.search(r"threshold:\s*1\.5", yamls[1]), "variant strict's resolved text lacks threshold 1.5"
        for axis in ("configuration", "comparison", "replication"):
            assert f[axis].attrs["CLASS"] == b"DIMENSION_SCALE", axis
        assert strings(f["configuration"]) == configurations
        assert strings(f["comparison"]) == [f"{c} - risk-targeting-lesson" for c in configurations[1:]]
        assert f["replication"][:].tolist() == list(range(REPLICATIONS))


@pytest.mark.parametrize("table", list(TABLE_ENTITY_AXIS))
def test_table_shapes_and_scales(comparison, table):
    path, _ = comparison
    with h5py.File(path, "r") as f:
        G, R = len(f["configuration"]), len(f["replication"])
        dims = entity_dims(table)
        shape = tuple(len(f[d]) for d in dims)
        values = f[f"replications/{table}"]
        assert values.shape == (G, R) + shape
        assert scale_names(values) == ["configuration", "replication"] + dims
        assert [d.label for d in values.dims] == ["configuration", "replication"] + dims
        for statistic in ("mean", "sd", "ci_low", "ci_high"):
            s, d = f[f"summary/{table}/{statistic}"], f[f"difference/{table}/{statistic}"]
            assert s.shape == (G,) + shape and scale_names(s) == ["configuration"] + dims
            assert d.shape == (G - 1,) + shape and scale_names(d) == ["comparison"] + dims
            assert [x.label for x in d.dims] == ["comparison"] + dims


@pytest.mark.parametrize("table", list(TABLE_ENTITY_AXIS))
def test_summary_and_paired_differences_equal_numpy(comparison, table):
    path, _ = comparison
    with h5py.File(path, "r") as f:
        values = f[f"replications/{table}"][:]
        level = float(f["difference"].attrs["confidence_level"])
        assert level == 0.95
        assert_statistics(f[f"summary/{table}"], values, 1, level, f"/summary/{table}")
        differences = values[1:] - values[:1]          # configuration - baseline, replication by replication
        assert_statistics(f[f"difference/{table}"], differences, 1, level, f"/difference/{table}")
        # The headline requirement in words: the mean of the paired differences.
        with np.errstate(invalid="ignore"):
            expected = recompute(differences, 1, level)["mean"]
        np.testing.assert_allclose(f[f"difference/{table}/mean"][:], expected, rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------------------------
# --json findings against the file


def test_json_findings_agree_with_the_file(comparison):
    path, report = comparison
    with h5py.File(path, "r") as f:
        configurations = strings(f["configuration"])
        assert report["replications"] == len(f["replication"])
        assert report["confidence_level"] == f["difference"].attrs["confidence_level"]
        assert [c["configuration"] for c in report["comparisons"]] == configurations[1:]
        checked = 0
        for k, c in enumerate(report["comparisons"]):
            assert c["baseline"] == configurations[0]
            assert c["findings"], f"no findings for {c['configuration']}"
            for finding in c["findings"]:
                table = finding["table"]
                metrics = strings(f[f"{table}_metric"])
                index = [k]
                axis = TABLE_ENTITY_AXIS[table]
                if axis:
                    index.append(strings(f[axis]).index(finding["entity"]))
                else:
                    assert "entity" not in finding, finding
                index.append(metrics.index(finding["metric"]))
                index = tuple(index)
                what = f"{c['configuration']} {table} {finding.get('entity', '')} {finding['metric']}"
                for key, statistic in (("difference", "mean"), ("ci_low", "ci_low"), ("ci_high", "ci_high")):
                    expected = f[f"difference/{table}/{statistic}"][index]
                    assert finding[key] == pytest.approx(expected, rel=1e-12, abs=1e-12), (what, key)
                units = strings(f[f"{table}_metric"].attrs["units"])
                assert finding["unit"] == units[metrics.index(finding["metric"])], what
                assert finding["significant"] == (finding["ci_low"] > 0 or finding["ci_high"] < 0), what
                assert c["configuration"] in finding["sentence"], what
                if finding["significant"]:
                    assert "not significant" not in finding["sentence"], what
                checked += 1
    assert checked >= 8


# --------------------------------------------------------------------------------------------
# Variants that change nothing, or only targeting


@pytest.mark.parametrize("which", ["training", "busy"])
def test_a_variant_that_changes_nothing_gives_zero_differences(training, busy, which):
    path, report = training if which == "training" else busy
    name = "same" if which == "training" else "noop"
    with h5py.File(path, "r") as f:
        k = strings(f["configuration"]).index(name)
        for table in TABLE_ENTITY_AXIS:
            values = f[f"replications/{table}"][:]
            np.testing.assert_array_equal(values[k], values[0], err_msg=f"{name}: {table} differs from the baseline")
            # Undefined (NaN) where the metric is defined in too few replications for the statistic.
            defined = (~np.isnan(values[0])).sum(axis=0)
            for statistic in ("mean", "sd", "ci_low", "ci_high"):
                d = f[f"difference/{table}/{statistic}"][k - 1]
                undefined = defined < (1 if statistic == "mean" else 2)
                ok = np.where(undefined, np.isnan(d), d == 0)
                assert ok.all(), f"{name}: /difference/{table}/{statistic} not all zero: {d[~ok][:5]}"
    findings = next(c for c in report["comparisons"] if c["configuration"] == name)["findings"]
    for finding in findings:
        assert finding["difference"] == finding["ci_low"] == finding["ci_high"] == 0, finding
        assert not finding["significant"] and "unchanged" in finding["sentence"], finding


@pytest.mark.parametrize("which", ["training", "busy"])
def test_a_targeting_variant_keeps_lane_waits_identical(training, busy, which):
    path, report = training if which == "training" else busy
    name = "strict" if which == "training" else "targeting-only"
    with h5py.File(path, "r") as f:
        k = strings(f["configuration"]).index(name)
        lane = f["replications/lane"][:]
        metrics = strings(f["lane_metric"])
        np.testing.assert_array_equal(lane[k], lane[0], err_msg=f"{name}: the lane table changed")
        for metric in ("mean_wait_min", "p95_wait_min", "max_wait_min"):
            i = metrics.index(metric)
            assert (f["difference/lane/mean"][k - 1, :, i] == 0).all(), metric
            assert (f["difference/lane/ci_low"][k - 1, :, i] == 0).all(), metric
        # ... while the variant did change targeting: fewer referrals in every replication.
        port = f["replications/port"][:]
        referred = strings(f["port_metric"]).index("referred")
        assert (port[k, :, referred] < port[0, :, referred]).all(), port[:, :, referred]
    findings = next(c for c in report["comparisons"] if c["configuration"] == name)["findings"]
    lane_findings = [x for x in findings if x["table"] == "lane"]
    assert lane_findings and all(x["difference"] == 0 and "unchanged" in x["sentence"] for x in lane_findings)
    assert any(x["metric"] == "referred" and x["significant"] and x["difference"] < 0 for x in findings)


def test_more_booths_changes_the_general_lane(busy):
    """A sanity check that the busy variants are not all no-ops: more booths, shorter waits."""
    path, _ = busy
    with h5py.File(path, "r") as f:
        k = strings(f["configuration"]).index("more-booths")
        general = strings(f["lane"]).index("general")
        wait = strings(f["lane_metric"]).index("mean_wait_min")
        assert f["difference/lane/mean"][k - 1, general, wait] < 0


# --------------------------------------------------------------------------------------------
# Two files rather than variants; refusals


def test_two_scenario_files_equal_the_variant(training, workdir):
    """`compare A B` where B is A with threshold 1.5 in its text gives the differences of
    `--variant strict:targeting.rule.threshold=1.5`."""
    text = TRAINING.read_text()
    strict_text, n = re.subn(r"rule: \{threshold: 1\.0,", "rule: {threshold: 1.5,", text)
    assert n == 1, "the training scenario's targeting line changed; update this test"
    strict = workdir / "strict.yaml"
    strict.write_text(strict_text.replace("name: risk-targeting-lesson", "name: strict"))
    out = workdir / "two-files.h5"
    compare(TRAINING, strict, "--replications", REPLICATIONS, "--threads", 1, out=out)
    with h5py.File(out, "r") as f, h5py.File(training[0], "r") as g:
        assert strings(f["configuration"]) == ["risk-targeting-lesson", "strict"]
        for table in TABLE_ENTITY_AXIS:
            for statistic in ("mean", "sd", "ci_low", "ci_high"):
                np.testing.assert_array_equal(f[f"difference/{table}/{statistic}"][0],
                                              g[f"difference/{table}/{statistic}"][0], err_msg=f"{table} {statistic}")


def test_a_bad_variant_exits_2_and_writes_nothing(workdir):
    out = workdir / "refused.h5"
    proc = bordersim("compare", TRAINING, "--variant", "typo:targeting.rule.treshold=1.5", "--out", out)
    assert proc.returncode == 2, describe(proc)
    assert_clean_failure(proc, "treshold", "did you mean 'threshold'")
    # The problem is in the argument, so the message points at it (and names the file it applies to).
    assert re.search(r"^--variant typo: targeting\.rule\.treshold=1\.5 \(on .*risk-targeting\.yaml\): ", proc.stderr, re.M), proc.stderr
    assert leftovers(out) == []
