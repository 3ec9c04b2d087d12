"""A generated corpus of hostile inputs, built from the example scenarios and plans (issue 14).

Each `Case` is a command line run in its own folder, with the files it needs written there
first. The eight root causes of issue 14 are the `cause` of each case:

  1 int     Double → Int conversions and integer arithmetic on extreme values
  2 size    sizes taken from the input without a budget
  3 clock   time that does not advance (zero-length cycles, huge skips)
  4 reader  result files whose sizes and attributes lie; FIFOs given as result files
  5 output  --out onto an input, a device, a FIFO; temporary files that exist already
  6 script  text copied into Slurm scripts (newlines, shell syntax)
  7 accept  values that must be refused (non-finite, unparsable cells, foreign files)
  8 typo    plausible typos that cost gigabytes or quadratic time

A case expects a refusal: an exit status in `codes` (2 for bad input, 1 for I/O, 64 for a bad
option), a message naming every string of `mention` (the file or argument, and the key), no
file under any name of `outputs`, and every input byte-identical afterwards.
"""
from __future__ import annotations

import copy
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = ["land-port", "northern-crossing", "commercial-crossing", "airport-arrivals"]
BIG_INT = "9223372036854775807"      # Int.max
NEAR_MAX = "4611686018427387904"     # 2^62
REFUSED = (1, 2, 64)


@dataclass
class Case:
    id: str
    cause: str
    argv: list
    files: dict = field(default_factory=dict)      # name -> str | bytes | callable(dir) (made before the run)
    mention: tuple = ()
    outputs: tuple = ("out.h5",)
    codes: tuple = (2,)
    links: dict = field(default_factory=dict)      # name -> target (symlinks made before the run)
    replaceable: tuple = ()                        # files the command may replace (not inputs)
    verify: tuple = ()                             # ("quoted", DIR, VALUE): DIR's scripts parse and carry VALUE as one word


def load(name: str) -> dict:
    return yaml.safe_load((REPO / "scenarios" / f"{name}.yaml").read_text())


def dump(doc) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=4096)


def setp(doc: dict, path: str, value):
    """Sets `a.b.c` in a nested mapping (creating mappings on the way); returns the document."""
    parts = path.split(".")
    node = doc
    for p in parts[:-1]:
        if not isinstance(node.get(p), dict):
            node[p] = {}
        node = node[p]
    node[parts[-1]] = value
    return doc


def first(d: dict) -> str:
    return next(iter(d))


def batch_class() -> str:
    """The airport's first class arriving in batches (flights), by name as the scenario spells it."""
    return next(k for k, v in load("airport-arrivals")["classes"].items() if "batches" in v["arrivals"])


def variant(name: str, path: str, value) -> str:
    return dump(setp(copy.deepcopy(load(name)), path, value))


RUN = ["--replications", "1", "--threads", "2", "--out", "out.h5"]
# A week of the scenario at its own replications: what a typo in the bin costs in a real study.
TYPO_RUN = ["--threads", "2", "--set", "horizon=7d", "--out", "out.h5"]


def scenario_case(cid, cause, scen, path, value, key=None, command="run", extra=(), run=RUN):
    """One scenario with one key replaced in the file; run (with --out) or validated."""
    fname = f"{scen}.yaml"
    argv = [command, fname, *(run if command == "run" else []), *extra]
    return Case(cid, cause, argv, files={fname: variant(scen, path, value)},
                mention=(fname, key or path.split(".")[-1]), outputs=("out.h5",) if command == "run" else ())


def set_case(cid, cause, scen, path, value, key=None, command="run"):
    """The example scenario (copied in) with one `--set key=value`."""
    fname = f"{scen}.yaml"
    arg = f"{path}={value}"
    argv = [command, fname, "--set", arg, *(RUN if command == "run" else [])]
    return Case(cid, cause, argv, files={fname: (REPO / "scenarios" / fname).read_text()},
                mention=(key or path.split(".")[-1],), outputs=("out.h5",) if command == "run" else ())


# --------------------------------------------------------------------------------------------
# 1: Double → Int and integer overflow

