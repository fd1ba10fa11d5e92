"""The CUDA path, end to end, in one prepared run for a machine with an NVIDIA GPU.

Usage: python benchmarks/gpu_check.py [--warm N] [ID ...]   (or `make gpu-check`)

1. `Grader(device="auto")` must resolve to cuda, and the `quizapp grade --device auto` JSON must say so.
2. Every model answer and alternate passes with `--device cuda`; every mutant fails (as on the CPU).
3. Warm grades of mixup-batch on cuda against cpu, in this run: the medians and their ratio.
4. In the sandbox (where bwrap runs): the model answer of mixup-batch passes on cuda, so the
   allowlist binds what the driver needs (/dev/nvidia*, its libraries under /usr).
Exits 0 when all of it holds, 1 otherwise (2 where CUDA is not available at all).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from quizapp import Grader, load_bank
from quizapp.models import CodeQuestion

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--warm", type=int, default=20)
    args = parser.parse_args()
    problems: list[str] = []
    with Grader(device="auto") as auto:
        if auto.device != "cuda":
            print(f"CUDA is not available here (--device auto chose {auto.device}); nothing to check")
            return 2
    solution = ROOT / "solutions" / "mixup-batch.py"
    cli = subprocess.run([sys.executable, "-m", "quizapp", "grade", "mixup-batch", str(solution), "--json",
                          "--device", "auto"], capture_output=True, text=True)
    picked = json.loads(cli.stdout).get("device") if cli.stdout.strip() else None
    print(f"grade --device auto: device={picked} exit={cli.returncode}")
    if picked != "cuda" or cli.returncode != 0:
        problems.append(f"--device auto graded on {picked} (exit {cli.returncode})")

    bank = load_bank()
    questions = [q for q in bank.values() if isinstance(q, CodeQuestion) and (not args.ids or q.id in args.ids)]
    started = time.perf_counter()
    with Grader(device="cuda") as cuda:
        for q in questions:
            model = cuda.grade(q, q.solution_source())
            alternates = [a.name for a in q.alternates if not cuda.grade(q, a.source).ok]
            survivors = [m.name for m in q.mutants if cuda.grade(q, q.mutant_source(m)).ok]
            print(f"{q.id:28} model {model.status:7} {model.passed}/{model.total}  "
                  f"alternates rejected {alternates or 'none'}  mutants surviving {survivors or 'none'}")
            if not model.ok:
                failing = [f"{t.name}: {t.message[:120]}" for t in model.tests if t.outcome != "passed"]
                problems.append(f"{q.id}: the model answer {model.status} on cuda: " + "; ".join(failing))
            problems += [f"{q.id}: alternate {a} rejected on cuda" for a in alternates]
            problems += [f"{q.id}: mutant {m} survives on cuda" for m in survivors]
    print(f"graded {len(questions)} questions with their alternates and mutants on cuda in "
          f"{time.perf_counter() - started:.1f} s")

    question = bank["mixup-batch"]
    assert isinstance(question, CodeQuestion)
    medians = {}
    for device in ("cpu", "cuda"):
        with Grader(device=device) as grader:  # type: ignore[arg-type]
            grader.grade(question, question.solution_source())  # not warm yet
            times = []
            for _ in range(args.warm):
                t0 = time.perf_counter()
                grader.grade(question, question.solution_source())
                times.append(time.perf_counter() - t0)
            medians[device] = statistics.median(times)
    ratio = medians["cuda"] / medians["cpu"]
    print(f"warm mixup-batch grade: cpu median {medians['cpu'] * 1000:.0f} ms, cuda median "
          f"{medians['cuda'] * 1000:.0f} ms over {args.warm} runs; ratio cuda/cpu {ratio:.2f}x")
    from quizapp.grading.sandbox import probe

    if probe()[0].name == "bwrap":
        from quizapp.errors import QuizappError

        try:
            with Grader(device="cuda", sandbox="on") as boxed:
                inside = boxed.grade(question, question.solution_source())
        except QuizappError as exc:  # CUDA not visible inside, or the worker did not start there
            problems.append(f"cuda in the sandbox: {exc}")
        else:
            print(f"in bwrap on cuda: mixup-batch model {inside.status} {inside.passed}/{inside.total}")
            if not inside.ok:
                problems.append(f"the model answer {inside.status} on cuda in the sandbox: {inside.message[:200]}")
    else:
        print(f"no sandbox here ({probe()[1]}); the sandboxed cuda check is skipped")
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
