"""The study's PLS model (ACSI / ECSI / CCSI from the roles) and its importance-performance map
(``SurveyData.ipma``), with every construct named by its questionnaire label."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd

from .._render import Summary
from .._result import Result
from ..errors import QuestionnaireError, SurveykitWarning, check_option
from .csi import csi_model
from .ipma import SPLITS, IPMAResult, ipma
from .pls import PLSResult

__all__ = ["SurveyIPMA", "SurveyPLS", "survey_ipma"]

#: the target of the map when none is given: the last construct of the satisfaction index chain present
TARGETS = ("loyalty", "satisfaction")
#: role -> (zh, en): the names of the satisfaction index constructs (a role that names one item is called so)
ROLE_NAMES = {"image": ("企业形象", "Image"), "expectations": ("顾客期望", "Customer expectations"),
              "perceived_quality": ("感知质量", "Perceived quality"), "perceived_value": ("感知价值", "Perceived value"),
              "satisfaction": ("顾客满意度", "Customer satisfaction"), "complaints": ("顾客抱怨", "Customer complaints"),
              "loyalty": ("顾客忠诚度", "Customer loyalty")}


@dataclass(frozen=True)
class SurveyPLS(Result):
    """The study's PLS path model (:meth:`SurveyData.csi_model`) with its constructs' labels.

    Attributes
    ----------
    result : PLSResult
        The numeric model, constructs by role id (``perceived_value``, ``satisfaction`` ...).
    labels : dict
        Construct -> its label in ``language`` (the role's construct label, or the item's text
        for a one-item block).
    language : str
    """

    result: PLSResult
    labels: dict
    language: str

    @property
    def n_obs(self) -> int:
        return self.result.n_obs

    def to_frame(self) -> pd.DataFrame:
        """The structural paths: ``path`` (labels), ``target``, ``predictor`` (ids), ``estimate, se, t, p_value``,
        and the target's ``r_squared``."""
        t = self.result.inner_model.copy()
        t.insert(0, "path", [f"{self.labels.get(p, p)} → {self.labels.get(q, q)}"
                             for p, q in zip(t["predictor"], t["target"])])
        t["r_squared"] = t["target"].map(self.result.r_squared).astype(float)
        return t.set_index("path")

    def summary(self) -> Summary:
        s = self.result.summary()
        return Summary(title="PLS path model of the satisfaction index", lines=s.lines,
                       tables=[("Paths", self.to_frame()), *s.tables[1:]])

    def __repr__(self) -> str:
        return f"<SurveyPLS n_lv={len(self.result.blocks)} gof={self.result.gof:.3f} n_obs={self.n_obs}>"


@dataclass(frozen=True)
class SurveyIPMA(Result):
    """The importance-performance map of the study's PLS model, its constructs labelled.

    Attributes
    ----------
    result : IPMAResult
        The numeric map (:func:`surveykit.indices.ipma.ipma`), constructs by role id.
    model : SurveyPLS
        The PLS model it reads (its importance = the model's unstandardized total effects).
    labels : dict
        Construct -> its label in ``language``.
    language : str
    weighted : bool
        Performance weighted by the questionnaire's weight column (importance never is).
    notes : tuple of str
    """

    result: IPMAResult
    model: SurveyPLS
    labels: dict
    language: str
    weighted: bool
    notes: tuple[str, ...] = ()

    @property
    def target(self) -> str:
        return self.result.target

    @property
    def n_obs(self) -> int:
        return self.result.n_obs

    def to_frame(self) -> pd.DataFrame:
        """By predecessor construct: ``label`` and the columns of ``IPMAResult.table`` (importance,
        performance, performance_se, std_total, direct, quadrant, quadrant_label, priority)."""
        t = self.result.table.copy()
        t.insert(0, "label", [self.labels.get(c, c) for c in t.index])
        return t

    def summary(self) -> Summary:
        s = self.result.summary()
        return Summary(title=f"{s.title}: {self.labels.get(self.target, self.target)}",
                       lines=[*s.lines, *(n for n in self.notes if n not in s.lines)],
                       tables=[("Predecessors by priority", self.to_frame().sort_values("priority"))])

    def __repr__(self) -> str:
        return (f"<SurveyIPMA target={self.target!r} n_predecessors={len(self.result.table)} "
                f"weighted={self.weighted} n_obs={self.n_obs}>")


