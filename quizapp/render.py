"""Rich renderings of questions and grade results for the command line (no Textual)."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from quizapp.models import AnyQuestion, ChoiceQuestion, CodeQuestion, GradeResult, ShortQuestion

# -- Markdown pieces shared by the app's screens and the mock report -----------------------------

def fence(text: str, language: str = "") -> str:
    """A fenced Markdown code block that survives backticks inside `text`."""
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}{language}\n{text.rstrip()}\n{ticks}"


def meta_line(q: AnyQuestion) -> str:
    """`topic · difficulty · about N min`, the line under every question's title."""
    return f"{q.topic} · {q.difficulty.value} · about {q.minutes} min"


def hints_markdown(hints: list[str], total: int, *, cost: float | None = None, key: str = "ctrl+t") -> str:
    """The hints revealed so far, numbered out of `total`, and how many remain (with their `cost` in
    points, in a mock interview)."""
    if not total:
        return ""
    def label(n: int) -> str:
        return f"**Hint {n}/{total}.**" if cost is None else f"**Hint {n}/{total}** (−{cost:g})."

    shown = [f"{label(n)} {h.strip()}" for n, h in enumerate(hints, start=1)]
    left = total - len(hints)
    if left:
        each = f", −{cost:g} point each" if cost is not None else ""
        shown.append(f"*{left} hint{'s' if left > 1 else ''} left: {key}{each}*")
    return "\n\n".join(shown)


# -- the command line's question views -------------------------------------------------------------

def header(q: AnyQuestion) -> Text:
    """`Title  · kind · topic · difficulty · ~N min`."""
    text = Text(q.title, style="bold")
    text.append(f"  ·  {q.id}  ·  {q.kind}  ·  {q.topic}  ·  {q.difficulty}  ·  ~{q.minutes} min", style="dim")
    return text


def question_view(q: AnyQuestion) -> RenderableType:
    """The prompt, signature and starter (or the options) as `quizapp show` prints them."""
    parts: list[RenderableType] = [header(q)]
    if q.tags:
        parts.append(Text("tags: " + ", ".join(q.tags), style="dim"))
    parts.append(Markdown(q.prompt))
    if isinstance(q, CodeQuestion):
        parts.append(Panel(Syntax(q.signature, "python", word_wrap=True), title="signature", title_align="left"))
        parts.append(Panel(Syntax(q.starter, "python", line_numbers=True, word_wrap=True), title="starter code",
                           title_align="left"))
        parts.append(Text(f"Practise: quizapp  ·  grade a file: quizapp grade {q.id} FILE.py", style="dim"))
    elif isinstance(q, ChoiceQuestion):
        table = Table.grid(padding=(0, 1))
        for i, c in enumerate(q.choices):
            table.add_row(Text(f"{chr(65 + i)}.", style="bold"), Markdown(c.text))
        parts.append(Panel(table, title="select all that apply" if q.multiple else "choose one",
                           title_align="left"))
    return Group(*parts)


def answer_view(q: AnyQuestion) -> RenderableType:
    """The model answer and its explanation, as `quizapp answer` prints them."""
    parts: list[RenderableType] = [header(q)]
    if isinstance(q, CodeQuestion):
        parts.append(Panel(Syntax(q.solution_source(), "python", line_numbers=True, word_wrap=True),
                           title="model answer",
                           title_align="left"))
    elif isinstance(q, ChoiceQuestion):
        table = Table.grid(padding=(0, 1))
        for i, c in enumerate(q.choices):
            mark = Text("✓" if c.correct else "✗", style="green" if c.correct else "red")
            table.add_row(mark, Text(f"{chr(65 + i)}.", style="bold"), Group(Markdown(c.text),
                                                                             Markdown(f"*{c.why}*")))
        parts.append(Panel(table, title="answer", title_align="left"))
    elif isinstance(q, ShortQuestion):
        parts.append(Panel(Markdown(q.answer), title="model answer", title_align="left"))
        parts.append(Panel(Group(*[Text(f"□ {point}") for point in q.rubric]), title="rubric",
                           title_align="left"))
    parts.append(Panel(Markdown(q.explanation), title="explanation", title_align="left"))
    return Group(*parts)


def console(stderr: bool = False) -> Console:
    """A console that degrades to plain text when not on a terminal."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


# -- grade results: one rendering for `quizapp grade`, `quizapp watch` and the app -----------------

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
