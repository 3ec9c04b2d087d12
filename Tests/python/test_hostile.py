"""Issue 14: the generated hostile corpus (hostile_corpus.py), each input run under an address-space
limit and a time limit. Every case must be answered cleanly: the expected exit status, a message
naming the file or argument and the key, no output file, every input byte-identical afterwards.

Outcomes: clean, crash (signal, crash report), hang (time limit), memory (killed or failing for
memory under the limit), overwrote (an input changed or vanished), accepted (exit 0 for a refusal,
or an output left behind), vague (refused, but the message does not name the file and key),
wrong-code (refused with another status).

Run alone to print the counts by outcome: `python Tests/python/test_hostile.py [BINARY]`.
"""
from __future__ import annotations

import collections
import concurrent.futures
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_corpus as corpus  # noqa: E402

REPO = corpus.REPO
AS_LIMIT = 3 * 1024 ** 3          # address space per case (prlimit --as)
TIMEOUT = 30                      # seconds per case: a refusal takes well under one
WORKERS = 3
CRASH_MARKERS = ("Program crashed", "Fatal error", "Backtracing", "Segmentation fault", "Assertion failed",
                 "HDF5-DIAG", "Illegal instruction", "double free", "corrupted")
MEMORY_MARKERS = ("out of memory", "cannot allocate", "std::bad_alloc", "failed to allocate")


def binary() -> Path:
    b = Path(os.environ.get("BORDERSIM", ".build/debug/bordersim"))
    return b if b.is_absolute() else REPO / b


# --------------------------------------------------------------------------------------------
# Base files for the reader cases: a real run file and a real sweep file, made once.

def make_bases(root: Path, exe: Path) -> dict:
    bases = {}
    lp = REPO / "scenarios/land-port.yaml"
    run = root / "base-run.h5"
    subprocess.run([str(exe), "run", str(lp), "--replications", "2", "--threads", "2", "--set", "horizon=2h",
                    "--set", "warm-up=0", "--quiet", "--out", str(run)], check=True, capture_output=True, timeout=300)
    bases["run"] = run
    plan = root / "base-plan.yaml"
    plan.write_text(corpus.dump({"name": "base", "scenario": str(lp), "replications": 2,
                                 "set": {"horizon": "1h", "warm-up": 0}, "design": "grid",
                                 "parameters": {"what-if.booths": [1.0, 1.2]}}))
    sweep = root / "base-sweep.h5"
    subprocess.run([str(exe), "sweep", str(plan), "--threads", "2", "--quiet", "--out", str(sweep)],
                   check=True, capture_output=True, timeout=300)
    bases["sweep"] = sweep
    foreign = root / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f.attrs["tool"] = "bordersim"
        f.create_dataset("data", data=np.arange(10.0))
    bases["foreign"] = foreign
    huge = root / "foreign-huge.h5"
    shutil.copy(run, huge)
    with h5py.File(huge, "r+") as f:
        del f["summary/port/ci_low"]
        f.create_dataset("summary/port/ci_low", shape=(2 ** 34,), dtype="f8", chunks=(1 << 16,))  # 128 GiB, unwritten
    bases["foreign-huge"] = huge
    return bases


def damage(bases: dict, name: str, target: Path):
    _, base, how = next(d for d in corpus.DAMAGES if d[0] == name)
    shutil.copy(bases[base], target)
    if not how:
        return
    kind = how[0]
    if kind == "truncate":
        with open(target, "r+b") as f:
            f.truncate(how[1])
        return
    if kind == "zero":
        with open(target, "r+b") as f:
            f.seek(how[1])
            f.write(b"\0" * 4096)
        return
    with h5py.File(target, "r+") as f:
        if kind == "attr":
            _, attr, value = how
            f.attrs[attr] = np.int64(value) if isinstance(value, int) else value
        elif kind == "groupattr":
            _, group, attr, value = how
            f[group].attrs[attr] = value
        elif kind == "dataset":
            _, path, values = how
            if path in f:
                del f[path]
            if values and isinstance(values[0], str):
                f.create_dataset(path, data=values, dtype=h5py.string_dtype())
            else:
                f.create_dataset(path, data=np.asarray(values))
        elif kind == "nan":
            def fill(name, obj):
                if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "f" and \
                        (name.startswith("replications/") or name.startswith("summary/")):
                    obj[...] = np.nan
            f.visititems(fill)


# --------------------------------------------------------------------------------------------
# Running one case

def prepare(case: corpus.Case, folder: Path, bases: dict):
    folder.mkdir(parents=True)
    data = folder / "data"
    data.mkdir()
    for csv in (REPO / "scenarios/data").iterdir():
        (data / csv.name).symlink_to(csv)
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            path.unlink()   # a linked data file is replaced by the case's own copy, never written through
        if isinstance(content, tuple):
            if content[0] == "damage":
                damage(bases, content[1], path)
            elif content[0] == "base":
                shutil.copy(bases[content[1]], path)
            elif content[0] == "fifo":
                os.mkfifo(path)
            elif content[0] == "chardev":
                os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            elif content[0] == "hardlink":
                os.link(folder / content[1], path)
        else:
            path.write_bytes(content.encode() if isinstance(content, str) else content)
    for name, target in case.links.items():
        (folder / name).symlink_to(target)


