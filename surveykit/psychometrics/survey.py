"""The questionnaire layer of psychometrics: every construct, reverse keys applied."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._caught import caught
from .._render import Summary
from .._result import Result
from ..errors import QuestionnaireError, SurveykitWarning
from .adequacy import BartlettResult, KMOResult, bartlett, kmo
from .cfa import CFAResult, cfa
from .efa import EFAResult, efa
from .harman import HarmanResult, harman_test
from .parallel import ParallelAnalysisResult, parallel_analysis
from .reliability import ReliabilityResult, reliability

if TYPE_CHECKING:  # pragma: no cover
    from ..data import SurveyData

__all__ = ["ConstructReliability", "ConstructValidity", "SurveyFactorAnalysis", "construct_reliability",
           "construct_validity", "factor_analysis", "role_factors", "value_measurement"]

HTMT_MAX = 0.85  # Henseler, Ringle & Sarstedt (2015), the conservative cut-off
CR_MIN, AVE_MIN = 0.7, 0.5  # Fornell & Larcker (1981); Hair et al.


@dataclass(frozen=True)
class ConstructReliability(Result):
    """Reliability of every multi-item construct of a questionnaire."""

    results: dict[str, ReliabilityResult]
    labels: dict[str, str]

    def to_frame(self) -> pd.DataFrame:
        rows = [{"construct": name, "label": self.labels[name], "n_items": r.n_items, "n_obs": r.n_obs,
                 "alpha": r.alpha, "ci_low": r.ci_low, "ci_high": r.ci_high, "std_alpha": r.std_alpha,
                 "omega_total": r.omega_total, "min_r_drop": float(r.items["r_drop"].min())} for name, r in self.results.items()]
        return pd.DataFrame(rows).set_index("construct")

    def summary(self) -> Summary:
        return Summary(title="Reliability of constructs",
                       lines=["Cronbach's alpha with Feldt 95% CI, McDonald's omega total (one factor); reverse-worded items "
                              "recoded; listwise per construct"],
                       tables=[("Constructs", self.to_frame())])

    def __repr__(self) -> str:
        return f"<ConstructReliability n_constructs={len(self.results)}>"


def construct_reliability(data: "SurveyData", *, language: str | None = None) -> ConstructReliability:
    """Cronbach's alpha and item analysis of each construct with two or more items.

    Items are reverse-coded as the questionnaire says before anything is computed; each
    construct uses the respondents who answered all its items (listwise, as SPSS).
    """
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


@dataclass(frozen=True)
class ConstructValidity(Result):
    """Reliability, convergent and discriminant validity of a set of constructs, from one CFA.

    Attributes
    ----------
    cfa : CFAResult
        The measurement model: each construct a factor measured by its items.
    reliability : dict of str -> ReliabilityResult
        Cronbach's alpha of each construct, on the same respondents as the CFA.
    labels : dict of str -> str
        Construct labels in the report language.
    groups : dict of str -> str
        The group of each construct (e.g. 'perceived_benefits'), empty when ungrouped.
    """

    cfa: CFAResult
    reliability: dict[str, ReliabilityResult]
    labels: dict[str, str]
    groups: dict[str, str] = field(default_factory=dict)

    @property
    def fornell_larcker(self) -> pd.DataFrame:
        return self.cfa.fornell_larcker

    @property
    def htmt(self) -> pd.DataFrame:
        return self.cfa.htmt

    def to_frame(self) -> pd.DataFrame:
        """The validity table journals ask for, one row per construct.

        Columns: ``label``, ``group`` (when grouped), ``n_items``, ``alpha``, ``omega_total``
        (NaN for two items), ``cr``, ``ave``,
        ``sqrt_ave``, ``max_r`` (largest absolute correlation with another factor),
        ``max_htmt``, and the verdicts ``convergent_ok`` (CR >= 0.7 and AVE >= 0.5),
        ``fornell_larcker_ok`` (sqrt(AVE) > max_r) and ``htmt_ok`` (max_htmt < 0.85).
        """
        v = self.cfa.validity
        phi = self.cfa.phi.abs().to_numpy().copy()
        htmt = self.cfa.htmt.to_numpy().copy()
        np.fill_diagonal(phi, np.nan)
        np.fill_diagonal(htmt, np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a single factor: all-NaN rows
            max_r, max_htmt = np.nanmax(phi, axis=1), np.nanmax(htmt, axis=1)
        t = pd.DataFrame({"label": [self.labels[c] for c in v.index]}, index=v.index)
        if self.groups:
            t["group"] = [self.groups.get(c, "") for c in v.index]
        t["n_items"] = [len(self.cfa.model[c]) for c in v.index]
        t["alpha"] = [self.reliability[c].alpha for c in v.index]
        t["omega_total"] = [self.reliability[c].omega_total for c in v.index]
        t = t.join(v)
        t["max_r"], t["max_htmt"] = max_r, max_htmt
        t["convergent_ok"] = (t["cr"] >= CR_MIN) & (t["ave"] >= AVE_MIN)
        t["fornell_larcker_ok"] = t["sqrt_ave"] > t["max_r"]
        t["htmt_ok"] = t["max_htmt"] < HTMT_MAX
        return t

    def summary(self) -> Summary:
        c = self.cfa
        lines = [c.summary().lines[0],
                 f"{len(c.model)} constructs, n = {c.n_obs} respondents who answered every item "
                 f"({c.n_dropped} dropped); reverse-worded items recoded",
                 f"Convergent validity: CR >= {CR_MIN} and AVE >= {AVE_MIN} (Fornell & Larcker 1981); "
                 f"discriminant validity: sqrt(AVE) above every factor correlation, HTMT < {HTMT_MAX} "
                 "(Henseler et al. 2015)", *c.notes]
        return Summary(title="Construct validity", lines=lines, tables=[
            ("Reliability and validity", self.to_frame()),
            ("Fornell-Larcker criterion (sqrt(AVE) on the diagonal)", self.fornell_larcker),
            ("HTMT", self.htmt), ("Standardised loadings", c.estimates.set_index(["factor", "item"]))])

    def __repr__(self) -> str:
        return (f"<ConstructValidity n_constructs={len(self.cfa.model)} cfi={self.cfa.fit['cfi']:.3f} "
                f"n_obs={self.cfa.n_obs}>")


def construct_validity(data: "SurveyData", constructs=None, *, language: str | None = None) -> ConstructValidity:
    """One CFA of the questionnaire's constructs, with alpha, CR, AVE, Fornell-Larcker and HTMT.

    Parameters
    ----------
    data : SurveyData
    constructs : list of str, optional
        Constructs to include; default every construct with two or more items.
    language : str, optional
        Language of the labels; default the questionnaire's.

    Returns
    -------
    ConstructValidity

    Notes
    -----
    Items are reverse-coded as the questionnaire says. The CFA (see :func:`surveykit.cfa`)
    uses the respondents who answered every item of the constructs included (listwise, as
    lavaan's default), and so does alpha here, so that every number of the table is on the
    same n (the reliability section uses listwise deletion per construct instead).
    """
    q = data.questionnaire
    names = list(constructs) if constructs is not None else [n for n, c in q.constructs.items() if len(c.items) >= 2]
    unknown = [n for n in names if n not in q.constructs]
    if unknown:
        raise KeyError(f"construct_validity: the questionnaire {q.id!r} has no constructs {unknown} "
                       f"(constructs: {list(q.constructs)}).")
    short = [n for n in names if len(q.constructs[n].items) < 2]
    if short:
        raise ValueError(f"construct_validity: constructs {short} have a single item; a factor needs at least two.")
    if not names:
        raise ValueError(f"construct_validity: the questionnaire {q.id!r} has no construct with two or more items.")
    return _validity(data, {n: list(q.constructs[n].items) for n in names},
                     {n: q.constructs[n].label.get(language or q.language) for n in names}, {})


def role_factors(q, role: str, *, language: str | None = None) -> tuple[dict, dict, list]:
    """The first-order factors behind a perceived-value role (``perceived_benefits``, ``perceived_sacrifices``,
    ``perceived_value``), as the measurement and structural models of value both build them.

    Each sub-dimension measured by a construct of two or more items is a factor named after the
    construct. Sub-dimensions given as single items (or one-item constructs) cannot be factors:
    two or more of them form one factor named after the role; a lone one is returned in
    ``single`` for the caller to decide (an observed variable, or an error).

    Returns
    -------
    factors : dict of str -> list of str
        Factor -> its item ids (reverse-worded items as they are: the caller scores them).
    labels : dict of str -> str
        Factor -> its label in ``language`` (the construct's; the role's name for a pooled factor).
    single : list of str
        The one single item left over, or empty.
    """
    lang = language or q.language
    ref = q.roles.get(role)
    refs = [] if ref is None else list(ref.values()) if isinstance(ref, dict) else [ref]
    factors, labels, loose = {}, {}, []
    for r in refs:
        construct = q.constructs.get(r)
        if construct is not None and len(construct.items) >= 2:
            factors[r], labels[r] = list(construct.items), construct.label.get(lang)
        else:
            loose += list(construct.items) if construct is not None else [r]
    if len(loose) >= 2:
        factors[role], labels[role] = loose, role.replace("_", " ")
        loose = []
    return factors, labels, loose


def value_measurement(data: "SurveyData", *, language: str | None = None) -> ConstructValidity:
    """The perceived-value measurement model (a CFA), straight from the questionnaire's roles.

    The sub-dimensions of ``perceived_benefits`` (e.g. product, service, personnel and image
    value) and of ``perceived_sacrifices`` (monetary, time, energy and physical cost) are
    factors of one CFA, with ``perceived_value`` as a further factor when the questionnaire
    names it as a multi-item construct. A sub-dimension given as a single item cannot be a
    factor: such items of one role form one factor named after the role (see
    :func:`role_factors`). The first-order factors correlate freely; the structural model with
    benefits and sacrifices as second-order factors, -> perceived value -> satisfaction ->
    loyalty, is :meth:`SurveyData.value_model` (:func:`surveykit.structural.survey.value_model`).

    Returns
    -------
    ConstructValidity
        With ``groups`` saying which factor is a benefit, a sacrifice or perceived value.

    Raises
    ------
    QuestionnaireError
        When the questionnaire lacks the roles ``perceived_benefits`` or ``perceived_sacrifices``,
        or a role has one single-item sub-dimension and no other to form a factor with.

    Examples
    --------
    >>> import surveykit as sk
    >>> m = sk.example_data().value_measurement()
    >>> sorted(set(m.groups.values()))
    ['perceived_benefits', 'perceived_sacrifices', 'perceived_value']
    """
    q = data.questionnaire
    missing = [r for r in VALUE_ROLE_EXAMPLES if r not in q.roles]
    if missing:
        raise QuestionnaireError(q.id, [("roles", f"the perceived-value model needs the role {r!r}: map its "
                                                  "sub-dimensions to the constructs (or items) that measure them, "
                                                  f"e.g. '{r}: {VALUE_ROLE_EXAMPLES[r]}'") for r in missing])
    model, labels, groups = {}, {}, {}
    for role in ("perceived_benefits", "perceived_sacrifices", "perceived_value"):
        factors, names, single = role_factors(q, role, language=language)
        if single and role != "perceived_value":  # a lone perceived-value item is no factor: left out
            raise QuestionnaireError(q.id, [(f"roles.{role}", single_item_problem(single[0]))])
        model.update(factors)
        labels.update(names)
        groups.update(dict.fromkeys(factors, role))
    return _validity(data, model, labels, groups)


#: how the two value roles are written, quoted by the errors of the value models
VALUE_ROLE_EXAMPLES = {"perceived_benefits": "{product: product_value, service: service_value}",
                       "perceived_sacrifices": "{monetary: monetary_cost, time: time_cost}"}


def single_item_problem(item: str) -> str:
    """The problem of a benefit or sacrifice role with one single-item sub-dimension and no other."""
    return (f"{item!r} is a single item and the role has no other single items to form a factor with: measure "
            "the sub-dimension with two or more items")


def _validity(data: "SurveyData", model: dict, labels: dict, groups: dict) -> ConstructValidity:
    items = [i for its in model.values() for i in its]
    x = data.scored_items().loc[:, items]
    fitted = cfa(x, model)
    used = x.dropna()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)  # kept as notes on each result
        rel = {name: reliability(used.loc[:, its]) for name, its in model.items()}
    return ConstructValidity(cfa=fitted, reliability=rel, labels=labels, groups=groups)


PA_ITERATIONS, PA_SEED = 500, 20240501  # fixed, so that the report is reproducible


@dataclass(frozen=True)
class SurveyFactorAnalysis(Result):
    """The exploratory battery of a questionnaire's multi-item constructs.

    Each part is None, with the reason in ``notes``, when it cannot be computed.

    Attributes
    ----------
    items : tuple of str
        The items of every construct with two or more items (reverse-worded items recoded).
    n_factors : int
        Factors the EFA extracts: one per multi-item construct (at most ``len(items) - 1``).
    kmo : KMOResult or None
    bartlett : BartlettResult or None
        Both listwise, as the EFA.
    parallel : ParallelAnalysisResult or None
        Horn's parallel analysis with ``n_iter`` simulated data sets from ``seed``.
    efa : EFAResult or None
        Minimum residual extraction, oblimin rotation (R ``psych::fa``).
    harman : HarmanResult or None
        Harman's single-factor test for common-method variance.
    n_iter, seed : int
    notes : tuple of str
    """

    items: tuple[str, ...]
    n_factors: int
    kmo: KMOResult | None
    bartlett: BartlettResult | None
    parallel: ParallelAnalysisResult | None
    efa: EFAResult | None
    harman: HarmanResult | None
    n_iter: int
    seed: int
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The EFA's loadings (pattern matrix) with communalities, or an empty frame without an EFA."""
        return pd.DataFrame(index=pd.Index(self.items, name="item")) if self.efa is None else self.efa.to_frame()

    def summary(self) -> Summary:
        lines = [f"{len(self.items)} items of the multi-item constructs; EFA with {self.n_factors} factors, one per "
                 "construct"]
        if self.kmo is not None and self.bartlett is not None:
            b = self.bartlett
            lines.append(f"KMO = {self.kmo.overall:.3f}; Bartlett's test: chi2({b.df}) = {b.chi2:.2f}, "
                         f"p = {b.p_value:.3g}; n = {b.n_obs}")
        if self.parallel is not None:
            pa = self.parallel
            lines.append(f"Parallel analysis ({pa.n_iter} simulated data sets, seed {self.seed}, {pa.threshold}): "
                         f"{pa.n_factors} factors, {pa.n_components} components")
        if self.harman is not None:
            lines.append(self.harman.summary().lines[0])
        tables = [] if self.efa is None else [("Loadings", self.to_frame()), ("Variance", self.efa.variance)]
        return Summary(title="Factor analysis of the constructs", lines=[*lines, *self.notes], tables=tables)

    def __repr__(self) -> str:
        kmo_ = "None" if self.kmo is None else f"{self.kmo.overall:.3f}"
        return (f"<SurveyFactorAnalysis n_items={len(self.items)} n_factors={self.n_factors} kmo={kmo_} "
                f"n_iter={self.n_iter} seed={self.seed}>")


def factor_analysis(data: "SurveyData", *, n_iter: int = PA_ITERATIONS, seed: int = PA_SEED) -> SurveyFactorAnalysis:
    """KMO, Bartlett's test, parallel analysis, an EFA with one factor per construct, and Harman's test.

    The items of every construct with two or more items, reverse-worded items recoded, are
    analysed listwise throughout (respondents who answered every item), as the EFA needs.

    Parameters
    ----------
    data : SurveyData
    n_iter : int, default 500
        Simulated data sets of the parallel analysis.
    seed : int, default 20240501
        Seed of the parallel analysis (fixed, so that the report is reproducible).

    Returns
    -------
    SurveyFactorAnalysis

    Raises
    ------
    QuestionnaireError
        When the questionnaire has no construct with two or more items.

    Examples
    --------
    >>> import surveykit as sk
    >>> fa = sk.example_data().factor_analysis(n_iter=20)
    >>> fa.n_factors == len([c for c in fa.efa.loadings.columns])
    True
    """
    q = data.questionnaire
    constructs = {n: c for n, c in q.constructs.items() if len(c.items) >= 2}
    if not constructs:
        raise QuestionnaireError(q.id, [("constructs", "a factor analysis needs a construct with two or more items")])
    items = [i for c in constructs.values() for i in c.items]
    x = data.scored_items().loc[:, items]
    notes: list[str] = []
    k = caught(notes, kmo, x, nan_policy="listwise")  # listwise throughout, as the EFA
    b = caught(notes, bartlett, x, nan_policy="listwise")
    pa = caught(notes, parallel_analysis, x, n_iter=n_iter, seed=seed)
    n_factors = min(len(constructs), len(items) - 1)
    fa = caught(notes, efa, x, n_factors)
    harman = caught(notes, harman_test, x)
    return SurveyFactorAnalysis(items=tuple(items), n_factors=n_factors, kmo=k, bartlett=b, parallel=pa, efa=fa,
                                harman=harman, n_iter=n_iter, seed=seed, notes=tuple(notes))
