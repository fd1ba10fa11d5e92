"""Provides `QuestionCommands`: the command palette (ctrl+p or /) searches questions by name.

Off during a mock interview (`QuizApp.in_mock`): it would reveal the bank and leave the interview.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class QuestionCommands(Provider):
    """Fuzzy-matches title, id, topic and tags; choosing a hit opens the question."""

    async def search(self, query: str) -> Hits:
        app: QuizApp = self.app  # type: ignore[assignment]
        if app.bank is None or app.in_mock:
            return
        matcher = self.matcher(query)
        for q in app.bank.values():
            haystack = f"{q.title} {q.id} {q.topic} {' '.join(q.tags)}"
            score = max(matcher.match(q.title), matcher.match(haystack) * 0.9)
            if score > 0:
                yield Hit(score, matcher.highlight(q.title), partial(app.open_question, q.id),
                          text=q.title, help=f"{q.topic} · {q.kind.value} · {q.difficulty.value}")

    async def discover(self) -> Hits:
        app: QuizApp = self.app  # type: ignore[assignment]
        if app.bank is None or app.in_mock:
            return
        for q in app.bank.values():
            yield DiscoveryHit(q.title, partial(app.open_question, q.id), text=q.title,
                               help=f"{q.topic} · {q.kind.value} · {q.difficulty.value}")
