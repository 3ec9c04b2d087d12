"""Executes the analysis notebooks top to bottom and exports them.

    python notebooks-export/run.py                     # every notebook, full size: writes NAME.ipynb (with
                                                       # outputs), NAME.html and thumbnails/NAME.png in place
    python notebooks-export/run.py --quick --out DIR   # reduced sizes (BORDERSIM_NOTEBOOK_QUICK=1), into DIR
    python notebooks-export/run.py 1-land-port         # only the notebooks whose names start so
    python notebooks-export/run.py --figures DIR       # also every figure as DIR/NAME-K.png, to look at
    python notebooks-export/run.py --export-only       # no run: HTML and thumbnails from the executed notebooks

A cell that raises stops the run with the cell and its error, and the exit status is 1 (nbclient).
The kernel starts in notebooks-export/, as in Jupyter; the notebooks find the repository above it.
The bordersim binary is $BORDERSIM (default .build/debug/bordersim); results go to
$BORDERSIM_NOTEBOOK_OUT (default results/notebooks/).
"""
from __future__ import annotations

import argparse
import base64
import io
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

HERE = Path(__file__).resolve().parent
THUMBNAIL_WIDTH = 640  # pixels


def notebooks(prefixes: list[str]) -> list[Path]:
    found = sorted(HERE.glob("[0-9]*.ipynb"))
    if prefixes:
        found = [p for p in found if any(p.stem.startswith(x) for x in prefixes)]
    return found


def execute(path: Path, env: dict[str, str], timeout: int) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    saved = os.environ.copy()
    os.environ.update(env)  # the kernel inherits this process's environment
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(HERE)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb


def images(nb) -> list[tuple[list[str], bytes]]:
    """(cell tags, PNG bytes) of every image output, in order."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if "image/png" in data:
                out.append((cell.get("metadata", {}).get("tags", []), base64.b64decode(data["image/png"])))
    return out


def thumbnail(png: bytes, target: Path):
    """The figure scaled to THUMBNAIL_WIDTH pixels wide (matplotlib's Pillow)."""
    from PIL import Image
    image = Image.open(io.BytesIO(png)).convert("RGB")
    height = round(image.height * THUMBNAIL_WIDTH / image.width)
    image.resize((THUMBNAIL_WIDTH, height), Image.LANCZOS).save(target, optimize=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="notebook name prefixes (default: all)")
    ap.add_argument("--quick", action="store_true", help="reduced sizes (what make test runs)")
    ap.add_argument("--out", type=Path, help="write executed notebooks and HTML here instead of in place")
    ap.add_argument("--figures", type=Path, help="also write every figure as PNG into this folder")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    ap.add_argument("--export-only", action="store_true",
                    help="do not execute: rewrite the HTML and thumbnails of the notebooks as they are")
    args = ap.parse_args()

    env = {"BORDERSIM_NOTEBOOK_QUICK": "1" if args.quick else "0"}
    out = (args.out or HERE).resolve()
    out.mkdir(parents=True, exist_ok=True)
    paths = notebooks(args.names)
    if not paths:
        print(f"no notebooks match {args.names}", file=sys.stderr)
        return 2
    exporter = HTMLExporter(template_name="lab")
    for path in paths:
        start = time.monotonic()
        if args.export_only:
            nb = nbformat.read(path, as_version=4)
            seconds = nb.metadata.get("bordersim", {}).get("run_seconds", float("nan"))
        else:
            try:
                nb = execute(path, env, args.timeout)
            except CellExecutionError as e:
                print(f"{path.name}: a cell failed\n{e}", file=sys.stderr)
                return 1
            seconds = time.monotonic() - start
            nb.metadata["bordersim"] = {"quick": args.quick, "run_seconds": round(seconds, 1)}
        nbformat.write(nb, out / path.name)
        html, _ = exporter.from_notebook_node(nb)
        (out / f"{path.stem}.html").write_text(html, encoding="utf-8")
        figures = images(nb)
        if args.figures:
            args.figures.mkdir(parents=True, exist_ok=True)
            for k, (_, png) in enumerate(figures, 1):
                (args.figures / f"{path.stem}-{k}.png").write_bytes(png)
        main_figure = next((png for tags, png in figures if "thumbnail" in tags), None)
        if main_figure is not None and not nb.metadata.get("bordersim", {}).get("quick", args.quick):
            (out / "thumbnails").mkdir(exist_ok=True)
            thumbnail(main_figure, out / "thumbnails" / f"{path.stem}.png")
        print(f"{path.name}: executed in {seconds:.1f} s, {len(figures)} figures"
              f"{'' if main_figure is not None else ' (no cell tagged thumbnail)'} → {out / path.name}, "
              f"{out / (path.stem + '.html')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
