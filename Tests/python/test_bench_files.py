"""The benchmark's scenario files stay valid (make bench runs them; make test does not run the
benchmark), and the SimPy land port reads the same numbers as bordersim: its parser is checked
against `bordersim validate`'s view of the file without SimPy (only the bench installs SimPy)."""
from __future__ import annotations

import subprocess

import pytest
import yaml

from conftest import BORDERSIM, REPO


@pytest.mark.parametrize("path", ["bench/land-port.yaml", "bench/mm1.yaml"])
def test_bench_scenarios_validate(path):
    run = subprocess.run([str(BORDERSIM), "validate", path], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_simpy_model_reads_the_bench_port():
    """The parts of bench/land-port.yaml the SimPy model reads, with the model's own parsers."""
    import importlib.util
    import sys
    import types

    sys.modules.setdefault("simpy", types.ModuleType("simpy"))      # parsing needs no SimPy
    spec = importlib.util.spec_from_file_location("simpy_land_port", REPO / "bench" / "simpy_land_port.py")
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    scenario = yaml.safe_load((REPO / "bench" / "land-port.yaml").read_text())
    assert model.seconds(scenario["horizon"]) == 24 * 3600
    for lane in scenario["lanes"].values():
        assert len(lane["booths"]) == 24 and len(lane["serves"]) == 1
        (spec_,) = lane["service"].values()
        mu, sigma = model.lognormal(spec_)
        mean = model.seconds(spec_["lognormal"]["mean"])
        assert abs(pow(2.718281828459045, mu + sigma * sigma / 2) - mean) < 1e-9 * mean
    for klass in scenario["classes"].values():
        assert len(klass["arrivals"]["profile"]) == 24
    assert model.share(scenario["targeting"]["rule"]["random"]) == 0.005