def cause1():
    cases = []
    ints = [BIG_INT, NEAR_MAX, "1000000000000", "-" + BIG_INT]
    for scen in SCENARIOS:
        doc = load(scen)
        lane, station = first(doc["lanes"]), first(doc["stations"])
        for i, v in enumerate(ints):
            cases.append(scenario_case(f"int-booths-{scen}-{i}", "int", scen, f"lanes.{lane}.booths", int(v), "booths"))
            cases.append(scenario_case(f"int-servers-{scen}-{i}", "int", scen, f"stations.{station}.servers", int(v), "servers"))
            cases.append(scenario_case(f"int-extra-booths-{scen}-{i}", "int", scen, f"lanes.{lane}.extra-booths", int(v), "extra-booths"))
            cases.append(scenario_case(f"int-capacity-{scen}-{i}", "int", scen, f"lanes.{lane}.capacity", int(v), "capacity"))
        for i, v in enumerate(["1e300", "1e18", "9.3e18", "1e30"]):
            cases.append(set_case(f"int-set-whatif-booths-{scen}-{i}", "int", scen, "what-if.booths", v, "booths"))
            cases.append(set_case(f"int-set-whatif-servers-{scen}-{i}", "int", scen, "what-if.servers", v, "servers"))
        for i, v in enumerate(["1e30 s", "1e300 d", "1e17 h", "3e15 d"]):
            cases.append(scenario_case(f"int-horizon-{scen}-{i}", "int", scen, "horizon", v, "horizon"))
        cases.append(scenario_case(f"int-replications-{scen}", "int", scen, "replications", int(BIG_INT), "replications"))
        cases.append(scenario_case(f"int-max-moved-{scen}", "int", scen, "staffing",
                                   {"rebalance": {"station": station, "from-lanes": [lane], "raise-at": 5,
                                                  "lower-at": 1, "max-moved": int(BIG_INT)}}, "max-moved"))
        cases.append(scenario_case(f"int-on-duty-{scen}", "int", scen, "staffing", {"on-duty": int(BIG_INT)}, "on-duty"))
        cases.append(scenario_case(f"int-dyn-max-{scen}", "int", scen, f"lanes.{lane}.dynamic-opening",
                                   {"open-above": 5, "close-below": 1, "max-booths": int(BIG_INT)}, "max-booths"))
        cases.append(scenario_case(f"int-balking-{scen}", "int", scen, f"classes.{first(doc['classes'])}.balking",
                                   {"queue-length": int(BIG_INT)}, "queue-length"))
        cases.append(scenario_case(f"int-free-queue-{scen}", "int", scen, "targeting.rule",
                                   {"congestion-aware": {"threshold": 2, "slope": 0.1, "free-queue": int(BIG_INT)}}, "free-queue"))
    # batch sizes and counts at the airport
    air = "airport-arrivals"
    for i, v in enumerate([int(BIG_INT), int(NEAR_MAX), "1e300"]):
        cases.append(scenario_case(f"int-batch-size-{i}", "int", air, f"classes.{batch_class()}.arrivals.batches.size", v, "size"))
        cases.append(scenario_case(f"int-batch-binomial-{i}", "int", air, f"classes.{batch_class()}.arrivals.batches.size",
                                   {"binomial": {"n": v, "p": 0.5}}, "n"))
        cases.append(scenario_case(f"int-size-by-hour-{i}", "int", air, f"classes.{batch_class()}.arrivals.batches.size-by-hour",
                                   [v] * 24, "size-by-hour"))
    # sweeps: ranges and counts
    for i, rng in enumerate([{"from": 0, "to": 1e30, "step": 1}, {"from": 0, "to": 1, "step": 1e-320},
                             {"from": 0, "to": 1e300, "step": 1e-300}, {"min": 0, "max": 1, "count": int(BIG_INT)},
                             {"from": -1e308, "to": 1e308, "step": 1e-308}]):
        cases.append(plan_case(f"int-sweep-range-{i}", "int", {"design": "grid",
                               "parameters": {"what-if.booths": rng}}, "what-if.booths"))
    for i, design in enumerate([{"latin-hypercube": {"points": int(BIG_INT)}}, {"sobol": {"points": int(BIG_INT)}},
                                {"saltelli": {"base": int(BIG_INT)}}, {"saltelli": {"base": int(NEAR_MAX)}},
                                {"latin-hypercube": {"points": 1000000000000}}]):
        cases.append(plan_case(f"int-sweep-design-{i}", "int", {"design": design,
                               "parameters": {"what-if.booths": {"min": 0.9, "max": 1.1}}}, "design"))
    return cases


