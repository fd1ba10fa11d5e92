"""Make every string a grade carries safe to print: control characters become visible symbols.

A submission controls much of what a grade says: what it printed, the `repr` of what it returned
(inside assertion messages), even exception messages. Printed raw, `\\x1b]0;TITLE\\x07` retitles the
learner's terminal, `\\x1b[2J` clears it and a bare `\\r` overwrites a line with a fake "passed". So
`Grader` passes every result through `clean_result` once, on its way out, and every consumer (text,
JSON, the app, reports, later formats) gets text in which such characters are shown, not obeyed:
ESC as `␛` (so `\\x1b[2J` reads `␛[2J`), other C0 controls as their Unicode control pictures
(`␍`, `␈`, `␇`), DEL as `␡`, a C1 control as `␛` plus its 7-bit form (a raw 0x9b CSI reads `␛[`),
and the bidirectional overrides that can reorder a line as `⟨U+202E⟩`. Newline and tab are kept.
Making them visible rather than deleting them keeps the evidence: a learner who printed an escape
sequence by mistake sees that they did.
"""

from __future__ import annotations

import dataclasses
import re

from quizapp.models import GradeResult, TestResult

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ESC = "\u241b"  # ␛


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x1B:
        return _ESC
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures block: U+240D ␍ for CR, U+2408 ␈ for BS
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return _ESC + chr(code - 0x40)  # C1: 0x9b (CSI) is ESC [, 0x9d (OSC) is ESC ]
    return f"⟨U+{code:04X}⟩"


def visible(text: str) -> str:
    """`text` with every control character except newline and tab made visible (CRLF becomes LF)."""
    return _UNSAFE.sub(_picture, text.replace("\r\n", "\n"))


def clean_test(test: TestResult) -> TestResult:
    """A test result whose name, message and output are safe to print."""
    return dataclasses.replace(test, name=visible(test.name), message=visible(test.message),
                               output=visible(test.output))


def clean_result(result: GradeResult) -> GradeResult:
    """A grade whose every string is safe to print (see the module docstring)."""
    return dataclasses.replace(result, message=visible(result.message), output=visible(result.output),
                               tests=[clean_test(t) for t in result.tests],
                               likely_mistakes=[visible(m) for m in result.likely_mistakes])