def fingerprint(folder: Path, skip=()) -> dict:
    """Every entry under the folder (not following links): type, and the bytes of regular files."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            rel = str(p.relative_to(folder))
            if rel in skip:
                continue
            st = p.lstat()
            if stat.S_ISREG(st.st_mode):
                out[rel] = ("file", hashlib.sha256(p.read_bytes()).hexdigest(), st.st_ino)
            elif stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            else:
                out[rel] = (stat.S_IFMT(st.st_mode),)
    return out


def headline(err: str) -> str:
    """The line that says what went wrong (a crash report's 'Fatal error', else the last error line)."""
    lines = [l for l in err.splitlines() if l.strip() and ": warning: " not in l]
    fatal = [l for l in lines if "Fatal error" in l or "error" in l.lower()]
    return (fatal or lines or [""])[0][:300]


def classify(case: corpus.Case, rc, err: str, before: dict, after: dict, folder: Path) -> tuple[str, str]:
    if rc is None:
        return "hang", f"no answer within {TIMEOUT} s"
    low = err.lower()
    if rc < 0 or rc >= 128 or any(m in err for m in CRASH_MARKERS):
        if any(m in low for m in MEMORY_MARKERS):
            return "memory", headline(err)
        return "crash", f"exit {rc}: {headline(err)}"
    changed = [k for k, v in before.items() if k not in case.replaceable and after.get(k, ("gone",))[:2] != v[:2]]
    if changed:
        return "overwrote", f"inputs changed: {changed}"
    made = [o for o in case.outputs if (folder / o).exists() or (folder / o).is_symlink()]
    made += [k for k in after if k not in before and (k.endswith(".partial") or k.startswith(".") and k != "data")]
    if 0 in case.codes:
        return ("clean", "") if rc == 0 else ("wrong-code", f"exit {rc}: {err[-300:]}")
    if rc == 0:
        return "accepted", "exit 0"
    if made:
        return "accepted", f"left behind: {made}"
    if rc not in case.codes:
        return "wrong-code", f"exit {rc} not in {case.codes}: {err[-300:]}"
    missing = [m for m in case.mention if m not in err]
    if missing:
        return "vague", f"message does not name {missing}: {err[-400:]}"
    return "clean", ""


def verify_scripts(folder: Path, directory: str, value: str) -> tuple[str, str]:
    """The scripts parse as shell (bash -n), and `value` reaches them as one word, not as syntax."""
    import shlex
    scripts = sorted((folder / directory).glob("*.sbatch")) + sorted((folder / directory).glob("*.sh"))
    if len(scripts) != 3:
        return "accepted", f"expected 3 scripts in {directory}, found {[s.name for s in scripts]}"
    for s in scripts:
        check = subprocess.run(["bash", "-n", str(s)], capture_output=True, text=True)
        if check.returncode != 0:
            return "accepted", f"{s.name} does not parse: {check.stderr[:200]}"
        text = s.read_text()
        if any(line.startswith("#SBATCH") and any(c in line for c in ";$`'\"\\") for line in text.splitlines()):
            return "accepted", f"{s.name}: an #SBATCH line carries shell syntax"
    if value:
        words = [w for s in scripts for line in s.read_text().replace("\\\n", " ").splitlines()
                 if line.startswith("exec ") for w in shlex.split(line)]
        if not any(w == value or w.endswith("/" + value) or w.startswith(str(folder / value)) for w in words):
            return "accepted", f"{value!r} is not one word of the exec line: {words}"
    return "clean", ""


def run_case(case: corpus.Case, root: Path, bases: dict, exe: Path) -> dict:
    folder = root / case.id
    prepare(case, folder, bases)
    before = fingerprint(folder)
    argv = ["prlimit", f"--as={AS_LIMIT}", "--", str(exe), *case.argv]
    start = time.monotonic()
    p = subprocess.Popen(argv, cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = p.communicate(timeout=TIMEOUT)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        _, err = p.communicate()
        rc = None
    seconds = time.monotonic() - start
    err = err.decode(errors="replace")
    after = fingerprint(folder)
    outcome, detail = classify(case, rc, err, before, after, folder)
    if outcome == "clean" and case.verify:
        outcome, detail = verify_scripts(folder, *case.verify[1:])
    shutil.rmtree(folder, ignore_errors=True)
    return {"id": case.id, "cause": case.cause, "outcome": outcome, "detail": detail, "seconds": round(seconds, 2)}


def run_corpus(exe: Path, cases=None, workers=WORKERS) -> list[dict]:
    cases = cases if cases is not None else corpus.all_cases()
    data_before = fingerprint(REPO / "scenarios")
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        root = Path(tmp)
        bases = make_bases(root, exe)
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(lambda c: run_case(c, root / "cases", bases, exe), cases))
    assert fingerprint(REPO / "scenarios") == data_before, "the example scenarios or their data changed"
    return results


def counts(results) -> dict:
    table = collections.defaultdict(collections.Counter)
    for r in results:
        table[r["cause"]][r["outcome"]] += 1
        table["all"][r["outcome"]] += 1
    return {k: dict(v) for k, v in table.items()}


# --------------------------------------------------------------------------------------------
# The test

_RESULTS = None


def corpus_results():
    global _RESULTS
    if _RESULTS is None:
        _RESULTS = run_corpus(binary())
    return _RESULTS


def test_corpus_is_large_and_covers_every_cause():
    cases = corpus.all_cases()
    assert len(cases) >= 300, len(cases)
    by_cause = collections.Counter(c.cause for c in cases)
    assert set(by_cause) == {"int", "size", "clock", "reader", "output", "script", "accept", "typo"}, by_cause


def test_every_hostile_input_is_answered_cleanly():
    results = corpus_results()
    bad = [r for r in results if r["outcome"] != "clean"]
    summary = json.dumps(counts(results), indent=1)
    assert not bad, f"{len(bad)} of {len(results)} not clean; counts {summary}\n" + \
        "\n".join(f"{r['id']}: {r['outcome']}: {r['detail'][:300]}" for r in bad[:40])


# --------------------------------------------------------------------------------------------
# A crash or hang inside libhdf5 while reading a result file is contained: every reader command
# reads the file first in a child (`probe-result-file`). No file crashes the library on demand
# once its crashes are fixed, so the child's fault is injected (BORDERSIM_PROBE_FAULT).

def test_a_library_crash_or_hang_on_a_result_file_is_contained(tmp_path):
    exe = binary()
    bases = make_bases(tmp_path, exe)
    commands = {
        "inspect": lambda f: ["inspect", str(f)],
        "inspect-json": lambda f: ["inspect", "--json", str(f)],
        "merge": lambda f: ["merge", str(f), "--out", str(tmp_path / "out.h5")],
        "run-from": lambda f: ["run", "--from", str(f), "--out", str(tmp_path / "out.h5")],
    }
    for fault, says in (("crash", "crashed the HDF5 library"), ("hang", "did not finish in 2 s")):
        for name, argv in commands.items():
            source = bases["sweep" if name == "merge" else "run"]
            before = source.read_bytes()
            env = dict(os.environ, BORDERSIM_PROBE_FAULT=fault, BORDERSIM_PROBE_TIMEOUT="2")
            p = subprocess.run([str(exe), *argv(source)], env=env, capture_output=True, text=True, timeout=120)
            assert p.returncode == 2, f"{fault} {name}: exit {p.returncode}\n{p.stderr[-800:]}"
            assert says in p.stderr and str(source) in p.stderr, f"{fault} {name}: {p.stderr[-800:]}"
            assert not (tmp_path / "out.h5").exists(), f"{fault} {name} wrote its output"
            assert source.read_bytes() == before
    # Without a fault the same commands read the files as ever.
    p = subprocess.run([str(exe), "inspect", str(bases["run"])], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-800:]


# --------------------------------------------------------------------------------------------
# The fuzzer's findings (Tests/fuzz/MODE/, from `make fuzz`) and its seeds, replayed by the plain
# build of the fuzz target: each must be answered (a value or an error), never a crash or a hang.

FUZZ_DIR = REPO / "Tests/fuzz"


def test_fuzz_findings_and_seeds_are_answered():
    exe = binary().with_name("bordersim-fuzz")
    assert exe.exists(), f"{exe} missing: `swift build --build-tests` builds it"
    replayed = 0
    for mode in ("scenario", "plan", "results"):
        files = sorted(p for d in (FUZZ_DIR / mode, FUZZ_DIR / "seeds" / mode) if d.is_dir()
                       for p in d.iterdir() if p.is_file() and not p.name.startswith("."))
        if not files:
            continue
        env = dict(os.environ, BORDERSIM_FUZZ=mode, BORDERSIM_FUZZ_DIR=str(REPO / "scenarios"))
        p = subprocess.run(["prlimit", f"--as={AS_LIMIT}", "--", str(exe), *map(str, files)], env=env, cwd=REPO,
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, f"{mode}: exit {p.returncode}\n{headline(p.stderr)}\n{p.stderr[-1500:]}"
        assert p.stdout.count("ok ") == len(files), p.stdout[-500:]
        replayed += len(files)
    assert replayed >= 10, replayed


if __name__ == "__main__":
    exe = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else binary()
    only = sys.argv[2] if len(sys.argv) > 2 else None
    cases = [c for c in corpus.all_cases() if not only or only in c.id]
    t0 = time.monotonic()
    results = run_corpus(exe, cases)
    for r in results:
        if r["outcome"] != "clean":
            print(f"{r['id']}: {r['outcome']}: {r['detail'][:240]!r}")
    print(json.dumps(counts(results), indent=1))
    print(f"{len(results)} cases in {time.monotonic() - t0:.0f} s")
    Path("/tmp/hostile-results.json").write_text(json.dumps(results, indent=1))
