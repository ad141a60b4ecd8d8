"""Customer value linked to what customers said: are the valuable customers satisfied, and whom to save?

:func:`link_survey` is the questionnaire layer of :mod:`surveykit.value`: it joins a survey
(:class:`~surveykit.data.SurveyData`) to the customer base's transactions by customer id, gives
each respondent the RFM layer, ABC class and CLV of their customer record, then compares the
satisfaction index, loyalty index, NPS and perceived value across RFM layers and ABC classes
(banner tables with tests, :func:`surveykit.indices.banner.banner`), and lists the high-value
customers with low satisfaction ("save list"). DOMAIN.md sections 2 and 3.

Value is computed on the whole customer base (quintile scores, ABC shares and CLV retention
are properties of the base, not of the sample), then read off for the respondents.

How :func:`link_survey` works, step by step (one private function each):

*Join* (``_link_ids``). Ids are normalised on both sides by
:func:`~surveykit.value.normalize_ids` (42, '42' and ' 42 ' are one customer; full-width
characters folded), then matched exactly. Every respondent is accounted for: linked, no
customer id, customer whose transactions were all excluded, or customer not in the
transactions; every customer of the transactions is linked or not surveyed (``accounting``;
``unmatched``, ``not_surveyed``; ``_accounting``). Respondents who give the same customer id
are each linked: the customer's value then counts once per respondent in the comparisons
(``duplicate_ids`` lists them).

*Value* (``base_value``, ``_value_per_respondent``) is computed on the whole customer base and
read off for each respondent: RFM layer and scores (:func:`~surveykit.value.rfm`), ABC class by
profit with a cost column or else by revenue (:func:`~surveykit.value.abc`), CLV in both forms
(:func:`~surveykit.value.clv`; not computed without cost or margin, or when retention cannot
be estimated: a note says why).

*Satisfaction by value* (``_compare_by_value``). The satisfaction, loyalty and perceived value
indices (0-100) and perceived value (benefits - sacrifices) are the respondent scores of
:meth:`SurveyData.indices`; NPS is compared as the mean of 100 (promoter), 0 (passive) and
-100 (detractor), which is the NPS. Among the linked respondents, each is compared across RFM
layers and ABC classes by :func:`~surveykit.indices.banner.banner`: Welch's and the classic
one-way ANOVA (R ``oneway.test``), pairwise Welch t tests for the column letters, and for the
NPS groups Pearson's chi-square (R ``chisq.test(correct = FALSE)``). Weighted by the
questionnaire's weight with the effective-base approximation of the banner. Layers or classes
without respondents are left out. The tests match R to 1e-10.

*Save list* (``_save_list``). High value: A class, or (with CLV and ``top_clv``) CLV rank
within the top ``top_clv`` share of all customers (rank by ``clv_retention``, ties at the
better rank, CLV > 0). Low satisfaction: satisfaction index below ``low_satisfaction``, or a
detractor (with ``detractors``). Sorted by the ABC value, then CLV, highest first.

R equivalent of the comparisons, on the linked respondents ``x`` (tested against R to 1e-10
by ``tests/reference/value_link.R``)::

    x <- merge(survey, customers, by = "customer_id")   # layer, class of each customer
    oneway.test(satisfaction_index ~ layer, x, var.equal = FALSE)  # and var.equal = TRUE
    chisq.test(table(x$nps_group, x$layer), correct = FALSE)

On purpose, quintile scores, ABC classes and the CLV ranks are those of the whole customer
base: an analysis that scores the merged survey sample alone (as the code above would if the
scores were computed after the merge) classes the respondents against each other instead of
against all customers, and its classes change with who answered.
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from .._checks import FIRST, check_level, first_names
from .._labels import index_label
from ..errors import DataError, SurveykitWarning, check_option
from ..indices.banner import banner
from ..indices.nps import nps_points
from ..indices.survey import survey_indices
from .abc import abc
from .clv import clv
from .ids import IdFormatWarning, normalize_ids, suggest_format
from .link import SEGMENTS, STATUSES, CustomerLinkWarning, CustomerValueLink
from .retention import repurchase_rate
from .rfm import LAYERS, rfm
from .transactions import _column, _prepared

__all__ = ["DEFAULT_COLUMNS", "STATUSES", "CustomerLinkWarning", "CustomerValueLink", "default_columns", "link_survey"]

NPS_GROUPS = ("detractor", "passive", "promoter")
_MEASURES = ("satisfaction_index", "loyalty_index", "value_index", "delivered_value", "value_difference", "nps")
_NPS_GROUP_LABEL = ("NPS 分组（贬损者 / 中立者 / 推荐者）", "NPS groups (detractors / passives / promoters)")
_RFM_OPTIONS = ("bins", "frequency", "new_days", "active_days", "high_recovery", "low_recovery")
_LOW_MATCH = 0.5  # below this share of respondents with an id linked, the ids probably differ in format


# ---------------------------------------------------------------------------------------------
# reading


#: Column names of a transactions file when none are given: those of the example study's file.
DEFAULT_COLUMNS = {"customer": "customer_id", "date": "date", "amount": "amount", "cost": "cost"}


def default_columns(columns, *, margin=None) -> dict:
    """The column keywords of :func:`link_survey` for a table with these ``columns``, by the default names.

    ``cost`` is named only when the table has that column and no ``margin`` is given.

    >>> default_columns(["order_id", "customer_id", "date", "amount"])
    {'customer': 'customer_id', 'date': 'date', 'amount': 'amount'}
    """
    out = {k: v for k, v in DEFAULT_COLUMNS.items() if k != "cost"}
    if margin is None and DEFAULT_COLUMNS["cost"] in list(columns):
        out["cost"] = DEFAULT_COLUMNS["cost"]
    return out


# ---------------------------------------------------------------------------------------------
# arguments


def _number(name: str, value, function: str, low: float, high: float, example: str, *, low_open=False) -> float:
    ok = isinstance(value, Real) and not isinstance(value, bool) and np.isfinite(value)
    ok = ok and (value > low if low_open else value >= low) and value <= high
    if not ok:
        raise ValueError(f"The {name!r} parameter of {function} must be a number in {'(' if low_open else '['}{low:g}, "
                         f"{high:g}] (e.g. {example}). Got {value!r} instead.")
    return float(value)


def _item(data, name, value, function: str, what: str) -> str:
    if value not in data.responses.columns:
        cols = [str(c) for c in data.responses.columns]
        close = difflib.get_close_matches(str(value), cols, n=1)
        raise ValueError(f"The {name!r} parameter of {function} names {value!r}{f' (did you mean {close[0]!r}?)' if close else ''}"
                         f", which is not a column of the responses ({what}). Columns: {first_names(cols, 12)}.")
    return value


def _id_column(data, id_column, function: str) -> str:
    if id_column is not None:
        return _item(data, "id_column", id_column, function, "the customer-id item")
    q = data.questionnaire
    ref = q.roles.get("customer_id")
    if ref is None:
        text_items = [i.id for i in q.items if q.scales[i.scale].type == "open_text"]
        raise ValueError(f"{function} needs the item holding each respondent's customer id: name it in the "
                         "questionnaire (roles: customer_id: <item>) or pass id_column='<item>'. Text items: "
                         f"{first_names(text_items)}.")
    if not isinstance(ref, str):
        raise TypeError(f"The questionnaire's customer_id role must name one item; got {ref!r}. Pass id_column.")
    return _item(data, "id_column", ref, function, "the questionnaire's customer_id role")


def _comment_column(data, comment, function: str):
    if comment is False:
        return None
    if comment is not None:
        return _item(data, "comment", comment, function, "the open comment item")
    for f in data.questionnaire.open_text:
        if f.item in data.responses.columns:
            return f.item
    return None


def default_as_of(transactions, date, date_format, notes: list):
    """The last readable date of the transactions, when ``as_of`` is not given (a note says so)."""
    if not isinstance(transactions, pd.DataFrame) or date is None:
        return None  # _prepared reports what is missing
    _column(transactions, date, "date", "link_survey")  # a missing column is named as such
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        col = transactions[date]
        if not pd.api.types.is_datetime64_any_dtype(col.dtype):
            col = pd.to_datetime(col.where(col.notna()), errors="coerce", format=date_format)
    last = col.max()
    if pd.isna(last):
        return None
    last = pd.Timestamp(last).tz_localize(None) if pd.Timestamp(last).tzinfo else pd.Timestamp(last)
    notes.append(f"as_of not given: the last transaction date, {last.date()}, is used (so no row is dated after "
                 "it); pass as_of= to analyse the base as of another day.")
    return last


def _rewarn(records) -> None:
    # user -> link_survey -> _link_ids -> _rewarn: the warning points at the user's call
    for w in records:
        warnings.warn(w.message, w.category, stacklevel=4)


def _take(series: pd.Series, pos: np.ndarray) -> pd.Series:
    """``series`` at positions ``pos`` (-1: missing), keeping its dtype where it can hold a missing value."""
    return series.reset_index(drop=True).reindex(pos).reset_index(drop=True)


def _check_options(data, *, language, low_satisfaction, top_clv, detractors, ci_level, correction, rfm_options,
                   function: str) -> tuple[str, float, float | None, dict]:
    """The checked options of :func:`link_survey`: (language, low_satisfaction, top_clv, rfm_options)."""
    if not all(hasattr(data, a) for a in ("questionnaire", "responses", "meta")):
        raise TypeError(f"The 'data' parameter of {function} must be a SurveyData (from read_responses). Got "
                        f"{type(data).__name__} instead.")
    lang = language or data.questionnaire.language
    check_option("language", lang, ("zh", "en", "both"), function=function)
    low_satisfaction = _number("low_satisfaction", low_satisfaction, function, 0, 100, "60")
    if top_clv is not None:
        top_clv = _number("top_clv", top_clv, function, 0, 1, "0.2", low_open=True)
    if not isinstance(detractors, (bool, np.bool_)):
        raise TypeError(f"The 'detractors' parameter of {function} must be True or False. Got {detractors!r} instead.")
    check_level(ci_level, function)
    check_option("correction", correction, ("bonferroni", "holm", None), function=function)
    rfm_options = dict(rfm_options or {})
    unknown = [k for k in rfm_options if k not in _RFM_OPTIONS]
    if unknown:
        raise ValueError(f"The 'rfm_options' parameter of {function} names {first_names(unknown)}; the options of rfm it "
                         f"passes on are {first_names(_RFM_OPTIONS, 10)}.")
    return lang, low_satisfaction, top_clv, rfm_options


# ---------------------------------------------------------------------------------------------
# the link


@dataclass(frozen=True)
class _Join:
    """Each respondent's customer: the id as answered (``raw``) and normalised (``ids``), the customer's
    position among the prepared customers (``pos``, -1 when not linked), ``linked`` and ``status``."""

    raw: pd.Series
    ids: pd.Series
    pos: np.ndarray
    linked: np.ndarray
    status: np.ndarray
    duplicate_ids: pd.DataFrame


def _excluded_ids(transactions, p, customer, id_format) -> pd.Index:
    """Customer ids whose every transaction row was excluded by the audit (so they are not customers)."""
    if not isinstance(transactions, pd.DataFrame):
        return pd.Index([])
    a = p.audit
    gone = [a.positions[r] for r in a.reasons.index[a.reasons["action"] == "excluded"] if len(a.positions[r])]
    if not gone:
        return pd.Index([])
    rows = np.concatenate(gone)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dropped = normalize_ids(transactions[customer].iloc[rows].reset_index(drop=True), id_format=id_format)
    excluded = pd.Index(dropped.dropna().unique())
    return excluded[p.customers.get_indexer(excluded) < 0]


def _duplicate_ids(ids: pd.Series, linked: np.ndarray, index: pd.Index, notes: list) -> pd.DataFrame:
    """Customer ids given by more than one linked respondent (a warning and a note say so)."""
    linked_ids = pd.Series(ids[linked].to_numpy(dtype=object), index=index[linked])
    dup = linked_ids[linked_ids.duplicated(keep=False)]
    duplicate_ids = (pd.DataFrame({"respondents": dup.groupby(dup.to_numpy()).size(),
                                   "respondent_ids": dup.groupby(dup.to_numpy()).apply(lambda s: list(s.index))})
                     if len(dup) else pd.DataFrame({"respondents": pd.Series(dtype=np.int64),
                                                    "respondent_ids": pd.Series(dtype=object)}))
    duplicate_ids.index.name = "customer_id"
    if len(dup):
        message = (f"{len(duplicate_ids)} customer id{'s are' if len(duplicate_ids) > 1 else ' is'} given by more "
                   f"than one respondent ({first_names(duplicate_ids.index)}; {len(dup)} respondents); each respondent is "
                   "linked, so the customer counts once per respondent. See result.duplicate_ids.")
        warnings.warn(message, CustomerLinkWarning, stacklevel=4)
        notes.append(message)
    return duplicate_ids


def _link_ids(data, transactions, p, *, id_col: str, customer, id_format, notes: list) -> _Join:
    """Join the respondents to the prepared customers by normalised id; every respondent gets a status."""
    raw = data.responses[id_col]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = normalize_ids(raw, id_format=id_format, match=p.customers,
                            name=f"the survey's customer ids (item {id_col!r})")
    _rewarn(caught)
    has_id = ids.notna().to_numpy()
    pos = np.full(len(ids), -1, np.intp)
    pos[has_id] = p.customers.get_indexer(pd.Index(ids[has_id].to_numpy(dtype=object)))
    excluded_ids = _excluded_ids(transactions, p, customer, id_format)
    linked = pos >= 0
    in_excluded = np.zeros(len(ids), bool)
    if len(excluded_ids):
        in_excluded[has_id] = excluded_ids.get_indexer(pd.Index(ids[has_id].to_numpy(dtype=object))) >= 0
    status = np.select([linked, ~has_id, in_excluded], ["linked", "no_customer_id", "excluded_transactions"],
                       default="no_transactions")
    n_with_id = int(has_id.sum())
    if not linked.any():
        shown_s = first_names(pd.unique(ids[has_id])[:3], 3) if n_with_id else "none"
        zeros = any(issubclass(w.category, IdFormatWarning) for w in caught)
        fmt = suggest_format(p.customers[:50]) if zeros else "C{:07d}"
        raise DataError(f"None of the {len(ids)} respondents' customer ids (item {id_col!r}; {n_with_id} answered, "
                        f"e.g. {shown_s}) is among the {p.n_customers} customers of the transactions (e.g. "
                        f"{first_names(p.customers[:3], 3)}). "
                        + ("They match once leading zeros are ignored: pass " if zeros else
                           "Check that both files hold the same kind of id, or pass ")
                        + f"id_format (e.g. id_format={fmt!r}) to write numeric ids the way the other side does.")
    if n_with_id and linked.sum() < _LOW_MATCH * n_with_id:
        warnings.warn(f"Only {int(linked.sum())} of the {n_with_id} respondents with a customer id (item {id_col!r}) "
                      f"are found among the transaction customers; the others are listed in result.unmatched. If the "
                      "two files write ids differently, pass id_format.", CustomerLinkWarning, stacklevel=3)
    duplicate_ids = _duplicate_ids(ids, linked, data.responses.index, notes)
    return _Join(raw=raw, ids=ids, pos=pos, linked=linked, status=status, duplicate_ids=duplicate_ids)


def base_value(p, *, margin=None, discount: float = 0.1, shares=(0.8, 0.15, 0.05), rfm_options=None,
               returns: str = "net", duplicates: str = "drop", notes: list,
               hint: str = "pass cost= or margin=") -> tuple:
    """The value of the whole customer base of prepared transactions ``p``: (rfm, abc, clv or None, repurchase).

    ABC classes are by profit with a cost column, else by revenue; CLV (by RFM layer) needs a
    cost column or ``margin``, and retention it can estimate: else a note says why (``hint``
    names the options that would give it). The repurchase rate is by ABC class.
    """
    opts = {"returns": returns, "duplicates": duplicates}
    r = rfm(p, **(rfm_options or {}), **opts)
    basis = "profit" if p.cost is not None else "revenue"
    a_res = abc(r.table["profit" if basis == "profit" else "monetary"].rename(basis), shares=shares)
    c_res = None
    if p.cost is None and margin is None:
        notes.append(f"CLV not computed: the transactions have no cost column and no margin was given ({hint}).")
    else:
        try:
            c_res = clv(p, margin=margin, discount=discount, by=r.table["layer"], **opts)
        except DataError as exc:
            notes.append(f"CLV not computed: {exc}")
    rep = repurchase_rate(p, by=a_res.table["class"], **opts)
    notes += list(a_res.notes)
    return r, a_res, c_res, rep


def _value_per_respondent(data, join: _Join, r, a_res, c_res, *, top_clv, comment_col, lang: str,
                          notes: list) -> tuple[pd.DataFrame, dict]:
    """One row per respondent: the customer's value, the survey measures and the comment; and the measures' labels."""
    pos, linked = join.pos, join.linked
    table = pd.DataFrame({"customer_id": join.ids.to_numpy(dtype=object),
                          "customer_id_raw": join.raw.astype(object).where(join.raw.notna(), np.nan).to_numpy(
                              dtype=object),
                          "status": pd.Categorical(join.status, categories=list(STATUSES))}, index=data.responses.index)
    table["layer"] = pd.Categorical.from_codes(
        np.where(linked, r.table["layer"].cat.codes.to_numpy()[np.maximum(pos, 0)], -1), list(LAYERS))
    for col in ("recency_days", "frequency", "monetary", "profit", "r_score", "f_score", "m_score", "rfm_cell"):
        if col in r.table:
            s = r.table[col].astype("Int64") if pd.api.types.is_integer_dtype(r.table[col].dtype) else r.table[col]
            table[col] = _take(s, pos).array
    table["abc_class"] = pd.Categorical.from_codes(
        np.where(linked, a_res.table["class"].cat.codes.to_numpy()[np.maximum(pos, 0)], -1), ["A", "B", "C"])
    table["abc_value"] = _take(a_res.table["value"], pos).to_numpy()
    top = np.zeros(len(table), bool)
    if c_res is not None:
        for col in ("clv_simple", "clv_retention"):
            table[col] = _take(c_res.table[col], pos).to_numpy()
        if top_clv is not None:
            v = c_res.table["clv_retention"]
            in_top = (v.rank(ascending=False, method="min") <= top_clv * len(v)).to_numpy() & (v > 0).to_numpy()
            top = linked & in_top[np.maximum(pos, 0)]
    values, labels = _measures(data, lang, notes)
    for key, s in values.items():
        table[key] = s.to_numpy()
    if "nps_score" in values:
        points = nps_points(values["nps_score"].to_numpy())  # -100 / 0 / 100: group 0 / 1 / 2
        grp = np.where(np.isnan(points), -1, (np.nan_to_num(points) + 100) // 100).astype(int)
        table["nps_group"] = pd.Categorical.from_codes(grp, list(NPS_GROUPS))
    if comment_col is not None:
        table["comment"] = data.responses[comment_col].astype(object).to_numpy()
    table["a_class"] = linked & (table["abc_class"] == "A").to_numpy()
    table["top_clv"] = top
    return table, labels


def _save_list(table: pd.DataFrame, *, low_satisfaction: float, detractors: bool, notes: list) -> pd.DataFrame:
    """Flag high value with low satisfaction in ``table`` (in place); return the save list, highest value first."""
    sat = table["satisfaction_index"].to_numpy() if "satisfaction_index" in table else np.full(len(table), np.nan)
    with np.errstate(invalid="ignore"):
        table["below_threshold"] = sat < low_satisfaction
    table["detractor"] = (table["nps_group"] == "detractor").to_numpy() if detractors and "nps_group" in table \
        else np.zeros(len(table), bool)
    table["high_value"] = table["a_class"] | table["top_clv"]
    table["low_satisfaction"] = table["below_threshold"] | table["detractor"]
    table["save"] = table["high_value"] & table["low_satisfaction"]
    if "satisfaction_index" not in table and not ("nps_group" in table and detractors):
        notes.append("Save list empty: no satisfaction index and no NPS to judge satisfaction by.")
    keep = [c for c in ("customer_id", "layer", "abc_class", "abc_value", "clv_retention", "recency_days", "frequency",
                        "satisfaction_index", "nps_score", "a_class", "top_clv", "below_threshold", "detractor",
                        "comment") if c in table]
    save = table.loc[table["save"].to_numpy(), keep]
    order = [c for c in ("abc_value", "clv_retention") if c in save]
    return save.sort_values(order, ascending=False, kind="stable", na_position="last")


def _compare_by_value(data, table: pd.DataFrame, linked: np.ndarray, labels: dict, *, lang: str, alpha, correction,
                      ci_level, notes: list) -> tuple:
    """The measures by RFM layer and by ABC class among the linked respondents: (by_layer, by_class, means, tests,
    weighted). ``labels`` gains the NPS groups' label."""
    measure_cols = [k for k in labels if k != "nps"]
    frame = table.loc[linked, ["layer", "abc_class", *measure_cols]].copy()
    if "nps" in labels:
        frame["nps"] = nps_points(table.loc[linked, "nps_score"].to_numpy())
        frame["nps_group"] = table.loc[linked, "nps_group"].to_numpy()
        labels["nps_group"] = _NPS_GROUP_LABEL[0] if lang == "zh" else _NPS_GROUP_LABEL[1] if lang == "en" \
            else " / ".join(_NPS_GROUP_LABEL)
    rows = [k for k in [*measure_cols, *(["nps", "nps_group"] if "nps" in labels else [])]
            if frame[k].notna().any()]
    empty = [k for k in labels if k not in rows]
    if empty:
        notes.append(f"No linked respondent answered {first_names(empty)}: not compared.")
    weights = None if data.weights is None else data.weights[linked]
    by_layer = by_class = None
    if rows:
        by_layer = _banner(frame, "layer", rows, weights, alpha, correction, ci_level, notes)
        by_class = _banner(frame, "abc_class", rows, weights, alpha, correction, ci_level, notes)
    means, tests = [], []
    for seg, b in (("layer", by_layer), ("abc_class", by_class)):
        if b is None:
            continue
        e = b.estimates.rename(columns={"variable": "measure", "column": "level"})
        means.append(e[e["level"] != "Total"].assign(segment=seg))
        tests.append(b.tests.reset_index().rename(columns={"variable": "measure"}).assign(segment=seg))
    mean_cols = ["segment", "level", "measure", "row", "estimate", "se", "ci_low", "ci_high", "n_obs", "effective_n"]
    test_cols = ["segment", "measure", "test", "statistic", "df1", "df2", "p_value", "n_obs", "n_columns"]
    means = pd.concat(means, ignore_index=True)[mean_cols] if means else pd.DataFrame(columns=mean_cols)
    tests = pd.concat(tests, ignore_index=True)[test_cols] if tests else pd.DataFrame(columns=test_cols)
    return by_layer, by_class, means, tests, weights is not None


