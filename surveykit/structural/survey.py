"""The questionnaire layer of structural models: the seed's value chain fitted from the roles,
measurement invariance across a segment, mediation and moderation of construct scores.

Each call resolves the items, reverse keys, scores and labels from the questionnaire and calls
the numeric layer (:func:`~surveykit.structural.sem`, :func:`~surveykit.structural.invariance`,
:func:`~surveykit.structural.mediation`, :func:`~surveykit.structural.moderation`). On a weighted
study the value model and the invariance models take the study's weights (lavaan's
``sampling.weights``: ML on the weighted moments with robust MLR standard errors) and say so in
``weighted`` and their notes; the value model with ``bootstrap`` or ``missing='fiml'`` and the
mediation and moderation of scores are fitted unweighted, and their notes say so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._render import Summary
from .._result import Result
from ..errors import QuestionnaireError
from ..psychometrics.survey import VALUE_ROLE_EXAMPLES, role_factors, single_item_problem
from .invariance import LEVELS, InvarianceResult, invariance
from .mediation import MediationResult, mediation
from .moderation import ModerationResult, moderation
from .sem import SEMResult, sem

if TYPE_CHECKING:  # pragma: no cover
    from ..data import SurveyData

__all__ = ["SurveyInvariance", "SurveyValueModel", "survey_invariance", "survey_mediation", "survey_moderation",
           "value_model"]

ANTECEDENTS = ("perceived_benefits", "perceived_sacrifices")
CHAIN = ("perceived_value", "satisfaction", "loyalty")
#: role -> (zh, en): the name of a node that stands for a whole role
ROLE_LABELS = {"perceived_benefits": ("感知利得", "Perceived benefits"),
               "perceived_sacrifices": ("感知利失", "Perceived sacrifices"),
               "perceived_value": ("感知价值", "Perceived value"),
               "satisfaction": ("顾客满意度", "Satisfaction"),
               "loyalty": ("顾客忠诚度", "Loyalty")}
UNWEIGHTED = ("The questionnaire names a weight column ({column!r}), but {what} is fitted unweighted ({why}), so its "
              "estimates describe the respondents, not the weighted population.")


def _role_label(role: str, language: str) -> str:
    zh, en = ROLE_LABELS[role]
    return {"zh": zh, "en": en}.get(language, f"{zh} / {en}")


def _text_label(q, ref: str, language: str) -> str:
    """The label of a construct or an item (its text), in ``language``."""
    text = q.constructs[ref].label if ref in q.constructs else q.item(ref).text
    return text.get(language) or ref


WEIGHTED = ("Weighted by the questionnaire's weight column ({column!r}), as lavaan's sampling.weights: {what} is "
            "fitted by ML on the weighted means and covariances, with robust (MLR) standard errors and the "
            "Yuan-Bentler scaled chi2.")
_W = "\0weight"  # the weights ride along in the frame as a column no questionnaire can name


def _study_weights(data, what: str, refuse: str | None = None):
    """(weights or None, notes): the study's weights for a structural model, or None with the reason."""
    w = data.weights
    if w is None:
        return None, _unweighted_note(data, what)
    if refuse:
        return None, _unweighted_note(data, what, f"weights are not offered with {refuse}")
    return w, [WEIGHTED.format(column=data.questionnaire.weight.column, what=what)]


def _unweighted_note(data, what: str, why: str = "it takes no sampling weights") -> list[str]:
    q = data.questionnaire
    if q.weight is None or getattr(data, "weights_ignored", False):
        return []
    return [UNWEIGHTED.format(column=q.weight.column, what=what, why=why)]


# ---------------------------------------------------------------------------------------------
# the value chain from the roles


