"""The benchmark land port (bench/land-port.yaml) written in SimPy, as a competent SimPy user
would: one process per party, a PriorityResource per lane whose closed booths are held by
"closed" requests ahead of the parties (a staffing process per lane follows the hourly plan),
a Resource per secondary station, Python's random module for the draws.

Reads the scenario file itself, so it runs the same port as `bordersim run bench/land-port.yaml`.
Prints one JSON object: per replication, each lane's mean wait (minutes; over parties whose
service started), referrals and detections. `make bench` times it against bordersim as a whole
process on one core and checks that the two agree (bordersim-bench, group `simpy`).

    python bench/simpy_land_port.py bench/land-port.yaml --replications 10 --seed 1
"""
import argparse
import json
import math
import random
import re
from statistics import NormalDist

import simpy
import yaml

UNITS = {"s": 1, "min": 60, "h": 3600}


def seconds(text):
    """'60s', '4 min', '24h' -> seconds."""
    number, unit = re.fullmatch(r"\s*([0-9.]+)\s*(s|min|h)\s*", str(text)).groups()
    return float(number) * UNITS[unit]


def share(text):
    """'0.5%' -> 0.005."""
    return float(str(text).rstrip("%")) / 100


def lognormal(spec):
    """{lognormal: {mean, sd}} -> (mu, sigma) of the underlying normal."""
    mean, sd = seconds(spec["lognormal"]["mean"]), seconds(spec["lognormal"]["sd"])
    sigma2 = math.log(1 + (sd / mean) ** 2)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


class Lane:
    def __init__(self, env, spec, service):
        self.env = env
        self.plan = spec["booths"]
        self.booths = simpy.PriorityResource(env, capacity=max(self.plan))
        self.mu, self.sigma = service
        self.closed = []
        self.waits = []
        env.process(self.staffing())

    def staffing(self):
        """Each hour, hold (or give back) booths so that the plan's number stays open. A closing
        booth finishes its party first: the "closed" request waits for it, ahead of parties."""
        env = self.env
        while True:
            target = self.booths.capacity - self.plan[int(env.now // 3600) % 24]
            while len(self.closed) < target:
                self.closed.append(self.booths.request(priority=-1))
            while len(self.closed) > target:
                request = self.closed.pop()
                if request.triggered:
                    self.booths.release(request)
                else:
                    request.cancel()
            yield env.timeout(3600 - env.now % 3600)


class Port:
    def __init__(self, env, scenario):
        self.env = env
        self.types = scenario["violation-types"]
        self.lanes = {}
        for name, spec in scenario["lanes"].items():
            (klass, service), = spec["service"].items()
            self.lanes[klass] = Lane(env, spec, lognormal(service))
        rules = scenario["targeting"]
        self.threshold = float(rules["rule"]["threshold"])
        self.random_rate = share(rules["rule"]["random"])
        self.trusted_rate = share(rules["trusted"]["random"])
        self.stations = {}
        for name, spec in scenario["stations"].items():
            self.stations[name] = dict(
                servers=simpy.Resource(env, capacity=int(spec["servers"])),
                service=lognormal(spec["service"]),
                sensitivity={v: share(p) for v, p in spec["sensitivity"].items()},
                false_alarm=share(spec["false-alarm-rate"]),
                on_alarm=spec["on-alarm"], on_clear=spec["on-clear"])
        self.first_station = scenario["referral-station"]
        self.referrals = 0
        self.detections = 0

    def party(self, klass, trusted, violation, score):
        env = self.env
        lane = self.lanes[klass]
        arrived = env.now
        with lane.booths.request(priority=0) as booth:
            yield booth
            lane.waits.append(env.now - arrived)
            yield env.timeout(random.lognormvariate(lane.mu, lane.sigma))
        if trusted:
            referred = random.random() < self.trusted_rate
        else:
            referred = score > self.threshold or random.random() < self.random_rate
        if not referred:
            return
        self.referrals += 1
        station = self.first_station
        while station != "release":
            s = self.stations[station]
            with s["servers"].request() as server:
                yield server
                yield env.timeout(random.lognormvariate(*s["service"]))
            chance = s["sensitivity"].get(violation, 0) if violation else s["false_alarm"]
            alarm = random.random() < chance
            station = s["on_alarm"] if alarm else s["on_clear"]
            if alarm and station == "release" and violation:
                self.detections += 1

    def arrivals(self, klass, spec):
        """A Poisson process with hourly rates, by thinning at the peak rate."""
        env = self.env
        rates = [r / 3600 for r in spec["arrivals"]["profile"]]
        peak = max(rates)
        trusted_share = share(spec.get("trusted-share", "0%"))
        prevalence = [(v, share(p)) for v, p in spec.get("violations", {}).items()]
        d_prime = math.sqrt(2) * NormalDist().inv_cdf(float(spec["risk"]["auc"]))
        while True:
            yield env.timeout(random.expovariate(peak))
            if random.random() >= rates[int(env.now // 3600) % 24] / peak:
                continue
            trusted = random.random() < trusted_share
            u, violation = random.random(), None
            for v, p in prevalence:
                if u < p:
                    violation = v
                    break
                u -= p
            score = random.gauss(0, 1) + (d_prime if violation else 0)
            env.process(self.party(klass, trusted, violation, score))


def replicate(scenario, seed):
    random.seed(seed)
    env = simpy.Environment()
    port = Port(env, scenario)
    for klass, spec in scenario["classes"].items():
        env.process(port.arrivals(klass, spec))
    env.run(until=seconds(scenario["horizon"]))
    waits = {name: sum(port.lanes[spec["serves"][0]].waits) / 60 / max(1, len(port.lanes[spec["serves"][0]].waits))
             for name, spec in scenario["lanes"].items()}
    return dict(lane_mean_wait_min=waits, referred=port.referrals, detected=port.detections)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.scenario) as f:
        scenario = yaml.safe_load(f)
    reps = [replicate(scenario, args.seed * 1000 + r) for r in range(args.replications)]
    print(json.dumps(dict(simpy=simpy.__version__, replications=reps)))


if __name__ == "__main__":
    main()