def _accounting(join: _Join, p, table: pd.DataFrame, notes: list) -> tuple[pd.DataFrame, pd.DataFrame, pd.Index]:
    """(accounting, unmatched, not_surveyed): every respondent and every customer of the transactions accounted for."""
    pos, linked = join.pos, join.linked
    counts = pd.Series(join.status).value_counts()
    n_cust_linked = len(np.unique(pos[linked]))
    acc = [("respondents", len(join.ids), "respondents in the survey")]
    acc += [(s, int(counts.get(s, 0)), d) for s, d in STATUSES.items()]
    acc += [("customers", p.n_customers, "customers in the transactions used"),
            ("customers_linked", n_cust_linked, "customers with a survey answer"),
            ("customers_not_surveyed", p.n_customers - n_cust_linked, "customers without a survey answer")]
    accounting = pd.DataFrame(acc, columns=["status", "count", "description"]).set_index("status")
    seen = np.zeros(p.n_customers, bool)
    seen[pos[linked]] = True
    unmatched = table.loc[~linked, ["customer_id_raw", "customer_id", "status"]].copy()
    unmatched["status"] = unmatched["status"].astype(str)
    n_out = int((~linked).sum())
    if n_out:
        first = ", ".join(map(str, unmatched.index[:FIRST]))
        notes.insert(0, f"{n_out} respondents are not linked (first respondents: {first}); see result.unmatched.")
    return accounting, unmatched, p.customers[~seen]


