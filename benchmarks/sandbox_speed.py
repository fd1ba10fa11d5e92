"""Warm grades and worker start with and without the bubblewrap sandbox, in one run.

Usage: python benchmarks/sandbox_speed.py [--warm N] [--question ID]
Prints the medians and the ratios; exits 1 when a sandboxed warm grade is more than 10 % slower
(the goal), or when no sandbox can run here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from quizapp import Grader, load_bank
from quizapp.grading.sandbox import probe
from quizapp.models import CodeQuestion


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warm", type=int, default=30)
    parser.add_argument("--question", default="mixup-batch")
    args = parser.parse_args()
    if probe()[0].name == "none":
        print(f"no sandbox here: {probe()[1]}")
        return 1
    question = load_bank()[args.question]
    assert isinstance(question, CodeQuestion)
    source = question.solution_source()
    start: dict[str, float] = {}
    warm: dict[str, list[float]] = {"off": [], "on": []}
    graders = {}
    for mode in ("off", "on"):
        t0 = time.perf_counter()
        graders[mode] = Grader(device="cpu", sandbox=mode)  # type: ignore[arg-type]
        graders[mode].start()
        start[mode] = time.perf_counter() - t0
        graders[mode].grade(question, source)
    try:
        for _ in range(args.warm):  # interleaved, so that a burst of load hits both alike
            for mode in ("off", "on"):
                t0 = time.perf_counter()
                result = graders[mode].grade(question, source)
                warm[mode].append(time.perf_counter() - t0)
                assert result.ok, result.to_json()
    finally:
        for g in graders.values():
            g.close()
    med = {m: statistics.median(v) * 1000 for m, v in warm.items()}
    print(f"worker start: {start['off']:.2f} s without the sandbox, {start['on']:.2f} s in bwrap "
          f"(ratio {start['on'] / start['off']:.2f}x)")
    print(f"warm {args.question} grade: median {med['off']:.0f} ms without, {med['on']:.0f} ms in bwrap over "
          f"{args.warm} runs each (ratio {med['on'] / med['off']:.2f}x, goal <= 1.10x)")
    return 0 if med["on"] <= 1.10 * med["off"] else 1


if __name__ == "__main__":
    sys.exit(main())
