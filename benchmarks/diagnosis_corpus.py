"""How often "Likely mistake" is right, over every code question of a bank.

Usage: python benchmarks/diagnosis_corpus.py [--bank DIR] [--corpus DIR] [--json] [ID ...]

Three kinds of submission per question:
- generic failures (the starter, the starter returning None, the starter raising RuntimeError; not
  for find-the-bug questions): any diagnosis is wrong;
- each mutant's own source: its own diagnosis must come back (alone, or in a "one of" tie);
- realistic wrong answers written by hand, `<corpus>/<question id>/<name>.py`, whose first line says
  which diagnoses would be right: `# expect: mutant-a, mutant-b` or `# expect: none` (the mistake is
  none of the mutants). A diagnosis naming only expected mutants is correct; one naming any other
  mutant is wrong; no diagnosis is none.

Prints the counts per question and in total; exits 1 on any wrong diagnosis (the goal is none).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Counts:
    """Diagnosis outcomes for one question (or the total)."""

    generic: int = 0
    generic_diagnosed: int = 0
    mutants: int = 0
    mutants_self: int = 0
    mutants_self_in_tie: int = 0
    realistic: int = 0
    realistic_correct: int = 0
    realistic_wrong: int = 0
    realistic_none: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    """Mutants whose own source did not get their own diagnosis."""

    def add(self, other: Counts) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


def expected(source: str, path: Path) -> set[str] | None:
    """The mutants a corpus file's `# expect:` line names (empty set: none is right); None if absent."""
    first = source.splitlines()[0] if source else ""
    if not first.startswith("# expect:"):
        return None
    names = {n.strip() for n in first.removeprefix("# expect:").split(",") if n.strip()}
    return set() if names == {"none"} else names


def evaluate(bank_dir: Path, corpus: Path, ids: list[str]) -> dict[str, Counts]:
    """Grade every generic failure, mutant and corpus file; count the diagnoses."""
    from quizapp import Grader, load_bank
    from quizapp.authoring.validate import generic_failures
    from quizapp.grading.diagnose import diagnose, mutant_fingerprints
    from quizapp.models import CodeQuestion

    bank = load_bank(bank_dir)
    questions = [q for q in bank.values() if isinstance(q, CodeQuestion) and (not ids or q.id in ids)]
    counts: dict[str, Counts] = {}
    with Grader(device="cpu") as grader:
        for q in questions:
            c = counts[q.id] = Counts()
            signatures = mutant_fingerprints(q, grader)

            def named(source: str, q: CodeQuestion = q, signatures: dict = signatures) -> list[str]:  # type: ignore[type-arg]
                return [d.mutant for d in diagnose(q, grader.grade(q, source), signatures)]

            for label, source in generic_failures(q).items():
                c.generic += 1
                got = named(source)
                if got:
                    c.generic_diagnosed += 1
                    c.wrong.append(f"{q.id}: {label} diagnosed as {', '.join(got)}")
            for mutant in q.mutants:
                c.mutants += 1
                got = named(q.mutant_source(mutant))
                if got == [mutant.name]:
                    c.mutants_self += 1
                elif mutant.name in got:
                    c.mutants_self_in_tie += 1
                else:
                    c.missed.append(f"{q.id}: mutant {mutant.name} diagnosed as {', '.join(got) or 'nothing'}")
            for path in sorted((corpus / q.id).glob("*.py")):
                source = path.read_text()
                want = expected(source, path)
                if want is None:
                    raise SystemExit(f"{path}:1: the first line must be `# expect: mutant, ...` or `# expect: none`")
                unknown = want - {m.name for m in q.mutants}
                if unknown:
                    raise SystemExit(f"{path}:1: no mutant named {', '.join(sorted(unknown))} in {q.id}")
                c.realistic += 1
                got = named(source)
                if not got:
                    c.realistic_none += 1
                elif set(got) <= want:
                    c.realistic_correct += 1
                else:
                    c.realistic_wrong += 1
                    c.wrong.append(f"{path.relative_to(corpus)}: diagnosed as {', '.join(got)}, "
                                   f"expected {', '.join(sorted(want)) or 'none'}")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--bank", type=Path, default=ROOT / "questions")
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "fixtures" / "diagnosis")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["QUIZAPP_HOME"] = home  # fresh mutant signatures, not a cache from an older bank
        counts = evaluate(args.bank, args.corpus, args.ids)
    total = Counts()
    for c in counts.values():
        total.add(c)
    if args.json:
        print(json.dumps({"total": asdict(total), "questions": {k: asdict(v) for k, v in counts.items()}}))
    else:
        print(f"{'question':28} generic-diagnosed  mutants-self(+tie)  realistic correct/wrong/none")
        for qid, c in counts.items():
            print(f"{qid:28} {c.generic_diagnosed:>4}/{c.generic:<12} {c.mutants_self:>4}(+{c.mutants_self_in_tie})"
                  f"/{c.mutants:<9} {c.realistic_correct:>3}/{c.realistic_wrong}/{c.realistic_none} of {c.realistic}")
        print(f"total: generic failures diagnosed {total.generic_diagnosed}/{total.generic}; mutants "
              f"self-diagnosed {total.mutants_self + total.mutants_self_in_tie}/{total.mutants} "
              f"({total.mutants_self_in_tie} in a 'one of' tie); realistic wrong answers: "
              f"{total.realistic_correct} correct, {total.realistic_wrong} wrong, {total.realistic_none} none "
              f"(of {total.realistic})")
        for line in total.wrong:
            print("WRONG", line)
        for line in total.missed:
            print("MISSED", line)
    return 1 if total.wrong else 0


if __name__ == "__main__":
    sys.exit(main())