def _measures(data, lang: str, notes: list) -> tuple[dict, dict]:
    """Per-respondent measures (key -> Series aligned with the responses) and their labels."""
    q = data.questionnaire
    ix = survey_indices(data, segments=(), language=lang)
    values, labels = {}, {}
    for key in _MEASURES:
        r = ix.results.get(key)
        if r is None:
            continue
        if key == "nps":
            item = q.resolve_role("nps")[0]
            values["nps_score"] = data.scored_items()[item].astype(float)
        elif key in ("delivered_value", "value_difference"):
            values[key] = r.scores["difference"].astype(float)
        else:
            values[key] = r.scores.astype(float)
        labels[key] = index_label(key, lang)
    notes += [n for n in ix.notes if not n.startswith("No perceived value")]
    return values, labels


def _banner(frame: pd.DataFrame, segment: str, rows: list, weights, alpha, correction, ci_level, notes: list):
    """The banner of ``rows`` by ``segment`` (unused levels dropped); its notes go to ``notes``."""
    seg = frame[segment].cat.remove_unused_categories()
    if not len(seg.cat.categories):
        return None
    kinds = {r: ("proportions" if r == "nps_group" else "mean") for r in rows}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)  # its notes are kept below
        b = banner(frame.assign(**{segment: seg}), segment, rows, kind=kinds, weights=weights, alpha=alpha,
                   correction=correction, ci_level=ci_level)
    notes += [f"By {SEGMENTS[segment][1]}: {n}" for n in b.notes]
    return b


