"""A grade result as rich text: one rendering for `quizapp grade`, `quizapp watch` and the app.

Light on purpose (rich only, models just for typing) because the terminal app imports it at startup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

if TYPE_CHECKING:
    from quizapp.models import GradeResult

STATUS_STYLE = {"passed": "bold green", "failed": "bold red", "error": "bold red",
                "timeout": "bold yellow", "memory": "bold yellow", "crashed": "bold magenta"}
STATUS_LABEL = {"passed": "PASSED", "failed": "FAILED", "error": "ERROR", "timeout": "TIMEOUT",
                "memory": "MEMORY LIMIT", "crashed": "CRASHED"}
OUTCOME_MARK = {"passed": ("✓", "green"), "failed": ("✗", "red"), "error": ("✗", "red"),
                "skipped": ("-", "dim")}


def render_result(result: GradeResult, *, examples: bool = False) -> RenderableType:
    """A grading result for a terminal: a status line, then each test with its message and output."""
    what = "visible examples" if examples else "hidden tests"
    head = Text()
    head.append(f" {STATUS_LABEL.get(result.status, result.status.upper())} ",
                style=f"reverse {STATUS_STYLE.get(result.status, 'bold')}")
    if result.total:
        head.append(f"  {result.passed}/{result.total} {what} passed")
    else:
        head.append(f"  {what}")
    head.append(f"  ·  {result.device or '?'}  ·  {result.duration_s:.2f} s", style="dim")
    parts: list[RenderableType] = [head]
    if result.message:
        first, newline, rest = result.message.partition("\n")
        msg = Text(first, style=STATUS_STYLE.get(result.status, ""))
        if result.line is not None:  # once, on the first line (the message itself never repeats it)
            msg.append(f" (line {result.line})", style="bold")
        if newline:
            msg.append("\n" + rest, style=STATUS_STYLE.get(result.status, ""))
        parts.append(msg)
    if len(result.likely_mistakes) == 1:  # first, where it is seen without scrolling
        parts.append(Text.assemble(("Likely mistake: ", "bold yellow"), result.likely_mistakes[0]))
    elif result.likely_mistakes:  # several known mistakes fail exactly alike: say so, pick none
        parts.append(Text("Likely mistake, one of:", style="bold yellow"))
        parts.extend(Text.assemble(("  • ", "bold yellow"), m) for m in result.likely_mistakes)
    for test in result.tests:
        mark, colour = OUTCOME_MARK.get(test.outcome, ("?", "yellow"))
        line = Text()
        line.append(f"{mark} ", style=f"bold {colour}")
        line.append(test.name, style="" if test.outcome == "passed" else colour)
        if test.duration_s >= 0.5:
            line.append(f"  {test.duration_s:.2f} s", style="dim")
        parts.append(line)
        if test.message and test.outcome != "passed":
            parts.append(Text("\n".join("    " + m for m in test.message.rstrip().splitlines())))
        if test.output:
            parts.append(Text("    output:", style="dim italic"))
            lines = test.output.rstrip().splitlines()
            parts.append(Text("\n".join("    │ " + o for o in lines), style="dim"))
    if result.output:
        parts.append(Text("output outside the tests:", style="dim italic"))
        parts.append(Text("\n".join("  │ " + o for o in result.output.rstrip().splitlines()), style="dim"))
    return Group(*parts)
