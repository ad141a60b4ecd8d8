"""The lavaan model syntax, parsed into statements (private to ``structural``).

Supported: ``=~`` (measurement), ``~`` (regression), ``~~`` ((co)variance), ``~ 1``
(intercept / mean), ``:=`` (defined parameter), modifiers ``a*x`` (label), ``1*x`` / ``0*x``
(fixed value), ``NA*x`` (free), ``c(a, b)*x`` / ``c(1, NA)*x`` (one modifier per group),
comments (``#`` and ``!``), statements on several lines and several statements on one line
(separated by ``;``). Not supported (a clear error): ``==``, ``<``, ``>`` constraints,
``start()``, ``equal()``, ``|`` thresholds, ``<~`` composites.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

__all__ = ["Statement", "Defined", "parse_model"]

_OPERATORS = ("=~", ":=", "~~", "==", "<~", "~", "<", ">", "|")
_NAME = re.compile(r"^[A-Za-z_.\u4e00-\u9fff][\w.\u4e00-\u9fff]*$")
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


@dataclass(frozen=True)
class Statement:
    """``lhs op rhs`` with its modifier: a label (str), a fixed value (float), None or ``"NA"``
    (free), or a tuple of those, one per group."""

    lhs: str
    op: str
    rhs: str
    modifier: object = None


@dataclass(frozen=True)
class Defined:
    """``name := expression``; ``names`` are the labels the expression uses."""

    name: str
    expression: str
    names: tuple


def _error(line: str, what: str) -> ValueError:
    return ValueError(f"sem: cannot read the model statement {line.strip()!r}: {what}")


def _logical_lines(model: str) -> list[str]:
    """Statements without comments, joining a line that ends with an operator, '+' or '*' to the next one."""
    lines = []
    for raw in model.splitlines():
        for part in re.sub(r"[#!].*", "", raw).split(";"):
            part = part.strip()
            if not part:
                continue
            if lines and (re.search(r"(=~|~~|~|:=|\+|\*)$", lines[-1]) or re.match(r"^(\+|\*)", part)
                          or not any(op in part for op in _OPERATORS)):
                lines[-1] = f"{lines[-1]} {part}"
            else:
                lines.append(part)
    return lines


def _modifier_value(text: str, line: str):
    text = text.strip()
    if text == "NA":
        return "NA"  # free (also the first indicator of a factor)
    if _NUMBER.match(text):
        return float(text)
    if _NAME.match(text):
        return text
    raise _error(line, f"the modifier {text!r} is neither a label, a number nor NA.")


def _term(term: str, line: str):
    """``(rhs, modifier)`` of one right-hand-side term."""
    parts = [p.strip() for p in term.split("*")]
    if any(not p for p in parts):
        raise _error(line, f"the term {term!r} has an empty part around '*'.")
    if len(parts) > 2:
        raise _error(line, f"the term {term!r} has more than one modifier; give one (a label or a value).")
    if len(parts) == 1:
        return parts[0], None
    mod, rhs = parts
    if re.match(r"^(start|equal|label|lower|upper)\s*\(", mod):
        raise _error(line, f"the modifier {mod!r} is not supported; use a label (a*x) or a fixed value (1*x).")
    m = re.match(r"^c\s*\((.*)\)$", mod)
    if m:
        return rhs, tuple(_modifier_value(v, line) for v in m.group(1).split(","))
    return rhs, _modifier_value(mod, line)


def _defined(name: str, expression: str, line: str) -> Defined:
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        raise _error(line, f"the expression {expression!r} is not valid arithmetic.") from None
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Load, ast.Add, ast.Sub,
               ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd, ast.Call)
    names = []
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise _error(line, "only + - * / ^ and sqrt/exp/log/abs of labels and numbers are allowed in ':='.")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name)
                                               and node.func.id in ("sqrt", "exp", "log", "abs")):
            raise _error(line, "only sqrt(), exp(), log() and abs() may be called in ':='.")
        if isinstance(node, ast.Name) and node.id not in ("sqrt", "exp", "log", "abs") and node.id not in names:
            names.append(node.id)
    return Defined(name, expression, tuple(names))


def parse_model(model: str) -> tuple[list[Statement], list[Defined]]:
    """The statements and defined parameters of a lavaan model string, in the order written."""
    if not isinstance(model, str):
        raise TypeError(f"sem takes model as a lavaan model string, e.g. 'f1 =~ x1 + x2 + x3'; "
                        f"got {type(model).__name__}.")
    statements, defined = [], []
    for line in _logical_lines(model):
        op = next((o for o in _OPERATORS if o in line), None)
        if op is None:
            raise _error(line, "it has no operator (=~, ~, ~~, ':=').")
        if op in ("==", "<", ">", "<~", "|"):
            raise _error(line, f"the operator {op!r} is not supported (only =~, ~, ~~, ~ 1 and :=).")
        lhs, rhs = (s.strip() for s in line.split(op, 1))
        if op == ":=":
            if not _NAME.match(lhs):
                raise _error(line, f"{lhs!r} is not a valid name for a defined parameter.")
            defined.append(_defined(lhs, rhs.replace("^", "**"), line))
            continue
        lhs_names = [s.strip() for s in lhs.split("+")]
        if not lhs or not all(_NAME.match(n) for n in lhs_names):
            raise _error(line, f"the left-hand side {lhs!r} is not a variable name.")
        if not rhs:
            raise _error(line, "the right-hand side is empty.")
        for left in lhs_names:
            for term in rhs.split("+"):
                name, mod = _term(term, line)
                if op == "~" and name == "1":
                    statements.append(Statement(left, "~1", "", mod))
                    continue
                if not _NAME.match(name):
                    raise _error(line, f"{name!r} is not a variable name.")
                statements.append(Statement(left, op, name, mod))
    if not statements:
        raise ValueError("sem: the model has no statements; write e.g. 'f1 =~ x1 + x2 + x3'.")
    return statements, defined