def link_survey(data, transactions, *, customer=None, date=None, amount=None, cost=None, as_of=None,
                id_column=None, id_format=None, margin=None, discount: float = 0.1, shares=(0.8, 0.15, 0.05),
                low_satisfaction: float = 60.0, detractors: bool = True, top_clv: float | None = 0.2, comment=None,
                rfm_options: dict | None = None, alpha: float = 0.05, correction: str | None = "bonferroni",
                ci_level: float = 0.95, returns: str = "net", duplicates: str = "drop", date_format: str | None = None,
                language: str | None = None) -> CustomerValueLink:
    """Link a survey to the customers' transactions: satisfaction by RFM layer and ABC class, and a save list.

    Parameters
    ----------
    data : SurveyData
        The survey; its customer-id item is the questionnaire's ``customer_id`` role.
    transactions : DataFrame or PreparedTransactions
        The customer base's orders (one row per order), or the result of
        :func:`~surveykit.value.prepare_transactions` (then leave out the column names).
    customer, date, amount, cost : str
        Column names of the transactions, as :func:`~surveykit.value.rfm`. With ``cost``,
        ABC classes are by profit (amount - cost) and CLV uses each order's margin.
    as_of : date-like, optional
        The analysis date (recency counts from it; later rows are excluded). Default: the last
        date in the transactions (a note says so).
    id_column : str, optional
        The item holding the customer id, when the questionnaire names no ``customer_id`` role.
    id_format : str or callable, optional
        Applied to numeric customer ids on both sides, as :func:`~surveykit.value.normalize_ids`
        (e.g. ``'{:07d}'`` when the survey export dropped the zero padding).
    margin : float, optional
        Share of revenue that is margin, for CLV without a cost column.
    discount : float, default 0.1
        Yearly discount rate of the retention form of CLV.
    shares : (float, float, float), default (0.8, 0.15, 0.05)
        Value shares of the A, B and C classes (:func:`~surveykit.value.abc`).
    low_satisfaction : float, default 60
        A satisfaction index (0-100) below this is low satisfaction.
    detractors : bool, default True
        Detractors (NPS 0-6) also count as low satisfaction.
    top_clv : float or None, default 0.2
        Customers in this top share of the whole customer base by CLV (retention form) are high
        value, as are A-class customers. None: A class only.
    comment : str or False, optional
        The open comment item shown in the save list (default: the questionnaire's first
        ``open_text`` item); False for none.
    rfm_options : dict, optional
        Passed to :func:`~surveykit.value.rfm`: ``bins``, ``frequency``, ``new_days``,
        ``active_days``, ``high_recovery``, ``low_recovery``.
    alpha, correction, ci_level
        As :func:`~surveykit.indices.banner.banner`: level and multiple-comparison adjustment
        of the column letters, level of the intervals.
    returns, duplicates, date_format
        As :func:`~surveykit.value.prepare_transactions`.
    language : {'zh', 'en', 'both'}, optional
        Language of the measure labels (default: the questionnaire's).

    Returns
    -------
    CustomerValueLink

    Raises
    ------
    ValueError
        No customer-id item; a column or option that does not exist; bad numbers.
    DataError
        No respondent's customer id among the transaction customers (the message shows ids of
        both sides); transactions that cannot be used.

    Warns
    -----
    CustomerLinkWarning
        Under half the respondents with a customer id linked; one id given by several respondents.
    IdFormatWarning
        Survey ids that match transaction ids once leading zeros are ignored.

    Notes
    -----
    The join, the value of the base, the tests (matched to R to 1e-10) and the save-list rule:
    see the module docstring of :mod:`surveykit.value.survey`.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.example import AS_OF, generate_example
    >>> from surveykit.value.survey import link_survey
    >>> link = link_survey(sk.example_data(), generate_example().transactions, customer="customer_id", date="date",
    ...                    amount="amount", cost="cost", as_of=AS_OF)
    >>> link.n_respondents == link.n_linked + len(link.unmatched)
    True
    >>> link.level_means("abc_class").columns[:3].tolist()
    ['respondents', 'satisfaction_index', 'loyalty_index']
    >>> bool((link.save_list["abc_class"].eq("A") | link.save_list["top_clv"]).all())
    True
    """
    function = "link_survey"
    lang, low_satisfaction, top_clv, rfm_options = _check_options(
        data, language=language, low_satisfaction=low_satisfaction, top_clv=top_clv, detractors=detractors,
        ci_level=ci_level, correction=correction, rfm_options=rfm_options, function=function)
    id_col = _id_column(data, id_column, function)
    comment_col = _comment_column(data, comment, function)
    notes: list[str] = []
    if as_of is None:
        as_of = default_as_of(transactions, date, date_format, notes)
    p = _prepared(transactions, customer=customer, date=date, amount=amount, cost=cost, as_of=as_of,
                  returns=returns, duplicates=duplicates, id_format=id_format, date_format=date_format,
                  function=function)
    join = _link_ids(data, transactions, p, id_col=id_col, customer=customer, id_format=id_format, notes=notes)
    # value of the whole customer base, read off for each respondent
    r, a_res, c_res, rep = base_value(p, margin=margin, discount=discount, shares=shares, rfm_options=rfm_options,
                                      returns=returns, duplicates=duplicates, notes=notes)
    table, labels = _value_per_respondent(data, join, r, a_res, c_res, top_clv=top_clv, comment_col=comment_col,
                                          lang=lang, notes=notes)
    save = _save_list(table, low_satisfaction=low_satisfaction, detractors=detractors, notes=notes)
    by_layer, by_class, means, tests, weighted = _compare_by_value(
        data, table, join.linked, labels, lang=lang, alpha=alpha, correction=correction, ci_level=ci_level,
        notes=notes)
    accounting, unmatched, not_surveyed = _accounting(join, p, table, notes)
    return CustomerValueLink(
        table=table, accounting=accounting, unmatched=unmatched, not_surveyed=not_surveyed,
        duplicate_ids=join.duplicate_ids, save_list=save, by_layer=by_layer, by_class=by_class, means=means,
        tests=tests, rfm=r, abc=a_res, clv=c_res, repurchase=rep, measures=labels, abc_basis=a_res.name,
        low_satisfaction=low_satisfaction, detractors=bool(detractors), top_clv=top_clv, id_column=id_col,
        comment_column=comment_col, weighted=weighted, language=lang, audit=p.audit, as_of=p.as_of,
        notes=tuple(dict.fromkeys(notes)))
