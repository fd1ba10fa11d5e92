"""Time to the app's question list, as a ratio to a bare Textual app's table in the same run.

Usage: python benchmarks/startup_speed.py [--runs N]
The bare app is a Header, a DataTable of 40 rows and a Footer. Each run is a fresh process; the two
sides take turns. Three figures, as medians of CPU seconds (what a loaded machine cannot distort):
  - the question list with its rows, against the bare app's filled table (goal: at most 1.5x);
  - the app's first screen (a frame on screen before the bank is read), for the same comparison;
  - a first launch after install (no bytecode cache: every module compiled), app's first screen
    against the bare app's first frame, both cold (goal: at most 1.5x).
Exits 1 when a goal is missed or the app process imported torch. The ratio, not the seconds, is the
goal: both sides slow down together on a slower machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

APP = textwrap.dedent("""
    import time
    t0 = time.perf_counter()
    import asyncio, json, sys
    from pathlib import Path
    from quizapp.tui.app import QuizApp

    async def main():
        app = QuizApp(Path(sys.argv[1]), Path(sys.argv[2]))
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            torch = [m for m in sys.modules if m == "torch" or m.startswith("torch.")]
            print(json.dumps({"wall": app.list_shown_at - t0, "cpu": app.list_shown_cpu,
                              "first_cpu": app.first_screen_cpu, "torch": torch}))
        app.shutdown()

    asyncio.run(main())
""")

BARE = textwrap.dedent("""
    import time
    t0 = time.perf_counter()
    import asyncio, json
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Bare(App):
        def compose(self):
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self):
            self.first_cpu = time.process_time()
            table = self.query_one(DataTable)
            table.add_columns("id", "title", "topic", "difficulty", "kind", "status")
            table.add_rows((f"q{i}", f"Question {i}", "dropout", "medium", "code", "new") for i in range(40))
            self.call_after_refresh(self.shown)

        def shown(self):
            self.wall = time.perf_counter() - t0
            self.cpu = time.process_time()

    async def main():
        app = Bare()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            print(json.dumps({"wall": app.wall, "cpu": app.cpu, "first_cpu": app.first_cpu, "torch": []}))

    asyncio.run(main())
""")


def _run(script: str, *args: str, cold: bool = False) -> dict[str, object]:
    """One fresh process; `cold` gives it an empty bytecode cache, as the first launch after install."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "startup.py"
        path.write_text(script)
        flags = ["-X", f"pycache_prefix={tmp}/pycache"] if cold else []
        out = subprocess.run([sys.executable, *flags, str(path), *args, str(Path(tmp) / "home")],
                             capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, object]]] = {"app": [], "bare": [], "app cold": [], "bare cold": []}
    for _ in range(args.runs):  # interleaved, so that a burst of load hits both sides alike
        runs["app"].append(_run(APP, str(ROOT / "questions")))
        runs["bare"].append(_run(BARE))
    for _ in range(max(1, args.runs // 2)):
        runs["app cold"].append(_run(APP, str(ROOT / "questions"), cold=True))
        runs["bare cold"].append(_run(BARE, cold=True))

    def med(side: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs[side])  # type: ignore[arg-type]

    figures = [
        ("question list (rows shown) vs bare table (40 rows)", med("app", "cpu"), med("bare", "cpu"), 1.5),
        ("first screen vs bare first frame", med("app", "first_cpu"), med("bare", "first_cpu"), None),
        ("first launch, no bytecode cache: first screen vs bare", med("app cold", "first_cpu"),
         med("bare cold", "first_cpu"), 1.5),
    ]
    ok = True
    for label, app_cpu, bare_cpu, goal in figures:
        ratio = app_cpu / bare_cpu
        verdict = "" if goal is None else f" (goal <= {goal:.2f}x{'' if ratio <= goal else ': MISSED'})"
        print(f"{label}: {app_cpu * 1000:.0f} ms vs {bare_cpu * 1000:.0f} ms CPU, ratio {ratio:.2f}x{verdict}")
        ok = ok and (goal is None or ratio <= goal)
    print(f"(medians over {args.runs} warm and {len(runs['app cold'])} cold runs; list wall median "
          f"{med('app', 'wall') * 1000:.0f} ms vs {med('bare', 'wall') * 1000:.0f} ms)")
    torch_seen = any(r["torch"] for r in runs["app"])
    if torch_seen:
        print("the app process imported torch")
    return 0 if ok and not torch_seen else 1


if __name__ == "__main__":
    sys.exit(main())