# --------------------------------------------------------------------------------------------
# Sweep plans

def plan_text(overrides: dict, scenario="../land-port.yaml") -> str:
    plan = {"name": "hostile", "scenario": scenario, "replications": 1}
    plan.update(overrides)
    return dump(plan)


def plan_case(cid, cause, overrides, key, command="sweep", extra=()):
    """A plan next to a copy of the land port (and its data folder, linked)."""
    argv = [command, "plan.yaml", *(["--out", "out.h5", "--threads", "2"] if command == "sweep" else []), *extra]
    return Case(cid, cause, argv, files={"plan.yaml": plan_text(overrides, "land-port.yaml"),
                                         "land-port.yaml": (REPO / "scenarios/land-port.yaml").read_text()},
                mention=("plan.yaml", key), outputs=("out.h5",) if command == "sweep" else ())


# --------------------------------------------------------------------------------------------
# 2: sizes without a budget

def cause2():
    cases = []
    for scen in SCENARIOS:
        doc = load(scen)
        lane, cls = first(doc["lanes"]), first(doc["classes"])
        for i, v in enumerate([1000000000, 100000000, 2000000000]):
            cases.append(scenario_case(f"size-replications-{scen}-{i}", "size", scen, "replications", v, "replications",
                                       extra=()))
            cases[-1].argv = ["run", f"{scen}.yaml", "--threads", "2", "--out", "out.h5"]
        for i, v in enumerate(["1e9 d", "1e7 d", "100000 d"]):
            cases.append(scenario_case(f"size-horizon-{scen}-{i}", "size", scen, "horizon", v, "horizon"))
        for i, v in enumerate(["0.001 s", "1e-6 s", "0.01 s"]):
            cases.append(scenario_case(f"size-series-bin-{scen}-{i}", "size", scen, "metrics.series-bin", v, "series-bin"))
        for i, v in enumerate(["1e-9 s", "1e-6 s", "0.001 s"]):
            cases.append(scenario_case(f"size-queue-sample-{scen}-{i}", "size", scen, "metrics.queue-sample-interval", v,
                                       "queue-sample-interval"))
        for i, v in enumerate([1000000000, 300000000]):
            cases.append(scenario_case(f"size-booths-{scen}-{i}", "size", scen, f"lanes.{lane}.booths", v, "booths"))
        for i, v in enumerate(["1e12", "1e15"]):
            cases.append(set_case(f"size-arrival-rate-{scen}-{i}", "size", scen, "what-if.arrival-rate", v, "arrival-rate"))
        cases.append(scenario_case(f"size-poisson-{scen}", "size", scen, f"classes.{cls}.arrivals", {"poisson": "1e12/h"},
                                   "poisson"))
        cases.append(Case(f"size-cli-replications-{scen}", "size",
                          ["run", f"{scen}.yaml", "--replications", "1000000000", "--threads", "2", "--out", "out.h5"],
                          files={f"{scen}.yaml": (REPO / "scenarios" / f"{scen}.yaml").read_text()},
                          mention=("replications",)))
    air = "airport-arrivals"
    for i, v in enumerate([1000000000000, {"poisson": {"mean": 1e12}}, {"binomial": {"n": 4000000000, "p": 1}}]):
        cases.append(scenario_case(f"size-batch-{i}", "size", air, f"classes.{batch_class()}.arrivals.batches.size", v, "size"))
    # sweep value lists built before their size check
    for i, rng in enumerate([{"from": 0, "to": 1e8, "step": 1}, {"min": 0, "max": 1, "count": 100000000},
                             {"from": 0, "to": 1, "step": 1e-9}]):
        cases.append(plan_case(f"size-sweep-list-{i}", "size", {"design": "grid", "parameters": {"what-if.booths": rng}},
                               "what-if.booths"))
    # one point made huge by its values, on a base that is small: judged point by point
    cases.append(plan_case("size-sweep-one-huge-point-horizon", "size",
                           {"design": "grid", "parameters": {"horizon": ["48h", "36500d"]}}, "horizon=36500d"))
    cases.append(plan_case("size-sweep-one-huge-point-arrivals", "size",
                           {"design": "grid", "parameters": {"what-if.arrival-rate": [1, 1000]}}, "arrival-rate=1000"))
    cases.append(plan_case("size-sweep-grid-product", "size", {"design": "grid", "parameters": {
        "what-if.booths": {"min": 0.5, "max": 1.5, "count": 10000},
        "what-if.servers": {"min": 0.5, "max": 1.5, "count": 10000}}}, "grid"))
    return cases


