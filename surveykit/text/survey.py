"""Open comments over a questionnaire: themes by segment, and what those who mention them rate.

``survey_themes(data)`` codes every open-text field of the questionnaire with the theme
dictionary it names (:func:`surveykit.text.counts.theme_counts`), overall and by each segment,
weighted by the questionnaire's weight column; then it compares, among respondents with a
substantive comment, those who mention each theme with those who do not: the mean
satisfaction index (0-100, the scores of :meth:`SurveyData.indices`) and the NPS, with a test
of each difference. The notebook, the CLI (``surveykit themes``) and the report all call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from pathlib import Path

import numpy as np
import pandas as pd

from .._checks import check_level, first_names, plural
from .._labels import LANGUAGES
from .._render import Summary
from .._result import Result
from ..errors import DataError, QuestionnaireError, check_option
from .counts import ThemeCounts, theme_counts
from .polarity import polarity_note

__all__ = ["FieldThemes", "SurveyThemes", "survey_themes"]

OUTCOMES = ("satisfaction_index", "loyalty_index", "value_index")
_OUTCOME_ROLE = {"satisfaction_index": "satisfaction", "loyalty_index": "loyalty", "value_index": "perceived_value"}
POLARITIES = ("any", "plain", "negated")
GENERAL_THEMES = "customer_service"  # the dictionary of a field that names none
COMPARISON_COLUMNS = [
    "name", "n_mentioners", "mentioners", "mentioners_se", "mentioners_ci_low", "mentioners_ci_high",
    "n_non_mentioners", "non_mentioners", "non_mentioners_se", "non_mentioners_ci_low", "non_mentioners_ci_high",
    "difference", "se", "ci_low", "ci_high", "statistic", "df", "p_value", "test", "effective_n",
]


# ---------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class FieldThemes(Result):
    """The themes of one open-text field, by segment, and how mentioners rate.

    Attributes
    ----------
    field : str
        Id of the open-text item.
    question : str
        Its question text.
    counts : ThemeCounts
        Theme counts over all respondents (:func:`~surveykit.text.counts.theme_counts`):
        ``counts.to_frame()``, quotes, co-occurrence, unmatched words, accounting.
    segments : dict
        Segment variable -> ThemeCounts by its levels (``segments['region'].segment_table()``).
    comparison : DataFrame or None
        Indexed by (measure, theme, polarity): measure is the outcome index (e.g.
        ``satisfaction_index``) or ``nps``; polarity ``any`` (mentioners), ``plain``
        (mentioned, never negated) or ``negated`` (mentioned negated at least once), each
        against the respondents who do not mention the theme. Columns: name, n_mentioners,
        mentioners (mean or NPS), mentioners_se, mentioners_ci_low, mentioners_ci_high, the
        same for non_mentioners, difference (mentioners - non-mentioners), se, ci_low,
        ci_high (of the difference), statistic, df (NaN for z), p_value, test
        (``welch_t``, ``design_t`` or ``z``), effective_n (Kish's effective n of the weights of
        the respondents compared, mentioners and non-mentioners together; NaN unweighted).
        None when neither an outcome index nor an NPS item is available (see ``notes``).
    outcome : str or None
        The outcome index compared (None when the questionnaire lacks its role).
    themes_file : str
        The theme dictionary used.
    weighted : bool
    min_group : int
        Plain and negated mentions are compared separately when both groups have at least
        this many respondents.
    notes : tuple of str
    effective_n : float or None
        Weighted: Kish's effective n, (Σw)² / Σw², of the respondents the counts use (those
        with a substantive answer, ``n_obs``); None unweighted.
    segment_effective_n : dict
        Weighted: segment variable -> Series of Kish's effective n of each level's respondents
        with a substantive answer (the base of its shares); empty unweighted.
    """

    field: str
    question: str
    counts: ThemeCounts
    segments: dict
    comparison: pd.DataFrame | None
    outcome: str | None
    outcome_label: str | None
    themes_file: str
    weighted: bool
    language: str
    min_group: int
    ci_level: float
    notes: tuple[str, ...] = ()
    effective_n: float | None = None
    segment_effective_n: dict = dc_field(default_factory=dict)

    @property
    def n_obs(self) -> int:
        """Respondents with a substantive answer."""
        return self.counts.n_obs

    @property
    def n_dropped(self) -> int:
        """Respondents without one (missing answers and non-answers)."""
        return self.counts.n_dropped

    def segment_table(self, segment: str, stat: str = "share") -> pd.DataFrame:
        """Themes x levels of one segment variable (``stat``: a column of ``ThemeCounts.by_segment``)."""
        check_option("segment", segment, list(self.segments), function="FieldThemes.segment_table")
        return self.segments[segment].segment_table(stat)

    def to_frame(self) -> pd.DataFrame:
        """One row per theme: the counts, then per measure the means of mentioners and non-mentioners.

        Columns: name, count, share, plain_count, negated_count, positive_count,
        negative_count, neutral_count (weighted_* when weighted),
        then for each measure (e.g. ``satisfaction_index``, ``nps``): ``<measure>_mentioners``,
        ``<measure>_non_mentioners``, ``<measure>_difference``, ``<measure>_p_value``.
        """
        out = self.counts.table.drop(columns=["parent"]).copy()
        out["name"] = [self.counts.themes[t].name(self.language) for t in out.index]
        if self.comparison is not None:
            for measure in pd.unique(self.comparison.index.get_level_values("measure")):
                part = self.comparison.xs((measure, "any"), level=("measure", "polarity"))
                for c in ("mentioners", "non_mentioners", "difference", "p_value"):
                    out[f"{measure}_{c}"] = part[c].reindex(out.index)
        return out

    def summary(self) -> Summary:
        a = self.counts.accounting
        lines = [f"{self.field}: {self.question}",
                 (f"{a['read']} answers read: {a['missing']} missing, {a['non_answer']} non-answers, "
                  f"{a['substantive']} substantive ({a['matched']} name a theme, {a['unmatched']} none; unmatched "
                  f"{self.counts.unmatched_share:.1%}). Theme dictionary {self.themes_file!r}."),
                 ("Shares are of the substantive answers" + (
                     f"; weighted columns use the questionnaire's weights (Kish effective n = {self.effective_n:.0f}; "
                     f"unweighted n = {self.n_obs})" if self.weighted and self.effective_n is not None else "") + ".")]
        if self.comparison is not None:
            from ..indices.compare import TESTS  # scipy.stats: not on the read path
            tests = sorted(set(self.comparison["test"]))
            lines.append("Mentioners vs non-mentioners, among substantive answers: "
                         + "; ".join(TESTS[t] for t in tests) + f"; {self.ci_level:.0%} normal intervals of the "
                         "group means.")
        lines.append(self.polarity_line())
        lines.append(polarity_note("en"))
        lines += list(self.notes)
        tables = [("Themes", self.to_frame())]
        tables += [(f"Share by {s}", ct.segment_table("share")) for s, ct in self.segments.items()]
        if self.comparison is not None:
            cols = ["name", "n_mentioners", "mentioners", "n_non_mentioners", "non_mentioners", "difference",
                    "p_value"]
            for measure in pd.unique(self.comparison.index.get_level_values("measure")):
                tables.append((f"Mentioners vs non-mentioners: {measure}", self.comparison.loc[measure, cols]))
        q = self.counts.quotes.copy()
        q["text"] = q["text"].map(lambda s: s if len(s) <= 60 else s[:60] + "…")
        tables.append(("Quotes", q.set_index(["theme", "polarity", "rank"])[["text", "count"]]))
        return Summary(title=f"Open-text themes: {self.field}", lines=lines, tables=tables)

    def polarity_line(self) -> str:
        """Each mentioned theme's mentioners and how many of them are negative: "卫生: 112 mentions, 71 negative; ..."."""
        t = self.counts.table
        parts = [f"{self.counts.themes[i].name(self.language)}: {int(t.at[i, 'count']):,} mentions, "
                 f"{int(t.at[i, 'negative_count']):,} negative, {int(t.at[i, 'positive_count']):,} positive"
                 for i in t.index if t.at[i, "count"] > 0]
        return "Polarity: " + ("; ".join(parts) if parts else "no theme is mentioned") + "."

    def __repr__(self) -> str:
        return (f"<FieldThemes field={self.field!r} themes={len(self.counts.table)} n_obs={self.n_obs} "
                f"segments={list(self.segments)} outcome={self.outcome!r} weighted={self.weighted}>")


