"""Reliability, sampling adequacy, EFA, CFA and driver models on Dask, from one pass of per-partition cross-products.

Each partition gives the weighted cross-products of its complete rows
(:class:`surveykit._moments.CrossMoments`), merged exactly; the numeric layer's ``*_from_moments``
functions (and :func:`surveykit._linear.ols_from_moments`) read the same results from them as
the pandas functions from the rows: reliability, KMO, Bartlett and EFA to 1e-12 relative, CFA
to the tolerance of its Fisher scoring (its starting values come from the covariance, not the
rows), driver coefficients, standard errors and R² to 1e-12.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _moments as mo
from .._checks import check_level
from .._linear import hc_meat, hc_vcov, ols_from_moments
from ..errors import DataError, QuestionnaireError, check_option, numeric_frame
from ..indices.drivers import ROBUST, DriversResult
from ..psychometrics.adequacy import BartlettResult, KMOResult, bartlett_from_moments, kmo_from_moments
from ..psychometrics.cfa import CFAResult, cfa_from_moments
from ..psychometrics.efa import EFAResult, efa_from_moments
from ..psychometrics.reliability import ReliabilityResult, reliability_from_moments
from ..scoring import reverse_code
from .analyses import _reduce
from .read import DaskSurveyData

__all__ = ["adequacy_dask", "cfa_dask", "drivers_dask", "efa_dask", "item_moments", "reliability_dask"]


def _item_sets(data: DaskSurveyData, sets: dict, function: str) -> dict:
    """name -> item ids, checked against the questionnaire."""
    q = data.questionnaire
    for name, its in sets.items():
        unknown = [i for i in its if i not in q.item_ids]
        if unknown:
            raise QuestionnaireError(q.id, [(function, f"{name!r}: unknown item {i!r}") for i in unknown])
    return sets


def item_moments(data: DaskSurveyData, sets: dict) -> dict:
    """name -> :class:`surveykit._moments.CrossMoments` of each set of items (reverse keys applied, unweighted,
    complete rows of the set), all sets in one pass over the partitions."""
    q = data.questionnaire

    def step(frame: pd.DataFrame) -> dict:
        scored = reverse_code(frame.loc[:, list(dict.fromkeys(i for its in sets.values() for i in its))], q)
        return {name: mo.cross_moments(scored.loc[:, list(its)].to_numpy(float)) for name, its in sets.items()}

    (stats,) = _reduce(data, step)
    return stats


def _cov_frame(cm: mo.CrossMoments, items: list) -> pd.DataFrame:
    idx = pd.Index(list(items), name="item")
    return pd.DataFrame(mo.covariance(cm), index=idx, columns=list(items))


def _corr_frame(cm: mo.CrossMoments, items: list) -> pd.DataFrame:
    idx = pd.Index(list(items), name="item")
    return pd.DataFrame(mo.correlation(cm), index=idx, columns=list(items))


def _enough(cm: mo.CrossMoments, items, function: str, need: int = 3) -> None:
    if cm.n < need:
        raise DataError(f"{function}: {cm.n} respondents answered all of {list(items)}; at least {need} are needed.")


def reliability_dask(data: DaskSurveyData, construct: str | None = None, *, items=None, ci_level: float = 0.95,
                     n_groups: int | None = None) -> dict | ReliabilityResult:
    """Cronbach's alpha, omega and item analysis from per-partition cross-products (listwise, unweighted).

    ``construct`` or ``items``: one :class:`surveykit.ReliabilityResult`, equal to
    :func:`surveykit.reliability` on the same items (reverse keys applied) to 1e-12; neither:
    a dict construct -> result for every construct of the questionnaire, all from one pass.
    Bootstrap intervals are not on Dask yet (Feldt's interval is).

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> from surveykit.example import generate_example
    >>> from surveykit.dask import read_responses_dask
    >>> study = generate_example(n_respondents=200, n_customers=1000)
    >>> raw = study.answers.reset_index().rename(columns={"respondent_id": "resp_id"})
    >>> data = read_responses_dask(dd.from_pandas(raw, npartitions=2), study.questionnaire)
    >>> 0 < reliability_dask(data, "satisfaction").alpha < 1
    True
    """
    q = data.questionnaire
    if construct is not None and items is not None:
        raise ValueError("The 'construct' and 'items' parameters of reliability_dask: give one, or neither for every "
                         f"construct. Got construct={construct!r}, items={items!r} instead.")
    one = construct is not None or items is not None
    sets = ({construct or "items": list(q.items_of(construct) if construct is not None else items)} if one
            else {name: list(c.items) for name, c in q.constructs.items()})
    stats = item_moments(data, _item_sets(data, sets, "reliability_dask"))
    out = {}
    for name, its in sets.items():
        cm = stats[name]
        _enough(cm, its, "reliability_dask")
        out[name] = reliability_from_moments(_cov_frame(cm, its), cm.mean, cm.n, n_dropped=data.n_respondents - cm.n,
                                             ci_level=ci_level, n_groups=n_groups)
    return out[next(iter(sets))] if one else out


def _all_construct_items(data: DaskSurveyData, items) -> list:
    q = data.questionnaire
    its = list(items) if items is not None else list(dict.fromkeys(i for c in q.constructs.values() for i in c.items))
    if len(its) < 3:
        raise ValueError(f"A factor analysis needs 3 or more items; got {its}.")
    return its


def adequacy_dask(data: DaskSurveyData, items=None) -> tuple[KMOResult, BartlettResult]:
    """KMO and Bartlett's test of the items (default: every construct's items; listwise, reverse keys applied),
    as :func:`surveykit.kmo` and :func:`surveykit.bartlett` with ``nan_policy='listwise'``, from one pass."""
    its = _all_construct_items(data, items)
    cm = item_moments(data, _item_sets(data, {"items": its}, "adequacy_dask"))["items"]
    _enough(cm, its, "adequacy_dask", len(its) + 1)
    corr, dropped = _corr_frame(cm, its), data.n_respondents - cm.n
    return kmo_from_moments(corr, cm.n, n_dropped=dropped), bartlett_from_moments(corr, cm.n, n_dropped=dropped)


def efa_dask(data: DaskSurveyData, n_factors: int, *, items=None, method: str = "minres",
             rotation: str | None = "oblimin") -> EFAResult:
    """Exploratory factor analysis of the items (default: every construct's items; listwise, reverse keys
    applied) from one pass of cross-products: :func:`surveykit.efa` with ``nan_policy='listwise'``."""
    its = _all_construct_items(data, items)
    cm = item_moments(data, _item_sets(data, {"items": its}, "efa_dask"))["items"]
    _enough(cm, its, "efa_dask", len(its) + 1)
    return efa_from_moments(_corr_frame(cm, its), cm.n, n_factors, method=method, rotation=rotation, means=cm.mean,
                            sds=np.sqrt(np.diag(mo.covariance(cm))), n_dropped=data.n_respondents - cm.n)


def cfa_dask(data: DaskSurveyData, model=None) -> CFAResult:
    """Confirmatory factor analysis (ML, listwise, reverse keys applied) from one pass of cross-products:
    :func:`surveykit.psychometrics.cfa.cfa` on the same items to the Fisher scoring's tolerance.
    ``model``: factor -> items; default every construct of the questionnaire with its items."""
    q = data.questionnaire
    spec = {f: list(its) for f, its in (model or {n: c.items for n, c in q.constructs.items()}).items()}
    its = list(dict.fromkeys(i for v in spec.values() for i in v))
    cm = item_moments(data, _item_sets(data, {"items": its}, "cfa_dask"))["items"]
    _enough(cm, its, "cfa_dask", len(its) + 1)
    return cfa_from_moments(_cov_frame(cm, its), cm.n, spec, n_dropped=data.n_respondents - cm.n)


# -- driver models ------------------------------------------------------------------------------------

def _drivers_checks(data: DaskSurveyData, outcome: str, drivers, weights, robust) -> list:
    meta = data.frame._meta
    check_option("robust", robust, ROBUST, function="drivers_dask")
    drivers = [drivers] if isinstance(drivers, str) else list(drivers)
    missing = [c for c in [outcome, *drivers, *([weights] if weights else [])] if c not in meta.columns]
    if missing or not drivers or outcome in drivers:
        raise ValueError(f"drivers_dask needs an outcome and one or more other driver columns of the coded frame; "
                         f"not in it: {missing}. Got outcome={outcome!r}, drivers={drivers!r}.")
    return drivers


def _weights_of(frame: pd.DataFrame, weights: str | None):
    if weights is None:
        return None
    w = frame[weights].to_numpy(float)
    bad = ~(np.isfinite(w) & (w > 0))
    if bad.any():
        raise DataError(f"{int(bad.sum())} respondents of a partition have a missing, zero or negative weight in "
                        f"{weights!r} (source rows {frame['source_row'].to_numpy()[bad][:5].tolist()}); fix the "
                        "weights or exclude these respondents.")
    return w


def drivers_dask(data: DaskSurveyData, outcome: str, drivers, *, weights: str | None = None,
                 robust: str | None = "HC3", ci_level: float = 0.95) -> DriversResult:
    """Key-driver regression (OLS / WLS) of ``outcome`` on ``drivers`` from per-partition X'X.

    :func:`surveykit.indices.drivers.key_drivers` with ``method='ols'`` on the coded frame's
    columns (listwise): coefficients, (robust) standard errors, t tests and intervals, R²,
    standardized betas, VIF and importance. One pass gives the weighted cross-products of the
    complete rows, the fit comes from them (:func:`surveykit._linear.ols_from_moments`); a
    robust ``HC0`` - ``HC3`` covariance takes a second pass for the sandwich's meat (each row's
    residual and leverage). Equal to the pandas fit to 1e-12 relative.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> from surveykit.example import generate_example
    >>> from surveykit.dask import read_responses_dask
    >>> study = generate_example(n_respondents=200, n_customers=1000)
    >>> raw = study.answers.reset_index().rename(columns={"respondent_id": "resp_id"})
    >>> data = read_responses_dask(dd.from_pandas(raw, npartitions=2), study.questionnaire)
    >>> r = drivers_dask(data, "sat_overall", ["prod_1", "svc_1", "staff_1"])
    >>> r.method, r.cov_type, len(r.coefficients)
    ('ols', 'HC3', 3)
    """
    drivers = _drivers_checks(data, outcome, drivers, weights, robust)
    level = check_level(ci_level, "drivers_dask")
    cols = [*drivers, outcome]

    def values(frame):
        return numeric_frame(frame.loc[:, cols], function="drivers_dask").to_numpy(float), _weights_of(frame, weights)

    (cm,) = _reduce(data, lambda frame: mo.cross_moments(*values(frame)))
    p = len(drivers)
    if cm.n < p + 2:
        raise DataError(f"drivers_dask needs at least {p + 2} complete rows for {p} drivers; {cm.n} are complete.")
    var = np.diag(cm.cross)
    constant = [c for c, v in zip(cols, var) if not v > 0]
    if constant:
        raise DataError(f"drivers_dask: {constant} have the same value in all {cm.n} complete rows; drop them.")
    corr = mo.correlation(cm)
    eig = np.linalg.eigvalsh(corr[:-1, :-1])
    if eig[0] <= 1e-10 * eig[-1]:
        raise DataError(f"Drivers {drivers} of drivers_dask are (almost) perfectly collinear in the {cm.n} complete "
                        "rows; drop the drivers that are combinations of others.")
    fit = ols_from_moments(cm.mean, cm.cross, cm.sw, cm.n, level)
    if robust is not None:
        (meat,) = _reduce(data, lambda frame: hc_meat(*values(frame), fit["bread"], robust))
        fit = hc_vcov(fit, meat, robust, level)
    return _drivers_result(fit, cm, corr, drivers, outcome, robust, level, weights is not None,
                           data.n_respondents - cm.n)


def _drivers_result(fit, cm, corr, drivers, outcome, robust, level, weighted, dropped) -> DriversResult:
    cols = ["estimate", "se", "p_value", "ci_low", "ci_high"]
    table = pd.DataFrame({c: fit[c] for c in cols}, index=pd.Index(["intercept", *drivers], name="driver"))
    # cov.wt's unbiased weighted SD (the usual SD unweighted): Σw (x - x̄)² / Σw / (1 - Σw² / (Σw)²)
    wsd = np.sqrt(np.diag(cm.cross) / cm.sw / (1 - cm.sw2 / cm.sw ** 2))
    coefs = table.iloc[1:].copy()
    coefs["std_estimate"] = coefs["estimate"].to_numpy() * wsd[:-1] / wsd[-1]
    inflation = np.diag(np.linalg.inv(corr[:-1, :-1]))  # 1 / (1 - R²_j): car::vif
    coefs = coefs.assign(vif=inflation, tolerance=1 / inflation)
    share = np.abs(coefs["std_estimate"].to_numpy())
    importance = pd.Series(100 * share / share.sum(), index=pd.Index(drivers, name="driver"), name="importance")
    return DriversResult(coefficients=coefs, importance=importance, method="ols", outcome=str(outcome),
                         r_squared=float(fit["r_squared"]), adj_r_squared=float(fit["adj_r_squared"]), n_obs=cm.n,
                         n_dropped=int(dropped), cov_type=robust or "nonrobust", ci_level=level, weighted=weighted,
                         intercept=table.iloc[:1].rename_axis(None), effective_n=float(cm.sw ** 2 / cm.sw2))