@dataclass
class _Chain:
    """The model read from the roles: measurement statements, node kinds and labels, the levels."""

    first: list  # (factor, items) of the sub-dimensions under a second-order factor
    factors: list  # (factor, indicators) of the nodes of the chain
    kinds: dict  # node -> 'first_order' | 'second_order' | 'factor' | 'observed'
    labels: dict
    roles: dict  # node -> the role it stands for (sub-dimensions: their role)
    levels: list  # lists of nodes, antecedents first: each level is regressed on the one before it
    notes: list

    def syntax(self) -> tuple[str, dict, dict]:
        """lavaan syntax, path label -> (from, to), defined name -> chain of nodes."""
        lines = [f"{f} =~ {' + '.join(ind)}" for f, ind in self.first + self.factors]
        paths = {}
        for before, after in zip(self.levels, self.levels[1:]):
            for to in after:
                terms = []
                for src in before:
                    label = f"{src}__{to}"
                    paths[label] = (src, to)
                    terms.append(f"{label}*{src}")
                lines.append(f"{to} ~ {' + '.join(terms)}")
        defined = {}
        for i, level in enumerate(self.levels):
            for src in level:
                for j in range(i + 2, len(self.levels)):
                    for to in self.levels[j]:
                        chain = [src, *[lv[0] for lv in self.levels[i + 1:j]], to]
                        name = f"ind__{src}__{to}"
                        defined[name] = chain
                        lines.append(f"{name} := " + " * ".join(f"{a}__{b}" for a, b in zip(chain, chain[1:])))
        return "\n".join(lines), paths, defined


def _ordered(q, items) -> list[str]:
    return [i for i in dict.fromkeys(items) if q.scale_of(i).is_ordered]


def _add_role(chain: _Chain, q, role: str, lang: str) -> None:
    """Add the role's node: a factor, a second-order factor over its sub-dimensions, or one item."""
    if role in ("satisfaction", "loyalty"):  # the items of the satisfaction and loyalty indices
        if role == "satisfaction":
            items = _ordered(q, q.resolve_role("satisfaction"))
        else:
            recommend = q.resolve_role("nps") if q.recommend_in_loyalty else ()
            items = _ordered(q, [*q.resolve_role("loyalty"), *q.resolve_role("repurchase"), *recommend,
                                 *q.resolve_role("price_tolerance")])
        factors, single = ({role: items}, []) if len(items) >= 2 else ({}, items)
        ref = q.roles.get(role)
        ref = ref if isinstance(ref, str) else getattr(ref, "items", None)
        labels = {role: _text_label(q, ref, lang) if isinstance(ref, str) else _role_label(role, lang)}
    else:
        factors, labels, single = role_factors(q, role, language=lang)
        factors = {f: _ordered(q, its) for f, its in factors.items()}
        if role in factors:  # the role's single items pooled into one factor
            labels[role] = _role_label(role, lang)
    if single and (factors or role in ANTECEDENTS):
        if role in ANTECEDENTS:
            raise QuestionnaireError(q.id, [(f"roles.{role}", single_item_problem(single[0]))])
        chain.notes.append(f"{single[0]!r} of the role {role!r} is a single item beside its factors: left out of the "
                           "structural model.")
    elif single:  # the role is one item: an observed variable of the chain
        factors, labels = {single[0]: None}, {single[0]: _text_label(q, single[0], lang)}
    if not factors:
        return
    if len(factors) > 1:  # sub-dimensions under a second-order factor named after the role
        subs = []
        for name, items in factors.items():
            sub = name if name != role else f"{role}_items"
            chain.first.append((sub, items))
            chain.kinds[sub], chain.labels[sub], chain.roles[sub] = "first_order", labels[name], role
            subs.append(sub)
        chain.factors.append((role, subs))
        node, kind, label = role, "second_order", _role_label(role, lang)
    else:
        (name, items), = factors.items()
        if items is None:
            node, kind = name, "observed"
        else:
            node, kind = role, "factor"
            chain.factors.append((role, items))
        label = labels[name]
    chain.kinds[node], chain.labels[node], chain.roles[node] = kind, label, role
    if role in CHAIN:
        chain.levels.append([node])
    else:
        chain.levels[0].append(node)


def value_chain(q, *, language: str | None = None) -> _Chain:
    """The structural model of value the roles allow (see :func:`value_model`); a QuestionnaireError
    when fewer than two of its levels exist or a node name is taken twice."""
    lang = language or q.language
    chain = _Chain(first=[], factors=[], kinds={}, labels={}, roles={}, levels=[[]], notes=[])
    for role in (*ANTECEDENTS, *CHAIN):
        if role in q.roles:
            _add_role(chain, q, role, lang)
    if not chain.levels[0]:
        chain.levels.pop(0)
    if len(chain.levels) < 2:
        present = [r for r in (*ANTECEDENTS, *CHAIN) if r in q.roles]
        raise QuestionnaireError(q.id, [("roles", "the structural model of value needs two of its levels: "
                                                  "perceived_benefits and/or perceived_sacrifices -> perceived_value "
                                                  f"-> satisfaction -> loyalty; the questionnaire has {present or 'none'}"
                                                  f" (e.g. perceived_benefits: "
                                                  f"{VALUE_ROLE_EXAMPLES['perceived_benefits']})")])
    taken = [n for n in chain.kinds if chain.kinds[n] != "observed" and n in q.item_ids]
    if taken:
        raise QuestionnaireError(q.id, [("roles", f"the factors {taken} of the structural model have the names of "
                                                  "items; rename the constructs or items")])
    return chain


