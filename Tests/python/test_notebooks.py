"""The analysis notebooks (notebooks-export/*.ipynb) run top to bottom on reduced sizes
(BORDERSIM_NOTEBOOK_QUICK=1: fewer replications and points), so a change that breaks a notebook
breaks make test; and the committed exports are whole: every notebook has its executed outputs,
no error output, a self-contained HTML beside it (images embedded) and a README thumbnail.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from conftest import BORDERSIM, REPO, wait_for_binary

NOTEBOOKS = sorted((REPO / "notebooks-export").glob("[0-9]*.ipynb"))


def test_there_are_notebooks():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["1-", "2-", "3-", "4-", "5-"], NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_reduced(notebook, tmp_path):
    wait_for_binary()
    env = {**os.environ, "BORDERSIM": str(BORDERSIM), "BORDERSIM_NOTEBOOK_OUT": str(tmp_path / "results")}
    start = time.monotonic()
    p = subprocess.run([sys.executable, str(REPO / "notebooks-export/run.py"), "--quick", "--out", str(tmp_path),
                        notebook.stem], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, f"{notebook.name} failed\n{p.stdout[-2000:]}\n{p.stderr[-6000:]}"
    executed = json.loads((tmp_path / notebook.name).read_text())
    code = [c for c in executed["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code), "a code cell was not executed"
    html = (tmp_path / f"{notebook.stem}.html").read_text()
    assert html.count("data:image/png;base64,") >= 2, "figures are embedded in the HTML"
    print(f"{notebook.name}: {time.monotonic() - start:.1f} s reduced")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_export_is_complete(notebook):
    nb = json.loads(notebook.read_text())
    assert nb["metadata"].get("bordersim", {}).get("quick") is False, f"{notebook.name}: not a full-size run (make notebooks)"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), f"{notebook.name}: not executed top to bottom ({counts})"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{notebook.name}: error outputs committed"
    images = sum("image/png" in o.get("data", {}) for c in code for o in c.get("outputs", []))
    assert images >= 2, f"{notebook.name}: {images} figures"
    # Every figure cell is preceded by a markdown cell that says what to look at.
    cells = nb["cells"]
    for i, c in enumerate(cells):
        if c["cell_type"] == "code" and any("image/png" in o.get("data", {}) for o in c.get("outputs", [])):
            before = "".join(next(x for x in reversed(cells[:i]) if x["cell_type"] == "markdown")["source"])
            assert "What to look at" in before, f"{notebook.name}, cell {i}: no 'What to look at' above the figure"
    assert '"BORDERSIM_NOTEBOOK_QUICK", "0") == "1"' in "".join(code[0]["source"]), "the parameter switch"
    quick = [c for c in code if "QUICK" in "".join(c["source"]) and "parameters" in c.get("metadata", {}).get("tags", [])]
    assert quick, f"{notebook.name}: no parameter cell"
    html = notebook.with_suffix(".html")
    assert html.is_file(), f"{html.name} missing"
    text = html.read_text()
    assert text.count("data:image/png;base64,") >= images, f"{html.name}: figures not embedded"
    assert "BORDERSIM_NOTEBOOK_QUICK" in text
    thumbnail = REPO / "notebooks-export/thumbnails" / f"{notebook.stem}.png"
    assert thumbnail.is_file() and thumbnail.stat().st_size < 150_000, f"{thumbnail} missing or not small"
