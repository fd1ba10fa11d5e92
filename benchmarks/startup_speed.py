"""Time to the app's first screen, as a ratio to a bare Textual app's first screen in the same run.

Usage: python benchmarks/startup_speed.py [--runs N]
Each run is a fresh process. Prints the medians (wall and CPU) and the ratio; exits 1 when the app's
first screen costs more than 2x the CPU of a bare Textual app's, or when the app process imported
torch. The ratio, not the seconds, is the goal: both sides slow down together on a slower machine.
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
            print(json.dumps({"wall": app.first_screen_at - t0, "cpu": app.first_screen_cpu, "torch": torch}))
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
            self.wall = time.perf_counter() - t0
            self.cpu = time.process_time()

    async def main():
        app = Bare()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            print(json.dumps({"wall": app.wall, "cpu": app.cpu, "torch": []}))

    asyncio.run(main())
""")


def _run(script: str, *args: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "startup.py"
        path.write_text(script)
        out = subprocess.run([sys.executable, str(path), *args, str(Path(tmp) / "home")],
                             capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app, bare = [], []
    for _ in range(args.runs):  # interleaved, so that a burst of load hits both sides alike
        app.append(_run(APP, str(ROOT / "questions")))
        bare.append(_run(BARE))
    med = {side: {k: statistics.median(float(r[k]) for r in runs) for k in ("wall", "cpu")}  # type: ignore[arg-type]
           for side, runs in (("app", app), ("bare", bare))}
    ratio = med["app"]["cpu"] / med["bare"]["cpu"]
    print(f"quizapp first screen:      median {med['app']['wall'] * 1000:.0f} ms wall, "
          f"{med['app']['cpu'] * 1000:.0f} ms CPU over {args.runs} runs")
    print(f"bare Textual first screen: median {med['bare']['wall'] * 1000:.0f} ms wall, "
          f"{med['bare']['cpu'] * 1000:.0f} ms CPU")
    print(f"ratio quizapp/bare (CPU): {ratio:.2f}x (goal <= 2.00x)")
    torch_seen = any(r["torch"] for r in app)
    if torch_seen:
        print("the app process imported torch")
    return 0 if ratio <= 2.0 and not torch_seen else 1


if __name__ == "__main__":
    sys.exit(main())
