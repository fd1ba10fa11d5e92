"""Golden tests: control characters a submission prints are shown, never obeyed (CONTRACT §1)."""

from __future__ import annotations

import pytest

from quizapp.grading.sanitize import clean_result, visible
from quizapp.models import GradeResult, TestResult


@pytest.mark.parametrize("raw, shown", [
    ("\x1b[2J\x1b[31mred\x1b[0m", "␛[2J␛[31mred␛[0m"),                 # CSI: clear screen, colours
    ("\x1b]0;pwned\x07after", "␛]0;pwned␇after"),                        # OSC ended by BEL
    ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "␛]8;;http://x␛\\link␛]8;;␛\\"),  # OSC ended by ST
    ("\x1bP+q544e\x1b\\", "␛P+q544e␛\\"),                                # DCS
    ("1 failed\rall passed", "1 failed␍all passed"),                    # a bare CR overwrite
    ("FAIL\x08\x08\x08\x08PASS", "FAIL␈␈␈␈PASS"),                       # backspaces
    ("\x9b2J", "␛[2J"),                                                  # a raw 8-bit CSI
    ("\x9d0;t\x9c", "␛]0;t␛\\"),                                        # 8-bit OSC and ST
    ("a\x00b\x7fc", "a␀b␡c"),                                            # NUL and DEL
    ("abc\u202edcba", "abc⟨U+202E⟩dcba"),                                # a bidi override
])
def test_control_characters_are_made_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_newline_tab_and_text_are_kept() -> None:
    text = "lam = 0.37\n\tidx = [2, 0, 1]\r\nλ ✓ 日本"
    assert visible(text) == "lam = 0.37\n\tidx = [2, 0, 1]\nλ ✓ 日本"


def test_every_string_of_a_grade_is_cleaned() -> None:
    raw = GradeResult(question="q", status="failed", passed=0, total=1, device="cpu", duration_s=0.1,
                      tests=[TestResult(name="n\x1b[2J", outcome="failed", message="m\x07", output="o\r")],
                      message="top\x9b", output="out\x08", likely_mistakes=["d\x1b]0;x\x07"])
    clean = clean_result(raw)
    strings = [clean.message, clean.output, *clean.likely_mistakes,
               *(s for t in clean.tests for s in (t.name, t.message, t.output))]
    assert strings == ["top␛[", "out␈", "d␛]0;x␇", "n␛[2J", "m␇", "o␍"]