def _label(q, role: str, lang: str) -> str:
    """The label of the construct the role names; for a role naming an item, the construct's name (顾客抱怨)."""
    ref = q.roles.get(role)
    if isinstance(ref, str) and ref in q.constructs and q.constructs[ref].label.get(lang):
        return q.constructs[ref].label.get(lang)
    zh, en = ROLE_NAMES.get(role, (role, role))
    return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")


def survey_ipma(data, *, target: str | None = None, split: str = "mean", language: str | None = None) -> SurveyIPMA:
    """Importance-performance map (IPMA) of the study's satisfaction index PLS model.

    The model is :meth:`SurveyData.csi_model` (the ACSI / ECSI / CCSI paths between the roles
    the questionnaire names, items on their answer scales, 0-100 indices by the scales' end
    points); the map is :func:`surveykit.indices.ipma.ipma` of its ``target``: importance = the
    unstandardized total effect of each predecessor on the target's 0-100 index, performance =
    the predecessor's mean 0-100 index, weighted by the questionnaire's weight column when it
    names one (the model itself is unweighted, as ``pls_pm``).

    Parameters
    ----------
    data : SurveyData
    target : str, optional
        The target construct (a role of the model). Default: ``'loyalty'`` when the model has
        it with a path leading to it, else ``'satisfaction'`` -- the end of the index chain, so
        that every other construct of the model is on the map.
    split : {'mean', 'midpoint'}, default 'mean'
        The quadrants' crosshair (see :func:`~surveykit.indices.ipma.ipma`).
    language : {'zh', 'en', 'both'}, optional
        Language of the labels and quadrant names (default: the questionnaire's).

    Returns
    -------
    SurveyIPMA

    Raises
    ------
    QuestionnaireError
        The roles give no PLS model (fewer than two linked roles), or no target with a path
        leading to it.
    ValueError
        An unknown ``target`` or option.

    Notes
    -----
    Importance and performance are checked against R in ``tests/reference/ipma.R`` (through
    the numeric :func:`~surveykit.indices.ipma.ipma`). The model's warnings (scale end points,
    negative weights, few predecessors) are kept in ``notes``.

    Examples
    --------
    >>> import surveykit as sk
    >>> m = sk.example_data().ipma(language="en")
    >>> m.target, list(m.to_frame()["label"])[:1]
    ('loyalty', ['Perceived value'])
    """
    q = data.questionnaire
    lang = language or q.language
    check_option("language", lang, ("zh", "en", "both"), function="ipma")
    check_option("split", split, SPLITS, function="ipma")
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = csi_model(data)
        if target is None:
            target = next((t for t in TARGETS if t in model.paths), None)
            if target is None:
                raise QuestionnaireError(q.id, [("roles", "the importance-performance map needs the role 'satisfaction' "
                                                          "or 'loyalty' with a path leading to it")])
        elif target not in model.blocks:
            raise ValueError(f"The 'target' parameter of ipma must be a construct of the study's PLS model, one of "
                             f"{list(model.blocks)}. Got {target!r} instead.")
        weights = None if data.weights is None else pd.Series(data.weights, index=data.responses.index)
        result = ipma(model, target, weights=weights, split=split, language=lang)
    notes += [str(c.message) for c in caught if issubclass(c.category, SurveykitWarning)]
    labels = {lv: _label(q, lv, lang) for lv in model.blocks}
    for note in dict.fromkeys(notes):
        warnings.warn(SurveykitWarning(note), stacklevel=2)
    return SurveyIPMA(result=result, model=SurveyPLS(result=model, labels=labels, language=lang), labels=labels,
                      language=lang, weighted=weights is not None, notes=tuple(dict.fromkeys(notes)))
