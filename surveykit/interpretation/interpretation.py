"""The interpretation of a result: sentences from its numbers, each with the criterion it applied.

``Interpretation`` is what ``result.interpret()`` returns: 分析建议 / How to read (what to look at),
智能分析 / Interpretation (sentences generated from the numbers) and 参考文献 / References.
The registry maps result classes to their interpreter functions ``(result, language, rules)``.
"""

from __future__ import annotations

import html
import inspect
import re
from dataclasses import asdict, dataclass
from typing import Callable

from .._labels import LANGUAGES
from .._render import Summary
from .._result import Result
from ..errors import check_option
from .rules import DEFAULT_RULES, REFERENCES, USER_SET, RuleSet

__all__ = ["Interpretation", "Sentence", "interpret", "interpreted_types", "interpreter", "label_of"]

VERDICTS = ("pass", "borderline", "fail", "not_available", "info")
HEADINGS = {"zh": ("分析建议", "智能分析", "参考文献"), "en": ("How to read", "Interpretation", "References")}


@dataclass(frozen=True)
class Sentence:
    """One sentence of an interpretation.

    Attributes
    ----------
    text : str
    verdict : str
        'pass', 'borderline', 'fail' (a criterion applied to ``value``), 'not_available' (the
        value is missing) or 'info' (a statement without a threshold).
    criterion : str or None
        The criterion applied, e.g. ``'α ≥ 0.70'``.
    citation : str or None
        Its source, a short citation (a key of ``REFERENCES``) or ``'user-set'``.
    value : float or None
        The value the criterion was applied to, at full precision.
    subject : str or None
        What the sentence is about (an item, a construct, an effect).
    """

    text: str
    verdict: str = "info"
    criterion: str | None = None
    citation: str | None = None
    value: float | None = None
    subject: str | None = None


@dataclass(frozen=True)
class Interpretation(Result):
    """The generated reading of a result, in one language.

    ``str()`` is the paragraph (the sentences joined); in Jupyter it renders as 分析建议 / How to
    read, 智能分析 / Interpretation and 参考文献 / References.

    Attributes
    ----------
    result_type : str
        The class name of the result interpreted.
    language : str
        'zh' or 'en'.
    title : str
    guidance : tuple of str
        How to read the result: what each statistic means, with the thresholds of the rules.
    sentences : tuple of Sentence
        Generated from the result's numbers.
    references : tuple of str
        Full references of every source cited, sorted.
    """

    result_type: str
    language: str
    title: str
    guidance: tuple
    sentences: tuple
    references: tuple

    @property
    def paragraph(self) -> str:
        return ("" if self.language == "zh" else " ").join(s.text for s in self.sentences)

    def __str__(self) -> str:
        return self.paragraph

    def __repr__(self) -> str:
        verdicts = [s.verdict for s in self.sentences]
        counts = " ".join(f"{v}={verdicts.count(v)}" for v in VERDICTS[:3])
        return (f"<Interpretation result_type={self.result_type!r} language={self.language!r} "
                f"n_sentences={len(self.sentences)} {counts}>")

    def to_dict(self) -> dict:
        """Plain data (for JSON): the headings' texts, each sentence with its criterion and citation."""
        return {"result_type": self.result_type, "language": self.language, "title": self.title,
                "guidance": list(self.guidance), "sentences": [asdict(s) for s in self.sentences],
                "paragraph": self.paragraph, "references": list(self.references)}

    def summary(self) -> Summary:
        how, text, refs = HEADINGS[self.language]
        return Summary(title=self.title, lines=[f"{how}:", *self.guidance, f"{text}:", self.paragraph, f"{refs}:",
                                                *self.references])

    def _repr_html_(self) -> str:
        esc = html.escape
        how, text, refs = HEADINGS[self.language]
        parts = [f"<div class='surveykit-interpretation'><h4>{esc(self.title)}</h4>", f"<h5>{how}</h5><ul>",
                 *(f"<li>{esc(g)}</li>" for g in self.guidance), f"</ul><h5>{text}</h5><p>",
                 esc(self.paragraph), f"</p><h5>{refs}</h5><ol>", *(f"<li>{esc(r)}</li>" for r in self.references),
                 "</ol></div>"]
        return "".join(parts)


