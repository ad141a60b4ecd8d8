"""Importance-performance map analysis (IPMA) of a PLS path model (Ringle & Sarstedt 2016).

For a target construct (say satisfaction), every construct with a path to it (direct or
through others: its predecessors) is placed by

* **importance**: its unstandardized total effect on the target: how many points the target's
  0-100 index moves when the predecessor's 0-100 index moves one point, all paths added up;
* **performance**: the mean of its 0-100 index over the respondents (weighted with survey
  weights).

What is computed, step by step (the SmartPLS convention; Ringle & Sarstedt 2016, Hair et al.
2024 ch. 8):

1. every item is rescaled to 0-100 by its answer scale's end points, ``100 (x - a) / (b - a)``;
2. the outer weights are unstandardized (divided by the item's sd when ``scaled=True``; as
   estimated when ``scaled=False``) and normed to sum to 1 in each block;
3. a construct's rescaled score is the weighted sum of its rescaled items. Steps 1-3 are the
   0-100 index of :func:`surveykit.indices.pls.pls_pm` (``PLSResult.index_scores``, ACSI method);
4. the unstandardized path coefficients are the OLS coefficients (with an intercept) of each
   endogenous construct's rescaled score on its predictors' rescaled scores, over the
   respondents the model used (unweighted, as the model itself);
5. the unstandardized total effects are ``(I - B)⁻¹ - I`` of that path matrix B; the
   importance of predecessor j for target t is ``T[t, j]``;
6. performance is the (weighted) mean of the rescaled score.

When all items of a block share one answer scale, the rescaled score is a linear function of
the standardized score, so step 4 gives b_std x sd(rescaled target) / sd(rescaled predictor)
for a single predictor and the order of the standardized total effects is kept (``std_total``,
plspm ``$effects``, is in the table for comparison). Only the construct level is computed (the
indicator-level map of SmartPLS is left out).

References: Ringle, C. M., & Sarstedt, M. (2016). Gain more insight from your PLS-SEM
results: The importance-performance map analysis. Industrial Management & Data Systems,
116(9), 1865-1886. Hair, J. F., Hult, G. T. M., Ringle, C. M., & Sarstedt, M. (2024). A primer
on partial least squares structural equation modeling (3rd ed.). Sage.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import check_weights
from .._linear import ols
from .._render import Summary
from .._result import Result
from ..errors import SurveykitWarning, check_option
from .ipa import IPA_LANGUAGES, ipa
from .pls import PLSResult
from .weighted import weighted_mean

__all__ = ["IPMAResult", "ipma"]

SPLITS = ("mean", "midpoint")


@dataclass(frozen=True)
class IPMAResult(Result):
    """The importance-performance map of the predecessors of one target construct of a PLS model.

    Attributes
    ----------
    table : DataFrame
        By predecessor construct (in the model's order): ``importance`` (unstandardized total
        effect on the target, points of the target's 0-100 index per point of the
        predecessor's), ``performance`` (mean 0-100 index, weighted when weights were given),
        ``performance_se`` (its standard error: t-based sd / sqrt(n) unweighted, Taylor
        linearization weighted), ``std_total`` (the standardized total effect, plspm
        ``$effects``), ``direct`` (the unstandardized direct effect, 0 without a direct path),
        ``quadrant`` (``'concentrate'``, ``'keep_up'``, ``'low_priority'``, ``'overkill'`` as
        :func:`surveykit.indices.ipa.ipa`), ``quadrant_label`` and ``priority`` (1 = act first).
    target : str
        The target construct.
    target_performance : float
        The target's own mean 0-100 index (weighted when weights were given).
    path_coefs : DataFrame
        The unstandardized path coefficients ``path_coefs.loc[target, source]`` (step 4 of the
        module docstring).
    total_effects : DataFrame
        ``(I - B)⁻¹ - I`` of them, ``total_effects.loc[to, from]``.
    split : tuple of float
        The crosshair (performance, importance) of the quadrants.
    split_method : str
        'mean' (the means over the predecessors) or 'midpoint' (performance 50 and the mean importance).
    performance_range, importance_range : tuple of float
        The ranges the IPA chart maps to 0-1 (performance 0-100).
    n_obs : int
        Respondents behind the scores.
    weighted : bool
    notes : tuple of str
    """

    table: pd.DataFrame
    target: str
    target_performance: float
    path_coefs: pd.DataFrame
    total_effects: pd.DataFrame
    split: tuple[float, float]
    split_method: str
    performance_range: tuple[float, float]
    importance_range: tuple[float, float]
    labels: dict
    language: str
    n_obs: int
    weighted: bool
    label_overrides: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    method = "ipma"  # what plot_ipa reads to name the importance axis

    @property
    def outcome(self) -> str:
        return self.target

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        lines = [f"Target {self.target!r}: performance {self.target_performance:.2f} (0-100); {len(self.table)} "
                 f"predecessors; importance = unstandardized total effect on the 0-100 scores (Ringle & Sarstedt "
                 f"2016); n = {self.n_obs}" + (" (weighted performance)" if self.weighted else ""),
                 f"Quadrants split at performance {self.split[0]:.4g}, importance {self.split[1]:.4g} "
                 f"({self.split_method})", *self.notes]
        return Summary(title="Importance-performance map (IPMA)", lines=lines,
                       tables=[("Predecessors by priority", self.table.sort_values("priority")),
                               ("Unstandardized path coefficients", self.path_coefs)])

    def __repr__(self) -> str:
        top = self.table["importance"].idxmax() if len(self.table) else None
        return (f"<IPMAResult target={self.target!r} n_predecessors={len(self.table)} top={top!r} "
                f"target_performance={self.target_performance:.2f} n_obs={self.n_obs}>")


def _weights(weights, scores: pd.DataFrame) -> np.ndarray | None:
    """Weights of the respondents behind the scores: a Series by the data's row labels, or one per row used."""
    if weights is None:
        return None
    if isinstance(weights, pd.Series):
        missing = scores.index.difference(weights.index)
        if len(missing):
            raise ValueError(f"The 'weights' Series of ipma has no weight for {len(missing)} of the {len(scores)} "
                             f"respondents the PLS model used (rows {list(missing[:5])}); index it like the data "
                             "passed to pls_pm.")
        weights = weights.reindex(scores.index)
    elif len(weights) != len(scores):
        raise ValueError(f"The 'weights' parameter of ipma must give one weight per respondent the PLS model used "
                         f"({len(scores)}), or be a Series indexed like the data; got {len(weights)} values.")
    return check_weights(np.asarray(weights, dtype=float), len(scores), scores.index, "ipma")


def _unstandardized(result: PLSResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """OLS path coefficients of the rescaled scores (B[target, source]) and the total effects (I - B)⁻¹ - I."""
    lvs = list(result.blocks)
    scores = result.index_scores[lvs].to_numpy(dtype=float)
    n, m = scores.shape
    b = np.zeros((m, m))
    for target, preds in result.paths.items():
        k, cols = lvs.index(target), [lvs.index(p) for p in preds]
        design = np.column_stack([np.ones(n), scores[:, cols]])
        b[k, cols] = ols(design, scores[:, k], 0.95)["estimate"][1:]
    total = np.linalg.inv(np.eye(m) - b) - np.eye(m)
    index = pd.Index(lvs, name="target")
    return (pd.DataFrame(b, index=index, columns=pd.Index(lvs, name="source")),
            pd.DataFrame(total, index=index, columns=pd.Index(lvs, name="source")))


def _performance(scores: pd.Series, w) -> tuple[float, float]:
    x = scores.to_numpy(dtype=float)
    if w is None:
        return float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x)))
    r = weighted_mean(x, weights=w)
    return float(r.estimate), float(r.se)


