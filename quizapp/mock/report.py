"""The report of a finished mock interview: built from the session, stored as JSON, exported as Markdown.

The report is a snapshot (titles, answers, model answers, explanations copied in) so that it reads
the same later even if the bank changes, and so that `quizapp report ID --markdown` needs no bank.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from quizapp.mock.scoring import HINT_PENALTY
from quizapp.mock.session import MockSession, model_answer_text
from quizapp.models import ChoiceQuestion, CodeQuestion, ShortQuestion
from quizapp.render import fence


@dataclass(frozen=True)
class ReportItem:
    """One question of the interview as the report shows it."""

    number: int
    """1-based position in the interview."""
    question_id: str
    title: str
    kind: str
    """code, choice or short."""
    section: str
    """coding, conceptual or bug-hunt."""
    topic: str
    difficulty: str
    points: float
    """Score earned, 0..1."""
    pending: bool
    """A short answer still awaiting self-rating."""
    penalty: float
    """Points lost to hints."""
    note: str
    """How the score came about, in a few words."""
    time_spent_s: float
    hints_used: int
    submissions: int
    """Submissions the candidate made (the automatic one at the end is not counted)."""
    auto_submitted: bool
    """Graded at the end because it was still open."""
    tests_passed: int | None
    """Hidden tests passed at the last grade (code questions only)."""
    tests_total: int | None
    status: str | None
    """Grade status (passed, failed, error, timeout, ...) for code questions."""
    failed_tests: list[str]
    """Names (and messages) of the hidden tests that did not pass."""
    answer: str
    """The candidate's answer: code, the selected options, or the written text."""
    model_answer: str
    """The model solution, the correct options, or the model answer."""
    explanation: str
    rubric: list[str] = field(default_factory=list)
    """Short answers: the rubric points; `self_rating` lists the ticked ones."""
    self_rating: list[int] | None = None


