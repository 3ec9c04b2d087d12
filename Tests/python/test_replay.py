"""`bordersim replay` and `calibrate` from the command line, on the two-week O'Hare T5
excerpts shipped in scenarios/data: files readable by h5py and pandas, missing hours missing,
bad input refused with file, line and column, outputs never damaged."""
from __future__ import annotations

import json
import math

import h5py
import numpy as np
import pandas as pd

from conftest import assert_clean_failure, assert_ok, bordersim, leftovers

SCENARIO = "scenarios/airport-arrivals.yaml"
OBS = "scenarios/data/ord-t5-2017-12-11-to-24.csv"
FIT = "scenarios/data/ord-t5-2016-12-11-to-24.csv"


def test_replay_csv_h5_json_agree(tmp_path):
    csv, h5 = tmp_path / "p.csv", tmp_path / "p.h5"
    for out in (csv, h5):
        assert_ok(bordersim("replay", SCENARIO, "--observed", OBS, "--fit-data", FIT, "--replications", "2",
                            "--out", out))
    j = bordersim("replay", SCENARIO, "--observed", OBS, "--fit-data", FIT, "--replications", "2", "--json")
    assert_ok(j)
    report = json.loads(j.stdout)
    observed = pd.read_csv(OBS)
    table = pd.read_csv(csv)
    # One row per observed hour, with the file's own date and hour texts, in time order.
    assert list(table.date) == list(observed.date) and list(table.hour) == list(observed.hour)
    assert list(table.columns[:6]) == ["date", "hour", "observed_mean_wait_min", "predicted_mean_wait_min",
                                       "predicted_ci_low", "predicted_ci_high"]
    np.testing.assert_allclose(table.observed_mean_wait_min, observed.all_avg_wait)
    shares = table[[c for c in table.columns if c.startswith("predicted_share_")]]
    assert shares.shape[1] == 7
    defined = table.predicted_mean_wait_min.notna()
    np.testing.assert_allclose(shares[defined].sum(axis=1), 1, atol=1e-4)
    with h5py.File(h5) as f:
        g = f["replay"]
        np.testing.assert_allclose(g["predicted_mean_wait_min"][:], table.predicted_mean_wait_min, atol=1e-4, equal_nan=True)
        assert [s.decode() for s in g["date"][:]][:3] == list(observed.date[:3])
        assert "ORD-2016" not in f.attrs["observed_files"] and "ord-t5-2017-12-11-to-24.csv" in f.attrs["observed_files"]
        assert json.loads(f.attrs["scores_json"])["period"]["first"] == "2017-12-11"
    # Scores computed by the tool match pandas on the same hours.
    sim = next(s for s in report["scores"] if s["predictor"] == "simulation")
    ok = table.predicted_mean_wait_min.notna()
    err = table.predicted_mean_wait_min[ok] - table.observed_mean_wait_min[ok]
    assert sim["hours"] == int(ok.sum())
    assert math.isclose(sim["mae"], err.abs().mean(), rel_tol=1e-3)
    # Baselines fitted on the fit data: the constant is its median wait.
    assert report["baselines"]["constant_min"] == pd.read_csv(FIT).all_avg_wait.median()
    assert len(report["by_hour_of_day"]) == 24


def test_force_replaces_an_existing_csv(tmp_path):
    """A second --force run replaces the CSV in place (it once lost the target and left only the
    .partial: Foundation's replaceItemAt on Linux)."""
    out = tmp_path / "p.csv"
    for reps in ("1", "2"):
        assert_ok(bordersim("replay", SCENARIO, "--observed", OBS, "--replications", reps, "--out", out, "--force"))
        assert out.is_file() and not (tmp_path / "p.csv.partial").exists(), sorted(p.name for p in tmp_path.iterdir())
    assert len(pd.read_csv(out)) == len(pd.read_csv(OBS))


def test_undefined_hours_are_missing_everywhere(tmp_path):
    """A row whose hour has no passengers and no booths: nobody is served, so the prediction is
    missing (empty cell, NaN, null), not 0."""
    rows = pd.read_csv(OBS)
    quiet = rows.copy()
    i = quiet.index[quiet.hour == "0300 - 0400"][0]
    quiet.loc[i, ["all_total", "all_flights", "all_booths"]] = 0
    path = tmp_path / "quiet.csv"
    quiet.to_csv(path, index=False)
    out = tmp_path / "q.csv"
    assert_ok(bordersim("replay", SCENARIO, "--observed", path, "--replications", "2", "--out", out))
    t = pd.read_csv(out)
    assert math.isnan(t.predicted_mean_wait_min[i]), t.iloc[i]


def test_bad_observed_files_are_refused_with_file_line_column(tmp_path):
    rows = open(OBS).read().splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([rows[0], rows[1].replace("12/11/2017", "13/45/2017")] + rows[2:]) + "\n")
    out = tmp_path / "never.csv"
    p = bordersim("replay", SCENARIO, "--observed", bad, "--out", out)
    assert_clean_failure(p, f"{bad}:2: column 'date'", "13/45/2017")
    assert leftovers(out) == []
    dup = tmp_path / "dup.csv"
    dup.write_text("\n".join(rows + rows[1:2]) + "\n")
    assert_clean_failure(bordersim("replay", SCENARIO, "--observed", dup), "appears twice")
    assert_clean_failure(bordersim("replay", "scenarios/land-port.yaml", "--observed", OBS), "no observed: block")


def test_calibrate_writes_a_provenance_header_and_a_loadable_scenario(tmp_path):
    out = tmp_path / "cal.yaml"
    p = bordersim("calibrate", SCENARIO, "--observed", FIT, "--replications", "1", "--budget", "4",
                  "--fit", "lanes.booths.service.citizen.lognormal.mean=40s..80s", "-o", out, "--json")
    assert_ok(p)
    fit = json.loads(p.stdout)
    assert fit["evaluations"] <= 4 and 40 <= fit["fitted"]["lanes.booths.service.citizen.lognormal.mean"] <= 80
    text = out.read_text()
    assert "# Calibrated by `bordersim calibrate`" in text and "sha256:" in text and "objective: mae" in text
    assert_ok(bordersim("validate", out))
    # An existing output is refused without --force, and left as it was.
    again = bordersim("calibrate", SCENARIO, "--observed", FIT, "--budget", "2",
                      "--fit", "lanes.booths.service.citizen.lognormal.mean=40s..80s", "-o", out)
    assert_clean_failure(again, "already exists")
    assert out.read_text() == text
    assert_clean_failure(bordersim("calibrate", SCENARIO, "--observed", FIT, "--fit", "nope.key=1..2", "-o", tmp_path / "x.yaml"),
                         "nope")