@dataclass(frozen=True)
class SurveyValueModel(Result):
    """The seed's structural model of value, fitted from the questionnaire's roles.

    Attributes
    ----------
    sem : SEMResult
        The fitted model (its lavaan syntax is ``sem.model``; every parameter in ``sem.estimates``).
    paths : DataFrame
        The structural regressions, one row per path: ``from, to, est, se, z, p_value, ci_low,
        ci_high, std_all`` (``std_all`` is lavaan's completely standardised coefficient).
    indirect : DataFrame
        Indexed by ``effect`` (``'perceived_benefits -> perceived_value -> satisfaction'``):
        ``from, to, via, est, se, z, p_value, ci_low, ci_high, std_all`` and ``ci`` (the interval's
        method: ``'delta'``, the normal interval of the delta-method se, or ``'percentile'`` with
        ``bootstrap``), plus ``ci_low_bca, ci_high_bca`` when the fit gives BCa intervals.
    r2 : Series
        R² of each node of the chain that is explained (indexed by node).
    loadings : DataFrame
        The second-order loadings (sub-dimension on its role): ``factor, indicator, est, se,
        p_value, std_all``; empty without second-order factors.
    nodes : DataFrame
        By node (factor or item of the model, sub-dimensions included): ``kind`` (``first_order``,
        ``second_order``, ``factor``, ``observed``), ``role``, ``label``, ``level`` (0, 1 ... along
        the chain; NaN for sub-dimensions), ``indicators``.
    levels : tuple of tuple of str
        The chain: each level regressed on the one before it.
    bootstrap : int
        Bootstrap refits of the indirect effects' intervals; 0 for delta-method intervals.
    seed : int or None
    weighted : bool
        Whether the study's weights were used (a weighted study, without bootstrap or FIML).
    """

    sem: SEMResult
    paths: pd.DataFrame
    indirect: pd.DataFrame
    r2: pd.Series
    loadings: pd.DataFrame
    nodes: pd.DataFrame
    levels: tuple
    bootstrap: int
    seed: int | None
    weighted: bool
    language: str
    notes: tuple = ()

    @property
    def fit(self) -> dict:
        return self.sem.fit

    @property
    def n_obs(self) -> int:
        return self.sem.n_obs

    @property
    def labels(self) -> dict:
        """Node -> its label in the result's language."""
        return self.nodes["label"].to_dict()

    def to_frame(self) -> pd.DataFrame:
        """The structural paths (see ``paths``)."""
        return self.paths.copy()

    def summary(self) -> Summary:
        chain = " -> ".join(" + ".join(level) for level in self.levels)
        ci = f"{self.bootstrap} bootstrap refits (seed {self.seed})" if self.bootstrap else "the delta method"
        lines = [f"Structural model of value from the roles: {chain}", self.sem.summary().lines[0],
                 f"n = {self.n_obs} ({self.sem.n_dropped} rows dropped, missing={self.sem.missing!r}); "
                 f"estimator={self.sem.estimator!r}; indirect effects' 95% intervals by {ci}; "
                 + ("weighted" if self.weighted else "unweighted"), *self.notes]
        tables = [("Structural paths", self.paths), ("Indirect effects", self.indirect),
                  ("R-squared", self.r2.to_frame())]
        if len(self.loadings):
            tables.append(("Second-order loadings", self.loadings))
        return Summary(title="Structural model of value", lines=lines, tables=tables)

    def __repr__(self) -> str:
        f = self.fit
        return self._one_line(f"n_levels={len(self.levels)} n_paths={len(self.paths)} cfi={f['cfi']:.3f} "
                              f"rmsea={f['rmsea']:.3f} srmr={f['srmr']:.3f} n_obs={self.n_obs}")


