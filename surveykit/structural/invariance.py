"""Measurement invariance across groups: configural, metric, scalar and strict models compared.

Each level is a multi-group ``sem`` fit adding equality constraints to the one before it
(lavaan ``group.equal``): metric = equal loadings, scalar = equal loadings and intercepts (the
latent means are then free in groups 2..G), strict = equal loadings, intercepts and residual
variances. Every level is compared with the previous one by the Δχ² (likelihood-ratio) test
and by the changes in CFI, RMSEA and SRMR, judged by Chen's (2007) cut-offs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._render import Summary
from .._result import Result
from ._robust import scaled_difference
from .sem import SEMResult, sem

__all__ = ["InvarianceResult", "invariance"]

LEVELS = ("configural", "metric", "scalar", "strict")
_EQUAL = {"configural": (), "metric": ("loadings",), "scalar": ("loadings", "intercepts"),
          "strict": ("loadings", "intercepts", "residuals")}
# Chen (2007), n > 300: a drop in CFI of at most .010 together with a rise in RMSEA of at most .015 and
# in SRMR of at most .030 (metric) or .010 (scalar and strict).
CFI_CUT = 0.010
RMSEA_CUT = 0.015
SRMR_CUT = {"metric": 0.030, "scalar": 0.010, "strict": 0.010}


@dataclass(frozen=True)
class InvarianceResult(Result):
    """Measurement invariance of a model across the groups of one variable.

    Attributes
    ----------
    table : DataFrame
        Indexed by level: ``chi2, df, p_value, cfi, tli, rmsea, srmr`` of each fit, and against
        the previous level ``chi2_diff, df_diff, p_diff, cfi_diff, rmsea_diff, srmr_diff``
        (later minus earlier; NaN on the first level) and ``holds`` (Chen's cut-offs: ΔCFI ≥
        -.010 and ΔRMSEA ≤ .015 and ΔSRMR ≤ .030 for metric, .010 for scalar and strict).
    highest : str or None
        The highest level reached with every level up to it holding (the first level holds by
        definition when it is configural); None when the first comparison fails.
    fits : dict
        Level -> its ``SEMResult``.
    latent_means : DataFrame
        Under scalar invariance: the latent means of groups 2..G against the first (``group,
        factor, est, se, z, p_value``); empty when scalar was not fitted.
    """

    table: pd.DataFrame
    highest: str | None
    fits: dict
    latent_means: pd.DataFrame
    group: str
    groups: tuple
    partial: tuple
    n_obs: int

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        lines = [f"Groups of {self.group!r}: {', '.join(map(str, self.groups))}; n = {self.n_obs}."
                 + (f" Partial invariance: {', '.join(self.partial)} free in every group." if self.partial else ""),
                 f"Highest level that holds: {self.highest or 'none'} (Chen 2007: ΔCFI ≥ -{CFI_CUT:.3f} with "
                 f"ΔRMSEA ≤ {RMSEA_CUT:.3f} and ΔSRMR ≤ .030 for metric, .010 for scalar and strict)."]
        tables = [("Invariance", self.table)]
        if len(self.latent_means):
            tables.append(("Latent means under scalar invariance (first group = 0)", self.latent_means))
        return Summary(title="Measurement invariance", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return self._one_line(f"group={self.group!r} n_groups={len(self.groups)} levels={list(self.table.index)} "
                              f"highest={self.highest!r} n_obs={self.n_obs}")


def invariance(data: pd.DataFrame, model: str, group: str, *, levels=LEVELS, partial=(),
               weights=None) -> InvarianceResult:
    """Configural, metric, scalar and strict invariance of a measurement model across groups.

    Parameters
    ----------
    data : DataFrame
        The items and the ``group`` column.
    model : str
        lavaan model syntax (usually the measurement model: ``F =~ x1 + x2 + x3 ...``).
    group : str
        The column of the groups (segments).
    levels : sequence of str
        Levels to fit, in increasing order of constraint, from ``configural``, ``metric``,
        ``scalar``, ``strict``.
    partial : sequence of str
        Parameters left free across groups at every constrained level (partial invariance,
        lavaan ``group.partial``), written as in the model: ``"F1 =~ x4"`` (a loading),
        ``"x4 ~ 1"`` (an intercept), ``"x4 ~~ x4"`` (a residual variance).
    weights : str or array-like, optional
        Survey weights (a column of ``data`` or one per row), passed to :func:`sem` (lavaan's
        ``sampling.weights``: the fits are then MLR, and the Δχ² test is the Satorra-Bentler
        (2001) scaled difference, as lavaan's ``anova()`` of MLR fits).

    Returns
    -------
    InvarianceResult

    Notes
    -----
    As ``lavaan::sem(model, group=, group.equal=)`` with ``anova()`` for the Δχ² test (lavaan
    0.6.14): the mean structure is always fitted (observed intercepts free, latent means 0),
    scalar frees the latent means of groups 2..G, and strict (equal residual variances) keeps the
    scalar constraints, so its df are those of scalar plus (G-1)·p. RMSEA is lavaan's multi-group
    RMSEA (times sqrt(G)). Cut-offs: Chen, F. F. (2007), *Structural Equation Modeling* 14(3),
    464-504: non-invariance when CFI drops by more than .010 together with RMSEA rising by more
    than .015 or SRMR by more than .030 (metric) / .010 (scalar, strict); here a level holds when
    all three changes are within their cut-offs. The Δχ² p-value is reported but not used in the
    verdict (it rejects trivial differences in large samples).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from surveykit import invariance
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=600)
    >>> data = pd.DataFrame({f"x{i}": 0.8 * f + rng.normal(scale=0.6, size=600) for i in range(1, 5)})
    >>> data["segment"] = np.repeat(["A", "B"], 300)
    >>> result = invariance(data, "F =~ x1 + x2 + x3 + x4", "segment")
    >>> list(result.table.index), result.highest
    (['configural', 'metric', 'scalar', 'strict'], 'strict')
    """
    if isinstance(levels, str):
        levels = (levels,)
    levels = tuple(levels)
    unknown = [lv for lv in levels if lv not in LEVELS]
    if unknown or not levels:
        raise ValueError(f"invariance: levels must be taken from {list(LEVELS)}; got {list(levels)}.")
    if list(levels) != sorted(levels, key=LEVELS.index) or len(set(levels)) != len(levels):
        raise ValueError(f"invariance: give the levels once each, in increasing order of constraint "
                         f"({list(LEVELS)}); got {list(levels)}.")
    if group is None or group not in data.columns:
        raise ValueError(f"invariance: group={group!r} is not a column of the data.")
    n_groups = data[group].dropna().nunique()
    if n_groups < 2:
        raise ValueError(f"invariance: the group column {group!r} has {n_groups} group; invariance needs 2 or more.")
    partial = (partial,) if isinstance(partial, str) else tuple(partial)
    fits = {lv: sem(data, model, group=group, group_equal=_EQUAL[lv], group_partial=partial if _EQUAL[lv] else (),
                    weights=weights) for lv in levels}
    rows, previous = [], None
    for lv, fit in fits.items():
        f = fit.fit
        row = {k: f[k] for k in ("chi2", "df", "p_value", "cfi", "tli", "rmsea", "srmr")}
        if previous is None:
            row.update(chi2_diff=np.nan, df_diff=np.nan, p_diff=np.nan, cfi_diff=np.nan, rmsea_diff=np.nan,
                       srmr_diff=np.nan, holds=lv == "configural" or math.nan)
        else:
            p = previous.fit
            d_chi2, d_df = f["chi2"] - p["chi2"], f["df"] - p["df"]
            if "scaling_factor" in f:  # weighted (MLR) fits: the scaled difference, as lavaan's anova()
                d_chi2 = scaled_difference(f["chi2"], f["df"], f["scaling_factor"], p["chi2"], p["df"],
                                           p["scaling_factor"])[0]
            row.update(chi2_diff=d_chi2, df_diff=d_df,
                       p_diff=float(stats.chi2.sf(max(d_chi2, 0.0), d_df)) if d_df > 0 else np.nan,
                       cfi_diff=f["cfi"] - p["cfi"], rmsea_diff=f["rmsea"] - p["rmsea"],
                       srmr_diff=f["srmr"] - p["srmr"])
            row["holds"] = bool(row["cfi_diff"] >= -CFI_CUT and row["rmsea_diff"] <= RMSEA_CUT
                                and row["srmr_diff"] <= SRMR_CUT[lv])
        rows.append(row)
        previous = fit
    table = pd.DataFrame(rows, index=pd.Index(list(fits), name="level"))
    highest = None
    for lv, holds in table["holds"].items():
        if not (isinstance(holds, (bool, np.bool_)) and holds):  # NaN: not judged (a first level above configural)
            break
        highest = lv
    first = next(iter(fits.values()))
    return InvarianceResult(table=table, highest=highest, fits=fits,
                            latent_means=_latent_means(fits.get("scalar")), group=group, groups=first.groups,
                            partial=partial, n_obs=first.n_obs)


def _latent_means(fit: SEMResult | None) -> pd.DataFrame:
    cols = ["group", "factor", "est", "se", "z", "p_value"]
    if fit is None:
        return pd.DataFrame(columns=cols)
    e = fit.estimates
    latent = set(e.loc[e.op == "=~", "lhs"])
    rows = e[(e.op == "~1") & e.lhs.isin(latent) & (e.group != fit.groups[0])]
    return rows.rename(columns={"lhs": "factor"})[cols].reset_index(drop=True)
