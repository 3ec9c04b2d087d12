"""Evidence for the airport model features in the CBP O'Hare T5 hourly data (2016-2017).

Run from the repository root:  D=FOLDER_OF_DATA_SETS .venv/bin/python scenarios/calibration/study_ord.py
Prints the tables quoted in scenarios/CALIBRATION.md §7.
"""
import os
import sys
import numpy as np
import pandas as pd

D = (sys.argv[1] if len(sys.argv) > 1 else os.environ.get('D', '../shared/data')) + '/cbp_awt_ord_hourly'
d = pd.concat([pd.read_csv(f'{D}/ORD-{y}.csv').assign(year=y) for y in (2016, 2017)])
d['date'] = pd.to_datetime(d.date, format='mixed')
d['h'] = d.hour.str[:2].astype(int)
d['t'] = d.date + pd.to_timedelta(d.h, unit='h')
d = d.sort_values('t').reset_index(drop=True)
d['ppb'] = d.all_total / d.all_booths.where(d.all_booths > 0)
d['ppf'] = d.all_total / d.all_flights.where(d.all_flights > 0)
pd.set_option('display.width', 160)

print('rows', len(d), 'hours in period', int((d.t.max() - d.t.min()) / pd.Timedelta('1h')) + 1)

print('\n1. Passengers per booth-hour vs observed mean wait (all hours, 2016-17)')
d['ppb_bin'] = pd.cut(d.ppb, [0, 20, 30, 40, 50, 60, 70, 80, 1000])
t = d.groupby('ppb_bin', observed=True).agg(hours=('ppb', 'size'), wait_mean=('all_avg_wait', 'mean'),
                                           wait_p90=('all_avg_wait', lambda x: x.quantile(.9)),
                                           booths=('all_booths', 'median'))
print(t.round(1).to_string())
print('hours with > 58 pax/booth-hour (62 s service at full load):', round((d.ppb > 58).mean() * 100, 1), '%')

print('\n2. Booths follow the load: booths vs passengers within an hour of day (dynamic opening)')
r = d.groupby('h').apply(lambda g: pd.Series({
    'corr_booths_pax': g.all_booths.corr(g.all_total),
    'booths_p10': g.all_booths.quantile(.1), 'booths_p90': g.all_booths.quantile(.9),
    'pax_p10': g.all_total.quantile(.1), 'pax_p90': g.all_total.quantile(.9)}), include_groups=False)
print(r.round(2).to_string())
print('overall corr(booths, pax) =', round(d.all_booths.corr(d.all_total), 3),
      '; corr(log ppb, wait) =', round(np.log(d.ppb).corr(d.all_avg_wait), 3))

print('\n3. Carry-over: autocorrelation of hourly mean wait, and wait vs previous hour load')
s = d.set_index('t').all_avg_wait.asfreq('h')
for k in (1, 2, 3, 24):
    print(f'  lag {k:2d} h: autocorr {s.autocorr(k):.3f}')
p = d.set_index('t').ppb.asfreq('h')
print('  corr(wait_t, ppb_t) =', round(s.corr(p), 3), ' corr(wait_t, ppb_t-1) =', round(s.corr(p.shift(1)), 3))

print('\n4. Passengers per flight by hour of day (per-hour batch sizes)')
print(d.groupby('h').ppf.describe()[['count', 'mean', '25%', '50%', '75%']].round(0).T.to_string())

print('\n5. Passenger mix: US vs non-US mean wait (hours with both)')
m = d.dropna(subset=['us_avg_wait', 'non_us_avg_wait'])
print('  mean US', round(m.us_avg_wait.mean(), 1), ' non-US', round(m.non_us_avg_wait.mean(), 1),
      ' corr', round(m.us_avg_wait.corr(m.non_us_avg_wait), 3))

print('\n6. Hour of day: mean wait and pax per booth-hour')
print(d.groupby('h').agg(wait=('all_avg_wait', 'mean'), ppb=('ppb', 'median'), pax=('all_total', 'mean'),
                         booths=('all_booths', 'median')).round(1).T.to_string())
print('\n7. Year to year: mean wait', d.groupby('year').all_avg_wait.mean().round(2).to_dict(),
      ' median', d.groupby('year').all_avg_wait.median().to_dict(),
      ' pax/day', (d.groupby('year').all_total.sum() / d.groupby('year').date.nunique()).round(0).to_dict())

print('\n8. Passenger mix: share of US citizens implied by the three averages, by hour of day')
ok = (d.non_us_avg_wait - d.us_avg_wait).abs() >= 3
d['us_share'] = ((d.non_us_avg_wait - d.all_avg_wait) / (d.non_us_avg_wait - d.us_avg_wait)).where(ok).clip(0, 1)
print(d.groupby('h').us_share.median().round(2).to_frame().T.to_string())
print('corr(wait, implied US share) =', round(d.all_avg_wait.corr(d.us_share), 3),
      ' (an output-derived share: usable as a fit-year profile, not as a test-year input)')
