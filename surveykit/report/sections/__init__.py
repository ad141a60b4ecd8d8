"""The report's sections, one per module, in the order a paper uses.

Each module has ``section(data, book, ...) -> Section | None``: it takes its results from the
questionnaire layer (one public call per table), registers tables and figures in the
:class:`~surveykit.report.book.ReportBook` and returns the generic
:class:`~surveykit.report.book.Section` the template renders. A section computes nothing.
"""

from . import audit, customer_value, drivers, factor, indices, items, profile, reliability, themes

#: every section but the audit (which needs the validation) and customer value (which needs transactions)
ANALYSES = (profile, items, reliability, factor, indices, drivers, themes)

__all__ = ["ANALYSES", "audit", "customer_value", "drivers", "factor", "indices", "items", "profile",
           "reliability", "themes"]