def value_model(data: "SurveyData", *, bootstrap: int | None = None, seed: int | None = None,
                estimator: str = "ML", missing: str = "listwise", language: str | None = None) -> SurveyValueModel:
    """The seed's structural model, straight from the roles: benefits and sacrifices -> perceived
    value -> satisfaction -> loyalty, with the indirect effects along the chain.

    Each role present becomes a node, in the chain's order, and each node is regressed on the
    nodes of the level before it (the chain skips a role the questionnaire lacks):

    * ``perceived_benefits`` / ``perceived_sacrifices``: their sub-dimensions (constructs of two
      or more items) are first-order factors under a second-order factor named after the role;
      a role with one sub-dimension is that factor. Sub-dimensions given as single items are
      pooled into one factor (``<role>_items``), as :func:`surveykit.psychometrics.value_measurement`
      does; a lone single item is an error.
    * ``perceived_value``: a factor of its items (a second-order factor when it maps several
      constructs); a single item is an observed variable.
    * ``satisfaction`` and ``loyalty``: a factor of the items of the satisfaction and loyalty
      indices (loyalty: the ``loyalty``, ``repurchase`` and ``price_tolerance`` items, the 0-10
      ``nps`` item only with ``include_recommend``); a single item is an observed variable.

    The indirect effects (lavaan ``:=``) of every node on each node two or more levels after it
    are the products of the paths along the chain (benefits -> perceived value ->
    satisfaction, ... -> loyalty).

    Parameters
    ----------
    data : SurveyData
    bootstrap : int, optional
        Bootstrap refits for the indirect effects' intervals (percentile, and BCa where
        :func:`~surveykit.structural.sem` gives it); default None: delta-method intervals.
    seed : int, optional
        Seed of the bootstrap.
    estimator, missing : str
        Passed to :func:`~surveykit.structural.sem` (``missing='listwise'`` drops a respondent
        with a blank in any item of the model; the result says how many).
    language : {'zh', 'en', 'both'}, optional
        Language of the labels; default the questionnaire's.

    Returns
    -------
    SurveyValueModel

    Raises
    ------
    QuestionnaireError
        When fewer than two levels of the chain exist among the roles, or a benefit or sacrifice
        role has one single-item sub-dimension and no other single item to form a factor with.

    Notes
    -----
    Items are reverse-coded as the questionnaire says. The model is lavaan's ``sem()`` of the
    syntax in ``result.sem.model`` (first loading of each factor fixed at 1; the exogenous
    benefits and sacrifices correlate). Weighted on a weighted study (see the module notes). The measurement
    model alone, with validity (CR, AVE, HTMT), is :meth:`SurveyData.value_measurement`.

    Examples
    --------
    >>> import surveykit as sk
    >>> m = sk.example_data().value_model(language="en")
    >>> m.levels
    (('perceived_benefits', 'perceived_sacrifices'), ('perceived_value',), ('satisfaction',), ('loyalty',))
    >>> m.indirect.index[0]
    'perceived_benefits -> perceived_value -> satisfaction'
    """
    q = data.questionnaire
    lang = language or q.language
    chain = value_chain(q, language=lang)
    syntax, paths, defined = chain.syntax()
    items = [i for _, its in chain.first + chain.factors for i in its if i not in chain.kinds] + \
        [n for n, k in chain.kinds.items() if k == "observed"]
    refuse = ("bootstrap" if bootstrap is not None else None) or ("missing='fiml'" if missing == "fiml" else None)
    w, weight_notes = _study_weights(data, "the structural model", refuse)
    fit = sem(data.scored_items().loc[:, list(dict.fromkeys(items))], syntax, estimator=estimator, missing=missing,
              bootstrap=bootstrap, seed=seed, weights=w)
    notes = [*chain.notes, *weight_notes]
    if fit.n_dropped:
        notes.append(f"{fit.n_dropped} of {fit.n_obs + fit.n_dropped} respondents left a blank in an item of the model "
                     f"and are left out (missing={missing!r}).")
    return SurveyValueModel(sem=fit, paths=_paths(fit, paths), indirect=_indirect(fit, defined, bootstrap),
                            r2=_r2(fit, chain), loadings=_second_order(fit, chain), nodes=_nodes(chain, items),
                            levels=tuple(tuple(level) for level in chain.levels), bootstrap=int(bootstrap or 0),
                            seed=seed, weighted=w is not None, language=lang, notes=tuple(notes))


_COLUMNS = ["est", "se", "z", "p_value", "ci_low", "ci_high", "std_all"]


