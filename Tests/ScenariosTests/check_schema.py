#!/usr/bin/env python3
"""Checks the JSON Schema printed by `bordersim schema` with Python's jsonschema (draft 2020-12):
the schema itself is valid; every scenario under scenarios/ and every good test file conforms;
bad files whose problems a schema can see (unknown keys, unparsable units, ...) are rejected.

usage: check_schema.py PATH/TO/bordersim        (run from anywhere; paths are relative to the repo)
Prints one line per failure and a closing `schema: N passed, M failed`; exits 1 on any failure.
"""
import glob
import json
import os
import subprocess
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTS = os.path.join(ROOT, "Tests", "ScenariosTests")

# Bad files the schema must reject too: what a schema can express.
SCHEMA_REJECTS = [
    "unknown-top-key.yaml", "unknown-lane-key.yaml", "unknown-class-key.yaml", "unknown-station-key.yaml",
    "unknown-distribution.yaml", "unknown-distribution-parameter.yaml", "unknown-metrics-key.yaml",
    "unit-duration.yaml", "unit-rate-words.yaml", "unit-rate-as-duration.yaml", "unit-probability.yaml",
    "unit-service-time.yaml", "unit-clock-time.yaml",
    "zero-arrival-rate.yaml", "negative-service-time.yaml", "zero-horizon.yaml", "zero-mean.yaml",
    "negative-capacity.yaml", "zero-capacity.yaml", "negative-booths.yaml", "negative-profile-rate.yaml",
    "zero-erlang-k.yaml", "zero-servers-rebalance.yaml",
    "probability-above-one.yaml", "probability-percent-above-100.yaml", "probability-negative.yaml",
    "auc-at-half.yaml", "auc-above-one.yaml",
    "type-classes-list.yaml", "type-booths-text.yaml", "type-serves-scalar.yaml", "type-trusted-only.yaml",
    "type-replications-fraction.yaml", "type-kind.yaml", "type-service-list.yaml",
    "arrivals-two-forms.yaml", "missing-required-keys.yaml", "not-a-mapping.yaml", "many-errors.yaml",
    "what-if-zero-arrival-rate.yaml", "what-if-negative-booths.yaml", "what-if-text.yaml", "what-if-unknown-key.yaml",
    "what-if-not-a-mapping.yaml", "extra-booths-fraction.yaml", "extra-servers-text.yaml", "intelligence-unknown-class.yaml",
]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    exe = sys.argv[1]
    text = subprocess.run([exe, "schema"], check=True, capture_output=True, text=True).stdout
    schema = json.loads(text)
    passed, failed = 0, 0

    def ok(what):
        nonlocal passed
        passed += 1

    def fail(what, why):
        nonlocal failed
        failed += 1
        print(f"FAIL {what}: {why}")

    try:
        jsonschema.Draft202012Validator.check_schema(schema)
        ok("schema")
    except jsonschema.SchemaError as e:
        fail("schema", f"not a valid draft 2020-12 schema: {e.message}")
        print(f"schema: {passed} passed, {failed} failed")
        return 1
    validator = jsonschema.Draft202012Validator(schema)

    def load(path):
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)

    # Sweep plans (scenarios/sweeps/) name a scenario; they are not scenarios themselves.
    plans = os.path.join(ROOT, "scenarios", "sweeps") + os.sep
    good = sorted([p for p in glob.glob(os.path.join(ROOT, "scenarios", "**", "*.yaml"), recursive=True)
                   if not p.startswith(plans)]
                  + glob.glob(os.path.join(TESTS, "good", "**", "*.yaml"), recursive=True))
    for path in good:
        rel = os.path.relpath(path, ROOT)
        try:
            errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.absolute_path))
        except yaml.YAMLError as e:
            fail(rel, f"YAML: {e}")
            continue
        if errors:
            fail(rel, "; ".join(f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:160]}" for e in errors[:5]))
        else:
            ok(rel)

    for name in SCHEMA_REJECTS:
        path = os.path.join(TESTS, "bad", name)
        rel = os.path.relpath(path, ROOT)
        if not os.path.exists(path):
            fail(rel, "missing")
            continue
        if validator.is_valid(load(path)):
            fail(rel, "accepted by the schema, expected a rejection")
        else:
            ok(rel)

    # Units spelled in many ways: the schema's patterns against what the loader's Units accepts.
    probes = {
        "duration": (["45s", "8 min", "2h", "1d", "1.5 Hours", ".5 min", "20 seconds", 90, 0.5],
                     ["3 weeks", "0s", "-5s", "60/h", "2 min s", 0, -3]),
        "rate": (["120/h", "3/min", "48 /d", "10 / hour", "0.01/s", 120],
                 ["0/h", "-3/h", "2 min", "120 per hour", 0]),
        "probability": (["2.5%", "100%", "0%", 0, 1, 0.025, "0.5", "25 %"],
                        ["150%", "25 percent", 1.5, -0.1, "101%"]),
        "clock-time": (["06:30", "24:00", "07:05:30", "0:00"], ["25:00", "24:01", "06:60", "ab:cd"]),
        "multiplier": ([1.2, 1, 0.5, "1.5", "2e0", "120%", "80 %"], [0, -1, "0", "-1.2", "lots", "0%", "-5%", "120%%"]),
        "multiplier-or-zero": ([0, 1.5, "0", "2", "0%", "150%"], [-0.5, "-1", "lots", "-10%"]),
        "integer-signed": ([2, -1, 0, "-3", "+2"], [1.5, "1.5", "two"]),
    }
    for name, (accepted, rejected) in probes.items():
        sub = jsonschema.Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]})
        for value in accepted:
            (ok if sub.is_valid(value) else lambda w: fail(w, "rejected, expected accepted"))(f"{name} {value!r}")
        for value in rejected:
            (ok if not sub.is_valid(value) else lambda w: fail(w, "accepted, expected rejected"))(f"{name} {value!r}")

    print(f"schema: {passed} passed, {failed} failed ({len(good)} scenario files, {len(SCHEMA_REJECTS)} bad files)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
