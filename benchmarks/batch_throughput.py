"""`quizapp batch` throughput: files graded per second with --jobs 2 against --jobs 1, in one run,
and the grader's own overhead (a warm grade's time over the sum of its tests' reported durations).

Usage: python benchmarks/batch_throughput.py [--question ID] [--files N]
The submissions are the question's model answer, alternates and mutants, repeated to N files (20).
Worker start is included (as a user's batch pays it), and the rate once the workers are warm is
reported beside it, from the same runs: files finished after every worker had finished its first one,
over the time since then. The one-time grading of the mutants for the diagnosis is paid once before
both runs.
Exits 1 when the warm rate with --jobs 2 is under 1.7x that with --jobs 1 (throughput: what the
workers sustain; the end-to-end ratio also carries the one worker start both runs pay, which bounds it
on few files, see the printed bound), when a warm grade takes over 1.5x its tests' own durations, or
when a file gets a status other than its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from quizapp import Grader, load_bank
from quizapp.cli.batch import grade_all
from quizapp.models import CodeQuestion


def main() -> int:
    os.environ.setdefault("QUIZAPP_HOME", tempfile.mkdtemp(prefix="quizapp-bench-"))  # a fresh cache
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--question", default="mixup-batch")
    parser.add_argument("--files", type=int, default=20)
    args = parser.parse_args()
    q = load_bank()[args.question]
    assert isinstance(q, CodeQuestion)
    pool = [("model", q.solution_source(), True), *((a.name, a.source, True) for a in q.alternates),
            *((m.name, q.mutant_source(m), False) for m in q.mutants)]
    with tempfile.TemporaryDirectory() as tmp:
        files, expected = [], []
        for i in range(args.files):
            name, source, ok = pool[i % len(pool)]
            path = Path(tmp) / f"{i:02d}-{name}.py"
            path.write_text(source)
            files.append(path)
            expected.append(ok)
        # The first failure of a question grades its mutants for the diagnosis (then cached on disk):
        # a one-time cost per question version, paid here once, so that both runs measure grading.
        from quizapp.grading.diagnose import mutant_fingerprints

        with Grader(device="cpu") as warm:
            mutant_fingerprints(q, warm)
        rates, steady, wrong = {}, {}, []
        for jobs in (1, 2):
            finished: list[tuple[int, float]] = []  # (worker thread, when), one per file

            def graded() -> None:
                finished.append((threading.get_ident(), time.perf_counter()))  # noqa: B023

            started = time.perf_counter()  # includes starting the workers, as a user's batch does
            rows = grade_all(q, files, jobs=jobs, device="cpu", timeout=None, sandbox="auto", on_graded=graded)
            took = time.perf_counter() - started
            rates[jobs] = len(files) / took
            wrong += [f"--jobs {jobs}: {f} is {r.status}" for (f, r), ok in zip(rows, expected, strict=True)
                      if r.ok != ok]
            warm_from = max(min(t for w, t in finished if w == worker) for worker in {w for w, _ in finished})
            after = [t for _, t in finished if t > warm_from]
            steady[jobs] = len(after) / (max(after) - warm_from)
    with Grader(device="cpu") as grader:
        grader.grade(q, q.solution_source())
        ratios = []
        for _ in range(15):
            t0 = time.perf_counter()
            result = grader.grade(q, q.solution_source())
            ratios.append((time.perf_counter() - t0) / sum(t.duration_s for t in result.tests))
    print(f"{args.files} submissions of {args.question}: {rates[1]:.2f} files/s with --jobs 1, {rates[2]:.2f} with "
          f"--jobs 2 (ratio {rates[2] / rates[1]:.2f}x), worker start included")
    print(f"once the workers are warm: {steady[1]:.2f} files/s with --jobs 1, {steady[2]:.2f} with --jobs 2 "
          f"(ratio {steady[2] / steady[1]:.2f}x, goal >= 1.7x)")
    start_s = max(0.0, args.files / rates[1] - args.files / steady[1])
    print(f"worker start: about {start_s:.2f} s, the time of {start_s * steady[1]:.0f} warm grades; with N files"
          f" and start S, the end-to-end ratio cannot pass (S + N*g) / (S + N*g/2) for a warm grade of g s")
    overhead = statistics.median(ratios)
    print(f"grader overhead: a warm grade takes {overhead:.2f}x the sum of its tests' own durations "
          "(median of 15, goal <= 1.5x)")
    for line in wrong:
        print("WRONG", line)
    return 0 if steady[2] >= 1.7 * steady[1] and overhead <= 1.5 and not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
