"""The report's sections, one per module, in the order a paper uses.

Each module has ``section(data, book, ...) -> Section | None``: it takes its results from the
questionnaire layer (one public call per table), registers tables and figures in the
:class:`~surveykit.report.book.ReportBook` and returns the generic
:class:`~surveykit.report.book.Section` the template renders. A section computes nothing.
"""

from . import audit, customer_value, drivers, factor, indices, items, profile, reliability, themes
from . import discrimination, satisfaction  # issue 20: item analysis; KANO, SERVQUAL, penalty-reward
from . import structural  # issue 19: the structural model and measurement invariance
from . import pls  # issue 20: the satisfaction index PLS model and its importance-performance map

#: every section but the audit (which needs the validation) and customer value (which needs transactions)
ANALYSES = (profile, items, discrimination, reliability, factor, indices, drivers, structural, pls, satisfaction,
            themes)

__all__ = ["ANALYSES", "audit", "customer_value", "discrimination", "drivers", "factor", "indices", "items",
           "pls", "profile", "reliability", "satisfaction", "structural", "themes"]
