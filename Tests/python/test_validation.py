"""Validation against queueing theory: the nine analytic cases of Tests/validation (scenario
files, theory in theory.py, checks in cases.py), each run through the real CLI with its own
replications and seed, read from its HDF5 file, and compared with the exact value.

Family-wise error: every check is a Student-t interval over independent replications at the
Šidák level (1 - 0.01)^(1/m), m = the number of checks (printed in each message), so a correct
simulator fails any check of this file with probability at most 1 %. (Plain 99 % intervals
would fail one of 32 checks about 28 % of the time.) Each interval must also be narrow — a
relative half-width below the check's bound — so a check cannot pass by being noisy.
"""
from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from conftest import REPO, assert_ok, bordersim

sys.path.insert(0, str(REPO / "Tests" / "validation"))
import cases  # noqa: E402
import theory  # noqa: E402


@pytest.fixture(scope="session")
def validation_run(workdir):
    """The run file of a case's scenario, run once per session (on first use)."""
    runs: dict[str, cases.RunFile] = {}

    def get(scenario: str) -> cases.RunFile:
        if scenario not in runs:
            out = workdir / f"validation-{scenario.removesuffix('.yaml')}.h5"
            proc = bordersim(*cases.run_arguments(scenario, out))
            assert_ok(proc)
            runs[scenario] = cases.RunFile(out)
        return runs[scenario]

    return get


@pytest.mark.parametrize("check", cases.CHECKS, ids=[c.id for c in cases.CHECKS])
def test_against_theory(check, validation_run):
    outcome = cases.evaluate(validation_run(cases.SCENARIO_OF[check.id]), check)
    assert len(outcome.values) >= 10, outcome.describe()
    assert np.isfinite(outcome.values).all(), f"undefined values {outcome.values}: " + outcome.describe()
    assert outcome.narrow, "interval too wide to test anything: " + outcome.describe()
    assert outcome.passed, "theory outside the simultaneous interval: " + outcome.describe()


def test_family_is_the_whole_suite():
    """The Šidák level is computed over every check of the suite, and the suite has them all."""
    assert len(cases.CHECKS) == len({c.id for c in cases.CHECKS})
    assert len(cases.CHECKS) == 32, "Tests/validation/README.md states the number of checks and the level"
    level = cases.sidak_level(len(cases.CHECKS))
    assert math.isclose(1 - level ** len(cases.CHECKS), cases.FAMILY_ALPHA)
    assert {c.case for c in cases.CHECKS} == {
        "M/M/1", "M/M/c", "M/D/1", "M/G/1 lognormal", "M/M/1/K", "Erlang A",
        "Priority at a lane", "Priority at a station", "Tandem (Jackson)", "Mt/M/∞"}


def test_a_wrong_model_fails(workdir):
    """The checks have power: service 10 % slower than the scenario says (rho 0.55 instead of
    0.5, Wq 22 % higher) fails the M/M/1 wait check."""
    out = workdir / "validation-mm1-slower.h5"
    assert_ok(bordersim(*cases.run_arguments("mm1.yaml", out), "--set", "what-if.service-time=1.1"))
    check = next(c for c in cases.CHECKS if c.id == "M/M/1: Wq (min)")
    outcome = cases.evaluate(cases.RunFile(out), check)
    assert outcome.narrow and not outcome.passed, outcome.describe()


def test_theory_agrees_with_itself():
    """The formulas meet where their models meet (no simulation)."""
    # Erlang A: without abandonment it is Erlang C; with patience rate = service rate it is M/M/∞.
    assert math.isclose(theory.erlang_a(3, 2.0, 1.0, 1e-9)["p_wait"], theory.erlang_c(3, 2.0), rel_tol=1e-6)
    poisson_tail = 1 - sum(math.exp(-2.0) * 2.0 ** n / math.factorial(n) for n in range(3))
    assert math.isclose(theory.erlang_a(3, 2.0, 1.0, 1.0)["p_wait"], poisson_tail, rel_tol=1e-12)
    # M/M/1: Erlang C is rho; Pollaczek-Khinchine with E[S^2] = 2/mu^2 is rho/(mu - lambda).
    assert math.isclose(theory.erlang_c(1, 0.7), 0.7)
    assert math.isclose(theory.pollaczek_khinchine_wait(0.7, 1.0, 2.0), theory.mmc_wait(1, 0.7, 1.0))
    # M/M/1/K tends to M/M/1 as K grows (L = rho/(1 - rho)).
    assert math.isclose(theory.mm1k(0.5, 1.0, 60)[1], 1.0, rel_tol=1e-12)
    # Cobham: one class is P-K; the load-weighted mean wait is the FIFO wait (conservation law,
    # equal service laws).
    assert math.isclose(theory.cobham_waits([0.6], [1.0], [2.0])[0], theory.pollaczek_khinchine_wait(0.6, 1.0, 2.0))
    w = theory.cobham_waits([0.2, 0.4], [1.0, 1.0], [2.0, 2.0])
    assert math.isclose((0.2 * w[0] + 0.4 * w[1]) / 0.6, theory.mmc_wait(1, 0.6, 1.0))
    # Mt/M/∞ with a constant rate tends to lambda/mu.
    assert math.isclose(theory.mt_m_inf_hourly([300.0] * 20, 2.0)[-1], 150.0, rel_tol=1e-12)


def test_new_metrics_match_their_definitions(validation_run):
    """Replication by replication, the shares and levels the checks read equal what they are
    defined from (engine-contract): blocking = balked / arrived, abandonment = reneged / arrived,
    L = Lq + busy booths; with far more booths than load nobody waits, so in_system = busy_booths."""
    close = dict(rtol=1e-9, atol=1e-12)
    mm1k = validation_run("mm1k.yaml")
    np.testing.assert_allclose(mm1k.table("lane", "one", "blocking_share"),
                               mm1k.table("flow", "one/car", "balked") / mm1k.table("flow", "one/car", "arrived"), **close)
    np.testing.assert_allclose(mm1k.table("lane", "one", "mean_in_system"),
                               mm1k.table("lane", "one", "mean_queue") + mm1k.table("lane", "one", "mean_busy"), **close)
    ea = validation_run("erlang-a.yaml")
    np.testing.assert_allclose(ea.table("lane", "three", "abandonment_share"),
                               ea.table("flow", "three/car", "reneged") / ea.table("flow", "three/car", "arrived"), **close)
    mt = validation_run("mt-m-inf.yaml")
    assert (mt.table("lane", "wide", "max_queue") == 0).all()
    np.testing.assert_allclose(mt.series("in_system", "wide"), mt.series("busy_booths", "wide"), **close)
