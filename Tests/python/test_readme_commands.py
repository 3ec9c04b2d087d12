"""Every shell command block of README.md, scenarios/README.md and results/README.md runs, in
order, in a temporary copy of the repository, with `bordersim` on the PATH: the READMEs cannot
go stale. A block that cannot run here (it needs a Slurm cluster, root, or is `make test` itself)
says so on the line before it: `<!-- not run by the README test: REASON -->`.

Replication counts are capped through BORDERSIM_MAX_REPLICATIONS=1 (compare keeps its minimum
of 2), which changes the numbers the commands print, not whether they work.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BORDERSIM, CRASH_MARKERS, REPO, wait_for_binary

DOCS = ("README.md", "scenarios/README.md", "results/README.md")
FENCE = re.compile(r"^```(sh|bash|shell|console)\s*$")
SKIP = re.compile(r"^<!--\s*not run by the README test:\s*(\S.*?)\s*-->$")


def shell_blocks(text: str) -> list[tuple[int, str, str | None]]:
    """(line, script, reason to skip or None) for each shell block."""
    lines = text.splitlines()
    out, i = [], 0
    while i < len(lines):
        if FENCE.match(lines[i]):
            start = i
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            before = next((lines[k].strip() for k in range(start - 1, -1, -1) if lines[k].strip()), "")
            m = SKIP.match(before)
            out.append((start + 1, "\n".join(lines[start + 1:j]), m.group(1) if m else None))
            i = j
        i += 1
    return out


def repository_copy(dest: Path) -> Path:
    """The files of the repository (tracked, or new and not ignored), as a fresh clone has them."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO,
                           check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = REPO / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    (dest / "results").mkdir(exist_ok=True)
    return dest


@pytest.mark.parametrize("doc", DOCS)
def test_every_shell_block_runs(doc, tmp_path):
    wait_for_binary()
    blocks = shell_blocks((REPO / doc).read_text(encoding="utf-8"))
    assert blocks, f"{doc} has no shell block"
    copy = repository_copy(tmp_path / "repo")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "bordersim").symlink_to(BORDERSIM)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", BORDERSIM_MAX_REPLICATIONS="1")
    ran = 0
    for line, script, reason in blocks:
        if reason:
            continue
        p = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=copy, env=env,
                           capture_output=True, text=True, timeout=600)
        where = f"{doc}:{line}: the block\n{script}\n"
        assert p.returncode == 0, f"{where}exited {p.returncode}\nstdout: {p.stdout[-1500:]}\nstderr: {p.stderr[-2500:]}"
        for marker in CRASH_MARKERS:
            assert marker not in p.stderr, f"{where}crashed: {p.stderr[-2500:]}"
        ran += 1
    assert ran > 0, f"{doc}: every shell block is skipped"


def test_skipped_blocks_say_why_and_docs_cite_no_outside_paths():
    for doc in DOCS:
        text = (REPO / doc).read_text(encoding="utf-8")
        for line, script, reason in shell_blocks(text):
            if reason is not None:
                assert len(reason) > 10, f"{doc}:{line}: a skipped block needs a reason"
        # A clone has no ../shared: data and notes are cited by name and source.
        assert "../shared" not in text, f"{doc} refers to ../shared"
    # Blocks that run must be the majority (today: all but `make test` itself and the three that need a cluster).
    counts = [(r is None) for doc in DOCS for _, _, r in shell_blocks((REPO / doc).read_text(encoding="utf-8"))]
    assert sum(counts) > len(counts) / 2, f"{sum(counts)} blocks run of {len(counts)}"


def test_block_parser():
    text = "intro\n\n<!-- not run by the README test: needs a cluster -->\n```sh\nsqueue\n```\n```sh\necho a \\\n  b\n```\n```python\nx\n```\n"
    assert shell_blocks(text) == [(4, "squeue", "needs a cluster"), (7, "echo a \\\n  b", None)]