def _paths(fit: SEMResult, paths: dict) -> pd.DataFrame:
    e = fit.estimates
    rows = e[(e["op"] == "~") & e["label"].isin(list(paths))]
    out = pd.DataFrame({"from": rows["rhs"].to_numpy(), "to": rows["lhs"].to_numpy(),
                        **{c: rows[c].to_numpy(float) for c in _COLUMNS}})
    return out


def _indirect(fit: SEMResult, defined: dict, bootstrap) -> pd.DataFrame:
    d = fit.defined.set_index("lhs")
    extra = [c for c in ("ci_low_bca", "ci_high_bca") if c in d.columns]
    rows = []
    for name, chain in defined.items():
        r = d.loc[name]
        rows.append({"effect": " -> ".join(chain), "from": chain[0], "to": chain[-1], "via": " -> ".join(chain[1:-1]),
                     **{c: float(r[c]) for c in _COLUMNS + extra},
                     "ci": "percentile" if bootstrap else "delta"})
    return pd.DataFrame(rows).set_index("effect")


def _r2(fit: SEMResult, chain: _Chain) -> pd.Series:
    nodes = [n for level in chain.levels[1:] for n in level]
    r2 = fit.r2.set_index("variable")["r2"]
    return pd.Series([float(r2.get(n, np.nan)) for n in nodes], index=pd.Index(nodes, name="node"), name="r2")


def _second_order(fit: SEMResult, chain: _Chain) -> pd.DataFrame:
    e = fit.estimates
    higher = [n for n, k in chain.kinds.items() if k == "second_order"]
    rows = e[(e["op"] == "=~") & e["lhs"].isin(higher)]
    return pd.DataFrame({"factor": rows["lhs"].to_numpy(), "indicator": rows["rhs"].to_numpy(),
                         **{c: rows[c].to_numpy(float) for c in ("est", "se", "p_value", "std_all")}})


def _nodes(chain: _Chain, items: list) -> pd.DataFrame:
    level = {n: i for i, lv in enumerate(chain.levels) for n in lv}
    indicators = {f: " + ".join(ind) for f, ind in chain.first + chain.factors}
    names = list(chain.kinds)
    return pd.DataFrame({"kind": [chain.kinds[n] for n in names], "role": [chain.roles[n] for n in names],
                         "label": [chain.labels[n] for n in names],
                         "level": [level.get(n, np.nan) for n in names],
                         "indicators": [indicators.get(n, "") for n in names]},
                        index=pd.Index(names, name="node"))


# ---------------------------------------------------------------------------------------------
# measurement invariance across a segment


@dataclass(frozen=True)
class SurveyInvariance(Result):
    """Measurement invariance of constructs across the levels of a segment.

    Attributes
    ----------
    result : InvarianceResult
        The numeric result (its groups are the segment's labels, in the questionnaire's order).
    segment : str
        The segment item; ``segment_label`` its text.
    constructs : tuple of str
        The factors of the measurement model (each measured by its items, reverse keys applied).
    labels : dict
        Construct -> label.
    n_by_level : Series
        Respondents of each level used (answered every item of the model).
    weighted : bool
        Whether the study's weights were used (on a weighted study: always).
    """

    result: InvarianceResult
    segment: str
    segment_label: str
    constructs: tuple
    labels: dict
    n_by_level: pd.Series
    weighted: bool
    language: str
    notes: tuple = ()

    @property
    def table(self) -> pd.DataFrame:
        return self.result.table

    @property
    def highest(self) -> str | None:
        return self.result.highest

    @property
    def latent_means(self) -> pd.DataFrame:
        return self.result.latent_means

    def to_frame(self) -> pd.DataFrame:
        return self.result.table.copy()

    def summary(self) -> Summary:
        s = self.result.summary()
        counts = ", ".join(f"{k} {v}" for k, v in self.n_by_level.items())
        lines = [f"Constructs {', '.join(self.constructs)} across {self.segment!r} ({counts}); " + ("weighted" if self.weighted else "unweighted"), *s.lines,
                 *self.notes]
        return Summary(title=f"Measurement invariance across {self.segment!r}", lines=lines, tables=s.tables)

    def __repr__(self) -> str:
        return self._one_line(f"segment={self.segment!r} n_levels={len(self.n_by_level)} "
                              f"n_constructs={len(self.constructs)} highest={self.highest!r} n_obs={self.result.n_obs}")


