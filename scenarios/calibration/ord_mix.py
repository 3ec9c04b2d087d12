"""Passenger mix at O'Hare T5: the visitor share by hour of day, and the ablation of CALIBRATION.md §7.

The CBP file has waits by citizenship (us_avg_wait, non_us_avg_wait) but passengers only in total. Where
the two class means differ by 3 min or more, the all-passenger mean is a weighted mean of them, which gives
the visitors' share of the hour: (all - us) / (non_us - us). That share is derived from the *outputs*, so
only its profile by hour of day on the fit year may drive a prediction; the per-hour share of the test
year is an oracle, used here only to measure what knowing the mix would be worth.

  .venv/bin/python scenarios/calibration/ord_mix.py share YEAR            # the 24 shares for observed.mix.share
  .venv/bin/python scenarios/calibration/ord_mix.py ablation CALIBRATED.yaml FIT TEST OUT_DIR
      # replays TEST with each feature switched off in turn (nothing refitted), scores as JSON in OUT_DIR
Environment: D (data folder, default ../shared/data), BORDERSIM (default .build/release/bordersim),
REPLICATIONS (default 3).
"""
import json
import os
import subprocess
import sys

import pandas as pd
import yaml

D = os.environ.get('D', '../shared/data') + '/cbp_awt_ord_hourly'
B = os.environ.get('BORDERSIM', '.build/release/bordersim')
R = os.environ.get('REPLICATIONS', '3')


def shares(d):
    ok = (d.non_us_avg_wait - d.us_avg_wait).abs() >= 3
    return ((d.all_avg_wait - d.us_avg_wait) / (d.non_us_avg_wait - d.us_avg_wait)).where(ok).clip(0, 1)


def profile(year):
    """Passenger-weighted mean visitor share by hour of day."""
    d = pd.read_csv(f'{D}/ORD-{year}.csv')
    d['h'] = d.hour.str[:2].astype(int)
    d['vis'] = shares(d)
    g = d.dropna(subset=['vis']).groupby('h')
    return [round(float((x.vis * x.all_total).sum() / x.all_total.sum()), 2) for _, x in g]


def replay(scenario, test, fit, out, *extra, observed=None, fit_data=None):
    p = subprocess.run(['nice', '-n', '10', B, 'replay', scenario, '--observed', observed or f'{D}/ORD-{test}.csv',
                        '--fit-data', fit_data or f'{D}/ORD-{fit}.csv', '--replications', R, *extra, '--json'],
                       check=True, capture_output=True, text=True)
    open(out, 'w').write(p.stdout)
    s = json.loads(p.stdout)['scores'][0]
    print(f'{os.path.basename(out):48s} MAE {s["mae"]:.2f}  RMSE {s["rmse"]:.2f}  bias {s["bias"]:+.2f}  '
          f'Pearson {s["pearson"]:.3f}  Spearman {s["spearman"]:.3f}', flush=True)


def ablation(cal, fit, test, out):
    os.makedirs(out, exist_ok=True)
    name = lambda n: f'{out}/ablation-{fit}-{test}-{n}.json'
    replay(cal, test, fit, name('full'))
    lanes = ['booths', 'visitor-booths']
    replay(cal, test, fit, name('no-speed-up'), *[a for l in lanes for a in ('--set', f'lanes.{l}.speed-up.max=1')])
    replay(cal, test, fit, name('no-dynamic-opening'),
           *[a for l in lanes for a in ('--set', f'lanes.{l}.dynamic-opening.open-above=10000')])
    doc = yaml.safe_load(open(cal))
    flat = sum(doc['observed']['mix']['share']) / 24
    replay(cal, test, fit, name('flat-share'), '--set', f'observed.mix.share=[{", ".join([f"{flat:.3f}"] * 24)}]')
    # One pool: both classes in the citizens' lane (first come, first served), the visitors' service kept.
    pool = yaml.safe_load(open(cal))
    pool['lanes']['booths']['serves'] = ['citizen', 'visitor']
    pool['lanes']['booths']['service']['visitor'] = pool['lanes']['visitor-booths']['service']['visitor']
    del pool['lanes']['visitor-booths']
    for k in ('lane', 'booth-weight'):
        pool['observed']['mix'].pop(k, None)
    pool['lanes']['booths']['booths'] = [a + b for a, b in zip(doc['lanes']['booths']['booths'], doc['lanes']['visitor-booths']['booths'])]
    path = f'{out}/one-pool.yaml'
    yaml.safe_dump(pool, open(path, 'w'), sort_keys=False)
    replay(path, test, fit, name('one-pool'))
    # The oracle: the test year's own per-hour share (derived from its outputs; not a legitimate input).
    files = {}
    for y in (fit, test):
        d = pd.read_csv(f'{D}/ORD-{y}.csv')
        d['vis_share'] = shares(d).round(4)
        files[y] = f'{out}/ORD-{y}-with-share.csv'
        d.to_csv(files[y], index=False)
    replay(cal, test, fit, name('oracle-share'), '--set', 'observed.mix.share-column=vis_share',
           observed=files[test], fit_data=files[fit])


if __name__ == '__main__':
    if sys.argv[1] == 'share':
        print(profile(int(sys.argv[2])))
    else:
        ablation(*sys.argv[2:6])