def ipma(result: PLSResult, target: str, *, weights=None, split: str = "mean", language: str = "both",
         labels=None) -> IPMAResult:
    """Importance-performance map analysis (IPMA) of the predecessors of a target construct.

    Parameters
    ----------
    result : PLSResult
        A PLS path model from :func:`surveykit.indices.pls.pls_pm`, fitted with the answer
        scales' end points (``scale_min``, ``scale_max``) so its 0-100 index is on the scale.
    target : str
        The target construct (endogenous), e.g. ``'SAT'`` or ``'LOY'``.
    weights : Series or array-like, optional
        Survey weights for performance: a Series indexed like the data passed to ``pls_pm``,
        or one weight per respondent the model used (its rows, in order). Importance comes
        from the model, which is unweighted.
    split : {'mean', 'midpoint'}, default 'mean'
        Quadrant split: the means over the predecessors of performance and importance, or
        performance 50 (the middle of 0-100) with the mean importance.
    language : {'both', 'zh', 'en'}
        Language of the quadrant names in the table.
    labels : mapping, optional
        Quadrant code -> name, overriding the defaults (as :func:`surveykit.indices.ipa.ipa`).

    Returns
    -------
    IPMAResult

    Raises
    ------
    ValueError
        ``target`` not a construct of the model, or exogenous (nothing predicts it); bad options
        or weights that do not match the respondents.
    DataError
        Weights missing, zero or negative.

    Warns
    -----
    SurveykitWarning
        The model's 0-100 index used the observed range (no scale end points given); an item
        with a negative weight (performance then leaves 0-100); a negative importance; fewer
        than 3 predecessors (quadrants say little).

    Notes
    -----
    The computation is set out in the module docstring (SmartPLS's IPMA at the construct level,
    Ringle & Sarstedt 2016). R: ``plspm`` has no IPMA; cSEM ``doIPMA()`` computes the same
    after the items are rescaled to 0-100 by hand. The check against R
    (``tests/reference/ipma.R``) rescales the items, applies the plspm outer weights and fits
    the ``lm`` regressions of step 4 in base R.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit.indices.pls import pls_pm
    >>> from surveykit.indices.ipma import ipma
    >>> rng = np.random.default_rng(3)
    >>> qual = rng.normal(size=300)
    >>> val = 0.5 * qual + 0.8 * rng.normal(size=300)
    >>> sat = 0.4 * qual + 0.4 * val + 0.7 * rng.normal(size=300)
    >>> items = pd.DataFrame({f"{lv}{i}": np.clip(np.round(6 + 1.5 * (f + 0.6 * rng.normal(size=300))), 0, 10)
    ...                       for lv, f in (("q", qual), ("v", val), ("s", sat)) for i in (1, 2, 3)})
    >>> model = pls_pm(items, {"QUAL": ["q1", "q2", "q3"], "VAL": ["v1", "v2", "v3"], "SAT": ["s1", "s2", "s3"]},
    ...                {"VAL": ["QUAL"], "SAT": ["QUAL", "VAL"]}, scaled=False, scale_min=0, scale_max=10)
    >>> r = ipma(model, "SAT", language="en")
    >>> r.table.index.tolist()
    ['QUAL', 'VAL']
    >>> bool(r.table.loc["QUAL", "importance"] > r.table.loc["QUAL", "direct"])  # plus the path through VAL
    True
    """
    if not isinstance(result, PLSResult):
        raise TypeError(f"The 'result' parameter of ipma must be a PLSResult (from pls_pm); got "
                        f"{type(result).__name__}.")
    check_option("split", split, SPLITS, function="ipma")
    check_option("language", language, IPA_LANGUAGES, function="ipma")
    lvs = list(result.blocks)
    if target not in lvs:
        raise ValueError(f"The 'target' parameter of ipma must be a construct of the model, one of {lvs}. "
                         f"Got {target!r} instead.")
    if target not in result.paths:
        raise ValueError(f"ipma: the target {target!r} is exogenous (no path leads to it), so nothing has an effect "
                         f"on it; choose one of {list(result.paths)}.")
    w = _weights(weights, result.index_scores)
    path_coefs, total = _unstandardized(result)
    effects = result.effects[result.effects["to"] == target].set_index("from")
    preds = [lv for lv in lvs if lv in effects.index]
    notes = [n for n in result.notes if "Scale end points not given" in n or "negative index weights" in n]
    perf = {lv: _performance(result.index_scores[lv], w) for lv in [*preds, target]}
    importance = total.loc[target, preds]
    negative = importance.index[importance < 0].tolist()
    if negative:
        notes.append(f"{negative} lower {target!r} (negative total effect): improving their performance would "
                     "not raise the target; check reverse-coded items.")
    performance = pd.Series({lv: perf[lv][0] for lv in preds})
    cross = None if split == "mean" else (50.0, float(importance.mean()))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        quadrants = ipa(performance, importance, split="mean" if cross is None else cross, language=language,
                        labels=labels)
    notes += [str(c.message).replace("item(s)", "predecessor(s)").replace("IPA is meant for a list of attributes",
                                                                          "the map is meant for several predecessors")
              for c in caught if issubclass(c.category, SurveykitWarning)]
    table = pd.DataFrame({"importance": importance.to_numpy(), "performance": performance.to_numpy(),
                          "performance_se": [perf[lv][1] for lv in preds],
                          "std_total": effects.loc[preds, "total"].to_numpy(),
                          "direct": path_coefs.loc[target, preds].to_numpy()},
                         index=pd.Index(preds, name="construct"))
    table = table.join(quadrants.table[["quadrant", "quadrant_label", "priority"]])
    for note in notes:
        warnings.warn(SurveykitWarning(note), stacklevel=2)
    return IPMAResult(table=table, target=target, target_performance=perf[target][0], path_coefs=path_coefs,
                      total_effects=total, split=quadrants.split, split_method=split,
                      performance_range=(0.0, 100.0), importance_range=quadrants.importance_range,
                      labels=quadrants.labels, language=language, n_obs=len(result.index_scores),
                      weighted=w is not None, label_overrides=dict(quadrants.label_overrides), notes=tuple(notes))