@dataclass(frozen=True)
class SurveyThemes(Result):
    """The open-text fields of a survey, each coded into themes (see :class:`FieldThemes`).

    Attributes
    ----------
    fields : dict
        Field id -> :class:`FieldThemes`, in questionnaire order; ``result['comment']``
        gives one.
    segments : tuple of str
        The segment variables counted by.
    outcome : str
        The outcome index asked for.
    weighted : bool
    notes : tuple of str
    """

    fields: dict
    segments: tuple[str, ...]
    outcome: str
    weighted: bool
    language: str
    notes: tuple[str, ...] = ()

    def __getitem__(self, field_id: str) -> FieldThemes:
        check_option("field", field_id, list(self.fields), function="SurveyThemes")
        return self.fields[field_id]

    def __iter__(self):
        return iter(self.fields.values())

    def __len__(self) -> int:
        return len(self.fields)

    @property
    def comparison(self) -> pd.DataFrame | None:
        """Every field's comparison, indexed by (field, measure, theme, polarity)."""
        parts = {f: r.comparison for f, r in self.fields.items() if r.comparison is not None}
        return pd.concat(parts, names=["field"]) if parts else None

    def to_frame(self) -> pd.DataFrame:
        """Every field's :meth:`FieldThemes.to_frame`, indexed by (field, theme)."""
        return pd.concat({f: r.to_frame() for f, r in self.fields.items()}, names=["field"])

    def summary(self) -> Summary:
        lines = [f"{len(self.fields)} open-text field(s); counts by {', '.join(self.segments) or 'no segment'}"
                 + (" (weighted)" if self.weighted else " (unweighted)"), *self.notes]
        tables = []
        for f, r in self.fields.items():
            s = r.summary()
            lines += s.lines
            tables += [(f"{f}: {name}", t) for name, t in s.tables]
        return Summary(title="Open-text themes", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return (f"<SurveyThemes fields={list(self.fields)} segments={list(self.segments)} outcome={self.outcome!r} "
                f"weighted={self.weighted}>")


# ---------------------------------------------------------------------------------------------
# the comparison of mentioners with non-mentioners


def _kish(w: np.ndarray) -> float:
    """Kish's effective n of weights, (Σw)² / Σw² (NaN for none)."""
    return float(w.sum() ** 2 / (w ** 2).sum()) if len(w) else float("nan")


def _compare(measure: str, y: np.ndarray, mentions: pd.DataFrame, substantive: np.ndarray, w: np.ndarray | None,
             names: dict, min_group: int, level: float, notes: list, function: str, explain: bool = True) -> list[dict]:
    """Rows of the comparison for one measure: outcome scores, or the 0-10 answers for ``measure='nps'``.

    ``explain``: note the themes whose negated mentions are too few to compare on their own
    (once per field: for the first measure compared).
    """
    from ..indices.compare import compare_groups  # scipy.stats: not on the read path
    is_nps = measure == "nps"
    base = substantive & np.isfinite(y)
    rows = []
    for theme, name in names.items():
        any_ = mentions["any", theme].to_numpy()
        neg = mentions["negated", theme].to_numpy()
        groups = {"any": any_, "plain": any_ & ~neg, "negated": neg}
        others = base & ~any_
        n_plain, n_neg = int((base & groups["plain"]).sum()), int((base & neg).sum())
        polarities = ["any"]
        if n_neg >= min_group and n_plain >= min_group:
            polarities += ["plain", "negated"]
        elif n_neg and explain:
            notes.append(f"{name} ({theme}): negated mentions not compared separately ({n_neg} negated, {n_plain} "
                         f"plain-only mentioners with a score; at least {min_group} each are needed).")
        for polarity in polarities:
            g = base & groups[polarity]
            row = {"measure": measure, "theme": theme, "polarity": polarity, "name": name}
            c = compare_groups(y, g, others, weights=w, measure="nps" if is_nps else "mean", ci_level=level,
                               function=function)
            m1, m0 = c.pop("group"), c.pop("rest")
            for prefix, m in (("mentioners", m1), ("non_mentioners", m0)):
                row.update({f"n_{prefix}": m["n"], prefix: m["estimate"], f"{prefix}_se": m["se"],
                            f"{prefix}_ci_low": m["ci_low"], f"{prefix}_ci_high": m["ci_high"]})
            row.update(c)
            row["effective_n"] = np.nan if w is None else _kish(w[g | others])
            if polarity == "any" and 0 < min(m1["n"], m0["n"]) < min_group:
                k = min(m1["n"], m0["n"])
                notes.append(f"{name} ({theme}), {measure}: {plural(k, 'respondent')} in the smaller "
                             f"group (fewer than {min_group}); the comparison is imprecise.")
            rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# questionnaire layer


def _theme_path(q, spec, k: int) -> Path | None:
    """The theme dictionary file of an open-text field, resolved as the questionnaire loader does."""
    from .._yaml import BUNDLED_DIR

    if spec.themes is None:
        return None
    rel = Path(spec.themes)
    if rel.is_absolute():
        candidates = [rel]
    elif q.source is not None:
        base = Path(q.source).parent
        candidates = [base / rel]
        if not base.is_dir():  # the questionnaire's folder is gone (e.g. example_data read from a temp folder)
            candidates.append(BUNDLED_DIR / rel)
    else:
        candidates = [Path.cwd() / rel, BUNDLED_DIR / rel]
    for path in candidates:
        if path.is_file():
            return path
    where = f"file {q.source!r}" if q.source else "read from a mapping"
    raise FileNotFoundError(
        f"The theme dictionary of open-text field {spec.item!r} in questionnaire {q.id!r} ({where}) is missing: "
        f"open_text[{k}].themes is {spec.themes!r}, and there is no such file "
        f"({', '.join(repr(str(p)) for p in candidates)}). Put the dictionary there (the path is relative to the "
        "questionnaire file) or correct the path; surveykit.text.themes.bundled_themes('customer_service') is a "
        "general one to start from.")


def _arguments(data, field, by, outcome: str, lang: str, min_group, ci_level, progress) -> tuple:
    """The checked arguments of :func:`survey_themes`: (open-text specs, all their items, segments, ci level)."""
    function = "survey_themes"
    q = data.questionnaire
    check_option("language", lang, (*LANGUAGES, "both"), function=function)
    check_option("outcome", outcome, OUTCOMES, function=function)
    level = check_level(ci_level, function)
    if not isinstance(min_group, (int, np.integer)) or isinstance(min_group, bool) or min_group < 2:
        raise ValueError(f"The 'min_group' parameter of {function} must be a whole number of at least 2. "
                         f"Got {min_group!r} instead.")
    check_option("progress", progress, (True, False), function=function)
    specs = list(q.open_text)
    if not specs:
        raise QuestionnaireError(q.id, [("open_text", (
            "the questionnaire lists no open-text field: add 'open_text: [{item: <an open_text item>, themes: "
            "themes/<dictionary>.yaml}]' to code comments into themes"))])
    ids = [s.item for s in specs]
    if field is not None:
        check_option("field", field, ids, function=function)
        specs = [s for s in specs if s.item == field]
    segs = tuple(q.segments if by is None else ([by] if isinstance(by, str) else list(by)))
    unknown = [s for s in segs if s not in data.responses.columns]
    if unknown:
        verb = "is" if len(unknown) == 1 else "are"
        raise ValueError(f"The 'by' parameter of {function} names {first_names(unknown)}, which {verb} not a variable of "
                         f"the data; the questionnaire's segments are {first_names(q.segments) or 'none'}.")
    return specs, ids, segs, level


def _outcomes(data, outcome: str, lang: str, notes: list) -> tuple:
    """(outcome scores, 0-10 NPS answers, outcome label) of the respondents, shared by every field; None when absent."""
    from ..indices.nps import nps_points  # scipy.stats: not on the read path
    from .._labels import index_label
    from ..indices.survey import survey_indices

    q = data.questionnaire
    scores, nps_r, outcome_label = None, None, None
    try:
        ix = survey_indices(data, segments=(), language=lang)
    except (QuestionnaireError, DataError) as exc:
        ix = None
        notes.append(f"No index to compare: {exc}")
    if ix is not None and outcome in ix.results:
        scores = ix.results[outcome].scores.reindex(data.responses.index).to_numpy(float)
        outcome_label = index_label(outcome, lang)
    else:
        notes.append(f"Mentioners vs non-mentioners: no {outcome!r} to compare (the questionnaire has no "
                     f"{_OUTCOME_ROLE[outcome]!r} role, or no respondent answered all its items).")
    nps_items = q.resolve_role("nps")
    if len(nps_items) == 1:
        x = pd.to_numeric(data.scored_items()[nps_items[0]], errors="coerce").to_numpy(float)
        try:
            nps_points(x)  # the check of the 0-10 answers
            nps_r = x
        except DataError as exc:
            notes.append(f"No NPS comparison ({nps_items[0]!r}): {exc}")
    elif not nps_items:
        notes.append("No NPS comparison: the questionnaire has no 'nps' role.")
    return scores, nps_r, outcome_label


def _field(data, spec, k: int, segs: tuple, scores, nps_r, outcome: str, outcome_label, *, weights, lang: str,
           min_group: int, level: float, quotes: int, progress: bool, notes: list) -> FieldThemes:
    """The themes of one open-text field (``open_text[k]``), by segment, and the comparison of its mentioners."""
    from .themes import bundled_themes, load_themes

    function = "survey_themes"
    q = data.questionnaire
    f_notes: list[str] = []
    path = _theme_path(q, spec, k)
    if path is None:
        path = bundled_themes(GENERAL_THEMES)
        f_notes.append(f"Field {spec.item!r} names no theme dictionary; coded with the general one "
                       f"{GENERAL_THEMES!r} (set open_text[{k}].themes).")
    themes = load_themes(path)
    counts = theme_counts(data.responses[spec.item], themes, weights=weights, quotes=quotes, progress=progress)
    by_seg = {s: counts.by(data.segment_labels(s)) for s in segs}  # one coding serves every segment
    names = {t.id: t.name(lang) for t in themes}
    substantive = counts.status.isin(["matched", "unmatched"]).to_numpy()
    mentions = counts.mentions
    rows: list[dict] = []
    if scores is not None:
        rows += _compare(outcome, scores, mentions, substantive, weights, names, min_group, level, f_notes,
                         function)
    if nps_r is not None:
        rows += _compare("nps", nps_r, mentions, substantive, weights, names, min_group, level, f_notes,
                         function, explain=scores is None)
    effective_n, seg_eff = None, {}
    if weights is not None:  # Kish over the rows each table uses: the substantive answers (of each level)
        effective_n = _kish(weights[substantive])
        for s in segs:
            labels = data.segment_labels(s)
            seg_eff[s] = pd.Series({level: _kish(weights[substantive & (labels == level).to_numpy()])
                                    for level in by_seg[s].segment_table("n_substantive").columns}, dtype=float)
    return FieldThemes(
        field=spec.item, question=q.label(q.item(spec.item).text, lang), counts=counts, segments=by_seg,
        comparison=_comparison_table(rows), outcome=outcome if scores is not None else None,
        outcome_label=outcome_label, themes_file=str(path), weighted=weights is not None, language=lang,
        min_group=int(min_group), ci_level=level, notes=tuple(dict.fromkeys(notes + f_notes)),
        effective_n=effective_n, segment_effective_n=seg_eff)


def _comparison_table(rows: list[dict]) -> pd.DataFrame | None:
    """:attr:`FieldThemes.comparison` from the rows of :func:`_compare` (None without rows)."""
    if not rows:
        return None
    table = pd.DataFrame(rows)
    keys = ["measure", "theme", "polarity"]
    # levels in order of appearance (dictionary order): sorted codes, so .loc needs no sort
    codes = [pd.factorize(table[k])[0] for k in keys]
    index = pd.MultiIndex(levels=[pd.unique(table[k]) for k in keys], codes=codes, names=keys)
    comparison = table.drop(columns=keys).set_axis(index).reindex(columns=COMPARISON_COLUMNS)
    for c in ("n_mentioners", "n_non_mentioners"):
        comparison[c] = comparison[c].astype(np.int64)
    return comparison


def survey_themes(data, *, field: str | None = None, by=None, outcome: str = "satisfaction_index",
                  language: str | None = None, min_group: int = 30, ci_level: float = 0.95,
                  quotes: int = 3, progress: bool = False) -> SurveyThemes:
    """Themes of each open-text field, by segment, and the ratings of those who mention them.

    For each open-text field of the questionnaire (``open_text``: the item and its theme
    dictionary file), the comments are coded with :func:`~surveykit.text.counts.theme_counts`:
    overall and by each segment, weighted by the questionnaire's weight column. Then, among
    respondents with a substantive comment, those who mention a theme are compared with those
    who do not mention it: the mean of ``outcome`` (0-100) and the NPS, each with a test of the
    difference. Mentions that are negated (不满意, 质量不太好) are also compared on their own
    when there are enough of them. Each mention is also positive, negative or neutral
    (:mod:`surveykit.text.polarity`): ``counts.to_frame()`` has positive_count, negative_count
    and neutral_count, overall and by segment.

    Parameters
    ----------
    data : SurveyData
    field : str, optional
        One open-text item (default: every one the questionnaire lists under ``open_text``).
    by : str or sequence of str, optional
        Segment variables to count by (default: the questionnaire's ``segments``; ``[]``: none).
    outcome : {'satisfaction_index', 'loyalty_index', 'value_index'}
        The 0-100 index compared (the respondents' scores behind :meth:`SurveyData.indices`:
        the role's items rescaled by their scales' end points, reverse-worded items recoded).
    language : {'zh', 'en', 'both'}, optional
        Language of the theme names and labels (default: the questionnaire's).
    min_group : int, default 30
        Plain and negated mentions are compared separately when both groups have at least this
        many respondents with a score; smaller mentioner groups are flagged in ``notes``.
    ci_level : float, default 0.95
        Level of the intervals of the group means and of the differences.
    quotes : int, default 3
        Example comments per theme and polarity.
    progress : bool, default False
        Show a progress bar while coding.

    Returns
    -------
    SurveyThemes
        ``result[field]`` is a :class:`FieldThemes`.

    Raises
    ------
    QuestionnaireError
        The questionnaire lists no open-text field.
    ValueError
        An unknown ``field`` (the message lists the open-text fields), segment or option.
    FileNotFoundError
        A field's theme dictionary file does not exist (naming the file and the questionnaire).
    ThemeDictionaryError
        A theme dictionary file is invalid (every problem with its location).

    Notes
    -----
    The base of every comparison is the respondents with a substantive comment (a comment
    that is neither missing nor a non-answer such as 无 / 没有) and a score on the measure:
    mentioners of a theme against everyone else in that base. ``plain`` mentioners mention
    the theme and never negate it, ``negated`` ones negate it at least once; both are
    compared against the same non-mentioners. Negation is not sentiment (不贵 is negated and
    favourable): read the quotes.

    * Mean score, unweighted: Welch's t test, R ``t.test(y[mention], y[!mention])``.
    * Mean score, weighted: the design-based t test of R
      ``svyttest(y ~ mention, svydesign(ids = ~1, weights = ~w, data = compared))``, the design
      built on the respondents compared, n - 2 degrees of freedom. Unweighted, this test would
      differ from Welch's (it pools the influence values); we use Welch's there on purpose, as
      SPSS and R users expect.
    * NPS: each group's NPS and standard error as :func:`surveykit.nps` (the multinomial
      variance of the promoter and detractor indicators, n - 1; weighted: linearized on the
      group's own design), and the z test of two independent estimates,
      z = (NPS_1 - NPS_0) / sqrt(se_1^2 + se_0^2), normal p-value; no bootstrap.
    * Group means have normal (Wald) intervals (``svymean`` then ``confint``); the difference
      has the test's interval (t for the means, normal for the NPS).

    The tests match R (tests/reference/text_mentions.R) to 1e-10. With many themes, many
    comparisons are made: a p-value below 0.05 for one theme of ten is no finding by itself.

    The theme file is read relative to the questionnaire file; when that folder no longer
    exists (the example study is read from a temporary folder), from the bundled
    questionnaires folder. A field that names no dictionary is coded with the general
    customer-service dictionary, with a note.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.text.survey import survey_themes
    >>> r = survey_themes(sk.example_data(), by="region")
    >>> c = r["comment"]
    >>> int(c.counts.accounting["read"]) == c.n_obs + c.n_dropped
    True
    >>> s = c.comparison.loc[("satisfaction_index", "service")]
    >>> bool(s.at["negated", "mentioners"] < s.at["negated", "non_mentioners"])
    True
    """
    lang = language or data.questionnaire.language
    specs, ids, segs, level = _arguments(data, field, by, outcome, lang, min_group, ci_level, progress)
    weights = data.weights
    notes: list[str] = []

    scores, nps_r, outcome_label = _outcomes(data, outcome, lang, notes)
    fields = {}
    for spec in specs:
        fields[spec.item] = _field(data, spec, ids.index(spec.item), segs, scores, nps_r, outcome, outcome_label,
                                   weights=weights, lang=lang, min_group=min_group, level=level, quotes=quotes,
                                   progress=progress, notes=notes)
    return SurveyThemes(fields=fields, segments=segs, outcome=outcome, weighted=weights is not None, language=lang,
                        notes=tuple(notes))


def theme_dictionary_issues(data: "SurveyData") -> list:
    """A ``bad_theme_dictionary`` issue for each open-text field whose theme dictionary is missing or
    invalid, so that validation (and ``surveykit validate``) finds it before any analysis, instead of
    the report leaving the open-text section out."""
    import warnings

    from ..issues import Issue
    from .themes import ThemeDictionaryError, load_themes

    out = []
    for k, spec in enumerate(data.questionnaire.open_text):
        try:
            path = _theme_path(data.questionnaire, spec, k)
            if path is not None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # duplicate keywords: analysed, and warned about then
                    load_themes(path)
        except (ThemeDictionaryError, FileNotFoundError) as exc:
            out.append(Issue("bad_theme_dictionary", f"Open-text field {spec.item!r}: {exc}",
                             fix=f"Correct the dictionary (open_text[{k}].themes in the questionnaire); "
                                 "surveykit.load_themes(path) lists every problem with its location.",
                             item=spec.item))
    return out
