"""Memory of each page's kernel at rest, this code against the code before module 2 and 9 were made lean.

Serves the course as `course start` does (bench/idle.py's way), but with one
preheated kernel for every page: Voila starts each kernel and runs its page's
cells, as when a learner opens the page on a first visit (a fresh, empty
learner folder), and the kernel then waits. Each kernel is told its page's
name through Voila's per-notebook ``kernel_env_variables``. Once every
kernel is at rest (its memory and CPU time have stopped growing) the bench
reads its PSS (Pss in /proc/<pid>/smaps_rollup) and which of pandas,
matplotlib and numpy it has loaded (their compiled modules in
/proc/<pid>/maps), then opens each page once to check that its cells ran
without an error (a failed cell can make a kernel look small). It prints
both, page by page, then the max and the median.

Baseline, measured in the same run with the same server, settings and
notebooks: the kernels import the ``widgets`` and ``course`` packages of an
earlier commit instead (``git archive`` of that commit into a temporary
folder, compiled to bytecode as today's code is, and put first on the
kernels' PYTHONPATH, so they also read that commit's quizzes and texts; the
server itself runs today's code). The default is a87d926, the last commit
before module 2's figures came from the build's cache and ProgressReview
read the store before importing pandas, so the ratios are what that work
saves, page by page. ``--baseline REV`` compares with another commit (its
code must still run today's notebooks).
Both runs have the same number of kernels, so the shared libraries' pages
are divided among as many processes in each.

Usage: .venv/bin/python bench/kernels.py [--baseline REV]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.idle import pss_mb  # noqa: E402
from course import ROOT  # noqa: E402
from course.browser import free_port, module_url, serving  # noqa: E402
from course.notebooks import build_notebooks  # noqa: E402
from course.serve import profile, voila_command  # noqa: E402

BASELINE = "a87d926"
PAGE_VAR = "STEADY_GROUND_BENCH_PAGE"
LIBRARIES = ("pandas", "matplotlib", "numpy")


def old_code(rev: str, folder: Path) -> Path:
    """The project as it was at ``rev`` (the packages, and the quizzes and texts they read), in ``folder``."""
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev],
                         capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(folder, filter="data")
    # Compiled now, as today's code already is: a kernel that compiles source keeps more memory.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder / "course"), str(folder / "widgets")],
                   check=True)
    return folder


def pools_config(pages: list[str], env: dict[str, str], folder: Path) -> Path:
    """A voila.json that preheats one kernel for every page and tells each kernel its page (and ``env``)."""
    pools = {"default": {"pool_size": 0},
             **{f"{page}.ipynb": {"pool_size": 1, "kernel_env_variables": {PAGE_VAR: page, **env}}
                for page in pages}}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "voila.json").write_text(json.dumps({"VoilaKernelManager": {"kernel_pools_config": pools}}))
    return folder


def kernels(home: Path) -> dict[str, int]:
    """Page -> pid of the server's kernels, found by the learner folder and the page name in their environment."""
    mark = f"STEADY_GROUND_HOME={home}".encode()
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
            if mark not in environ or b"ipykernel" not in (proc / "cmdline").read_bytes():
                continue
        except (OSError, ValueError):
            continue
        for item in environ:
            if item.startswith(f"{PAGE_VAR}=".encode()):
                found[item.split(b"=", 1)[1].decode()] = int(proc.name)
    return found


def cpu_ticks(pid: int) -> int:
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return -1


def loaded(pid: int) -> list[str]:
    """Which of LIBRARIES the process has imported: their compiled modules are mapped into it."""
    try:
        maps = (Path("/proc") / str(pid) / "maps").read_text()
    except OSError:
        return []
    return [name for name in LIBRARIES if f"/site-packages/{name}/" in maps]


def at_rest(home: Path, pages: list[str], timeout: float = 900) -> dict[str, int]:
    """Wait until every page has its kernel and, twice in a row over 5 s, no kernel's memory grew by
    half a megabyte or its CPU time by 50 ms (its page's cells have run)."""
    deadline, last, quiet = time.monotonic() + timeout, None, 0
    while time.monotonic() < deadline:
        found = kernels(home)
        now = {page: (pss_mb(pid), cpu_ticks(pid)) for page, pid in found.items()}
        if len(found) == len(pages) and last is not None and last.keys() == now.keys() and all(
                abs(now[p][0] - last[p][0]) < 0.5 and now[p][1] - last[p][1] < 5 for p in now):
            quiet += 1
            if quiet == 2:
                return found
        else:
            quiet = 0
        last = now
        time.sleep(5)
    raise RuntimeError(f"the kernels did not come to rest in {timeout:.0f} s ({len(kernels(home))} of {len(pages)})")


def measure(pages: list[str], python_path: Path | None = None) -> dict[str, tuple[float, list[str]]]:
    """Page -> (PSS in MB, libraries loaded) of its kernel at rest; ``python_path``: code the kernels import first."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        home.mkdir()
        port = free_port()
        argv, env = voila_command(profile("start", pool_size=1, open_browser=False), port)
        env.pop("PYTHONPATH", None)
        extra = {"PYTHONPATH": str(python_path)} if python_path else {}
        config = pools_config(pages, extra, Path(folder) / "config")
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [str(config), env.get("JUPYTER_CONFIG_PATH")]))
        env["STEADY_GROUND_HOME"] = str(home)
        with serving(argv, env, port, Path(folder) / "voila.log") as url:
            found = at_rest(home, pages)
            memory = {page: (pss_mb(pid), loaded(pid)) for page, pid in found.items()}
            for page in pages:  # measured: now each page is shown once, and must have run without an error
                with urllib.request.urlopen(module_url(url, page), timeout=300) as response:
                    if "There was an error when executing cell" in response.read().decode():
                        raise RuntimeError(f"{page} failed to run{' with ' + str(python_path) if python_path else ''}")
    return memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default=BASELINE, help=f"commit whose kernel code is the baseline ({BASELINE})")
    args = parser.parse_args()
    pages = sorted(path.stem for path in build_notebooks())
    with tempfile.TemporaryDirectory() as folder:
        before = measure(pages, old_code(args.baseline, Path(folder)))
    now = measure(pages)
    print(f"PSS of each page's kernel at rest, first visit ({len(pages)} kernels in each run); "
          f"baseline: kernel code of {args.baseline}")
    print(f"{'page':36s} {'baseline':>9s} {'now':>9s} {'ratio':>6s}  loaded now (baseline)")
    for page in pages:
        (old, old_libs), (new, new_libs) = before[page], now[page]
        print(f"{page:36s} {old:6.1f} MB {new:6.1f} MB {new / old:6.2f}  "
              f"{', '.join(new_libs) or '-'} ({', '.join(old_libs) or '-'})")
    for name, pick in (("max", max), ("median", statistics.median)):
        old, new = pick(v[0] for v in before.values()), pick(v[0] for v in now.values())
        print(f"{name:36s} {old:6.1f} MB {new:6.1f} MB {new / old:6.2f}")
    print("ratio = now / baseline (lower is better)")


if __name__ == "__main__":
    main()
