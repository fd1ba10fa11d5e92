"""Provides `TopicSummary`: solved/total per topic under the question list, plus the totals."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from quizapp.bank_index import IndexEntry


def summary_text(questions: list[IndexEntry], statuses: dict[str, str]) -> Text:
    """`topic 1/3` for every topic (green when all solved), then solved/attempted/due totals."""
    total: Counter[str] = Counter(q.topic for q in questions)
    solved: Counter[str] = Counter(q.topic for q in questions if statuses.get(q.id) == "solved")
    text = Text()
    text.append("Progress  ", style="bold")
    for topic in sorted(total):
        done, n = solved[topic], total[topic]
        style = "bold green" if done == n else ("yellow" if done else "")
        text.append(f"{topic} ", style=style or "default")
        text.append(f"{done}/{n}", style=style or "dim")
        text.append("   ")
    counts = Counter(statuses.get(q.id, "new") for q in questions)
    text.append("\nTotal     ", style="bold")
    text.append_text(Text.assemble(
        ("solved ", "dim"), (str(counts["solved"]), "bold green"),
        ("  attempted ", "dim"), (str(counts["attempted"]), "bold yellow"),
        ("  due for review ", "dim"), (str(counts["due"]), "bold cyan"),
        ("  new ", "dim"), (str(counts["new"]), "bold"),
        ("  of ", "dim"), (str(len(questions)), "bold")))
    return text


class TopicSummary(Static):
    """How far the learner got in each topic."""

    def show(self, questions: list[IndexEntry], statuses: dict[str, str]) -> None:
        """Render the summary for `questions` given each one's status."""
        self.update(summary_text(questions, statuses))