Interpreter = Callable[[object, str, RuleSet], Interpretation]
_REGISTRY: dict[type, Interpreter] = {}


def interpreter(result_type: type):
    """Register the decorated function ``(result, language, rules) -> Interpretation`` for ``result_type``."""
    def register(func: Interpreter) -> Interpreter:
        _REGISTRY[result_type] = func
        return func
    return register


def interpreted_types() -> tuple:
    """The result classes that have an interpreter."""
    return tuple(_REGISTRY)


def interpret(result, language: str = "zh", rules: RuleSet | None = None, *, labels=None) -> Interpretation:
    """Interpret ``result`` in ``language`` by ``rules`` (default :data:`DEFAULT_RULES`).

    ``labels`` maps the ids the result is indexed by (constructs, items, nodes) to the names
    the sentences use: the questionnaire layer passes its labels, so that a paragraph says
    感知价值 where the numeric result says ``perceived_value``. A label is a string, or
    anything with ``.get(language)`` (a questionnaire ``Text``, ``{'zh': ..., 'en': ...}``).

    Raises
    ------
    ValueError
        An unknown language.
    TypeError
        ``rules`` that is not a RuleSet; ``labels`` for a result whose interpreter names nothing.
    NotImplementedError
        No interpreter for the result's class (the message lists the classes that have one).
    """
    check_option("language", language, LANGUAGES, function="interpret")
    rules = DEFAULT_RULES if rules is None else rules
    if not isinstance(rules, RuleSet):
        raise TypeError(f"The 'rules' parameter of interpret must be a surveykit.RuleSet (or None for the defaults); "
                        f"got {type(rules).__name__}.")
    for cls in type(result).__mro__:
        if cls in _REGISTRY:
            func = _REGISTRY[cls]
            if labels is None:
                return func(result, language, rules)
            if "labels" not in inspect.signature(func).parameters:
                raise TypeError(f"The interpreter of {type(result).__name__} names no constructs or items: it "
                                "takes no 'labels'.")
            return func(result, language, rules, labels=dict(labels))
    names = ", ".join(sorted(t.__name__ for t in _REGISTRY))
    raise NotImplementedError(f"{type(result).__name__} has no interpreter yet; results that have one: {names}.")


def label_of(labels, key, language: str) -> str:
    """The name of ``key`` in ``language``: its label when ``labels`` has one, else ``key`` itself.

    >>> label_of({"perceived_value": {"zh": "感知价值", "en": "Perceived value"}}, "perceived_value", "en")
    'Perceived value'
    >>> label_of({}, "sat_1", "zh")
    'sat_1'
    """
    value = (labels or {}).get(key)
    if value is None:
        return str(key)
    if hasattr(value, "get"):
        value = value.get(language)
    return str(value) if value else str(key)


def in_language(labels: dict, language: str) -> dict:
    """Labels in 'both' form ('感知价值 / Perceived value', as ``Text.get('both')`` joins them) as
    ``{'zh': ..., 'en': ...}``; a label without the separator is kept as it is."""
    out = {}
    for k, v in labels.items():
        if language == "both" and isinstance(v, str) and " / " in v:
            zh, en = v.split(" / ", 1)
            out[k] = {"zh": zh, "en": en}
        else:
            out[k] = v
    return out


def build(result, language: str, title: tuple, guidance: list, sentences: list) -> Interpretation:
    """The Interpretation of ``result``: ``title`` is (zh, en); the references are those cited in it.

    A citation that is not a publication (a test's name, ``'user-set'``) is left out of the references; one
    given in a RuleSet's ``citations`` that names a year is listed as given.
    """
    cited = {part.strip() for s in sentences if s.citation for part in s.citation.split(";")}
    cited |= {key for key in REFERENCES if any(key in g for g in guidance)}
    refs = tuple(sorted(REFERENCES.get(c, c) for c in cited
                        if c in REFERENCES or (c != USER_SET and re.search(r"\b(1[89]|20)\d\d\b", c))))
    return Interpretation(result_type=type(result).__name__, language=language,
                          title=title[LANGUAGES.index(language)], guidance=tuple(guidance),
                          sentences=tuple(sentences), references=refs)
