"""Exact queueing results the validation scenarios are checked against.

Times are in the unit of the rates' reciprocal (the cases use minutes); every function is the
textbook formula it names, computed exactly (closed form, or a finite birth-death chain whose
truncated tail is below 1e-15).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import special


def erlang_c(c: int, a: float) -> float:
    """P(wait > 0) in M/M/c with offered load a = lambda/mu < c (Erlang C; Kleinrock, Queueing
    Systems I, eq. 3.40). Through Erlang B's stable recursion B(k) = a B(k-1) / (k + a B(k-1)),
    C = B / (1 - rho (1 - B))."""
    if not 0 < a < c:
        raise ValueError(f"Erlang C needs 0 < a < c, got a = {a}, c = {c}")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    return b / (1 - rho * (1 - b))


def mmc_wait(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue of M/M/c: Wq = C(c, a) / (c mu - lambda)."""
    return erlang_c(c, lam / mu) / (c * mu - lam)


def mmc_wait_tail(c: int, lam: float, mu: float, t: float) -> float:
    """P(Wq > t) in M/M/c (FIFO): C(c, a) exp(-(c mu - lambda) t) — given a wait, it is
    exponential with rate c mu - lambda (Kleinrock I, eq. 3.42 ff.)."""
    return erlang_c(c, lam / mu) * math.exp(-(c * mu - lam) * t)


def mmc_wait_quantile(c: int, lam: float, mu: float, q: float) -> float:
    """The q-quantile of Wq in M/M/c, for q above 1 - C (where the wait is positive):
    the t with P(Wq > t) = 1 - q."""
    pw = erlang_c(c, lam / mu)
    if not q > 1 - pw:
        raise ValueError(f"the {q} quantile of the M/M/c wait is 0 (P(wait > 0) = {pw})")
    return math.log(pw / (1 - q)) / (c * mu - lam)


def pollaczek_khinchine_wait(lam: float, mean_s: float, second_moment_s: float) -> float:
    """Mean wait in queue of M/G/1: Wq = lambda E[S^2] / (2 (1 - rho)) (Pollaczek-Khinchine;
    Kleinrock I, eq. 5.72)."""
    rho = lam * mean_s
    if not rho < 1:
        raise ValueError(f"M/G/1 needs rho < 1, got {rho}")
    return lam * second_moment_s / (2 * (1 - rho))


def mm1k(lam: float, mu: float, k: int) -> tuple[float, float]:
    """M/M/1/K (K places in the system): (blocking probability p_K, mean number in system L),
    from p_n proportional to rho^n, n = 0..K (Kleinrock I, eq. 3.44)."""
    rho = lam / mu
    p = rho ** np.arange(k + 1)
    p /= p.sum()
    return float(p[-1]), float(np.dot(np.arange(k + 1), p))


def erlang_a(c: int, lam: float, mu: float, theta: float) -> dict[str, float]:
    """M/M/c+M (Erlang A; Palm 1943, Garnett, Mandelbaum & Reiman 2002): exponential patience
    with rate theta while waiting. The number in system is a birth-death chain with birth rate
    lambda and death rate min(n, c) mu + max(n - c, 0) theta; its stationary law is computed
    from the product form in log space and truncated where the tail is below 1e-15.
    Returns Lq, P(abandon) = theta Lq / lambda (each waiting party leaves at rate theta), and
    P(wait > 0) for an arriving party (PASTA: P(N >= c))."""
    log_terms = [0.0]
    n = 0
    while True:
        n += 1
        death = min(n, c) * mu + max(n - c, 0) * theta
        log_terms.append(log_terms[-1] + math.log(lam / death))
        if n > c and log_terms[-1] - max(log_terms) < math.log(1e-17):
            break
    log_p = np.array(log_terms)
    p = np.exp(log_p - special.logsumexp(log_p))
    states = np.arange(len(p))
    lq = float(np.dot(np.maximum(states - c, 0), p))
    return {"lq": lq, "p_abandon": theta * lq / lam, "p_wait": float(p[c:].sum())}


def cobham_waits(lams: list[float], means: list[float], second_moments: list[float]) -> list[float]:
    """Mean wait in queue per class of M/G/1 with non-preemptive priorities, classes listed from
    the highest priority down: W_k = W0 / ((1 - sigma_{k-1}) (1 - sigma_k)), with
    W0 = sum_i lambda_i E[S_i^2] / 2 and sigma_k = sum_{i <= k} rho_i (Cobham 1954;
    Kleinrock, Queueing Systems II, eq. 3.31)."""
    w0 = sum(l * s2 for l, s2 in zip(lams, second_moments)) / 2
    waits, sigma = [], 0.0
    for lam, m in zip(lams, means):
        before = sigma
        sigma += lam * m
        if not sigma < 1:
            raise ValueError(f"priority queue needs rho < 1, got {sigma}")
        waits.append(w0 / ((1 - before) * (1 - sigma)))
    return waits


def mt_m_inf_hourly(rates_per_hour: list[float], mu_per_hour: float) -> list[float]:
    """Mt/M/infinity starting empty at 0 with a piecewise-constant arrival rate (one value per
    hour): the mean number in system m(t) = integral_0^t lambda(s) exp(-mu (t - s)) ds
    (Eick, Massey & Whitt 1993) solves m' = lambda - mu m; within an hour of rate lambda from
    m0, m(t) = lambda/mu + (m0 - lambda/mu) exp(-mu t). Returns the average of m over each hour,
    lambda/mu + (m0 - lambda/mu) (1 - exp(-mu)) / mu, exactly."""
    out, m0 = [], 0.0
    decay = math.exp(-mu_per_hour)
    for lam in rates_per_hour:
        steady = lam / mu_per_hour
        out.append(steady + (m0 - steady) * (1 - decay) / mu_per_hour)
        m0 = steady + (m0 - steady) * decay
    return out
