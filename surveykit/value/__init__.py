"""Customer value from behaviour: transactions, RFM layers, CLV, ABC classes, repurchase and conversion.

The numeric layer of DOMAIN.md section 3. Every function takes a transactions table (one row
per order) with the names of its columns, or the result of :func:`prepare_transactions`, which
reads and audits the table once (:class:`TransactionAudit`: rows read = used + excluded).
This is behavioural value (what customers are worth); perceived value, from the survey, is
:mod:`surveykit.indices.perceived_value`.
"""

from ..io.transactions import read_transactions
from .abc import ABCResult, abc
from .clv import CLVResult, ProfitResult, clv, profit_contribution
from .ids import IdFormatWarning, normalize_ids
from .link import CustomerLinkWarning, CustomerValueLink
from .retention import ConversionResult, RepurchaseResult, conversion_rate, repurchase_rate
from .rfm import LAYERS, RFMResult, rfm
from .survey import link_survey
from .transactions import PreparedTransactions, TransactionAudit, TransactionWarning, prepare_transactions

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