# --------------------------------------------------------------------------------------------
# 3: the clock must advance

def cause3():
    cases = []
    for scen in ["land-port", "commercial-crossing"]:
        doc = load(scen)
        station = next(s for s, v in doc["stations"].items() if "downtime" in v)
        # Cycles of (almost) no length are refused; a failure almost at once followed by a real repair is
        # legal (the station is down most of the time) and must simply end.
        for i, (bf, rep) in enumerate([("1e-300s", {"exponential": {"mean": "45 min"}}), ({"exponential": {"mean": "1e-300 s"}}, "1 min"),
                                       ("1e-300 s", "1e-300 s"), ("20h", "1e-320 s"), ({"uniform": {"min": 0, "max": "1e-300 s"}}, "1 s"),
                                       ({"deterministic": "1e-200 s"}, "1e-200 s"), ("0.1 s", "0.2 s")]):
            c = scenario_case(f"clock-downtime-{scen}-{i}", "clock", scen, f"stations.{station}.downtime",
                              {"between-failures": bf, "repair": rep, "while-down": "queue"}, "downtime",
                              extra=("--set", "horizon=6h", "--set", "warm-up=0"))
            if i in (0, 1, 3, 4):
                c.codes, c.outputs, c.mention = (0,), (), ()
            cases.append(c)
    air = "airport-arrivals"
    # A spread of (nearly) nothing is legal: a batch arrives at once. The run must simply end.
    for i, sp in enumerate(["1e-300 s", {"uniform": {"min": 0, "max": "1e-300 s"}}]):
        c = scenario_case(f"clock-spread-{i}", "clock", air, f"classes.{batch_class()}.arrivals.batches.spread", sp, "spread",
                          extra=("--set", "horizon=2h", "--set", "warm-up=0"))
        c.codes, c.outputs, c.mention = (0,), (), ()
        cases.append(c)
    for i, design in enumerate([{"sobol": {"points": 4, "skip": 10 ** 15}}, {"saltelli": {"base": 4, "skip": 10 ** 15}},
                                {"sobol": {"points": 4, "skip": int(BIG_INT)}}, {"saltelli": {"base": 2, "skip": int(NEAR_MAX)}}]):
        cases.append(plan_case(f"clock-sobol-skip-{i}", "clock", {"design": design,
                               "parameters": {"what-if.booths": {"min": 0.9, "max": 1.1}}}, "skip"))
    return cases


# --------------------------------------------------------------------------------------------
# 4: result files that lie (made from real files by test_hostile's fixtures)

