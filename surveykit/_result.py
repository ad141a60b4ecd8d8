"""The behaviour every result object shares.

Private to the package. A result is a frozen dataclass with ``summary() -> Summary``; the
mixin renders that summary in Jupyter, so no result writes its own ``_repr_html_``.
(statsmodels' results render through ``iolib/summary.py`` the same way.)
"""

from __future__ import annotations

__all__ = ["Result"]


class Result:
    """Mixin of the result classes: ``_repr_html_`` is the HTML of ``summary()``; the one-line repr.

    A plain class without fields or ``__init__``, so a frozen dataclass can inherit it and
    still pickles as before.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def interpret(self, language: str = "zh", rules=None):
        """The result read in words, from its numbers and named, cited criteria.

        Parameters
        ----------
        language : {'zh', 'en'}
        rules : surveykit.RuleSet, optional
            The thresholds applied (default ``surveykit.interpretation.DEFAULT_RULES``).

        Returns
        -------
        surveykit.Interpretation
            分析建议 / How to read, 智能分析 / Interpretation (``str()``) and 参考文献 / References.

        Raises
        ------
        NotImplementedError
            The result's class has no interpreter yet (``surveykit.interpretation`` lists those that do).

        Examples
        --------
        >>> import surveykit as sk
        >>> print(sk.nps([10, 9, 9, 8, 7, 6, 10, 9, 3, 10]).interpret("en").sentences[1].text)
        The NPS is in the good band (30 ≤ NPS < 70; the bands are a practitioners' convention, not a statistical criterion).
        """
        from .interpretation import interpret

        return interpret(self, language, rules)

    def _one_line(self, fields: str) -> str:
        """``<ClassName name='q1' fields>``, the result's one-line repr (``name=`` only when it has a name)."""
        name = getattr(self, "name", None)
        return f"<{type(self).__name__}{'' if name is None else f' name={name!r}'} {fields}>"
