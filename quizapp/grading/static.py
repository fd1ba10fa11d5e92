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
        return StaticProblem(f"SyntaxError: {exc.msg}{caret}", line)
    except ValueError as exc:  # e.g. source with NUL bytes
        return StaticProblem(f"SyntaxError: {exc}", None)
    return None


def _matches(name: str, patterns: Iterable[str]) -> str | None:
    for pattern in patterns:
        if fnmatch.fnmatchcase(name, pattern) or name.startswith(pattern + "."):
            return pattern
    return None


class _References(ast.NodeVisitor):
    """Collects every dotted name the module references, resolving aliases: imports (`import
    torch.nn.functional as F`) and plain assignments of modules and attributes (`F = torch.nn.functional`,
    `drop = F.dropout`, `F = getattr(torch.nn, "functional")`, walrus and tuple targets included).

    Aliases are resolved before any reference is collected, wherever they are assigned, so a function
    that uses `F` before the module-level line that binds it is still seen through."""

    def __init__(self, tree: ast.AST) -> None:
        self.aliases: dict[str, str] = {}
        self.found: list[tuple[str, int]] = []
        self.keywords: list[tuple[str, int]] = []
        self._collect_aliases(tree)

    def _collect_aliases(self, tree: ast.AST) -> None:
        for _ in range(8):  # chains (`a = torch.nn; F = a.functional`) settle in a few rounds
            before = dict(self.aliases)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        top = alias.name.split(".")[0]
                        self.aliases[alias.asname or top] = alias.name if alias.asname else top
                elif isinstance(node, ast.ImportFrom):
                    module = node.module or ""
                    for alias in node.names:
                        self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}" if module else alias.name
                elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        self._bind(target, node.value)
            if self.aliases == before:
                return

    def _bind(self, target: ast.AST, value: ast.AST) -> None:
        if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
                and len(target.elts) == len(value.elts):
            for t, v in zip(target.elts, value.elts, strict=True):
                self._bind(t, v)
        elif isinstance(target, ast.Name):
            dotted = self._dotted(value) or self._getattr_name(value)
            if dotted and dotted != target.id:
                self.aliases[target.id] = dotted

    def _getattr_name(self, node: ast.AST) -> str | None:
        """`getattr(torch.nn, "functional")` as the dotted name it evaluates to."""
        if isinstance(node, ast.Call) and self._dotted(node.func) == "getattr" and len(node.args) >= 2 \
                and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
            base = self._dotted(node.args[0])
            return f"{base}.{node.args[1].value}" if base else None
        return None

    def _add(self, name: str, node: ast.AST) -> None:
        self.found.append((name, getattr(node, "lineno", 0)))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self._add(module, node)
        for alias in node.names:
            self._add(f"{module}.{alias.name}" if module else alias.name, node)

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
        resolved = self._getattr_name(node)
        if resolved:
            self._add(resolved, node)
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
    tree = ast.parse(source)
    visitor = _References(tree)
    visitor.visit(tree)
    hits: list[tuple[int, str]] = []
    for name, line in visitor.found:
        if _matches(name, names):
            hits.append((line, f"forbidden API: {name}; this question asks you to implement it yourself"))
    for kw, line in visitor.keywords:
        if kw in kwargs:
            hits.append((line, f"forbidden API: the keyword argument {kw}=; this question asks you to implement "
                               "it yourself"))
    if not hits:
        return None
    line, message = min(hits)
    return StaticProblem(message, line)