READER_COMMANDS = {
    "inspect": lambda f: ["inspect", f],
    "inspect-json": lambda f: ["inspect", f, "--json"],
    "run-from": lambda f: ["run", "--from", f, "--out", "out.h5", "--threads", "2"],
}
# (name, base file, how to damage it with h5py; see test_hostile.damage)
DAMAGES = [
    ("points-total-negative", "sweep", ("attr", "points_total", -1)),
    ("points-total-huge", "sweep", ("attr", "points_total", 2 ** 62)),
    ("shard-count-zero", "sweep", ("attr", "shard_count", 0)),
    ("replications-negative", "run", ("attr", "replications", -5)),
    ("replications-huge", "run", ("attr", "replications", 2 ** 62)),
    ("schema-2.5", "run", ("attr", "schema_version", 2.5)),
    ("schema-text", "run", ("attr", "schema_version", "1")),
    ("schema-99", "run", ("attr", "schema_version", 99)),
    ("ci-low-one-value", "run", ("dataset", "summary/lane/ci_low", [1.0])),
    ("mean-one-value", "run", ("dataset", "summary/port/mean", [1.0])),
    ("sweep-ci-low-one-value", "sweep", ("dataset", "summary/lane/ci_low", [1.0])),
    ("sweep-mean-short", "sweep", ("dataset", "summary/port/mean", [1.0, 2.0])),
    ("axis-more-labels", "run", ("dataset", "lane", ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"])),
    ("metric-axis-extra", "run", ("dataset", "lane_metric", ["m"] * 200)),
    ("sweep-axis-more-labels", "sweep", ("dataset", "point", list(range(1000)))),
    ("sweep-parameter-extra", "sweep", ("dataset", "parameter", ["a", "b", "c", "d", "e"])),
    ("tool-only", "foreign", ("attr", "tool", "bordersim")),
    ("tables-attr-bogus", "run", ("groupattr", "summary", "tables", ["nope"])),
    ("kind-sweep-on-run", "run", ("attr", "file_kind", "sweep")),
    ("scenario-yaml-garbage", "run", ("attr", "scenario_yaml", "{{{{")),
    ("truncated", "run", ("truncate", 4096)),
    ("zeroes", "run", ("zero", 2048)),
    ("empty", "run", ("truncate", 0)),
    ("huge-chunked", "foreign-huge", ()),
]


def cause4():
    cases = []
    for name, base, _ in DAMAGES:
        for cmd, argv in READER_COMMANDS.items():
            if cmd == "run-from" and base not in ("run",):
                continue
            c = Case(f"reader-{name}-{cmd}", "reader", argv("damaged.h5"),
                     files={"damaged.h5": ("damage", name)}, mention=("damaged.h5",), outputs=("out.h5",))
            if name == "scenario-yaml-garbage" and cmd.startswith("inspect"):
                c.codes, c.mention = (0,), ()      # inspect shows the text; only a re-run parses it
            cases.append(c)
        if base == "sweep":
            cases.append(Case(f"reader-{name}-merge", "reader", ["merge", "damaged.h5", "good.h5", "--out", "out.h5"],
                              files={"damaged.h5": ("damage", name), "good.h5": ("base", "sweep")},
                              mention=("damaged.h5",)))
    for cmd in ["inspect", "merge", "run-from", "compare"]:
        argv = {"inspect": ["inspect", "fifo.h5"], "merge": ["merge", "fifo.h5", "--out", "out.h5"],
                "run-from": ["run", "--from", "fifo.h5", "--out", "out.h5"],
                "compare": ["compare", "fifo.h5", "fifo.h5"]}[cmd]
        cases.append(Case(f"reader-fifo-{cmd}", "reader", argv, files={"fifo.h5": ("fifo",)}, mention=("fifo.h5",),
                          codes=(1, 2)))
    # a NaN-filled checkpoint, merged
    cases.append(Case("reader-nan-shard-merge", "reader", ["merge", "nan.h5", "good.h5", "--out", "out.h5"],
                      files={"nan.h5": ("damage", "nan-filled"), "good.h5": ("base", "sweep")}, mention=("nan.h5",)))
    return cases


DAMAGES.append(("nan-filled", "sweep", ("nan",)))


# --------------------------------------------------------------------------------------------
# 5: outputs must never replace inputs

def cause5():
    cases = []
    for scen in SCENARIOS:
        f = f"{scen}.yaml"
        text = (REPO / "scenarios" / f).read_text()
        q = ["--replications", "1", "--threads", "2", "--set", "horizon=1h", "--set", "warm-up=0"]
        cases.append(Case(f"out-equals-scenario-{scen}", "output", ["run", f, *q, "--out", f, "--force"],
                          files={f: text}, mention=(f,), outputs=(f + ".partial",)))
        cases.append(Case(f"out-symlink-to-scenario-{scen}", "output", ["run", f, *q, "--out", "link.h5", "--force"],
                          files={f: text}, links={"link.h5": f}, mention=("link.h5",), outputs=()))
        cases.append(Case(f"out-via-dotdot-{scen}", "output", ["run", f, *q, "--out", f"sub/../{f}", "--force"],
                          files={f: text, "sub/keep": ""}, mention=(f,), outputs=()))
        # Legal runs: the scenario named NAME.partial and an unrelated r.h5.partial must survive them.
        cases.append(Case(f"out-partial-as-scenario-{scen}", "output",
                          ["run", f + ".partial", *q, "--out", f, "--force"],
                          files={f + ".partial": text, f: "replace me\n"}, outputs=(), codes=(0,), replaceable=(f,)))
        cases.append(Case(f"out-existing-partial-{scen}", "output", ["run", f, *q, "--out", "r.h5"],
                          files={f: text, "r.h5.partial": "unrelated data\n"}, outputs=(), codes=(0,)))
        cases.append(Case(f"out-fifo-{scen}", "output", ["run", f, *q, "--out", "fifo.h5", "--force"],
                          files={f: text, "fifo.h5": ("fifo",)}, mention=("fifo.h5",), outputs=(), codes=(1, 2)))
        cases.append(Case(f"out-empty-{scen}", "output", ["run", f, *q, "--out", ""],
                          files={f: text}, mention=("--out",), outputs=(), codes=(1, 2, 64)))
        if "csv:" in text:   # the CSV the scenario reads, copied into the case (never the repository's)
            csv = "data/san-ysidro-hourly.csv"
            cases.append(Case(f"out-data-csv-{scen}", "output", ["run", f, *q, "--out", csv, "--force"],
                              files={f: text, csv: (REPO / "scenarios" / csv).read_text()}, mention=("san-ysidro-hourly.csv",),
                              outputs=()))
        cases.append(Case(f"out-hardlink-scenario-{scen}", "output", ["run", f, *q, "--out", "hard.h5", "--force"],
                          files={f: text, "hard.h5": ("hardlink", f)}, mention=("hard.h5",), outputs=()))
    lp = (REPO / "scenarios/land-port.yaml").read_text()
    plan = plan_text({"design": "grid", "parameters": {"what-if.booths": [1.0]}}, "land-port.yaml")
    cases.append(Case("out-equals-plan", "output", ["sweep", "plan.yaml", "--out", "plan.yaml", "--force"],
                      files={"plan.yaml": plan, "land-port.yaml": lp}, mention=("plan.yaml",), outputs=()))
    cases.append(Case("out-equals-plan-scenario", "output", ["sweep", "plan.yaml", "--out", "land-port.yaml", "--force"],
                      files={"plan.yaml": plan, "land-port.yaml": lp}, mention=("land-port.yaml",), outputs=()))
    cases.append(Case("out-merge-onto-shard", "output", ["merge", "a.h5", "--out", "a.h5", "--force"],
                      files={"a.h5": ("base", "sweep")}, mention=("a.h5",), outputs=()))
    cases.append(Case("out-merge-onto-shard-link", "output", ["merge", "a.h5", "--out", "l.h5", "--force"],
                      files={"a.h5": ("base", "sweep")}, links={"l.h5": "a.h5"}, mention=("l.h5",), outputs=()))
    cases.append(Case("out-from-onto-source", "output", ["run", "--from", "a.h5", "--out", "a.h5", "--force"],
                      files={"a.h5": ("base", "run")}, mention=("a.h5",), outputs=()))
    cases.append(Case("out-compare-onto-baseline", "output",
                      ["compare", "land-port.yaml", "--variant", "b:what-if.booths=1.1", "--replications", "2",
                       "--set", "horizon=1h", "--set", "warm-up=0", "--out", "land-port.yaml", "--force"],
                      files={"land-port.yaml": lp}, mention=("land-port.yaml",), outputs=()))
    # A copy of /dev/null's node in the case folder (never the real one: the tests run as root in CI).
    cases.append(Case("out-device-node", "output", ["run", "land-port.yaml", "--replications", "1", "--set", "horizon=1h",
                                                    "--set", "warm-up=0", "--out", "null.h5", "--force"],
                      files={"land-port.yaml": lp, "null.h5": ("chardev",)}, mention=("null.h5",), outputs=(), codes=(1, 2)))
    cases.append(Case("out-directory", "output", ["run", "land-port.yaml", "--replications", "1", "--out", "d", "--force"],
                      files={"land-port.yaml": lp, "d/keep": ""}, mention=("d",), outputs=(), codes=(1, 2)))
    return cases


# --------------------------------------------------------------------------------------------
# 6: Slurm scripts

def cause6():
    cases = []
    lp = (REPO / "scenarios/land-port.yaml").read_text()
    plan = plan_text({"design": "grid", "parameters": {"what-if.booths": [1.0, 1.1]}}, "land-port.yaml")
    files = {"plan.yaml": plan, "land-port.yaml": lp}
    base = ["slurm", "plan.yaml", "--tasks", "2", "--dir", "jobs"]
    for i, t in enumerate(["1:00:00\necho INJECTED", "1:00:00; echo INJECTED", "$(echo INJECTED)", "1:00:00`id`",
                           "99:99:99:99", "-5", "1-", "1:00:00 #", "1e30h", "9999999999999999999999h"]):
        cases.append(Case(f"slurm-time-{i}", "script", [*base, "--time", t], files=files, mention=("--time",),
                          outputs=("jobs",), codes=(2, 64)))
    for i, p in enumerate(["batch\necho INJECTED", "a b", "a;b", "$(id)", "'x'", "p\tq", "", "a\x01b"]):
        cases.append(Case(f"slurm-partition-{i}", "script", [*base, "--partition", p], files=files,
                          mention=("--partition",), outputs=("jobs",), codes=(2, 64)))
    for i, n in enumerate(["a\nrm -rf ~", "a\recho X", "$(touch pwned)", "a\x1b[2Jb", "x`id`", "../../evil", "a/b", "a\x00b"]):
        p = plan_text({"design": "grid", "parameters": {"what-if.booths": [1.0, 1.1]}}, "land-port.yaml")
        p = p.replace("name: hostile", "name: " + yaml.safe_dump(n, default_style='"').strip().rstrip("\n...").strip())
        cases.append(Case(f"slurm-plan-name-{i}", "script", base, files={"plan.yaml": p, "land-port.yaml": lp},
                          mention=("plan.yaml", "name"), outputs=("jobs",)))
        cases.append(Case(f"sweep-plan-name-{i}", "script", ["sweep", "plan.yaml", "--threads", "2"],
                          files={"plan.yaml": p, "land-port.yaml": lp}, mention=("plan.yaml", "name"), outputs=("results",)))
    # Control characters are refused; shell syntax is legal in a path and must arrive quoted (verify).
    for i, d in enumerate(["jobs\nx", "jobs;x", "j\x1bk", "$(touch pwned)"]):
        c = Case(f"slurm-dir-{i}", "script", ["slurm", "plan.yaml", "--tasks", "2", "--dir", d], files=files,
                 mention=("--dir",), outputs=(d,), codes=(2, 64))
        if i in (1, 3):
            c.codes, c.outputs, c.mention, c.verify = (0,), (), (), ("quoted", d, "")
        cases.append(c)
    for i, b in enumerate(["/bin/true\necho INJECTED", "bordersim; id", "bs\x07", "a b'c"]):
        c = Case(f"slurm-binary-{i}", "script", [*base, "--bordersim", b], files=files,
                 mention=("--bordersim",), outputs=("jobs",), codes=(2, 64))
        if i in (1, 3):
            c.codes, c.outputs, c.mention, c.verify = (0,), (), (), ("quoted", "jobs", b)
        cases.append(c)
    for i, o in enumerate(["out\n.h5", "o;x.h5", "$(id).h5"]):
        c = Case(f"slurm-out-{i}", "script", [*base, "--out", o], files=files,
                 mention=("--out",), outputs=("jobs",), codes=(2, 64))
        if i in (1, 2):
            c.codes, c.outputs, c.mention, c.verify = (0,), (), (), ("quoted", "jobs", o)
        cases.append(c)
    # Names that reach a terminal (summary tables), HDF5 labels and file names.
    for scen in SCENARIOS:
        for i, bad in enumerate(["a\nb", "x\x1b[2Jy", "t\tu"]):
            doc = load(scen)
            lane = first(doc["lanes"])
            doc["lanes"] = {(bad if k == lane else k): v for k, v in doc["lanes"].items()}
            cases.append(Case(f"name-control-{scen}-{i}", "script", ["validate", f"{scen}.yaml"],
                              files={f"{scen}.yaml": dump(doc)}, mention=(f"{scen}.yaml", "lane name"), outputs=()))
    return cases


# --------------------------------------------------------------------------------------------
# 7: values that must be refused

def trace_files(cell: str, column="risk-score"):
    doc = load("northern-crossing")
    cls = first(doc["classes"])
    doc["classes"][cls]["arrivals"] = {"trace": {"csv": "trace.csv"}}
    rows = ["time," + column] + [f"{60 * i}s,0.5" for i in range(5)] + [f"400s,{cell}"]
    return {"northern-crossing.yaml": dump(doc), "trace.csv": "\n".join(rows) + "\n"}


def cause7():
    cases = []
    for i, cell in enumerate(["abc", "nan", "inf", "-inf", "NaN", "1e999", "0x10", "1,5"]):
        cases.append(Case(f"accept-trace-score-{i}", "accept", ["validate", "northern-crossing.yaml"],
                          files=trace_files(cell), mention=("trace.csv", "risk-score" if "," not in cell else "row 7"),
                          outputs=()))
    for i, cell in enumerate(["nan", "inf", "1e999 s", "abc"]):
        cases.append(Case(f"accept-trace-time-{i}", "accept", ["validate", "northern-crossing.yaml"],
                          files=trace_files(cell, column="time").copy() | {
                              "trace.csv": "time\n0s\n" + cell + "\n"}, mention=("trace.csv",), outputs=()))
    for i, cell in enumerate(["maybe", "2"]):
        cases.append(Case(f"accept-trace-trusted-{i}", "accept", ["validate", "northern-crossing.yaml"],
                          files=trace_files(cell, column="trusted"), mention=("trace.csv", "trusted"), outputs=()))
    for scen in SCENARIOS:
        cls = first(load(scen)["classes"])
        for i, v in enumerate([".nan", ".inf", "-.inf", "nan%", "inf/h"]):
            cases.append(scenario_case(f"accept-nonfinite-rate-{scen}-{i}", "accept", scen,
                                       f"classes.{cls}.arrivals", {"poisson": v}, "poisson", command="validate"))
        for i, v in enumerate(["nan", "inf", "1e999"]):
            cases.append(set_case(f"accept-nonfinite-threshold-{scen}-{i}", "accept", scen, "targeting.rule.threshold", v,
                                  "threshold", command="validate"))
            cases.append(set_case(f"accept-nonfinite-whatif-{scen}-{i}", "accept", scen, "what-if.service-time", v,
                                  "service-time", command="validate"))
    return cases


# --------------------------------------------------------------------------------------------
# 8: typos that cost gigabytes or quadratic time

def cause8():
    cases = []
    for scen in SCENARIOS:
        for i, v in enumerate(["1", "0.5", "2"]):
            cases.append(scenario_case(f"typo-series-bin-bare-{scen}-{i}", "typo", scen, "metrics.series-bin", v,
                                       "series-bin", extra=("--trace",), run=TYPO_RUN))
        cases.append(scenario_case(f"typo-queue-sample-bare-{scen}", "typo", scen, "metrics.queue-sample-interval", "0.01",
                                   "queue-sample-interval", run=TYPO_RUN))
    doc = load("northern-crossing")
    doc["violation-types"] = [f"v{i}" for i in range(100000)]
    cases.append(Case("typo-100k-violation-types", "typo", ["validate", "n.yaml"], files={"n.yaml": dump(doc)},
                      mention=("n.yaml", "violation-types"), outputs=()))
    doc2 = load("northern-crossing")
    doc2["violation-types"] = [f"v{i % 50000}" for i in range(100000)]
    cases.append(Case("typo-100k-violation-types-duplicates", "typo", ["validate", "n.yaml"], files={"n.yaml": dump(doc2)},
                      mention=("n.yaml", "violation-types"), outputs=()))
    cases.append(plan_case("typo-grid-1e6", "typo", {"design": "grid", "parameters": {
        "what-if.booths": {"min": 0.5, "max": 1.5, "count": 1000},
        "what-if.servers": {"min": 0.5, "max": 1.5, "count": 1000}}}, "parameters", extra=()))
    cases.append(plan_case("typo-lhs-1e6", "typo", {"design": {"latin-hypercube": {"points": 1000000}},
                                                    "parameters": {"what-if.booths": {"min": 0.5, "max": 1.5}}}, "points"))
    return cases


def all_cases() -> list[Case]:
    cases = cause1() + cause2() + cause3() + cause4() + cause5() + cause6() + cause7() + cause8()
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    return cases