@dataclass(frozen=True)
class MockReport:
    """Everything an interviewer would want to keep about one mock interview."""

    session_id: int | None
    started_at: str
    """ISO timestamp (UTC)."""
    finished_at: str | None
    reason: str | None
    """expired or finished-early."""
    minutes: float
    """Time allowed."""
    time_used_s: float
    seed: int
    topic: str | None
    difficulty: str | None
    items: list[ReportItem]
    total: float
    """Sum of points (pending answers count 0)."""
    max_total: float
    """One point per question."""
    pending: int
    """Short answers still awaiting self-rating."""

    @property
    def percent(self) -> float:
        """The total as a percentage of the maximum."""
        return 100.0 * self.total / self.max_total if self.max_total else 0.0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (stored with the session)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MockReport:
        """Inverse of `to_json`."""
        items = [ReportItem(**i) for i in data["items"]]
        return cls(**{**data, "items": items})


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _short(text: str, limit: int = 200) -> str:
    """Failure messages can be pages of pytest introspection; the report keeps one readable line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _answer_text(session: MockSession, qid: str) -> str:
    q, a = session.question(qid), session.answer(qid)
    if isinstance(q, CodeQuestion):
        return a.source
    if isinstance(q, ChoiceQuestion):
        return "\n".join(f"- {q.choices[i].text}" for i in a.selected) or "(nothing selected)"
    return a.text.strip() or "(no answer)"


def build_report(session: MockSession, session_id: int | None = None) -> MockReport:
    """Build the report of a finished session (raises `LockedError` if it is still running)."""
    items = []
    for number, item in enumerate(session.plan.items, start=1):
        qid = item.question_id
        q, a = session.question(qid), session.answer(qid)
        session.model_answer(qid)  # raises while the interview runs: reports never leak answers early
        score = session.score(qid)
        grade = a.grade if isinstance(q, CodeQuestion) else None
        failed = [_short(f"{t.name}: {_first_line(t.message)}".rstrip(": "))
                  for t in grade.tests if t.outcome != "passed"] if grade else []
        if grade is not None and grade.message and not grade.tests:
            failed = [_short(_first_line(grade.message))]
        items.append(ReportItem(
            number=number, question_id=qid, title=q.title, kind=str(q.kind), section=item.section,
            topic=q.topic, difficulty=str(q.difficulty), points=score.points, pending=score.pending,
            penalty=score.penalty, note=score.note, time_spent_s=round(a.time_spent_s, 1),
            hints_used=a.hints_used, submissions=a.submissions, auto_submitted=a.auto_submitted,
            tests_passed=grade.passed if grade else None, tests_total=grade.total if grade else None,
            status=grade.status if grade else None, failed_tests=failed,
            answer=_answer_text(session, qid), model_answer=model_answer_text(q),
            explanation=q.explanation.strip(),
            rubric=list(q.rubric) if isinstance(q, ShortQuestion) else [],
            self_rating=a.self_rating,
        ))
    used = session.plan.minutes * 60.0 - max(0.0, session.remaining_s)
    return MockReport(
        session_id=session_id, started_at=session.started_at.isoformat(),
        finished_at=session.finished_at.isoformat() if session.finished_at else None,
        reason=session.reason, minutes=session.plan.minutes, time_used_s=round(used, 1),
        seed=session.plan.seed, topic=session.plan.topic, difficulty=session.plan.difficulty,
        items=items, total=round(sum(i.points for i in items), 4), max_total=float(len(items)),
        pending=sum(i.pending for i in items),
    )


# ----------------------------------------------------------------------------------------------
# Markdown

def format_duration(seconds: float) -> str:
    """`4m 05s`, `1h 02m`, `45s`."""
    s = round(seconds)
    if s >= 3600:
        return f"{s // 3600}h {s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m {s % 60:02d}s"
    return f"{s}s"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _points(item: ReportItem) -> str:
    return "pending" if item.pending else f"{item.points:.2f}"


def _when(iso: str | None) -> str:
    if not iso:
        return "-"
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")


def _tests(item: ReportItem) -> str:
    if item.tests_total is None:
        return "—"
    return f"{item.tests_passed}/{item.tests_total}"


def markdown_summary(report: MockReport) -> str:
    """The head of the report: score, timing, seed, scoring rule and the per-question table."""
    title = f"# Mock interview #{report.session_id}" if report.session_id is not None else "# Mock interview"
    ending = {"expired": "time ran out", "finished-early": "finished early"}.get(report.reason or "", "-")
    filters = ", ".join(f"{k}: {v}" for k, v in (("topic", report.topic), ("difficulty", report.difficulty))
                        if v)
    lines = [
        title, "",
        f"- **Score:** {report.total:.2f} / {report.max_total:.0f} ({report.percent:.0f}%)"
        + (f" — {report.pending} short answer(s) awaiting self-rating" if report.pending else ""),
        f"- **Started:** {_when(report.started_at)}; **ended:** {_when(report.finished_at)} ({ending})",
        f"- **Time:** {format_duration(report.time_used_s)} used of {report.minutes:g} min",
        f"- **Seed:** {report.seed}" + (f" ({filters})" if filters else ""),
        f"- **Scoring:** code = hidden tests passed / total − {HINT_PENALTY:g} per hint; choice = right "
        "or wrong (partial for select-all); short = self-rated rubric points. One point per question.",
        "",
        "| # | Question | Section | Score | Time | Hints | Tests |",
        "|---|---|---|---|---|---|---|",
    ]
    for i in report.items:
        lines.append(f"| {i.number} | {_cell(i.title)} | {i.section} | {_points(i)} | "
                     f"{format_duration(i.time_spent_s)} | {i.hints_used} | {_tests(i)} |")
    lines.append(f"| | **Total** | | **{report.total:.2f} / {report.max_total:.0f}** | "
                 f"{format_duration(sum(i.time_spent_s for i in report.items))} | "
                 f"{sum(i.hints_used for i in report.items)} | |")
    return "\n".join(lines)


def markdown_item_head(i: ReportItem) -> str:
    """One question's heading, score, time, hints and (code) tests passed with the failing tests."""
    lines = [f"## {i.number}. {i.title}", "",
             f"`{i.question_id}` · {i.kind} · {i.section} · {i.topic} · {i.difficulty}", "",
             f"- **Score:** {_points(i)} / 1" + (f" ({i.note})" if i.note else "")
             + (f", −{i.penalty:.2f} for hints" if i.penalty else ""),
             f"- **Time spent:** {format_duration(i.time_spent_s)}; **hints used:** {i.hints_used}"]
    if i.kind == "code":
        how = f"{i.submissions} submission(s)"
        if i.auto_submitted:
            how += ", auto-submitted at the end"
        lines.append(f"- **Tests passed:** {_tests(i)}" + (f" ({i.status})" if i.status else "") + f"; {how}")
        lines += [f"  - ✗ {_cell(t)}" for t in i.failed_tests]
    return "\n".join(lines)


def markdown_answer(i: ReportItem) -> str:
    """The candidate's answer as Markdown (code fenced)."""
    return fence(i.answer, "python") if i.kind == "code" else i.answer


def markdown_model(i: ReportItem) -> str:
    """The model answer as Markdown (code fenced), with the rubric for short answers."""
    text = fence(i.model_answer, "python") if i.kind == "code" else i.model_answer.strip()
    if i.rubric:
        ticked = set(i.self_rating or [])
        head = "Rubric (self-rated):" if i.self_rating is not None else "Rubric (not yet rated):"
        text += "\n\n" + "\n".join([head, *(f"- [{'x' if n in ticked else ' '}] {point}"
                                           for n, point in enumerate(i.rubric))])
    return text


def to_markdown(report: MockReport) -> str:
    """The report as Markdown for an interviewer: summary table, then each answer beside the model's."""
    parts = [markdown_summary(report)]
    for i in report.items:
        parts += [markdown_item_head(i), "### Candidate's answer", markdown_answer(i), "### Model answer",
                  markdown_model(i), "### Explanation", i.explanation]
    return "\n\n".join(p.strip("\n") for p in parts) + "\n"
