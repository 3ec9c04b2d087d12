"""The training page in a real browser: headless Chromium (Debian's chromium + chromium-driver,
installed by `make browser-deps`) driven by Selenium, against `bordersim serve` on loopback.

Loads the page, checks that the charts are drawn and the animated clock advances, moves the
threshold control and checks that the KPI cards show the numbers the API returns for the same
settings, and saves screenshots: into a temporary folder, or where TRAINING_SCREENSHOTS says (the
committed docs/training/*.png, shown in the README, come from the release build:
`BORDERSIM=.build/release/bordersim TRAINING_SCREENSHOTS=docs/training pytest Tests/python/test_training_page.py`).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import BORDERSIM, REPO

selenium = pytest.importorskip("selenium", reason="selenium is installed in .venv by `make venv`")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server at {url} did not answer within {timeout} s")


def post(base: str, endpoint: str, body: dict) -> dict:
    req = urllib.request.Request(f"{base}/api/{endpoint}", data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = subprocess.Popen([str(BORDERSIM), "serve", "scenarios/training/scanner-outage.yaml", "--port", str(port)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/api/scenario")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        pytest.fail("chromium and chromedriver are missing: run `make browser-deps` (make test does)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1700",
                "--force-device-scale-factor=1"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def js(driver, script: str):
    return driver.execute_script("return " + script)


def kpi(driver, name: str) -> float | None:
    value = driver.find_element(By.ID, f"kpi-{name}").get_attribute("data-value")
    return float(value) if value else None


def test_page_runs_animates_and_follows_the_threshold(server, browser, tmp_path):
    SHOTS = Path(os.environ["TRAINING_SCREENSHOTS"]) if os.environ.get("TRAINING_SCREENSHOTS") else tmp_path
    if not SHOTS.is_absolute():
        SHOTS = REPO / SHOTS
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(server + "/")
    wait = WebDriverWait(browser, 90, poll_frequency=0.2)
    wait.until(lambda d: js(d, "window.bordersim.runs") >= 1 and js(d, "window.bordersim.traces") >= 1)
    wait.until(lambda d: js(d, "window.bordersim.frontiers") >= 1)

    # The charts are drawn by Chart.js (served from Debian's libjs-chart.js), each with data.
    assert js(browser, "typeof window.Chart") == "function", "Chart.js did not load"
    for chart in ("chart-frontier", "chart-roc", "chart-hourly"):
        datasets = js(browser, f"Chart.getChart('{chart}').data.datasets.filter(d => d.data.length > 0).length")
        assert datasets >= 1, chart
    assert js(browser, "Chart.getChart('chart-frontier').data.datasets[0].data.length") >= 10
    # This scenario has no auc-with-advance-info: its advance-information control is not shown.
    assert not browser.find_element(By.ID, "advance-control").is_displayed()

    # The KPI cards show the API's numbers for the page's settings (the scenario's own at first).
    first = post(server, "run", {})["summary"]["security"]
    assert kpi(browser, "detected") == pytest.approx(first["detected"]["mean"], rel=1e-12)
    assert kpi(browser, "false") == pytest.approx(first["false_referrals"]["mean"], rel=1e-12)

    # The animation advances the clock (at 15 sim-minutes a second: minutes pass within a second).
    t0 = js(browser, "window.bordersim.t")
    time.sleep(1.5)
    t1 = js(browser, "window.bordersim.t")
    assert t1 > t0 + 60, (t0, t1)
    clock = browser.find_element(By.ID, "clock").text
    assert clock.count(":") == 1 and clock != "00:00", clock
    browser.save_screenshot(str(SHOTS / "page.png"))

    # Move the threshold to 0.5 as a trainer would (the range input fires `input`).
    runs = js(browser, "window.bordersim.runs")
    browser.execute_script(
        "const e = document.getElementById('threshold'); e.value = 0.5; e.dispatchEvent(new Event('input'));")
    wait.until(lambda d: js(d, "window.bordersim.runs") > runs
               and js(d, "window.bordersim.lastRun.settings.some(s => s.includes('threshold: 0.5'))"))
    settings = js(browser, "window.bordersim.settings")
    assert settings["threshold"] == 0.5
    expected = post(server, "run", settings)["summary"]
    security = expected["security"]
    assert kpi(browser, "detected") == pytest.approx(security["detected"]["mean"], rel=1e-12)
    assert kpi(browser, "false") == pytest.approx(security["false_referrals"]["mean"], rel=1e-12)
    assert kpi(browser, "hit") == pytest.approx(security["hit_rate"]["mean"], rel=1e-12)
    assert kpi(browser, "secondary-wait") == pytest.approx(expected["stations"][0]["mean_wait_min"]["mean"], rel=1e-12)
    # A lower threshold refers more innocent travellers: the number on the page changed with it.
    assert security["false_referrals"]["mean"] > first["false_referrals"]["mean"]
    shown = browser.find_element(By.CSS_SELECTOR, "#kpi-false .value").text
    assert shown == f"{security['false_referrals']['mean']:.1f}", shown

    # The lesson's prompts are on the page; a later step's settings apply with one click.
    steps = browser.find_elements(By.CSS_SELECTOR, "#lesson-steps li")
    assert len(steps) >= 3 and any("predict" in s.text.lower() for s in steps)
    browser.execute_script("window.scrollTo(0, 0)")
    wait.until(lambda d: js(d, "window.bordersim.traces") >= 2)
    time.sleep(1.0)
    browser.save_screenshot(str(SHOTS / "page-threshold-0.5.png"))

    # The outage step: the station is shown out of service while the clock is inside the outage.
    outage_step = next(i for i, s in enumerate(js(browser, "window.bordersim.scenario.lesson.steps"))
                       if s.get("settings", {}) and "outage" in s["settings"])
    runs, frontiers = js(browser, "window.bordersim.runs"), js(browser, "window.bordersim.frontiers")
    browser.execute_script(f"document.querySelectorAll('#lesson-steps li')[{outage_step}].click();"
                           "document.getElementById('lesson-apply').click();")
    wait.until(lambda d: js(d, "window.bordersim.runs") > runs
               and js(d, "window.bordersim.lastRun.settings.some(s => s.includes('value: 0'))"))
    wait.until(lambda d: js(d, "window.bordersim.trace.settings.some(s => s.includes('value: 0'))"))
    wait.until(lambda d: js(d, "window.bordersim.frontiers") > frontiers)      # the frontier under the outage
    outage = js(browser, "window.bordersim.settings.outage")
    browser.execute_script(f"window.bordersim.playing = false; window.bordersim.t = {(outage['from_h'] + 0.5) * 3600};")
    time.sleep(0.5)
    frames = js(browser, "window.bordersim.frames")
    wait.until(lambda d: js(d, "window.bordersim.frames") > frames + 2)
    down = js(browser, "window.bordersim.trace.stations[0].servers.values.includes(0)")
    assert down, "the outage is not in the replayed day's server schedule"
    browser.save_screenshot(str(SHOTS / "page-outage.png"))
    logs = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not logs, logs
