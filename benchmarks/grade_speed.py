"""Cold `quizapp grade` processes against warm `Grader.grade` calls on mixup-batch, in one run.

Usage: python benchmarks/grade_speed.py [--cold N] [--warm N] [--question ID]
Prints the medians and the ratio; exits 1 if a warm grade is under 10x faster than a cold process (a ratio,
measured in one run, so it holds on a slower machine too).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from quizapp import Grader, load_bank

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--warm", type=int, default=30)
    parser.add_argument("--question", default="mixup-batch")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    question = load_bank()[args.question]
    solution = ROOT / "solutions" / f"{args.question}.py"
    source = solution.read_text()

    cold = []
    for _ in range(args.cold):
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "quizapp", "grade", args.question, str(solution),
                               "--json", "--device", args.device], capture_output=True, text=True)
        cold.append(time.perf_counter() - started)
        if proc.returncode != 0:
            print(proc.stdout, proc.stderr)
            return 1

    warm = []
    with Grader(device=args.device) as grader:  # type: ignore[arg-type]
        grader.grade(question, source)  # the first grade after start-up is not "warm"
        for _ in range(args.warm):
            started = time.perf_counter()
            result = grader.grade(question, source)
            warm.append(time.perf_counter() - started)
            if not result.ok:
                print(result.to_json())
                return 1

    cold_ms, warm_ms = statistics.median(cold) * 1000, statistics.median(warm) * 1000
    print(f"question {args.question} on {args.device}")
    print(f"cold `quizapp grade` process: median {cold_ms:.0f} ms over {len(cold)} runs "
          f"(min {min(cold) * 1000:.0f}, max {max(cold) * 1000:.0f})")
    print(f"warm Grader.grade:            median {warm_ms:.0f} ms over {len(warm)} runs "
          f"(min {min(warm) * 1000:.0f}, max {max(warm) * 1000:.0f})")
    print(f"ratio cold/warm: {cold_ms / warm_ms:.1f}x")
    return 0 if cold_ms / warm_ms >= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
