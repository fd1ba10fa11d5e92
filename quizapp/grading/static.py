"""Checks made on the submission's text before anything runs: syntax and forbidden APIs.

They run in the parent process (no torch needed), so these errors come back in milliseconds and a
forbidden call is never executed even once.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class StaticProblem:
    """Why a submission cannot be run, with the source line it refers to."""

    message: str
    line: int | None


def check_syntax(source: str, filename: str = "submission.py") -> StaticProblem | None:
    """A syntax error as Python shows it: message, line and a caret under the column."""
    try:
        ast.parse(source, filename=filename)
    except SyntaxError as exc:
        line = exc.lineno or 1
        text = (exc.text or "").rstrip("\n")
        caret = ""
        if text and exc.offset:
            stripped = text.lstrip()
            indent = len(text) - len(stripped)
            caret = "\n    " + stripped + "\n    " + " " * max(exc.offset - 1 - indent, 0) + "^"
        return StaticProblem(f"SyntaxError: {exc.msg} (line {line}){caret}", line)
    except ValueError as exc:  # e.g. source with NUL bytes
        return StaticProblem(f"SyntaxError: {exc}", None)
    return None


def _matches(name: str, patterns: Iterable[str]) -> str | None:
    for pattern in patterns:
        if fnmatch.fnmatchcase(name, pattern) or name.startswith(pattern + "."):
            return pattern
    return None


class _References(ast.NodeVisitor):
    """Collects every dotted name the module references, resolving import aliases."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.found: list[tuple[str, int]] = []
        self.keywords: list[tuple[str, int]] = []

    def _add(self, name: str, node: ast.AST) -> None:
        self.found.append((name, getattr(node, "lineno", 0)))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.aliases[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self._add(module, node)
        for alias in node.names:
            full = f"{module}.{alias.name}" if module else alias.name
            self._add(full, node)
            self.aliases[alias.asname or alias.name] = full

    def _dotted(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self._dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = self._dotted(node)
        if name:
            self._add(name, node)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        self._add(self.aliases.get(node.id, node.id), node)

    def visit_Call(self, node: ast.Call) -> None:
        func = self._dotted(node.func)
        args = node.args
        # getattr(torch.nn.functional, "dropout") and importlib.import_module("torch.optim").
        if func == "getattr" and len(args) >= 2 and isinstance(args[1], ast.Constant) \
                and isinstance(args[1].value, str):
            base = self._dotted(args[0])
            if base:
                self._add(f"{base}.{args[1].value}", node)
        if func in {"importlib.import_module", "__import__"} and args and isinstance(args[0], ast.Constant) \
                and isinstance(args[0].value, str):
            self._add(args[0].value, node)
        for kw in node.keywords:
            if kw.arg is not None:
                self.keywords.append((kw.arg, node.lineno))
            elif isinstance(kw.value, ast.Dict):
                for key in kw.value.keys:
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        self.keywords.append((key.value, node.lineno))
        self.generic_visit(node)


def check_forbidden(source: str, forbidden: Iterable[str]) -> StaticProblem | None:
    """The first reference to a forbidden API: a dotted name (fnmatch pattern) or `kwarg:NAME`."""
    forbidden = list(forbidden)
    if not forbidden:
        return None
    names = [f for f in forbidden if not f.startswith("kwarg:")]
    kwargs = {f.removeprefix("kwarg:") for f in forbidden if f.startswith("kwarg:")}
    visitor = _References()
    visitor.visit(ast.parse(source))
    hits: list[tuple[int, str]] = []
    for name, line in visitor.found:
        if _matches(name, names):
            hits.append((line, f"forbidden API: {name} (line {line}); this question asks you to implement it "
                               "yourself"))
    for kw, line in visitor.keywords:
        if kw in kwargs:
            hits.append((line, f"forbidden API: the keyword argument {kw}= (line {line}); this question asks "
                               "you to implement it yourself"))
    if not hits:
        return None
    line, message = min(hits)
    return StaticProblem(message, line)
