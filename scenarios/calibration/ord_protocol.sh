#!/bin/sh
# The O'Hare T5 protocol of CALIBRATION.md §7: calibrate on one year, replay the other.
# Usage (repository root, release build):  sh scenarios/calibration/ord_protocol.sh FIT_YEAR TEST_YEAR [OUT_DIR] [-- extra --set/--fit ...]
# Defaults: 2 replications per evaluation, budget 40 (BUDGET=…); the final replay uses 5 replications.
set -eu
FIT=$1; TEST=$2; OUT=${3:-results/calibration}; shift 2; [ $# -gt 0 ] && shift
D=${D:-../shared/data}/cbp_awt_ord_hourly
B=${BORDERSIM:-.build/release/bordersim}
BUDGET=${BUDGET:-40}
mkdir -p "$OUT"
$B calibrate scenarios/airport-arrivals.yaml --observed "$D/ORD-$FIT.csv" --replications 2 --budget "$BUDGET" \
    --set classes.passenger.arrivals.batches.spread.uniform.min=2min \
    --fit lanes.booths.service.passenger.lognormal.mean=40s..120s \
    --fit lanes.booths.speed-up.max=1..3 \
    --fit lanes.booths.speed-up.to=1..30 \
    --fit lanes.booths.dynamic-opening.open-above=2..40 \
    --fit observed.walk-allowance=0min..30min \
    --fit classes.passenger.arrivals.batches.spread.uniform.max=5min..45min \
    "$@" -o "$OUT/airport-fit-$FIT.yaml" --force
$B replay "$OUT/airport-fit-$FIT.yaml" --observed "$D/ORD-$TEST.csv" --fit-data "$D/ORD-$FIT.csv" \
    --replications 5 --out "$OUT/replay-fit-$FIT-test-$TEST.csv" --force --json > "$OUT/replay-fit-$FIT-test-$TEST.json"
$B replay "$OUT/airport-fit-$FIT.yaml" --observed "$D/ORD-$TEST.csv" --fit-data "$D/ORD-$FIT.csv" --replications 5
