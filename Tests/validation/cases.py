"""The validation cases: each scenario file of this folder, the quantities measured from its
run and their theoretical values, and the statistics that compare them.

Theory is computed from the scenario file itself (its rates, service means, booths), so the
two cannot drift apart. Every check is a mean over independent replications (one value per
replication, read from the run's HDF5 file) compared with its exact theoretical value through
a Student-t interval whose level is Šidák-corrected over all checks of the suite: with
FAMILY_ALPHA = 1 %, a correct simulator fails at least one check of the suite with probability
at most 1 % (the replication means are close to normal; Šidák's inequality holds for two-sided
intervals of correlated normal means, so checks of one run need not be independent).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import h5py
import numpy as np
import yaml
from scipy import stats

import theory

HERE = Path(__file__).resolve().parent
FAMILY_ALPHA = 0.01


# --------------------------------------------------------------------------------------------
# Scenario values in the units the theory uses (minutes)

_DURATION = re.compile(r"^\s*([0-9.]+)\s*(s|min|h)?\s*$")
_RATE = re.compile(r"^\s*([0-9.]+)\s*/\s*(s|min|h)\s*$")
_MINUTES = {"s": 1 / 60, "min": 1.0, "h": 60.0, None: 1 / 60}


def minutes(text) -> float:
    """A scenario duration ("45s", "1.5 min", "2h", a bare number of seconds) in minutes."""
    m = _DURATION.match(str(text))
    if not m:
        raise ValueError(f"not a duration this suite reads: {text!r}")
    return float(m.group(1)) * _MINUTES[m.group(2)]


def per_minute(text) -> float:
    """A scenario rate ("30/h", "3/min"; a bare number is per hour) per minute."""
    if isinstance(text, (int, float)):
        return float(text) / 60
    m = _RATE.match(str(text))
    if not m:
        raise ValueError(f"not a rate this suite reads: {text!r}")
    return float(m.group(1)) / _MINUTES[m.group(2)]


def moments(dist) -> tuple[float, float]:
    """(E[S], E[S^2]) in minutes of a service distribution of the scenario grammar."""
    if not isinstance(dist, dict):                      # a bare duration is deterministic
        s = minutes(dist)
        return s, s * s
    (kind, p), = dist.items()
    if kind == "exponential":
        m = minutes(p["mean"])
        return m, 2 * m * m
    if kind == "lognormal":
        m, sd = minutes(p["mean"]), minutes(p["sd"])
        return m, m * m + sd * sd
    if kind == "deterministic":
        s = minutes(p)
        return s, s * s
    raise ValueError(f"service distribution {kind!r} not used by the suite")


def load(name: str) -> dict:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def only(mapping: dict):
    (key, value), = mapping.items()
    return key, value


# --------------------------------------------------------------------------------------------
# Reading a run file


class RunFile:
    """Per-replication values of one run file (`bordersim run FILE --out X.h5`)."""

    def __init__(self, path: Path):
        self.path = path
        self.f = h5py.File(path, "r")

    def table(self, table: str, entity: str, metric: str) -> np.ndarray:
        entities = list(self.f[table].asstr()[:])
        metrics = list(self.f[f"{table}_metric"].asstr()[:])
        if metric not in metrics:
            raise KeyError(f"metric {table}.{metric} is not in {self.path.name} (has: {', '.join(metrics)})")
        return self.f[f"replications/{table}"][:, entities.index(entity), metrics.index(metric)]

    def series(self, name: str, lane: str) -> np.ndarray:
        """replication × time for one lane."""
        if f"series/{name}" not in self.f:
            raise KeyError(f"series {name} is not in {self.path.name} (has: {', '.join(self.f['series'])})")
        lanes = list(self.f["lane"].asstr()[:])
        return self.f[f"series/{name}"][:, :, lanes.index(lane)].astype(float)


# --------------------------------------------------------------------------------------------
# Checks


@dataclass(frozen=True)
class Check:
    case: str                       # the case's title, e.g. "M/M/1"
    quantity: str                   # what is compared, e.g. "Wq (min)"
    source: str                     # where it is read: "lane one: mean_wait_min"
    theory: float
    formula: str                    # the theory, for the table
    extract: Callable[[RunFile], np.ndarray] = field(compare=False, repr=False)
    max_rel_half_width: float      # of the simultaneous interval: a noisy test cannot pass

    @property
    def id(self) -> str:
        return f"{self.case}: {self.quantity}"


@dataclass
class Outcome:
    check: Check
    values: np.ndarray

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    def half_width(self, level: float) -> float:
        r = len(self.values)
        sd = float(np.std(self.values, ddof=1))
        return float(stats.t.ppf(1 - (1 - level) / 2, r - 1)) * sd / math.sqrt(r)

    def interval(self, level: float) -> tuple[float, float]:
        h = self.half_width(level)
        return self.mean - h, self.mean + h

    @property
    def simultaneous_level(self) -> float:
        return sidak_level(len(CHECKS))

    @property
    def passed(self) -> bool:
        lo, hi = self.interval(self.simultaneous_level)
        return lo <= self.check.theory <= hi

    @property
    def narrow(self) -> bool:
        return self.half_width(self.simultaneous_level) <= self.check.max_rel_half_width * abs(self.check.theory)

    def describe(self) -> str:
        lo99, hi99 = self.interval(0.99)
        lo, hi = self.interval(self.simultaneous_level)
        return (f"{self.check.id} [{self.check.source}]: estimate {self.mean:.6g} over {len(self.values)} "
                f"replications, 99 % CI [{lo99:.6g}, {hi99:.6g}], simultaneous "
                f"{100 * self.simultaneous_level:.4f} % CI (Šidák, family-wise {100 * FAMILY_ALPHA:g} % over "
                f"{len(CHECKS)} checks) [{lo:.6g}, {hi:.6g}]; theory {self.check.theory:.6g} ({self.check.formula}); "
                f"relative half-width {self.half_width(self.simultaneous_level) / abs(self.check.theory):.2%} "
                f"(bound {self.check.max_rel_half_width:.0%})")


def sidak_level(m: int) -> float:
    """Per-check confidence level that makes m two-sided checks fail together with probability
    at most FAMILY_ALPHA: (1 - alpha)^(1/m)."""
    return (1 - FAMILY_ALPHA) ** (1 / m)


# --------------------------------------------------------------------------------------------
# The nine cases. Each returns (scenario file, its checks).


def _single_lane(s: dict) -> tuple[str, dict, float, tuple[float, float], int]:
    """The one lane and class of a single-queue scenario: (lane, lane map, lambda/min, moments, booths)."""
    lane, spec = only(s["lanes"])
    cls, c = only(s["classes"])
    _, dist = only(spec["service"])
    return lane, spec, per_minute(c["arrivals"]["poisson"]), moments(dist), int(spec["booths"])


def mm1():
    s = load("mm1.yaml")
    lane, _, lam, (es, _), _ = _single_lane(s)
    wq = theory.mmc_wait(1, lam, 1 / es)
    return "mm1.yaml", [
        Check("M/M/1", "Wq (min)", f"lane {lane}: mean_wait_min", wq, "ρ/(μ−λ)",
              lambda r: r.table("lane", lane, "mean_wait_min"), max_rel_half_width=0.10),
        Check("M/M/1", "Lq", f"lane {lane}: mean_queue", lam * wq, "λ·Wq",
              lambda r: r.table("lane", lane, "mean_queue"), max_rel_half_width=0.10),
    ]


def mmc():
    s = load("mmc.yaml")
    lane, _, lam, (es, _), c = _single_lane(s)
    return "mmc.yaml", [
        Check("M/M/c", "Wq (min)", f"lane {lane}: mean_wait_min", theory.mmc_wait(c, lam, 1 / es),
              f"C({c}, a)/(cμ−λ)", lambda r: r.table("lane", lane, "mean_wait_min"), max_rel_half_width=0.11),
        Check("M/M/c", "P(wait > 0)", f"lane {lane}: p_wait", theory.erlang_c(c, lam * es),
              f"Erlang C({c}, a = {lam * es:g})", lambda r: r.table("lane", lane, "p_wait"),
              max_rel_half_width=0.06),
        Check("M/M/c", "P(wait > 1 min)", f"lane {lane}: share_wait_over_1min", theory.mmc_wait_tail(c, lam, 1 / es, 1.0),
              "C·e^{−(cμ−λ)t}", lambda r: r.table("lane", lane, "share_wait_over_1min"), max_rel_half_width=0.11),
        Check("M/M/c", "p90 wait (min)", f"lane {lane}: p90_wait_min", theory.mmc_wait_quantile(c, lam, 1 / es, 0.9),
              "ln(C/0.1)/(cμ−λ)", lambda r: r.table("lane", lane, "p90_wait_min"), max_rel_half_width=0.11),
    ]


def md1():
    s = load("md1.yaml")
    lane, _, lam, (es, es2), _ = _single_lane(s)
    return "md1.yaml", [
        Check("M/D/1", "Wq (min)", f"lane {lane}: mean_wait_min", theory.pollaczek_khinchine_wait(lam, es, es2),
              "λE[S²]/(2(1−ρ)), E[S²] = s²", lambda r: r.table("lane", lane, "mean_wait_min"),
              max_rel_half_width=0.09),
    ]


def mg1_lognormal():
    s = load("mg1-lognormal.yaml")
    lane, _, lam, (es, es2), _ = _single_lane(s)
    return "mg1-lognormal.yaml", [
        Check("M/G/1 lognormal", "Wq (min)", f"lane {lane}: mean_wait_min",
              theory.pollaczek_khinchine_wait(lam, es, es2), "λE[S²]/(2(1−ρ)), E[S²] = m² + sd²",
              lambda r: r.table("lane", lane, "mean_wait_min"), max_rel_half_width=0.09),
    ]


def mm1k():
    s = load("mm1k.yaml")
    lane, spec, lam, (es, _), c = _single_lane(s)
    k = c + int(spec["capacity"])              # `capacity` counts places in the queue: K = c + capacity
    blocking, l = theory.mm1k(lam, 1 / es, k)
    return "mm1k.yaml", [
        Check("M/M/1/K", f"blocking P(N = K), K = {k}", f"lane {lane}: blocking_share", blocking,
              "(1−ρ)ρᴷ/(1−ρᴷ⁺¹)", lambda r: r.table("lane", lane, "blocking_share"),
              max_rel_half_width=0.10),
        Check("M/M/1/K", "L", f"lane {lane}: mean_in_system", l, "Σ n pₙ, pₙ ∝ ρⁿ",
              lambda r: r.table("lane", lane, "mean_in_system"),
              max_rel_half_width=0.04),
    ]


def erlang_a():
    s = load("erlang-a.yaml")
    lane, _, lam, (es, _), c = _single_lane(s)
    _, cls = only(s["classes"])
    patience_mean, _ = moments(cls["patience"])
    ea = theory.erlang_a(c, lam, 1 / es, 1 / patience_mean)
    return "erlang-a.yaml", [
        Check("Erlang A", "abandonment share", f"lane {lane}: abandonment_share", ea["p_abandon"],
              "θ·Lq/λ, M/M/c+M chain", lambda r: r.table("lane", lane, "abandonment_share"),
              max_rel_half_width=0.08),
        Check("Erlang A", "Lq", f"lane {lane}: mean_queue", ea["lq"], "Σ (n−c)⁺ pₙ, M/M/c+M chain",
              lambda r: r.table("lane", lane, "mean_queue"), max_rel_half_width=0.10),
        Check("Erlang A", "mean wait of all who queued (min)", f"lane {lane}: mean_wait_all_min", ea["lq"] / lam,
              "Lq/λ (Little, reneging parties included)", lambda r: r.table("lane", lane, "mean_wait_all_min"),
              max_rel_half_width=0.10),
    ]


def priority():
    s = load("priority.yaml")
    classes = s["classes"]

    def cobham(names, services, case, where, extract):
        # Highest priority first, as Cobham's formula lists the classes.
        names = sorted(names, key=lambda n: -int(classes[n].get("priority", 0)))
        lams = [per_minute(classes[n]["arrivals"]["poisson"]) for n in names]
        mom = [moments(services[n]) for n in names]
        waits = theory.cobham_waits(lams, [m for m, _ in mom], [m2 for _, m2 in mom])
        return [Check(case, f"Wq class {n} (priority {classes[n].get('priority', 0)}) (min)", where(n), w,
                      f"Cobham W₀/((1−σ{k})(1−σ{k + 1}))", lambda r, n=n: extract(r, n), max_rel_half_width=0.10)
                for k, (n, w) in enumerate(zip(names, waits))]

    # The lane: one booth serving two classes.
    lane = "one"
    spec = s["lanes"][lane]
    if int(spec["booths"]) != 1:
        raise ValueError("priority.yaml: Cobham's M/G/1 formula needs one booth in lane one")
    checks = cobham(spec["serves"], spec["service"], "Priority at a lane", lambda n: f"flow {lane}/{n}: mean_wait_min",
                    lambda r, n: r.table("flow", f"{lane}/{n}", "mean_wait_min"))
    # The station: one server; every party of its classes referred from an M/M/c lane whose
    # service law is the same for both classes, so each class arrives as its own Poisson stream.
    station, st = only(s["stations"])
    if int(st["servers"]) != 1 or s["targeting"]["rule"] != "none":
        raise ValueError("priority.yaml: Cobham's M/G/1 formula needs one server, fed by per-class referrals only")
    referred = [n for n, rule in s["targeting"]["per-class"].items() if rule == "all"]
    checks += cobham(referred, st["service-by-class"], "Priority at a station",
                     lambda n: f"station_class {station}/{n}: mean_wait_min",
                     lambda r, n: r.table("station_class", f"{station}/{n}", "mean_wait_min"))
    return "priority.yaml", checks


def tandem():
    s = load("tandem.yaml")
    lane, _, lam, (es1, _), c1 = _single_lane(s)
    cls = only(s["classes"])[0]
    station, st = only(s["stations"])
    p = float(str(s["targeting"]["rule"]["random"]).rstrip("%")) / 100
    es2, _ = moments(st["service"])
    c2 = int(st["servers"])
    w1 = theory.mmc_wait(c1, lam, 1 / es1)
    w2 = theory.mmc_wait(c2, p * lam, 1 / es2)      # Jackson: the secondary sees Poisson(p λ)
    return "tandem.yaml", [
        Check("Tandem (Jackson)", "primary Wq (min)", f"lane {lane}: mean_wait_min", w1,
              f"M/M/{c1}: C/(cμ−λ)", lambda r: r.table("lane", lane, "mean_wait_min"),
              max_rel_half_width=0.08),
        Check("Tandem (Jackson)", "secondary Wq (min)", f"station {station}: mean_wait_min", w2,
              f"M/M/{c2} at rate pλ", lambda r: r.table("station", station, "mean_wait_min"),
              max_rel_half_width=0.09),
        Check("Tandem (Jackson)", "time in system (min)", f"flow {lane}/{cls}: mean_time_in_system_min",
              w1 + es1 + p * (w2 + es2), "W₁ + 1/μ₁ + p(W₂ + 1/μ₂)",
              lambda r: r.table("flow", f"{lane}/{cls}", "mean_time_in_system_min"), max_rel_half_width=0.03),
    ]


def mt_m_inf():
    s = load("mt-m-inf.yaml")
    lane, spec = only(s["lanes"])
    _, cls = only(s["classes"])
    rates = [float(x) for x in cls["arrivals"]["profile"]]     # per hour, one value per hour
    _, dist = only(spec["service"])
    mean_h = moments(dist)[0] / 60
    hourly = theory.mt_m_inf_hourly(rates, 1 / mean_h)
    return "mt-m-inf.yaml", [
        Check("Mt/M/∞", f"mean in system, hour {h}", f"lane {lane}: series in_system[{h}]", m,
              "∫λ(s)e^{−μ(t−s)}ds, hourly mean",
              lambda r, h=h: r.series("in_system", lane)[:, h], max_rel_half_width=0.10)
        for h, m in enumerate(hourly)
    ]


CASES = [mm1, mmc, md1, mg1_lognormal, mm1k, erlang_a, priority, tandem, mt_m_inf]


def _collect():
    scenarios, checks = {}, []
    for case in CASES:
        scenario, cs = case()
        for c in cs:
            scenarios[c.id] = scenario
        checks += cs
    return scenarios, checks


SCENARIO_OF, CHECKS = _collect()
SCENARIOS = list(dict.fromkeys(SCENARIO_OF.values()))


def run_arguments(scenario: str, out: Path) -> list[str]:
    """`bordersim` arguments that run a case: its own replications and seed, both cores (the
    results are the same for any thread count)."""
    return ["run", str(HERE / scenario), "--out", str(out), "--threads", "2"]


def evaluate(run: RunFile, check: Check) -> Outcome:
    return Outcome(check, np.asarray(check.extract(run), dtype=float))
