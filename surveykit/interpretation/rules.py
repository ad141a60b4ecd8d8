"""The criteria an interpretation applies: every threshold, the source it comes from, checked once.

A :class:`RuleSet` holds every cut-off the interpreters use; sentences take their thresholds
from it and never write a number of their own. Each threshold has the publication it comes
from (``RuleSet.cite``); a threshold changed from its default is cited as a user-set rule unless
``citations`` names a source for it.

Where a threshold has a borderline band (e.g. Cronbach's alpha in [0.65, 0.70)), a value in the
band is called borderline, never passed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Mapping

__all__ = ["BANDS", "DEFAULT_RULES", "REFERENCES", "RuleSet", "USER_SET"]

USER_SET = "user-set"  # the citation of a threshold changed from its default without a source

#: Short citation -> full reference (APA style), as printed under 参考文献 / References.
REFERENCES = MappingProxyType({
    "Nunnally, 1978": "Nunnally, J. C. (1978). Psychometric theory (2nd ed.). McGraw-Hill.",
    "DeVellis, 2017": "DeVellis, R. F. (2017). Scale development: Theory and applications (4th ed.). SAGE.",
    "Nunnally & Bernstein, 1994": "Nunnally, J. C., & Bernstein, I. H. (1994). Psychometric theory (3rd ed.). "
                                  "McGraw-Hill.",
    "Kaiser, 1974": "Kaiser, H. F. (1974). An index of factorial simplicity. Psychometrika, 39(1), 31-36.",
    "Bartlett, 1950": "Bartlett, M. S. (1950). Tests of significance in factor analysis. British Journal of "
                      "Psychology (Statistical Section), 3(2), 77-85.",
    "Fornell & Larcker, 1981": "Fornell, C., & Larcker, D. F. (1981). Evaluating structural equation models with "
                               "unobservable variables and measurement error. Journal of Marketing Research, 18(1), "
                               "39-50.",
    "Henseler et al., 2015": "Henseler, J., Ringle, C. M., & Sarstedt, M. (2015). A new criterion for assessing "
                             "discriminant validity in variance-based structural equation modeling. Journal of the "
                             "Academy of Marketing Science, 43(1), 115-135.",
    "Hu & Bentler, 1999": "Hu, L., & Bentler, P. M. (1999). Cutoff criteria for fit indexes in covariance structure "
                          "analysis: Conventional criteria versus new alternatives. Structural Equation Modeling, "
                          "6(1), 1-55.",
    "Bentler & Bonett, 1980": "Bentler, P. M., & Bonett, D. G. (1980). Significance tests and goodness of fit in the "
                              "analysis of covariance structures. Psychological Bulletin, 88(3), 588-606.",
    "Browne & Cudeck, 1993": "Browne, M. W., & Cudeck, R. (1993). Alternative ways of assessing model fit. In K. A. "
                             "Bollen & J. S. Long (Eds.), Testing structural equation models (pp. 136-162). Sage.",
    "Chen, 2007": "Chen, F. F. (2007). Sensitivity of goodness of fit indexes to lack of measurement invariance. "
                  "Structural Equation Modeling, 14(3), 464-504.",
    "Reichheld, 2003": "Reichheld, F. F. (2003). The one number you need to grow. Harvard Business Review, 81(12), "
                       "46-54.",
    "温忠麟 & 叶宝娟, 2014": "温忠麟, 叶宝娟 (2014). 中介效应分析：方法和模型发展. 心理科学进展, 22(5), 731-745.",
    "Preacher & Hayes, 2008": "Preacher, K. J., & Hayes, A. F. (2008). Asymptotic and resampling strategies for "
                              "assessing and comparing indirect effects in multiple mediator models. Behavior Research "
                              "Methods, 40(3), 879-891.",
    "Hayes, 2018": "Hayes, A. F. (2018). Introduction to mediation, moderation, and conditional process analysis "
                   "(2nd ed.). Guilford Press.",
    "Aiken & West, 1991": "Aiken, L. S., & West, S. G. (1991). Multiple regression: Testing and interpreting "
                          "interactions. Sage.",
    "Johnson & Neyman, 1936": "Johnson, P. O., & Neyman, J. (1936). Tests of certain linear hypotheses and their "
                              "application to some educational problems. Statistical Research Memoirs, 1, 57-93.",
    "Johnson, 2000": "Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor "
                     "variables in multiple regression. Multivariate Behavioral Research, 35(1), 1-19.",
    "Berger et al., 1993": "Berger, C., Blauth, R., Boger, D., et al. (1993). Kano's methods for understanding "
                           "customer-defined quality. Center for Quality of Management Journal, 2(4), 3-36.",
    "Fong, 1996": "Fong, D. (1996). Using the self-stated importance questionnaire to interpret Kano questionnaire "
                  "results. Center for Quality of Management Journal, 5(3), 21-23.",
    # -- added with the interpreters of EFA, SEM, PLS, invariance and the satisfaction methods --
    "Stevens, 2002": "Stevens, J. P. (2002). Applied multivariate statistics for the social sciences (4th ed.). "
                     "Erlbaum.",
    "Horn, 1965": "Horn, J. L. (1965). A rationale and test for the number of factors in factor analysis. "
                  "Psychometrika, 30(2), 179-185.",
    "Podsakoff et al., 2003": "Podsakoff, P. M., MacKenzie, S. B., Lee, J.-Y., & Podsakoff, N. P. (2003). Common "
                              "method biases in behavioral research: A critical review of the literature and "
                              "recommended remedies. Journal of Applied Psychology, 88(5), 879-903.",
    "Cheung & Rensvold, 2002": "Cheung, G. W., & Rensvold, R. B. (2002). Evaluating goodness-of-fit indexes for "
                               "testing measurement invariance. Structural Equation Modeling, 9(2), 233-255.",
    "Hair et al., 2011": "Hair, J. F., Ringle, C. M., & Sarstedt, M. (2011). PLS-SEM: Indeed a silver bullet. Journal "
                         "of Marketing Theory and Practice, 19(2), 139-152.",
    "Wetzels et al., 2009": "Wetzels, M., Odekerken-Schröder, G., & van Oppen, C. (2009). Using PLS path modeling for "
                            "assessing hierarchical construct models. MIS Quarterly, 33(1), 177-195.",
    "Tenenhaus et al., 2005": "Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M., & Lauro, C. (2005). PLS path "
                              "modeling. Computational Statistics & Data Analysis, 48(1), 159-205.",
    "Martilla & James, 1977": "Martilla, J. A., & James, J. C. (1977). Importance-performance analysis. Journal of "
                              "Marketing, 41(1), 77-79.",
    "Ringle & Sarstedt, 2016": "Ringle, C. M., & Sarstedt, M. (2016). Gain more insight from your PLS-SEM results: "
                               "The importance-performance map analysis. Industrial Management & Data Systems, "
                               "116(9), 1865-1886.",
    "Parasuraman et al., 1988": "Parasuraman, A., Zeithaml, V. A., & Berry, L. L. (1988). SERVQUAL: A multiple-item "
                                "scale for measuring consumer perceptions of service quality. Journal of Retailing, "
                                "64(1), 12-40.",
    "Mittal et al., 1998": "Mittal, V., Ross, W. T., & Baldasare, P. M. (1998). The asymmetric impact of negative and "
                           "positive attribute-level performance on overall satisfaction and repurchase intentions. "
                           "Journal of Marketing, 62(1), 33-47.",
    "吴明隆, 2010": "吴明隆 (2010). 问卷统计分析实务：SPSS 操作与应用. 重庆大学出版社.",
    "Hayes, 2015": "Hayes, A. F. (2015). An index and test of linear moderated mediation. Multivariate Behavioral "
                   "Research, 50(1), 1-22.",
})

# threshold -> (comparison a value must pass, its borderline field or None, (lower, upper) allowed range,
#               the threshold's citation, the borderline band's citation)
RULES = MappingProxyType({
    "alpha_min": (">=", "alpha_borderline", (0, 1), "Nunnally, 1978", "DeVellis, 2017"),
    "citc_min": (">=", None, (0, 1), "Nunnally & Bernstein, 1994", None),
    "kmo_min": (">=", "kmo_borderline", (0, 1), "Kaiser, 1974", "Kaiser, 1974"),
    "cr_min": (">=", None, (0, 1), "Fornell & Larcker, 1981", None),
    "ave_min": (">=", None, (0, 1), "Fornell & Larcker, 1981", None),
    "htmt_max": ("<", "htmt_borderline", (0, 1), "Henseler et al., 2015", "Henseler et al., 2015"),
    "cfi_min": (">=", "cfi_borderline", (0, 1), "Hu & Bentler, 1999", "Bentler & Bonett, 1980"),
    "tli_min": (">=", "tli_borderline", (0, 1), "Hu & Bentler, 1999", "Bentler & Bonett, 1980"),
    "rmsea_max": ("<=", "rmsea_borderline", (0, 1), "Hu & Bentler, 1999", "Browne & Cudeck, 1993"),
    "srmr_max": ("<=", None, (0, 1), "Hu & Bentler, 1999", None),
    "delta_cfi_max": ("<=", None, (0, 1), "Chen, 2007", None),
    "delta_rmsea_max": ("<=", None, (0, 1), "Chen, 2007", None),
    "delta_srmr_max": ("<=", None, (0, 1), "Chen, 2007", None),
    "delta_srmr_scalar_max": ("<=", None, (0, 1), "Chen, 2007", None),
    "loading_min": (">=", None, (0, 1), "Stevens, 2002", None),
    "harman_max": ("<=", None, (0, 1), "Podsakoff et al., 2003", None),
    "critical_ratio_min": (">=", None, (0, 100), "吴明隆, 2010", None),
})

# bands: name -> (how many cut points, (lower, upper) allowed range, citation of the defaults)
BANDS = MappingProxyType({
    "kmo_bands": (5, (0, 1), "Kaiser, 1974"),
    "nps_bands": (3, (-100, 100), "Reichheld, 2003"),
    "r2_bands": (3, (0, 1), "Hair et al., 2011"),
    "gof_bands": (3, (0, 1), "Wetzels et al., 2009"),
})


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class RuleSet:
    """Every threshold the interpretations apply, each with its source.

    Parameters
    ----------
    alpha_min, alpha_borderline : float
        Cronbach's alpha passes at ``alpha >= alpha_min`` (Nunnally 1978); ``alpha_borderline
        <= alpha < alpha_min`` is borderline ("minimally acceptable", DeVellis 2017).
    citc_min : float
        Corrected item-total correlation an item should reach (Nunnally & Bernstein 1994).
    kmo_min, kmo_borderline : float
        KMO passes at ``>= kmo_min``; ``kmo_borderline <= KMO < kmo_min`` is borderline.
    kmo_bands : tuple of 5 floats
        Kaiser's (1974) bands: below the first unacceptable, then miserable, mediocre,
        middling, meritorious, and marvelous from the last.
    cr_min, ave_min : float
        Composite reliability and average variance extracted (Fornell & Larcker 1981).
    htmt_max, htmt_borderline : float
        HTMT passes below ``htmt_max`` (HTMT.85); ``htmt_max <= HTMT < htmt_borderline``
        (between HTMT.85 and HTMT.90, Henseler et al. 2015) is borderline.
    cfi_min, cfi_borderline, tli_min, tli_borderline : float
        CFI and TLI pass at ``>= .95`` (Hu & Bentler 1999); ``[.90, .95)`` is borderline, the
        older convention (Bentler & Bonett 1980).
    rmsea_max, rmsea_borderline : float
        RMSEA passes at ``<= .06`` (Hu & Bentler 1999); ``(.06, .08]`` is borderline
        ("reasonable", Browne & Cudeck 1993).
    srmr_max : float
        SRMR passes at ``<= .08`` (Hu & Bentler 1999).
    delta_cfi_max : float
        A level of measurement invariance holds when CFI drops by at most this (Chen 2007;
        Cheung & Rensvold 2002 proposed the same .01).
    delta_rmsea_max : float
        ... and RMSEA rises by at most this (Chen 2007).
    delta_srmr_max, delta_srmr_scalar_max : float
        ... and SRMR rises by at most .030 for metric, .010 for scalar and strict invariance (Chen 2007).
    loading_min : float
        An EFA loading is salient at ``|loading| >= loading_min`` (Stevens 2002); an item salient
        on no factor or on more than one is flagged.
    harman_max : float
        Harman's single-factor test: one factor explaining more than this share of the variance
        signals common-method variance (Podsakoff et al. 2003).
    critical_ratio_min : float
        Item discrimination: an item discriminates when its critical ratio (extreme-group t)
        reaches this and is significant (吴明隆 2010).
    r2_bands : tuple of 3 floats
        R² of a PLS model's endogenous constructs: weak, moderate and substantial from each cut
        (Hair et al. 2011), below the first very weak.
    gof_bands : tuple of 3 floats
        The PLS goodness of fit: small, medium and large from each cut (Wetzels et al. 2009).
    nps_bands : tuple of 3 floats
        NPS bands: below the first negative, then positive, good, and excellent from the last.
        These are a practitioners' convention, not a statistical criterion.
    significance : float or None
        The alpha of every p-value statement; None (default) takes the result's own
        (1 - its ``ci_level``), 0.05 when it has none. Intervals (bootstrap CIs of indirect
        effects, the NPS interval) are read at the level the result computed them.
    decimals : int
        Decimals of the statistics printed (NPS points with one fewer); more are printed when
        rounding would put a value on the other side of a threshold.
    citations : mapping of str -> str
        A source for a threshold changed from its default, e.g. ``{"cfi_min": "Bentler &
        Bonett, 1980"}``; without one, a changed threshold is cited as set by the user.

    Raises
    ------
    ValueError
        A threshold out of its range, a borderline band on the wrong side of its threshold,
        bands out of order, an unknown key in ``citations``; the message names the field.

    Examples
    --------
    >>> from surveykit import RuleSet
    >>> lenient = RuleSet(cfi_min=0.90, tli_min=0.90, rmsea_max=0.08, rmsea_borderline=0.08,
    ...                   citations={"cfi_min": "Bentler & Bonett, 1980", "tli_min": "Bentler & Bonett, 1980",
    ...                              "rmsea_max": "Browne & Cudeck, 1993"})
    >>> lenient.cite("cfi_min")
    'Bentler & Bonett, 1980'
    >>> RuleSet(alpha_min=1.7)
    Traceback (most recent call last):
    ...
    ValueError: RuleSet: 'alpha_min' must be a number in (0, 1); got 1.7.
    """

    alpha_min: float = 0.70
    alpha_borderline: float = 0.65
    citc_min: float = 0.30
    kmo_min: float = 0.60
    kmo_borderline: float = 0.50
    kmo_bands: tuple = (0.50, 0.60, 0.70, 0.80, 0.90)
    cr_min: float = 0.70
    ave_min: float = 0.50
    htmt_max: float = 0.85
    htmt_borderline: float = 0.90
    cfi_min: float = 0.95
    cfi_borderline: float = 0.90
    tli_min: float = 0.95
    tli_borderline: float = 0.90
    rmsea_max: float = 0.06
    rmsea_borderline: float = 0.08
    srmr_max: float = 0.08
    delta_cfi_max: float = 0.010
    delta_rmsea_max: float = 0.015
    delta_srmr_max: float = 0.030
    delta_srmr_scalar_max: float = 0.010
    loading_min: float = 0.40
    harman_max: float = 0.50
    critical_ratio_min: float = 3.0
    r2_bands: tuple = (0.25, 0.50, 0.75)
    gof_bands: tuple = (0.10, 0.25, 0.36)
    nps_bands: tuple = (0.0, 30.0, 70.0)
    significance: float | None = None
    decimals: int = 3
    citations: Mapping = field(default_factory=dict)

    def __post_init__(self):
        for name, (op, band, (lo, hi), _, _) in RULES.items():
            for key in (name, band) if band else (name,):
                v = getattr(self, key)
                if not _number(v) or not lo < v < hi:
                    raise ValueError(f"RuleSet: {key!r} must be a number in ({lo}, {hi}); got {v!r}.")
            if band:
                t, b = getattr(self, name), getattr(self, band)
                if (op == ">=" and b > t) or (op != ">=" and b < t):
                    side = "at or below" if op == ">=" else "at or above"
                    raise ValueError(f"RuleSet: {band!r} ({b!r}) must lie {side} {name!r} ({t!r}): the borderline "
                                     f"band is the values just {'below' if op == '>=' else 'above'} the threshold.")
        for name, (n, (lo, hi), _) in BANDS.items():
            self._bands(name, n, lo, hi)
        s = self.significance
        if s is not None and (not _number(s) or not 0 < s < 0.5):
            raise ValueError(f"RuleSet: 'significance' must be None (the result's own) or a number in (0, 0.5); "
                             f"got {s!r}.")
        if not isinstance(self.decimals, int) or isinstance(self.decimals, bool) or not 0 <= self.decimals <= 6:
            raise ValueError(f"RuleSet: 'decimals' must be a whole number from 0 to 6; got {self.decimals!r}.")
        if not isinstance(self.citations, Mapping):
            raise ValueError(f"RuleSet: 'citations' must be a mapping of threshold -> source; got "
                             f"{type(self.citations).__name__}.")
        unknown = [k for k in self.citations if k not in RULES and k not in BANDS]
        if unknown:
            raise ValueError(f"RuleSet: 'citations' names unknown thresholds {unknown}; thresholds: "
                             f"{[*RULES, *BANDS]}.")
        object.__setattr__(self, "citations", MappingProxyType(dict(self.citations)))

    def _bands(self, name: str, n: int, lo: float, hi: float) -> None:
        v = getattr(self, name)
        ok = (isinstance(v, tuple) and len(v) == n and all(_number(b) and lo < b < hi for b in v)
              and all(a < b for a, b in zip(v, v[1:])))
        if not ok:
            raise ValueError(f"RuleSet: {name!r} must be a tuple of {n} increasing numbers in ({lo}, {hi}); "
                             f"got {v!r}.")

    def __reduce__(self):  # the mapping proxy does not pickle
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["citations"] = dict(self.citations)
        return (_rebuild, (values,))

    def cite(self, name: str, *, borderline: bool = False) -> str:
        """The source of threshold ``name`` (or of its borderline band), as a short citation."""
        if name not in RULES and name not in BANDS:
            raise ValueError(f"RuleSet.cite: unknown threshold {name!r}; thresholds: {[*RULES, *BANDS]}.")
        if name in self.citations:
            return self.citations[name]
        if name == "nps_bands":  # the bands are a convention: cited as such whatever their cut points
            return BANDS[name][2]
        if name in BANDS:
            return BANDS[name][2] if getattr(self, name) == _DEFAULTS[name] else USER_SET
        key = RULES[name][1] if borderline else name
        source = RULES[name][4] if borderline else RULES[name][3]
        return source if getattr(self, key) == _DEFAULTS[key] else USER_SET

    def alpha(self, ci_level: float | None = None) -> float:
        """The significance level of a result with interval level ``ci_level`` under these rules."""
        if self.significance is not None:
            return self.significance
        return 0.05 if ci_level is None else round(1 - ci_level, 12)


def _rebuild(values: dict) -> RuleSet:
    return RuleSet(**values)


_DEFAULTS = {f.name: f.default for f in fields(RuleSet) if f.name != "citations"}

#: The rules used when ``interpret`` is given none.
DEFAULT_RULES = RuleSet()
