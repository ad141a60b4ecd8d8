"""Customer value from behaviour: transactions, RFM layers, CLV, ABC classes, repurchase and conversion.

The numeric layer of DOMAIN.md section 3. Every function takes a transactions table (one row
per order) with the names of its columns, or the result of :func:`prepare_transactions`, which
reads and audits the table once (:class:`TransactionAudit`: rows read = used + excluded).
This is behavioural value (what customers are worth); perceived value, from the survey, is
:mod:`surveykit.indices.value`.
"""

from .abc import ABCResult, abc
from .clv import CLVResult, ProfitResult, clv, profit_contribution
from .rfm import LAYERS, ConversionResult, RepurchaseResult, RFMResult, conversion_rate, repurchase_rate, rfm
from .survey import CustomerLinkWarning, CustomerValueLink, link_survey, read_transactions
from .transactions import (
    IdFormatWarning,
    PreparedTransactions,
    TransactionAudit,
    TransactionWarning,
    normalize_ids,
    prepare_transactions,
)

__all__ = [
    "LAYERS",
    "ABCResult",
    "CLVResult",
    "ConversionResult",
    "CustomerLinkWarning",
    "CustomerValueLink",
    "IdFormatWarning",
    "PreparedTransactions",
    "ProfitResult",
    "RFMResult",
    "RepurchaseResult",
    "TransactionAudit",
    "TransactionWarning",
    "abc",
    "clv",
    "conversion_rate",
    "link_survey",
    "normalize_ids",
    "prepare_transactions",
    "profit_contribution",
    "read_transactions",
    "repurchase_rate",
    "rfm",
]
