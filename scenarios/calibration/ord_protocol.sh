#!/bin/sh
# The O'Hare T5 protocol of CALIBRATION.md §7: calibrate on one year, replay the other.
# Usage (repository root, release build):  sh scenarios/calibration/ord_protocol.sh FIT_YEAR TEST_YEAR [OUT_DIR] [-- extra --set/--fit ...]
# The visitor share by hour of day is the fit year's (ord_mix.py share FIT_YEAR), never the test year's.
# Defaults: 1 replication per evaluation, budget 30 (BUDGET=…); the final replay uses 5 replications.
set -eu
FIT=$1; TEST=$2; OUT=${3:-results/calibration}; shift 2; [ $# -gt 0 ] && shift
D=${D:-../shared/data}/cbp_awt_ord_hourly
B=${BORDERSIM:-.build/release/bordersim}
BUDGET=${BUDGET:-30}
mkdir -p "$OUT"
SHARE=$(D=$(dirname "$D") ${PYTHON:-.venv/bin/python} scenarios/calibration/ord_mix.py share "$FIT")
$B calibrate scenarios/airport-arrivals.yaml --observed "$D/ORD-$FIT.csv" --replications 1 --budget "$BUDGET" \
    --set "observed.mix.share=$SHARE" \
    --fit observed.walk-allowance=0min..14min \
    --fit lanes.booths.service.citizen.lognormal.mean=30s..110s \
    --fit lanes.visitor-booths.service.visitor.lognormal.mean=60s..180s \
    --fit observed.mix.booth-weight=0.5..1.5 \
    --fit lanes.booths.dynamic-opening.open-above=8..40 \
    --fit lanes.visitor-booths.dynamic-opening.open-above=8..40 \
    "$@" -o "$OUT/airport-fit-$FIT.yaml" --force
$B replay "$OUT/airport-fit-$FIT.yaml" --observed "$D/ORD-$TEST.csv" --fit-data "$D/ORD-$FIT.csv" \
    --replications 5 --out "$OUT/replay-fit-$FIT-test-$TEST.csv" --force --json > "$OUT/replay-fit-$FIT-test-$TEST.json"
$B replay "$OUT/airport-fit-$FIT.yaml" --observed "$D/ORD-$TEST.csv" --fit-data "$D/ORD-$FIT.csv" --replications 5
