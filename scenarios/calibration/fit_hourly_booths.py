"""Fit a scenario's booths hour by hour to a published hourly wait profile (land port, northern crossing).

Booths are fitted in quarter-hour steps: 3.25 booths in an hour are 3 booths for its first 45 minutes and
4 for the last 15 (the scenario's `booths: {default, ranges}` form, see `ranges()`), because one whole
booth is 10-50 % of a lane's capacity and moves the wait by far more than the tolerance we fit to.
The measured day is the second of a 50-h run with a 24-h warm-up, so it starts from the queues the
previous day left (not from an empty port); bins 24..47 are hours 00..23 of that day. Each iteration
runs the scenario once (common random numbers: the same seed every time) and, for every lane still
improving, tries one booth more or fewer at the hour whose error is largest (or the hour before it,
whose capacity built that queue), a quarter booth at a time. A move is kept only if the lane's sum of squared hourly errors falls.
Lanes serve their own classes, so all lanes are tried in the same run.

Usage (repository root, release build):
  .venv/bin/python scenarios/calibration/fit_hourly_booths.py SCENARIO TARGET.csv LANE=COLUMN [...] \
      [--replications 4] [--iterations 40] [--json OUT.json] [--start OUT.json]
Prints the fitted schedules (to paste into the scenario); OUT.json keeps the state after every iteration.
"""
import argparse
import json
import os
import subprocess
import tempfile

import h5py
import numpy as np
import pandas as pd

B = os.environ.get('BORDERSIM', '.build/release/bordersim')


def ranges(b):
    """24 booth counts in quarter steps as the scenario's {default, ranges} form (flow YAML)."""
    items = []
    for h, x in enumerate(b):
        n, q = int(np.floor(x + 1e-9)), int(round((x - np.floor(x + 1e-9)) * 4))
        cut = 60 - 15 * q
        end = f'{h + 1:02d}:00'
        if q == 0:
            items.append(f'{{from: "{h:02d}:00", to: "{end}", value: {n}}}')
        else:
            items.append(f'{{from: "{h:02d}:00", to: "{h:02d}:{cut:02d}", value: {n}}}')
            items.append(f'{{from: "{h:02d}:{cut:02d}", to: "{end}", value: {n + 1}}}')
    return '{default: 1, ranges: [' + ', '.join(items) + ']}'


def compact(b):
    """The same schedule as ranges(b), written for the scenario: consecutive equal values merged, the
    most common value as the default, one range per line."""
    segs = []
    for h, x in enumerate(b):
        n, q = int(np.floor(x + 1e-9)), int(round((x - np.floor(x + 1e-9)) * 4))
        for lo, hi, v in ([(h * 60, h * 60 + 60, n)] if q == 0 else
                          [(h * 60, h * 60 + 60 - 15 * q, n), (h * 60 + 60 - 15 * q, h * 60 + 60, n + 1)]):
            if segs and segs[-1][2] == v and segs[-1][1] == lo:
                segs[-1] = (segs[-1][0], hi, v)
            else:
                segs.append((lo, hi, v))
    minutes = {}
    for lo, hi, v in segs:
        minutes[v] = minutes.get(v, 0) + hi - lo
    default = max(minutes, key=minutes.get)
    t = lambda m: f'"{m // 60:02d}:{m % 60:02d}"'
    rows = [f'{{from: {t(lo)}, to: {t(hi)}, value: {v}}}' for lo, hi, v in segs if v != default]
    return f'{{default: {default}, ranges: [\n      ' + ',\n      '.join(rows) + ']}'


def run(scenario, booths, reps, out, extra=()):
    sets = [a for lane, b in booths.items() for a in ('--set', f'lanes.{lane}.booths={ranges(b)}')]
    subprocess.run(['nice', '-n', '10', B, 'run', scenario, '--replications', str(reps), '--set', 'horizon=50h',
                    '--set', 'warm-up=24h', *sets, *extra, '--out', out, '--force'],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with h5py.File(out) as f:
        lanes = list(f['lane'].asstr()[:])
        w = f['series/mean_wait_min'][:][:, 24:48, :]                 # replication x hour of day x lane
    return {lane: w[:, :, j] for j, lane in enumerate(lanes)}


def schedule(scenario, lane):
    """The lane's booths as 24 integers, from `bordersim validate --json`-free reading of the YAML."""
    import yaml
    with open(scenario) as fh:
        b = yaml.safe_load(fh)['lanes'][lane]['booths']
    if isinstance(b, list):
        return [int(x) for x in b]
    if isinstance(b, dict):
        out = [int(b['default'])] * 24
        for r in b.get('ranges', []):
            lo, hi = int(str(r['from'])[:2]), int(str(r['to'])[:2]) or 24
            for h in range(lo, hi):
                out[h] = int(r['value'])
        return out
    return [int(b)] * 24


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('scenario'); ap.add_argument('target'); ap.add_argument('map', nargs='+')
    ap.add_argument('--replications', type=int, default=4); ap.add_argument('--iterations', type=int, default=40)
    ap.add_argument('--json'); ap.add_argument('--start')
    ap.add_argument('--step', type=float, default=0.25, help='booths per move: 0.25 (quarter hours) or 1 (whole booths, list form)')
    a = ap.parse_args()
    target = pd.read_csv(a.target)
    cols = dict(m.split('=') for m in a.map)
    obs = {lane: target[c].to_numpy(float) for lane, c in cols.items()}
    booths = {lane: [float(x) for x in schedule(a.scenario, lane)] for lane in cols}
    if a.start:
        booths.update(json.load(open(a.start))['booths'])
    if a.step == 1:
        booths = {k: [float(round(x)) for x in v] for k, v in booths.items()}
    out = os.path.join(tempfile.mkdtemp(), 'fit.h5')

    def sse(w, lane):
        return float(((w[lane].mean(axis=0) - obs[lane]) ** 2).sum())

    w = run(a.scenario, booths, a.replications, out)
    best = {lane: sse(w, lane) for lane in cols}
    tried = {lane: set() for lane in cols}                      # (hour, step) rejected since the last accepted move
    print('start', {k: round(np.sqrt(v / 24), 2) for k, v in best.items()}, flush=True)
    for it in range(a.iterations):
        trial, moves = {k: list(v) for k, v in booths.items()}, {}
        for lane in cols:
            err = w[lane].mean(axis=0) - obs[lane]
            for h in np.argsort(-np.abs(err)):
                step = -a.step if err[h] < 0 else a.step            # too short a wait: fewer booths
                cands = [(int(h), step), (int(h - 1) % 24, step)]
                c = next(((hh, s) for hh, s in cands if (hh, s) not in tried[lane] and trial[lane][hh] + s >= 1), None)
                if c:
                    trial[lane][c[0]] += c[1]; moves[lane] = c
                    break
        if not moves:
            break
        wt = run(a.scenario, trial, a.replications, out)
        for lane, m in moves.items():
            s = sse(wt, lane)
            if s < best[lane]:
                booths[lane] = trial[lane]; best[lane] = s; tried[lane] = set()
                w[lane] = wt[lane]
            else:
                tried[lane].add(m)
        print(it, {k: round(np.sqrt(v / 24), 2) for k, v in best.items()}, moves, flush=True)
        if a.json:
            json.dump({'booths': booths, 'rmse': {k: np.sqrt(v / 24) for k, v in best.items()}}, open(a.json, 'w'), indent=1)
    for lane in cols:
        print(f'{lane}: [{", ".join(f"{b:g}" for b in booths[lane])}]' +
              ('' if a.step == 1 else f'\n    booths: {compact(booths[lane])}'))


if __name__ == '__main__':
    main()
