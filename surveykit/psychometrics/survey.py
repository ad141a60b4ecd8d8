"""The questionnaire layer of psychometrics: every construct, reverse keys applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .._render import Summary
from .reliability import ReliabilityResult, reliability

if TYPE_CHECKING:  # pragma: no cover
    from ..data import SurveyData

__all__ = ["ConstructReliability", "construct_reliability"]


@dataclass(frozen=True)
class ConstructReliability:
    """Reliability of every multi-item construct of a questionnaire."""

    results: dict[str, ReliabilityResult]
    labels: dict[str, str]

    def to_frame(self) -> pd.DataFrame:
        rows = [{"construct": name, "label": self.labels[name], "n_items": r.n_items, "n_obs": r.n_obs,
                 "alpha": r.alpha, "ci_low": r.ci_low, "ci_high": r.ci_high, "std_alpha": r.std_alpha,
                 "min_r_drop": float(r.items["r_drop"].min())} for name, r in self.results.items()]
        return pd.DataFrame(rows).set_index("construct")

    def summary(self) -> Summary:
        return Summary(title="Reliability of constructs",
                       lines=["Cronbach's alpha with Feldt 95% CI; reverse-worded items recoded; listwise per construct"],
                       tables=[("Constructs", self.to_frame())])

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        return f"<ConstructReliability n_constructs={len(self.results)}>"


def construct_reliability(data: "SurveyData", *, language: str | None = None) -> ConstructReliability:
    """Cronbach's alpha and item analysis of each construct with two or more items.

    Items are reverse-coded as the questionnaire says before anything is computed; each
    construct uses the respondents who answered all its items (listwise, as SPSS).
    """
    import warnings

    from ..errors import SurveykitWarning

    q = data.questionnaire
    scored = data.scored_items()
    results, labels = {}, {}
    for name, c in q.constructs.items():
        if len(c.items) < 2:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SurveykitWarning)  # kept as notes on each result
            results[name] = reliability(scored.loc[:, list(c.items)])
        labels[name] = c.label.get(language or q.language)
    return ConstructReliability(results=results, labels=labels)
