"""SurveyData: coded responses, the questionnaire that explains them, and the audit of every row."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pandas as pd

from ._render import Summary
from ._result import Result
from .issues import Issue

if TYPE_CHECKING:  # pragma: no cover
    from .descriptives import SurveyDescriptives
    from .issues import ValidationReport
    from .questionnaire.model import Questionnaire

__all__ = ["SurveyData", "ReadAudit"]


@dataclass(frozen=True)
class ReadAudit:
    """Where the responses came from and how they were read."""

    source: str
    format: str
    layout: str
    encoding: str | None
    header_row: int
    n_rows_read: int
    column_map: dict[str, str]
    missing_codes: pd.DataFrame  # item, code, label, count
    sha256: str | None = None

    def to_dict(self) -> dict:
        return {
            "source": self.source, "format": self.format, "layout": self.layout,
            "encoding": self.encoding, "header_row": self.header_row,
            "n_rows_read": self.n_rows_read, "column_map": dict(self.column_map),
            "missing_codes": self.missing_codes.to_dict(orient="records"), "sha256": self.sha256,
        }


@dataclass(frozen=True)
class SurveyData(Result):
    """Survey responses coded as the questionnaire defines them.

    Attributes
    ----------
    questionnaire : Questionnaire
    responses : DataFrame
        One row per respondent, indexed by respondent id; one column per item (a
        multiple-choice item gives one 0/1 column per option, ``{item}_{code}``). Codes are
        as answered: reverse-worded items are *not* reversed here (see :meth:`scored_items`).
    meta : DataFrame
        Per respondent: ``source_row`` (row number in the source file); where the
        questionnaire names them, ``duration_sec`` and ``weight``; where the export has them,
        ``finished`` and ``progress`` (Qualtrics), ``ip`` and ``submitted_at``; ``not_shown:{item}``
        (True where skip logic did not show the item, see :meth:`not_shown`).
    audit : ReadAudit
        File, format, layout, encoding, header row, rows read, column of each item, counts of
        each declared missing code.
    exclusions : DataFrame
        Every row read but not used, with ``source_row``, ``respondent_id`` and ``reason``.
        ``n_respondents + len(exclusions) == audit.n_rows_read`` always holds.
    """

    questionnaire: "Questionnaire"
    responses: pd.DataFrame
    meta: pd.DataFrame
    audit: ReadAudit
    read_issues: tuple[Issue, ...] = ()
    exclusions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["source_row", "respondent_id", "reason"])
    )
    cleaning: tuple[str, ...] = ()
    #: True after :meth:`unweighted`: the questionnaire's weight column is read but not used
    weights_ignored: bool = False
    # -- the on-error policy (issue 16): set by :meth:`exclude_invalid` --
    #: the error-level problems whose respondents :meth:`exclude_invalid` excluded
    excluded_issues: tuple[Issue, ...] = ()
    #: how many respondents :meth:`exclude_invalid` excluded
    n_excluded_invalid: int = 0
    # results computed once per SurveyData (index scores...): a new object (``clean()``,
    # ``dataclasses.replace``) starts empty, and pickling leaves the cache behind
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_cache"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _cache={})

    # -- accounting ----------------------------------------------------------------------------
    @property
    def n_respondents(self) -> int:
        return len(self.responses)

    def accounting(self) -> pd.DataFrame:
        """Rows read, used and excluded by reason: the rows always add up to ``n_rows_read``."""
        counts = self.exclusions["reason"].value_counts()
        rows = [("rows read", self.audit.n_rows_read), ("used", self.n_respondents)]
        rows += [(f"excluded: {reason}", int(n)) for reason, n in counts.items()]
        return pd.DataFrame(rows, columns=["status", "count"]).set_index("status")

    # -- questionnaire-aware views ---------------------------------------------------------------
    def _require_unique_ids(self) -> None:
        """Refuse to analyse responses whose respondent ids repeat (the views below all check it).

        A repeated id makes label-based selection multiply rows (an index computed on the
        repeated respondent several times, arrays that grow with the square of the repeats),
        so every questionnaire-layer analysis goes through this check.
        """
        index = self.responses.index
        if index.is_unique:
            return
        from ._checks import first_rows
        from .errors import DataError

        dup = index.duplicated(keep=False)
        ids = index[dup].unique()
        rows = self.meta["source_row"].to_numpy()[dup] if "source_row" in self.meta else []
        shown = ", ".join(repr(i) for i in ids[:5]) + (" ..." if len(ids) > 5 else "")
        raise DataError(
            f"{len(ids)} respondent ids occur on more than one row of {self.audit.source!r}: {shown}"
            f" (rows {first_rows(rows)}); no analysis runs on repeated respondents. Remove the repeated "
            "submissions, or keep the first of each with data = data.clean(rules=['duplicate_ids']) "
            "(CLI: --clean duplicate_ids).")

    @property
    def weights(self):
        """The questionnaire's weight column as a float ndarray aligned with the responses, or None
        (no weight column, or :meth:`unweighted`). Every questionnaire-layer analysis takes its
        weights from here: one weighting for the whole study."""
        self._require_unique_ids()
        if self.questionnaire.weight is None or self.weights_ignored:
            return None
        return self.meta["weight"].to_numpy(float)

    @property
    def effective_n(self) -> float | None:
        """Kish's effective sample size of the weights in use, (Σw)² / Σw²; None when unweighted."""
        w = self.weights
        if w is None:
            return None
        return float(w.sum() ** 2 / (w ** 2).sum())

    def unweighted(self) -> "SurveyData":
        """The same responses with the questionnaire's weight column left unused (CLI: ``--unweighted``):
        every estimate of the questionnaire layer and the report is then unweighted, and says so."""
        return replace(self, weights_ignored=True)

    def items(self, construct: str | None = None, *, scored: bool = True) -> pd.DataFrame:
        """The items of a construct (or all likert/rating items), reverse-coded when ``scored``."""
        self._require_unique_ids()
        q = self.questionnaire
        ids = q.items_of(construct) if construct else tuple(
            i for i in q.item_ids if q.scale_of(i).is_ordered)
        frame = self.scored_items() if scored else self.responses
        return frame.loc[:, list(ids)]

    def scored_items(self) -> pd.DataFrame:
        """Responses with reverse-worded items recoded (``min + max - x``); raw codes untouched."""
        from .scoring import reverse_code

        self._require_unique_ids()
        return reverse_code(self.responses, self.questionnaire)

    def construct_scores(self) -> pd.DataFrame:
        """Mean of each construct's (reverse-coded) items, NaN below its ``min_valid`` answers."""
        from .scoring import construct_scores

        self._require_unique_ids()
        return construct_scores(self)

    def validate(self) -> "ValidationReport":
        """Every problem in these responses (see :func:`surveykit.validate`); checked once per object."""
        from .quality import validate

        if "validation" not in self._cache:
            self._cache["validation"] = validate(self)
        return self._cache["validation"]

    def clean(self, rules=("duplicate_ids", "duplicate_submissions", "partials", "speeders", "straightliners",
                           "too_many_missing")) -> "SurveyData":
        """Exclude respondents flagged by the named rules (see :func:`surveykit.clean`)."""
        from .quality import clean

        return clean(self, rules)

    def exclude_invalid(self) -> "SurveyData":
        """The respondents with error-level problems excluded (CLI: ``--on-error exclude``).

        Each excluded respondent is in :meth:`accounting` and ``exclusions`` under its problems'
        codes, and the problems in ``excluded_issues`` (the report's audit states the policy and
        the count). Problems that are not about rows (a missing column, a theme dictionary ...)
        stay: :meth:`validate` still reports them, and the commands stop on them. See
        :func:`surveykit.quality.exclude_invalid`.

        Examples
        --------
        >>> import surveykit as sk
        >>> data = sk.example_data()
        >>> data.exclude_invalid().n_excluded_invalid  # the example data has no errors
        0
        """
        from .quality import exclude_invalid

        return exclude_invalid(self)

    @property
    def on_error(self) -> str:
        """'exclude' after :meth:`exclude_invalid`, else 'stop' (invalid data is not analysed)."""
        return "exclude" if "exclude_invalid" in self.cleaning else "stop"

    def describe(self, items=None, *, language: str | None = None) -> "SurveyDescriptives":
        """Per-item n, mean, sd, distribution and top-2-box, by scale (see :func:`surveykit.describe_items`)."""
        from .descriptives import describe_survey

        self._require_unique_ids()
        return describe_survey(self, items, language=language)

    # -- question types (issue 16): choice frequencies, skip logic --------------------------------
    def frequencies(self, items=None, *, language: str | None = None):
        """Frequencies of every single-choice, multiple-choice and ranking item, weighted when the
        questionnaire names a weight (see :func:`surveykit.descriptives.choice_frequencies`)."""
        from .descriptives import choice_frequencies

        self._require_unique_ids()
        return choice_frequencies(self, items, language=language)

    def not_shown(self, item: str) -> pd.Series:
        """True for respondents skip logic did not show ``item`` to (问卷星 ``(跳过)`` / -3, or the
        item's ``shown_if``), apart from those who saw it and left it empty."""
        self.questionnaire.item(item)
        col = self.meta.get(f"not_shown:{item}")
        return pd.Series(False, index=self.responses.index) if col is None else col.astype(bool)

    def reliability(self, *, language: str | None = None):
        """Cronbach's alpha and item analysis of every construct (reverse keys applied)."""
        from .psychometrics import construct_reliability

        return construct_reliability(self, language=language)

    def validity(self, constructs=None, *, language: str | None = None):
        """One CFA of the constructs with alpha, CR, AVE, Fornell-Larcker and HTMT (see :func:`surveykit.psychometrics.construct_validity`)."""
        from .psychometrics import construct_validity

        return construct_validity(self, constructs, language=language)

    def factor_analysis(self, **options):
        """KMO, Bartlett, parallel analysis, EFA and Harman's test of the constructs' items (see :func:`surveykit.psychometrics.survey.factor_analysis`)."""
        from .psychometrics.survey import factor_analysis

        return factor_analysis(self, **options)

    # -- structural models (issue 19: surveykit/structural/survey.py) ---------------------------
    def value_measurement(self, *, language: str | None = None):
        """The perceived-value CFA (benefit and sacrifice sub-dimensions, perceived value) with CR, AVE and HTMT, from the roles (see :func:`surveykit.psychometrics.value_measurement`)."""
        from .psychometrics import value_measurement

        return value_measurement(self, language=language)

    def value_model(self, *, bootstrap: int | None = None, seed: int | None = None, estimator: str = "ML",
                    missing: str = "listwise", language: str | None = None):
        """The seed's structural model from the roles: benefits and sacrifices (second-order) -> perceived value -> satisfaction -> loyalty, with the indirect effects (see :func:`surveykit.structural.survey.value_model`)."""
        from .structural.survey import value_model

        return value_model(self, bootstrap=bootstrap, seed=seed, estimator=estimator, missing=missing,
                           language=language)

    def invariance(self, segment: str, *, constructs=None, levels=("configural", "metric", "scalar", "strict"),
                   partial=(), language: str | None = None):
        """Measurement invariance of the constructs across a segment's levels (see :func:`surveykit.structural.survey.survey_invariance`)."""
        from .structural.survey import survey_invariance

        return survey_invariance(self, segment, constructs=constructs, levels=levels, partial=partial,
                                 language=language)

    def mediation(self, x: str, m, y: str, **options):
        """Mediation of construct scores or items, bootstrap intervals (see :func:`surveykit.structural.survey.survey_mediation`)."""
        from .structural.survey import survey_mediation

        return survey_mediation(self, x, m, y, **options)

    def moderation(self, x: str, w: str, y: str, **options):
        """Moderation of construct scores or items, simple slopes and Johnson-Neyman (see :func:`surveykit.structural.survey.survey_moderation`)."""
        from .structural.survey import survey_moderation

        return survey_moderation(self, x, w, y, **options)
    # -- end structural models -------------------------------------------------------------------

    def indices(self, *, segments=None, bootstrap: int = 0, ci_method: str = "bca", seed=None,
                language: str | None = None):
        """Every index the roles allow, overall and by segment (see :func:`surveykit.indices.survey.survey_indices`)."""
        from .indices.survey import survey_indices

        return survey_indices(self, segments=segments, bootstrap=bootstrap, ci_method=ci_method, seed=seed,
                              language=language)

    def drivers(self, **options):
        """The parts of value as drivers of satisfaction: OLS, relative weights, IPA (see :func:`surveykit.indices.survey.survey_drivers`)."""
        from .indices.survey import survey_drivers

        return survey_drivers(self, **options)

    def nps_by_segment(self, *, segments=None):
        """The NPS of every level of every segment (see :func:`surveykit.indices.survey.nps_by_segment`)."""
        from .indices.survey import nps_by_segment

        return nps_by_segment(self, segments=segments)

    def value_by_segment(self, segment: str | None = None):
        """Perceived value of each level of a segment (see :func:`surveykit.indices.survey.value_by_segment`)."""
        from .indices.survey import value_by_segment

        return value_by_segment(self, segment)

    def index_banners(self, *, segments=None, language: str | None = None):
        """The indices compared across each segment's levels (see :func:`surveykit.indices.survey.index_banners`)."""
        from .indices.survey import index_banners

        return index_banners(self, segments=segments, language=language)

    def themes(self, *, field=None, by=None, outcome: str = "satisfaction_index", language: str | None = None,
               progress: bool = False):
        """Themes of the open-text fields, by segment, and what mentioners say in numbers (see :func:`surveykit.text.survey.survey_themes`)."""
        from .text.survey import survey_themes

        return survey_themes(self, field=field, by=by, outcome=outcome, language=language, progress=progress)

    def link_transactions(self, transactions, **options):
        """Link the respondents to their orders: RFM layer, ABC class, CLV, satisfaction by value, the save list (see :func:`surveykit.value.survey.link_survey`)."""
        from .value.survey import link_survey

        return link_survey(self, transactions, **options)

    def csi_model(self, *, scheme: str = "path", n_boot: int = 0, seed=None):
        """The ACSI / ECSI / CCSI PLS path model from the roles (see :func:`surveykit.indices.csi.csi_model`)."""
        from .indices.csi import csi_model

        return csi_model(self, scheme=scheme, n_boot=n_boot, seed=seed)

    # -- issue 20: the importance-performance map of the PLS model (surveykit/indices/survey_pls.py) --
    def ipma(self, *, target: str | None = None, split: str = "mean", language: str | None = None):
        """Importance-performance map (IPMA) of the satisfaction index PLS model, constructs labelled (see :func:`surveykit.indices.survey_pls.survey_ipma`)."""
        from .indices.survey_pls import survey_ipma

        return survey_ipma(self, target=target, split=split, language=language)
    # -- end IPMA ----------------------------------------------------------------------------------

    # -- the satisfaction methods (surveykit/satisfaction/survey.py) ----------------------------
    def kano(self, *, language: str | None = None):
        """KANO categories, Better / Worse and Fong's test of the ``kano`` role's attributes (see :func:`surveykit.satisfaction.survey.survey_kano`)."""
        from .satisfaction.survey import survey_kano

        return survey_kano(self, language=language)

    def servqual(self, *, ci_level: float = 0.95, language: str | None = None):
        """SERVQUAL gaps P - E by item, dimension and overall from the service expectation and perception roles (see :func:`surveykit.satisfaction.survey.survey_servqual`)."""
        from .satisfaction.survey import survey_servqual

        return survey_servqual(self, ci_level=ci_level, language=language)

    def penalty_reward(self, **options):
        """Penalty-reward analysis of the ``drivers`` role's drivers on its outcome (see :func:`surveykit.satisfaction.survey.survey_penalty_reward`)."""
        from .satisfaction.survey import survey_penalty_reward

        return survey_penalty_reward(self, **options)

    def item_discrimination(self, constructs=None, **options):
        """Extreme-group critical ratio (CR) of every construct's items (see :func:`surveykit.satisfaction.survey.survey_item_discrimination`)."""
        from .satisfaction.survey import survey_item_discrimination

        return survey_item_discrimination(self, constructs, **options)

    def segment(self, item: str) -> pd.Series:
        """A segment variable as labelled categories (ordered as the scale lists them)."""
        self._require_unique_ids()
        q = self.questionnaire
        scale = q.scale_of(item)
        labels = {float(c): t.get(q.language) for c, t in scale.labels.items()}
        cats = list(dict.fromkeys(labels.values()))
        return pd.Series(pd.Categorical(self.responses[item].map(labels), categories=cats),
                         index=self.responses.index, name=item)

    def segment_labels(self, item: str) -> pd.Series:
        """A segment variable as the report groups it: its labels when its scale has labels, else the raw codes."""
        if self.questionnaire.scale_of(item).labels:
            return self.segment(item)
        return self.responses[item].rename(item)

    def _drop(self, drop: pd.Series, reasons: pd.Series, rule: str) -> "SurveyData":
        """A copy without the respondents in ``drop`` (bool by row), recorded under ``reasons``."""
        if not drop.any():
            return replace(self, cleaning=(*self.cleaning, rule))
        ex = pd.DataFrame({
            "source_row": self.meta.loc[drop.to_numpy(), "source_row"].to_numpy(),
            "respondent_id": self.responses.index[drop.to_numpy()].to_numpy(dtype=object),
            "reason": reasons[drop.to_numpy()].to_numpy(),
        })
        keep = ~drop.to_numpy()
        return replace(
            self, responses=self.responses.loc[keep], meta=self.meta.loc[keep],
            exclusions=pd.concat([self.exclusions, ex], ignore_index=True),
            cleaning=(*self.cleaning, rule),
        )

    # -- display -------------------------------------------------------------------------------
    def summary(self) -> Summary:
        a = self.audit
        lines = [
            f"{self.questionnaire.id}: {self.n_respondents} respondents x {len(self.questionnaire.items)} items",
            f"source {a.source!r} ({a.format}, layout {a.layout}"
            + (f", encoding {a.encoding}" if a.encoding else "") + f", header row {a.header_row})",
        ]
        if self.cleaning:
            lines.append("cleaning rules applied: " + ", ".join(self.cleaning))
        return Summary(title="Survey data", lines=lines, tables=[("Rows", self.accounting())])

    def __repr__(self) -> str:
        return (f"<SurveyData questionnaire={self.questionnaire.id!r} n_respondents={self.n_respondents} "
                f"n_excluded={len(self.exclusions)} source={self.audit.source!r}>")
