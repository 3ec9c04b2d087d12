"""Markdown tables of CALIBRATION.md §7 from the JSON of `bordersim replay --json`.

Usage: .venv/bin/python scenarios/calibration/ord_tables.py OUT_DIR
"""
import glob
import json
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else 'results/calibration'


def f(x, d=2):
    return '—' if x is None else f'{x:.{d}f}'


def row(name, s):
    return f"| {name} | {s['hours']} | {f(s['mae'])} | {f(s['rmse'])} | {f(s['bias'])} | {f(s['pearson'], 3)} | {f(s['spearman'], 3)} |"


head = '| predictor | hours | MAE | RMSE | bias | Pearson | Spearman |\n|---|---|---|---|---|---|---|'
for path in sorted(glob.glob(f'{out}/replay-fit-*-test-*.json')):
    j = json.load(open(path))
    print(f"\n**{os.path.basename(path)}** — {j['period']['first']} … {j['period']['last']}, {j['replications']} replications,"
          f" baselines fitted on {j['baselines']['fitted_on']}\n")
    print(head)
    for s in j['scores']:
        print(row(s['predictor'], s))
    print('\n| hour | hours | MAE | bias | Pearson |\n|---|---|---|---|---|')
    for s in j['by_hour_of_day']:
        print(f"| {s['hour_of_day']:02d} | {s['hours']} | {f(s['mae'])} | {f(s['bias'])} | {f(s['pearson'], 3)} |")
abl = sorted(glob.glob(f'{out}/ablation-*.json'))
if abl:
    print('\n| model (test year) | hours | MAE | RMSE | bias | Pearson | Spearman |\n|---|---|---|---|---|---|---|')
    for path in abl:
        j = json.load(open(path))
        sim = next(s for s in j['scores'] if s['predictor'] == 'simulation')
        print(row(os.path.basename(path)[len('ablation-'):-5], sim))
