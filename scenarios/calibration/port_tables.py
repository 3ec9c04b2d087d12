"""Tables of CALIBRATION.md §8: the land port and the northern crossing hour by hour against their
published profiles, on the second day of a run with a day of warm-up (hours 24-47 of a 50-h run: the
two extra hours let the last hour's parties finish). Also the drift to a third day (hours 48-71 of a
74-h run), to show the measured day is close to the periodic state.

Usage (repository root, release build):  .venv/bin/python scenarios/calibration/port_tables.py [REPLICATIONS]
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd
from scipy import stats

B = os.environ.get('BORDERSIM', '.build/release/bordersim')
R = sys.argv[1] if len(sys.argv) > 1 else '10'
PORTS = [('land-port', 'scenarios/data/san-ysidro-hourly.csv', 'CBP Jan–Feb',
          {'general': 'cbp_wait_general', 'ready': 'cbp_wait_ready', 'sentri': 'cbp_wait_sentri',
           'pedestrian': 'cbp_wait_ped', 'pedestrian-ready': 'cbp_wait_ped_ready'}),
         ('northern-crossing', 'scenarios/data/peace-arch-hourly.csv', 'target',
          {'general': 'target_general', 'nexus': 'target_nexus'})]


def ci(w):
    m = w.mean(axis=0)
    return m, stats.t.ppf(0.975, w.shape[0] - 1) * w.std(axis=0, ddof=1) / np.sqrt(w.shape[0])


for name, target, label, cols in PORTS:
    out = os.path.join(tempfile.mkdtemp(), f'{name}.h5')
    subprocess.run([B, 'run', f'scenarios/{name}.yaml', '--replications', R, '--set', 'horizon=74h', '--out', out,
                    '--force'], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with h5py.File(out) as f:
        lanes = list(f['lane'].asstr()[:])
        w = f['series/mean_wait_min'][:]
    obs = pd.read_csv(target)
    print(f'\n**{name}** ({R} replications; mean wait in minutes; predicted = mean of the replications, 95 % CI)\n')
    print('| hour | ' + ' | '.join(f'{lane}: {label} | predicted [95 % CI]' for lane in cols) + ' |')
    print('|---|' + '---|---|' * len(cols))
    stats_rows = []
    for lane, c in cols.items():
        j = lanes.index(lane)
        m, h = ci(w[:, 24:48, j]); m3, _ = ci(w[:, 48:72, j]); o = obs[c].to_numpy(float)
        stats_rows.append((lane, m, h, o, m3))
    for hr in range(24):
        cells = [f'{o[hr]:.1f} | {m[hr]:.1f} [{m[hr] - h[hr]:.1f}, {m[hr] + h[hr]:.1f}]' for _, m, h, o, _ in stats_rows]
        print(f'| {hr:02d}:00 | ' + ' | '.join(cells) + ' |')
    print('\n| lane | MAE | RMSE | bias | hours with the published value inside the CI | day 3 − day 2 (mean of hours) |')
    print('|---|---|---|---|---|---|')
    for lane, m, h, o, m3 in stats_rows:
        inside = int(((m - h <= o) & (o <= m + h)).sum())
        print(f'| {lane} | {np.abs(m - o).mean():.2f} | {np.sqrt(((m - o) ** 2).mean()):.2f} | {np.mean(m - o):+.2f} | '
              f'{inside} / 24 | {np.mean(m3 - m):+.2f} |')
