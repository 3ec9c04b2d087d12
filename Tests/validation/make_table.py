"""Runs every validation case and prints the table of results (Markdown); with --write,
replaces the table in Tests/validation/README.md. The runs have fixed seeds, so the table is
the same on every machine and for any thread count.

    BORDERSIM=.build/debug/bordersim .venv/bin/python Tests/validation/make_table.py [--write]
    ... make_table.py --replications 200 --seed 777     # the same checks with 10 times the data
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import cases

BEGIN, END = "<!-- table: begin -->", "<!-- table: end -->"


def fmt(x: float) -> str:
    return f"{x:.4g}"


def table(outcomes: list, errors: dict[str, str]) -> str:
    level = cases.sidak_level(len(cases.CHECKS))
    lines = [
        f"| case | quantity | theory | estimate | 99 % CI | simultaneous CI ({100 * level:.3f} %) "
        "| half-width / theory (bound) | result |",
        "|---|---|---:|---:|---|---|---:|---|",
    ]
    for check, outcome in outcomes:
        if outcome is None:
            lines.append(f"| {check.case} | {check.quantity} | {fmt(check.theory)} | — | — | — | — "
                         f"| not run: {errors[check.id]} |")
            continue
        lo99, hi99 = outcome.interval(0.99)
        lo, hi = outcome.interval(level)
        rel = outcome.half_width(level) / abs(check.theory)
        verdict = "pass" if outcome.passed and outcome.narrow else (
            "FAIL (too wide)" if outcome.passed else "FAIL")
        lines.append(f"| {check.case} | {check.quantity} | {fmt(check.theory)} | {fmt(outcome.mean)} "
                     f"| [{fmt(lo99)}, {fmt(hi99)}] | [{fmt(lo)}, {fmt(hi)}] "
                     f"| {rel:.1%} ({check.max_rel_half_width:.0%}) | {verdict} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the table in README.md")
    parser.add_argument("--replications", type=int, help="instead of each scenario's 20 (not with --write)")
    parser.add_argument("--seed", type=int, help="instead of each scenario's seed (not with --write)")
    args = parser.parse_args()
    if args.write and (args.replications or args.seed is not None):
        parser.error("--write records the suite as it runs in make test: no --replications or --seed")
    extra = [*(["--replications", str(args.replications)] if args.replications else []),
             *(["--seed", str(args.seed)] if args.seed is not None else [])]
    repo = cases.HERE.parents[1]
    binary = Path(os.environ.get("BORDERSIM", ".build/debug/bordersim"))
    binary = binary if binary.is_absolute() else repo / binary
    outcomes, errors = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = {}
        for scenario in cases.SCENARIOS:
            out = Path(tmp) / f"{scenario}.h5"
            proc = subprocess.run([str(binary), *cases.run_arguments(scenario, out), *extra], cwd=repo,
                                  capture_output=True, text=True)
            if proc.returncode == 0:
                runs[scenario] = cases.RunFile(out)
            else:
                errors[scenario] = proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else "run failed"
        for check in cases.CHECKS:
            scenario = cases.SCENARIO_OF[check.id]
            try:
                outcomes.append((check, cases.evaluate(runs[scenario], check)))
            except KeyError as e:
                errors[check.id] = errors.get(scenario, str(e).strip("'\""))
                outcomes.append((check, None))
        for run in runs.values():
            run.f.close()
    text = table(outcomes, {k: v.replace("|", "\\|").replace(str(repo) + "/", "") for k, v in errors.items()})
    if args.write:
        readme = cases.HERE / "README.md"
        old = readme.read_text(encoding="utf-8")
        start, end = old.index(BEGIN) + len(BEGIN), old.index(END)
        readme.write_text(old[:start] + "\n" + text + old[end:], encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0 if all(o is not None and o.passed and o.narrow for _, o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
