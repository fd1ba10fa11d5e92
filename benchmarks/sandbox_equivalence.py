"""Every model answer, mutant and alternate of the bank graded with and without the sandbox: the
outcomes must be the same (CONTRACT §4). Usage: python benchmarks/sandbox_equivalence.py [ID ...]
Prints one line per question and the totals; exits 1 on any difference (or where no sandbox runs)."""

from __future__ import annotations

import sys

from quizapp import Grader, load_bank
from quizapp.grading.sandbox import probe
from quizapp.models import CodeQuestion


def main() -> int:
    if probe()[0].name == "none":
        print(f"no sandbox here: {probe()[1]}")
        return 1
    ids = sys.argv[1:]
    bank = load_bank()
    same = different = 0
    with Grader(device="cpu", sandbox="on") as inside, Grader(device="cpu", sandbox="off") as outside:
        for q in bank.values():
            if not isinstance(q, CodeQuestion) or (ids and q.id not in ids):
                continue
            sources = {"model": q.solution_source(), **{f"mutant {m.name}": q.mutant_source(m) for m in q.mutants},
                       **{f"alternate {a.name}": a.source for a in q.alternates}}
            diffs = []
            for label, source in sources.items():
                a, b = inside.grade(q, source), outside.grade(q, source)
                if (a.status, a.passed, a.total) != (b.status, b.passed, b.total):
                    diffs.append(f"{label}: {a.status} {a.passed}/{a.total} in bwrap, "
                                 f"{b.status} {b.passed}/{b.total} without")
            same += len(sources) - len(diffs)
            different += len(diffs)
            print(f"{q.id:28} {len(sources) - len(diffs)}/{len(sources)} the same", *diffs, sep="\n    ")
    print(f"total: {same} of {same + different} submissions graded the same with and without the sandbox")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
