#!/bin/sh
# Ablation of CALIBRATION.md §7: the calibrated scenario replayed on the test year with each
# model feature switched off in turn (nothing refitted), scores as JSON in OUT_DIR.
# Usage (repository root, release build):  sh scenarios/calibration/ord_ablation.sh CALIBRATED.yaml FIT_YEAR TEST_YEAR OUT_DIR
set -eu
CAL=$1; FIT=$2; TEST=$3; OUT=$4
D=${D:-../shared/data}/cbp_awt_ord_hourly
B=${BORDERSIM:-.build/release/bordersim}
R=${REPLICATIONS:-3}
mkdir -p "$OUT"
run() {  # NAME FILE [--set ...]
    name=$1; file=$2; shift 2
    $B replay "$file" --observed "$D/ORD-$TEST.csv" --fit-data "$D/ORD-$FIT.csv" --replications "$R" "$@" --json \
        > "$OUT/ablation-$FIT-$TEST-$name.json"
}
run full "$CAL"
run no-speed-up "$CAL" --set lanes.booths.speed-up.max=1
run no-dynamic-opening "$CAL" --set lanes.booths.dynamic-opening.open-above=10000
run neither "$CAL" --set lanes.booths.speed-up.max=1 --set lanes.booths.dynamic-opening.open-above=10000
# Passengers as a Poisson stream within each hour instead of that hour's flights.
sed '/^ *batches: all_flights/d' "$CAL" > "$OUT/no-flights.yaml"
run no-flights "$OUT/no-flights.yaml"
# The lane's queue wait by the hour service started, instead of CBP's block-in measure.
sed -e 's/^\( *\)wait-from: block-in.*/\1wait-from: queue/' -e '/^ *walk-allowance:/d' "$CAL" > "$OUT/queue-measure.yaml"
run queue-measure "$OUT/queue-measure.yaml"
