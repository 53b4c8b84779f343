#!/usr/bin/env python3
"""Benchmark: a whole class on one machine's hub (root; loopback only; bounded).

N students (default 30, at most 60) of a throwaway class (medialit.hub.trial: own accounts,
free ports on 127.0.0.1, removed at the end) log in and start their servers at the same moment.
Measured in one run:

1. the time until every server is ready (and the median and slowest student);
2. the memory of one student's server: proportional set size (PSS, shared pages split between
   the processes that share them) of the student's processes, idle and with a kernel that ran
   lesson 00's set-up cell;
3. the whole class submitting lesson 00 (fetch, code answers written, submit) and the instructor
   collecting and grading it in the sandbox (`medialit hub grade`, one worker per core).

    sudo .venv/bin/python benchmarks/bench_hub.py                # 30 students (about 6 minutes on 2 cores)
    sudo .venv/bin/python benchmarks/bench_hub.py --students 10 --skip-grade

Needs what tests/test_hub.py needs: root, configurable-http-proxy and the shared environment
(`make hub-env`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LESSON, NOTEBOOK = "00-orientation", "orientation.ipynb"
MAX_STUDENTS = 60


def _pss_kib(uid: int) -> tuple[int, int]:
    """(PSS, RSS) in KiB of every process of ``uid``."""
    from medialit.hub.trial import processes_of

    pss = rss = 0
    for pid in processes_of({uid}):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1])
        except OSError:
            continue
    return pss, rss


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30, help=f"class size (default 30, at most {MAX_STUDENTS})")
    parser.add_argument("--hub-env", default=os.environ.get("MEDIALIT_HUB_ENV", "/opt/medialit-hub"))
    parser.add_argument("--timeout", type=float, default=600, help="seconds for all servers to start (default 600)")
    parser.add_argument("--skip-grade", action="store_true", help="only start the servers and measure memory")
    args = parser.parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS:
        parser.error(f"--students must be between 1 and {MAX_STUDENTS} (got {args.students})")
    if os.geteuid() != 0:
        parser.error("the benchmark creates Unix accounts for its class: run it as root")

    import pwd

    import nbformat

    from medialit.hub.trial import refresh_env, trial_class

    refresh_env(args.hub_env, REPO)
    labels = [f"s{i:03d}" for i in range(1, args.students + 1)]
    password = "a long benchmark password {}"
    with trial_class(labels, args.hub_env, REPO, tag=f"mlb{os.getpid() % 10000}") as trial:
        hub, names = trial.hub, trial.names
        for label in ["instructor", *labels]:
            hub.signup(names[label], password.format(label))
        teacher = hub.login(names["instructor"], password.format("instructor"))
        for label in labels:
            teacher.authorize(names[label])
        teacher.make_token()

        # ---- 1. everyone logs in and starts a server at once ----------------------------------------
        def arrive(label):
            user = hub.login(names[label], password.format(label))
            user.make_token()
            user.start_server()
            user.wait_ready(args.timeout)
            return label, user, time.monotonic() - start

        start = time.monotonic()
        with ThreadPoolExecutor(args.students) as pool:
            arrived = list(pool.map(arrive, labels))
        ready_all = time.monotonic() - start
        users = {label: user for label, user, _ in arrived}
        each = sorted(seconds for _, _, seconds in arrived)

        # ---- 2. memory of one server: idle, then with a kernel that ran the set-up cell ---------------
        time.sleep(3)
        sample = labels[: min(3, len(labels))]
        uids = {label: pwd.getpwnam(names[label]).pw_uid for label in labels}
        idle = [_pss_kib(uids[label]) for label in sample]
        source = nbformat.read(REPO / "lessons" / LESSON / NOTEBOOK, as_version=4)
        setup = next(c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
        kernels = {}
        for label in sample:
            kernels[label] = users[label].start_kernel("")
            users[label].execute(kernels[label], setup + "\nbeijing = medialit.load('ukr-beijing')", seconds=180)
        busy = [_pss_kib(uids[label]) for label in sample]
        for label in sample:
            users[label].stop_kernel(kernels[label])

        lines = [
            f"class: {args.students} students on {os.cpu_count()} cores (loopback; JupyterHub + LocalProcessSpawner)",
            f"all servers ready            {ready_all:7.1f} s  (median student {statistics.median(each):.1f} s, "
            f"slowest {each[-1]:.1f} s; {ready_all / args.students:.2f} s per student)",
            f"one idle server              {statistics.median(p for p, _ in idle) / 1024:7.0f} MiB PSS "
            f"({statistics.median(r for _, r in idle) / 1024:.0f} MiB RSS)",
            f"one server with a kernel     {statistics.median(p for p, _ in busy) / 1024:7.0f} MiB PSS "
            f"({statistics.median(r for _, r in busy) / 1024:.0f} MiB RSS) after lesson 00's set-up cell",
        ]

        # ---- 3. the class submits; the instructor collects and grades in the sandbox ----------------
        if not args.skip_grade:
            solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
                         if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
            course = trial.course_id
            assert teacher.formgrader("POST", course, f"assignment/{LESSON}/assign").json()["success"]
            assert teacher.formgrader("POST", course, f"assignment/{LESSON}/release").json()["success"]

            def work(label):
                user = users[label]
                user.assignments("fetch", course, LESSON)
                path = f"{LESSON}/{NOTEBOOK}"
                nb = user.read(path).json()["content"]
                for cell in nb["cells"]:
                    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                    if gid in solutions:
                        cell["source"] = solutions[gid]
                user.write_notebook(path, nb)
                user.assignments("submit", course, LESSON)

            begin = time.monotonic()
            with ThreadPoolExecutor(min(args.students, 16)) as pool:
                list(pool.map(work, labels))
            submitted = time.monotonic() - begin
            begin = time.monotonic()
            assert teacher.formgrader("POST", course, f"assignment/{LESSON}/collect").json()["success"]
            collected = time.monotonic() - begin
            begin = time.monotonic()
            graded = subprocess.run([str(Path(args.hub_env) / "bin" / "python"), "-m", "medialit", "hub", "grade",
                                     str(trial.config), LESSON, "--quiet"], capture_output=True, text=True)
            grading = time.monotonic() - begin
            if graded.returncode != 0:
                print(graded.stdout[-3000:], graded.stderr[-3000:], file=sys.stderr)
                raise SystemExit("medialit hub grade failed")
            lines += [
                f"class fetches and submits    {submitted:7.1f} s  ({submitted / args.students:.2f} s per student)",
                f"instructor collects          {collected:7.1f} s",
                f"graded in the sandbox        {grading:7.1f} s  ({grading / args.students:.2f} s per submission, "
                f"{os.cpu_count()} workers)",
            ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
