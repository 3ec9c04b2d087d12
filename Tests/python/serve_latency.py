"""Update latency of the training page: how long `bordersim serve` takes to answer the page's
requests after a trainer moves a control, for each lesson in scenarios/training/.

Starts the server on a free loopback port, then for each lesson sends, one after the other as a
trainer's page does, /api/run with a new threshold each time (and, timed separately, /api/trace
for the animation), and prints the median, 95th percentile and maximum wall-clock time per
request, measured at the client. Not a test: a measurement (the README gives its figures).

    python3 Tests/python/serve_latency.py --bordersim .build/release/bordersim --requests 40
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(base: str, endpoint: str, body: dict) -> float:
    req = urllib.request.Request(f"{base}/api/{endpoint}", data=json.dumps(body).encode(), method="POST")
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        r.read()
        assert r.status == 200
    return (time.perf_counter() - start) * 1000


def measure(bordersim: str, scenario: Path, requests: int) -> dict:
    port = free_port()
    proc = subprocess.Popen([bordersim, "serve", str(scenario), "--port", str(port)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/scenario", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        post(base, "run", {})                                    # first request: warm caches
        thresholds = [0.5 + 1.5 * i / max(1, requests - 1) for i in range(requests)]
        run = [post(base, "run", {"threshold": round(t, 3), "client": "latency"}) for t in thresholds]
        trace = [post(base, "trace", {"threshold": round(t, 3), "client": "latency"}) for t in thresholds[:10]]
        return {"run": run, "trace": trace}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bordersim", default="bordersim")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    lessons = sorted(p for p in (REPO / "scenarios/training").glob("*.yaml") if p.with_suffix(".lesson.json").exists())
    print(f"{'lesson':28} {'run: median':>12} {'p95':>7} {'max':>7}   {'trace: median':>14}   (ms, {args.requests} requests)")
    for scenario in lessons:
        m = measure(args.bordersim, scenario, args.requests)
        run = sorted(m["run"])
        p95 = run[min(len(run) - 1, int(round(0.95 * (len(run) - 1))))]
        print(f"{scenario.stem:28} {statistics.median(run):12.0f} {p95:7.0f} {max(run):7.0f}   "
              f"{statistics.median(m['trace']):14.0f}")


if __name__ == "__main__":
    main()
