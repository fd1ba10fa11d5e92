"""Rich renderings of questions and grade results for the command line (no Textual)."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from quizapp.models import AnyQuestion, ChoiceQuestion, CodeQuestion, ShortQuestion


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
        parts.append(Panel(Syntax(q.starter, "python", line_numbers=True), title="starter code",
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
        parts.append(Panel(Syntax(q.solution_source(), "python", line_numbers=True), title="model answer",
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
