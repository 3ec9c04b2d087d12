"""The Saltelli design of sweep plans (`design: {saltelli: {base: N}}`) read from a real sweep file:
rows in SALib's order, and SALib's estimator recovers the known Sobol indices of the Ishigami
function from bordersim's points (Ishigami & Homma 1990, a = 7, b = 0.1).

The plan (Tests/python/data/saltelli-ishigami.yaml) sweeps three lesson-scenario values over ranges
that the test maps linearly onto [−π, π]³; the simulation outputs are not used, only the points.
"""
from __future__ import annotations

import warnings

import h5py
import numpy as np
import pytest

from conftest import REPO, assert_ok, bordersim

PLAN = REPO / "Tests/python/data/saltelli-ishigami.yaml"
RANGES = {"targeting.rule.threshold": (-1.0, 1.0), "classes.traveller.risk.auc": (0.6, 0.9),
          "what-if.arrival-rate": (0.5, 1.5)}
BASE = 256
# Known indices of Ishigami (a = 7, b = 0.1).
S1 = np.array([0.3139, 0.4424, 0.0])
ST = np.array([0.5576, 0.4424, 0.2437])


@pytest.fixture(scope="module")
def unit_points(tmp_path_factory):
    out = tmp_path_factory.mktemp("saltelli") / "ishigami.h5"
    assert_ok(bordersim("sweep", PLAN, "--out", out, "--quiet", timeout=600))
    with h5py.File(out, "r") as f:
        assert f.attrs["design"] == "saltelli (base 256, second-order true, skip 0)"
        names = list(f["parameter"].asstr()[:])
        assert names == list(RANGES)
        u = np.column_stack([(f["points"][n][:] - RANGES[n][0]) / (RANGES[n][1] - RANGES[n][0]) for n in names])
        assert f["point"].shape == (BASE * 8,)
        assert f["replications/port"].shape[0] == BASE * 8
    return u


def test_rows_are_in_salib_order(unit_points):
    k, step = 3, 8
    assert unit_points.shape == (BASE * step, k)
    assert ((unit_points >= 0) & (unit_points < 1 + 1e-12)).all()
    blocks = unit_points.reshape(BASE, step, k)
    a, b = blocks[:, 0], blocks[:, step - 1]
    for j in range(k):
        ab, ba = a.copy(), b.copy()
        ab[:, j], ba[:, j] = b[:, j], a[:, j]
        np.testing.assert_allclose(blocks[:, 1 + j], ab, atol=1e-12, err_msg=f"A with column {j} from B")
        np.testing.assert_allclose(blocks[:, 1 + k + j], ba, atol=1e-12, err_msg=f"B with column {j} from A")
    # A and B are low-discrepancy samples (GSL skips the origin, so one point moves): each eighth of
    # [0, 1) holds N/8 ± 1 points in every column (independent uniform draws: ± 10 or so).
    for m in (a, b):
        for j in range(k):
            counts = np.bincount((m[:, j] * 8).astype(int), minlength=8)
            assert counts.min() >= BASE // 8 - 1 and counts.max() <= BASE // 8 + 1, counts


def test_salib_recovers_the_ishigami_indices(unit_points):
    from SALib.analyze import sobol
    from SALib.test_functions import Ishigami
    x = -np.pi + 2 * np.pi * unit_points
    problem = {"num_vars": 3, "names": list(RANGES), "bounds": [[-np.pi, np.pi]] * 3}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # SALib suggests N as a power of 2: it is
        s = sobol.analyze(problem, Ishigami.evaluate(x), calc_second_order=True, seed=1)
    # The design is deterministic (unscrambled Sobol): a fixed error bound, measured 0.05 at N = 256;
    # a design in the wrong order gives errors of 0.3 and more.
    np.testing.assert_allclose(s["S1"], S1, atol=0.08, err_msg="first-order indices")
    np.testing.assert_allclose(s["ST"], ST, atol=0.08, err_msg="total indices")
    # And the known values lie inside SALib's bootstrap 95 % intervals (6 intervals).
    assert (np.abs(s["S1"] - S1) <= s["S1_conf"]).all(), (s["S1"], s["S1_conf"])
    assert (np.abs(s["ST"] - ST) <= s["ST_conf"]).all(), (s["ST"], s["ST_conf"])
    # The interaction x1–x3 is the only second-order term: S13 = ST1 − S1 = 0.2437.
    assert abs(s["S2"][0, 2] - 0.2437) < 0.15 and abs(s["S2"][0, 1]) < 0.15 and abs(s["S2"][1, 2]) < 0.15, s["S2"]
