"""Simple baselines and the black box on O'Hare T5: fit on one year, score on the other.

Run from the repository root:  D=FOLDER_OF_DATA_SETS .venv/bin/python scenarios/calibration/baselines_ord.py
The constant and least-squares baselines are the ones `bordersim replay` computes (same hours).
"""
import os
import sys
import numpy as np
import pandas as pd
from scipy import stats

D = (sys.argv[1] if len(sys.argv) > 1 else os.environ.get('D', '../shared/data')) + '/cbp_awt_ord_hourly'


def load(y):
    d = pd.read_csv(f'{D}/ORD-{y}.csv')
    d['date'] = pd.to_datetime(d.date, format='mixed')
    d['h'] = d.hour.str[:2].astype(int)
    d['t'] = d.date + pd.to_timedelta(d.h, unit='h')
    full = pd.DataFrame({'t': pd.date_range(f'{y}-01-01', f'{y}-12-31 23:00', freq='h')})
    d = full.merge(d, on='t', how='left')
    d['h'] = d.t.dt.hour; d['dow'] = d.t.dt.day_of_week
    for c in ('all_total', 'all_flights', 'all_booths'):
        d[c + '_0'] = d[c].fillna(0)
        for k in (1, 2):
            d[f'{c}_l{k}'] = d[c + '_0'].shift(k)
    d['ppb'] = d.all_total / d.all_booths.where(d.all_booths > 0)
    return d


def score(obs, pred):
    ok = np.isfinite(obs) & np.isfinite(pred)
    o, p = obs[ok], pred[ok]
    return dict(n=int(ok.sum()), mae=np.mean(np.abs(p - o)), rmse=np.sqrt(np.mean((p - o) ** 2)),
                bias=np.mean(p - o), pearson=stats.pearsonr(o, p)[0] if np.std(p) > 0 else np.nan,
                spearman=stats.spearmanr(o, p)[0] if np.std(p) > 0 else np.nan)


feats = ['h', 'dow'] + [f'{c}{s}' for c in ('all_total', 'all_flights', 'all_booths') for s in ('_0', '_l1', '_l2')]
for fit, test in ((2016, 2017), (2017, 2016)):
    f, t = load(fit), load(test)
    f = f[f.all_avg_wait.notna()]; tt = t[t.all_avg_wait.notna()]
    rows = {}
    rows['constant (fit median)'] = score(tt.all_avg_wait.values, np.full(len(tt), f.all_avg_wait.median()))
    ok = f.ppb.notna()
    b, a = np.polyfit(f.ppb[ok], f.all_avg_wait[ok], 1)
    rows[f'least squares on pax/booth-hour ({a:.2f} + {b:.3f} x)'] = score(tt.all_avg_wait.values, (a + b * tt.ppb).values)
    try:
        from sklearn.ensemble import HistGradientBoostingRegressor
        m = HistGradientBoostingRegressor(loss='absolute_error', random_state=0).fit(f[feats], f.all_avg_wait)
        rows['HistGradientBoosting (absolute error)'] = score(tt.all_avg_wait.values, m.predict(tt[feats]))
    except ImportError:
        pass
    print(f'\nfit {fit} -> test {test}')
    print(pd.DataFrame(rows).T.round(3).to_string())

# What the inputs can explain at best: linear models on hour of day (dummies), load and flights.
from sklearn.linear_model import LinearRegression
print('\nlinear models, fit 2016 -> test 2017 (rows with booths and a wait)')
f, t = load(2016), load(2017)
f = f[f.all_avg_wait.notna() & f.ppb.notna()]; t = t[t.all_avg_wait.notna() & t.ppb.notna()]
t = t.assign(ppf=t.all_total / t.all_flights); f = f.assign(ppf=f.all_total / f.all_flights)
for cols in (['ppb'], ['h'], ['h', 'ppb'], ['h', 'ppb', 'ppf', 'all_flights']):
    X = lambda d: pd.get_dummies(d[cols].astype({'h': 'category'}) if 'h' in cols else d[cols],
                                 columns=['h'] if 'h' in cols else None).astype(float)
    m = LinearRegression().fit(X(f), f.all_avg_wait)
    p = m.predict(X(t).reindex(columns=X(f).columns, fill_value=0))
    print(f'  {"+".join(cols):28s} MAE {np.mean(np.abs(p - t.all_avg_wait)):.2f}  Pearson {np.corrcoef(p, t.all_avg_wait)[0, 1]:.3f}')