def _invariance_constructs(q, constructs) -> list[str]:
    if constructs is None:
        spec = q.invariance
        constructs = spec.constructs if spec is not None and spec.constructs else \
            [n for n, c in q.constructs.items() if len(c.items) >= 2]
    names = [constructs] if isinstance(constructs, str) else list(constructs)
    unknown = [n for n in names if n not in q.constructs]
    if unknown:
        raise KeyError(f"invariance: the questionnaire {q.id!r} has no constructs {unknown} (constructs: "
                       f"{list(q.constructs)}).")
    short = [n for n in names if len(q.constructs[n].items) < 2]
    if short or not names:
        raise ValueError(f"invariance: a factor needs two or more items; {short or 'no construct'} "
                         f"{'have one item' if short else 'has two or more'}.")
    return names


def survey_invariance(data: "SurveyData", segment: str, *, constructs=None, levels=LEVELS, partial=(),
                      language: str | None = None) -> SurveyInvariance:
    """Configural, metric, scalar and strict invariance of the constructs across a segment's levels.

    Parameters
    ----------
    data : SurveyData
    segment : str
        Any segment item (a single-choice item): its levels are the groups, labelled and in
        the order of its scale.
    constructs : list of str, optional
        The constructs of the measurement model (each a factor of its items); default the
        questionnaire's ``invariance: {constructs: [...]}``, else every construct with two or
        more items (the model of :meth:`SurveyData.validity`).
    levels, partial
        As :func:`surveykit.invariance`.
    language : {'zh', 'en', 'both'}, optional

    Returns
    -------
    SurveyInvariance

    Raises
    ------
    KeyError
        An unknown segment or construct.
    ValueError
        A segment with fewer than two levels answered, a level with fewer respondents than the
        model's free parameters (merge small levels), a construct with one item.

    Notes
    -----
    Respondents who answered every item of the model and the segment (listwise, as lavaan's
    default); levels nobody in them chose are left out. On a weighted study the models take its
    weights (see the module notes; the Δχ² tests are then scaled).

    Examples
    --------
    >>> import surveykit as sk
    >>> r = sk.example_data().invariance("tier", constructs=["satisfaction", "loyalty"], language="zh")
    >>> list(r.table.index), list(r.n_by_level.index)
    (['configural', 'metric', 'scalar', 'strict'], ['A类客户', 'B类客户', 'C类客户'])
    """
    q = data.questionnaire
    lang = language or q.language
    if segment not in q.item_ids:
        raise KeyError(f"invariance: the questionnaire {q.id!r} has no item {segment!r} (segments: "
                       f"{list(q.segments)}).")
    names = _invariance_constructs(q, constructs)
    model = "\n".join(f"{n} =~ {' + '.join(q.constructs[n].items)}" for n in names)
    items = list(dict.fromkeys(i for n in names for i in q.constructs[n].items))
    codes = data.responses[segment]
    scale = q.scale_of(segment)
    if scale.labels:  # the levels' labels in the result's language, in the order of the scale
        level_names = {float(c): text.get(lang) for c, text in scale.labels.items()}
        groups, order = codes.map(level_names), list(dict.fromkeys(level_names.values()))
    else:
        groups, order = codes, sorted(codes.dropna().unique())
    w, notes = _study_weights(data, "the invariance model")
    frame = data.scored_items().loc[:, items].assign(**{segment: groups.astype(object)})
    if w is not None:
        frame[_W] = w
    used = frame.dropna()
    present = [g for g in order if (used[segment] == g).any()]
    used = used.iloc[np.argsort([present.index(g) for g in used[segment]], kind="stable")]  # groups in scale order
    result = invariance(used, model, segment, levels=levels, partial=partial, weights=None if w is None else _W)
    counts = used[segment].value_counts().reindex(present)
    dropped = len(frame) - len(used)
    if dropped:
        notes.append(f"{dropped} of {len(frame)} respondents left a blank in an item of the model or the segment and "
                     "are left out (listwise).")
    return SurveyInvariance(result=result, segment=segment, segment_label=q.item(segment).text.get(lang) or segment,
                            constructs=tuple(names), labels={n: q.constructs[n].label.get(lang) for n in names},
                            n_by_level=counts.rename("n_obs"), weighted=w is not None, language=lang,
                            notes=tuple(notes))


# ---------------------------------------------------------------------------------------------
# mediation and moderation of construct scores


