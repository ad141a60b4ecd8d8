"""The result of linking a survey to the customer base (:func:`surveykit.value.survey.link_survey`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._render import Summary
from .._result import Result
from ..errors import SurveykitWarning, check_option
from ..indices.banner import BannerResult
from .abc import ABCResult
from .clv import CLVResult
from .retention import RepurchaseResult
from .rfm import RFMResult
from .transactions import TransactionAudit

__all__ = ["SEGMENTS", "STATUSES", "CustomerLinkWarning", "CustomerValueLink"]

#: How each respondent was linked (the order of the accounting table).
STATUSES = {
    "linked": "customer id found among the customers of the transactions used",
    "no_customer_id": "no customer id answered (blank or missing)",
    "excluded_transactions": "customer id in the transactions table, but every row of it was excluded (see the audit)",
    "no_transactions": "customer id not in the transactions table",
}
#: Segment key -> (zh, en) name.
SEGMENTS = {"layer": ("RFM 分层", "RFM layer"), "abc_class": ("ABC 分类", "ABC class")}


class CustomerLinkWarning(SurveykitWarning):
    """Survey and transactions link poorly: few respondents' ids found, or one customer id given by several respondents."""


@dataclass(frozen=True)
class CustomerValueLink(Result):
    """A survey joined to the customer base's value: each respondent's RFM layer, ABC class and CLV.

    Attributes
    ----------
    table : DataFrame
        One row per respondent (index as ``data.responses``): ``customer_id`` (normalised;
        NaN when not answered), ``customer_id_raw`` (as answered), ``status`` (see
        :data:`STATUSES`), the customer's ``layer``, ``recency_days``, ``frequency``,
        ``monetary``, ``profit`` (with a cost column), ``rfm_cell``, ``abc_class``,
        ``abc_value`` (the value classified: profit or revenue), ``clv_simple``,
        ``clv_retention`` (with CLV), the survey measures (``satisfaction_index``,
        ``loyalty_index``, ``value_index``, ``delivered_value`` or ``value_difference``,
        ``nps_score`` 0-10, ``nps_group``), the save-list flags ``a_class``, ``top_clv``,
        ``below_threshold``, ``detractor``, ``high_value``, ``low_satisfaction``, ``save``, and
        ``comment``. Customer columns are empty for respondents who are not linked.
    accounting : DataFrame
        ``count`` and ``description`` of respondents (read = linked + each reason not linked)
        and customers (in the transactions = linked + not surveyed). Checked to add up.
    unmatched : DataFrame
        Every respondent not linked: ``customer_id_raw``, ``customer_id``, ``status``.
    not_surveyed : Index
        Customer ids of the transactions with no survey answer.
    duplicate_ids : DataFrame
        Customer ids given by more than one respondent: ``respondents`` (how many) and
        ``respondent_ids``. Each such respondent is linked (and counted) on their own.
    save_list : DataFrame
        High-value customers with low satisfaction, highest value first (see
        :func:`link_survey`): one row per respondent.
    by_layer, by_class : BannerResult or None
        The measures by RFM layer and by ABC class among the linked respondents: means (NPS as
        the mean of 100 / 0 / -100), column letters, Welch and classic ANOVA, and the shares
        of detractors, passives and promoters with Pearson's chi-square.
    means : DataFrame
        Tidy cells of both banners: ``segment`` ('layer' or 'abc_class'), ``level``,
        ``measure``, ``row`` ('mean', or the NPS group), ``estimate``, ``se``, ``ci_low``,
        ``ci_high``, ``n_obs``, ``effective_n``.
    tests : DataFrame
        Overall tests: ``segment``, ``measure``, ``test`` ('welch_anova', 'anova',
        'chi_square'), ``statistic``, ``df1``, ``df2``, ``p_value``, ``n_obs``, ``n_columns``.
    rfm, abc, clv, repurchase
        The customer-base results (:class:`RFMResult`, :class:`ABCResult`, :class:`CLVResult`
        by layer or None, :class:`RepurchaseResult` by ABC class).
    measures : dict
        Measure key -> label.
    """

    table: pd.DataFrame
    accounting: pd.DataFrame
    unmatched: pd.DataFrame
    not_surveyed: pd.Index
    duplicate_ids: pd.DataFrame
    save_list: pd.DataFrame
    by_layer: BannerResult | None
    by_class: BannerResult | None
    means: pd.DataFrame
    tests: pd.DataFrame
    rfm: RFMResult
    abc: ABCResult
    clv: CLVResult | None
    repurchase: RepurchaseResult | None
    measures: dict
    abc_basis: str
    low_satisfaction: float
    detractors: bool
    top_clv: float | None
    id_column: str
    comment_column: str | None
    weighted: bool
    language: str
    audit: TransactionAudit
    as_of: pd.Timestamp
    notes: tuple = ()

    def __post_init__(self):
        c = self.accounting["count"]
        parts = int(sum(c[s] for s in STATUSES))
        if int(c["respondents"]) != parts or int(c["customers"]) != int(c["customers_linked"] +
                                                                          c["customers_not_surveyed"]):
            raise RuntimeError(f"Customer link accounting does not add up: {c.to_dict()}. Please report this as a bug.")

    @property
    def n_respondents(self) -> int:
        return int(self.accounting.at["respondents", "count"])

    @property
    def n_linked(self) -> int:
        return int(self.accounting.at["linked", "count"])

    @property
    def n_customers(self) -> int:
        return int(self.accounting.at["customers", "count"])

    @property
    def n_not_surveyed(self) -> int:
        return int(self.accounting.at["customers_not_surveyed", "count"])

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def level_means(self, segment: str = "layer") -> pd.DataFrame:
        """Mean of each measure by level of ``segment`` ('layer' or 'abc_class'), with the respondents of each level."""
        check_option("segment", segment, tuple(SEGMENTS), function="CustomerValueLink.level_means")
        m = self.means[(self.means["segment"] == segment) & (self.means["row"] == "mean")]
        if m.empty:
            return pd.DataFrame(index=pd.Index([], name=segment))
        wide = m.pivot(index="level", columns="measure", values="estimate")
        levels = list(pd.unique(m["level"]))
        wide = wide.reindex(index=levels, columns=[k for k in pd.unique(m["measure"])])
        linked = self.table[self.table["status"] == "linked"]
        wide.insert(0, "respondents", linked[segment].value_counts().reindex(levels).fillna(0).astype(np.int64))
        wide.index.name = segment
        wide.columns.name = None
        return wide

    def _line(self) -> str:
        c = self.accounting["count"]
        bits = [f"{int(c[s])} {s.replace('_', ' ')}" for s in list(STATUSES)[1:] if c[s]]
        return (f"{self.n_respondents} respondents = {self.n_linked} linked"
                + (f" + {' + '.join(bits)}" if bits else "")
                + f"; {self.n_customers} customers = {int(c['customers_linked'])} surveyed + "
                  f"{self.n_not_surveyed} not surveyed")

    def summary(self) -> Summary:
        top = self.top_clv if self.clv is not None else None
        rule = (f"Save list: {'A class' + (f' or top {top:.0%} by CLV' if top else '')} with "
                f"satisfaction index < {self.low_satisfaction:g}" + (" or a detractor (NPS 0-6)" if self.detractors
                                                                      else "") + f": {len(self.save_list)} respondents")
        lines = [self._line(),
                 (f"Customer ids from item {self.id_column!r}, normalised on both sides; as of "
                  f"{self.as_of.date()}; ABC classes by {self.abc_basis}"),
                 ("Tests among the linked respondents: Welch and classic ANOVA of each mean, Pearson chi-square of "
                  "the NPS groups; letters: Welch t / z tests, "
                  + (f"{self.by_layer.correction}-adjusted" if self.by_layer is not None and self.by_layer.correction
                     else "not adjusted")
                  + (" (weighted: Kish's effective base)" if self.weighted else "")),
                 rule, *self.notes]
        tests = self.tests.set_index(["segment", "measure", "test"])[["statistic", "df1", "df2", "p_value", "n_obs"]]
        tables = [("Accounting", self.accounting), ("By RFM layer", self.level_means("layer")),
                  ("By ABC class", self.level_means("abc_class")), ("Tests of difference", tests),
                  ("Save list (first 10)", self.save_list.head(10))]
        return Summary(title="Customer value and satisfaction", lines=lines, tables=tables)

    def __repr__(self) -> str:
        return (f"<CustomerValueLink n_respondents={self.n_respondents} n_linked={self.n_linked} "
                f"n_customers={self.n_customers} save_list={len(self.save_list)}>")