def _scores(data: "SurveyData", names: dict, function: str) -> tuple[pd.DataFrame, list[str]]:
    """A column per name (a construct's score or an item's scored answers) and a note on what each is."""
    q = data.questionnaire
    scores, scored = None, None
    columns, described = {}, []
    for role, refs in names.items():
        for ref in refs:
            if ref in q.constructs:
                scores = data.construct_scores() if scores is None else scores
                columns[ref] = scores[ref]
                described.append(f"{ref} = mean of {', '.join(q.constructs[ref].items)}")
            elif ref in q.item_ids and (q.scale_of(ref).is_ordered or q.scale_of(ref).type == "numeric"):
                scored = data.scored_items() if scored is None else scored
                columns[ref] = scored[ref]
            elif ref in q.item_ids:
                raise ValueError(f"{function}: {role} {ref!r} is a {q.scale_of(ref).type} item; name a construct or "
                                 "a likert, rating or numeric item (a segment enters as 0/1 dummy columns of a "
                                 "DataFrame given to surveykit.mediation / moderation).")
            else:
                raise KeyError(f"{function}: {role} {ref!r} is neither a construct nor an item of {q.id!r} "
                               f"(constructs: {list(q.constructs)}).")
    note = ("Construct scores are the mean of each respondent's answered items (reverse-worded items recoded; NaN "
            "below the construct's min_valid answers), as the construct scores of the indices: "
            + "; ".join(described) + ".") if described else ""
    return pd.DataFrame(columns), [note] if note else []


def _names(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def survey_mediation(data: "SurveyData", x: str, m, y: str, *, covariates=(), kind: str | None = None,
                     bootstrap: int = 5000, seed=None, ci: str = "percentile",
                     ci_level: float = 0.95) -> MediationResult:
    """Mediation of construct scores (or items): :func:`surveykit.mediation` on the questionnaire's names.

    Parameters
    ----------
    data : SurveyData
    x, y : str
        A construct (its score: the mean of its items, reverse keys applied) or a likert,
        rating or numeric item.
    m : str or list of str
        The mediator(s), named the same way.
    covariates : list of str
    kind : {'simple', 'parallel', 'serial'}, optional
        Default 'simple' for one mediator, 'parallel' for several.
    bootstrap, seed, ci, ci_level
        As :func:`surveykit.mediation`.

    Returns
    -------
    MediationResult
        Its notes say what the scores are and, on a weighted study, that the model is unweighted.

    Examples
    --------
    >>> import surveykit as sk
    >>> r = sk.example_data().mediation("product_value", "perceived_value", "satisfaction", bootstrap=200, seed=1)
    >>> r.effects["effect"].tolist()[2]
    'product_value -> perceived_value -> satisfaction'
    """
    meds = _names(m)
    frame, notes = _scores(data, {"x": [x], "m": meds, "y": [y], "covariates": _names(covariates)},
                           "mediation")
    kind = kind if kind is not None else ("simple" if len(meds) == 1 else "parallel")
    result = mediation(frame, x, meds if len(meds) > 1 else meds[0], y, covariates=tuple(_names(covariates)),
                       kind=kind, bootstrap=bootstrap, seed=seed, ci=ci, ci_level=ci_level)
    return replace(result, notes=(*result.notes, *notes, *_unweighted_note(data, "the mediation model")))


def survey_moderation(data: "SurveyData", x: str, w: str, y: str, *, covariates=(), center: bool = True, at=None,
                      ci_level: float = 0.95) -> ModerationResult:
    """Moderation of construct scores (or items): :func:`surveykit.moderation` on the questionnaire's names.

    ``x``, ``w``, ``y`` and ``covariates`` name constructs (scores: the mean of their items,
    reverse keys applied) or likert, rating or numeric items; the other options are those of
    :func:`surveykit.moderation`. The notes say what the scores are and, on a weighted study,
    that the model is unweighted.

    Examples
    --------
    >>> import surveykit as sk
    >>> r = sk.example_data().moderation("perceived_value", "monetary_cost", "satisfaction")
    >>> r.simple_slopes.index.tolist()
    ['mean - 1 SD', 'mean', 'mean + 1 SD']
    """
    covs = _names(covariates)
    frame, notes = _scores(data, {"x": [x], "w": [w], "y": [y], "covariates": covs}, "moderation")
    result = moderation(frame, x, w, y, covariates=tuple(covs), center=center, at=at, ci_level=ci_level)
    return replace(result, notes=(*result.notes, *notes, *_unweighted_note(data, "the moderation model")))
