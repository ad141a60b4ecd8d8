"""The survey pipeline on Dask: exports too large for one machine's memory, read and analysed by partition.

Partitions are pandas frames, so the per-partition step is today's code: each export file (or
each partition of a Dask DataFrame) is read by :func:`surveykit.read_responses`; the analyses
reduce every partition to sufficient statistics (``surveykit._moments``) and merge them, so
the results equal the pandas results whatever the partitioning. Needs the extra
``pip install "surveykit[dask]"``.

What runs on Dask now: reading with exact accounting, item descriptives, NPS / top-2-box /
composite 0-100 indices overall and by segment, banner tables with their column tests,
reliability (alpha, omega, item analysis), KMO / Bartlett, EFA and CFA from one pass of
cross-products, OLS / WLS driver models from X'X (with HC0-HC3 standard errors from a second
pass), and theme counts of open comments (each partition coded where it lives). See the
README ("Dask") for what does not yet.
"""

from .analyses import DaskIndices, ItemCovariance, describe_dask, indices_dask, item_covariance_dask
from .banner import banner_dask
from .models import adequacy_dask, cfa_dask, drivers_dask, efa_dask, reliability_dask
from .read import DaskSurveyData, read_responses_dask, require_dask
from .themes import DaskThemeCounts, themes_dask

__all__ = ["DaskIndices", "DaskSurveyData", "DaskThemeCounts", "ItemCovariance", "adequacy_dask", "banner_dask",
           "cfa_dask", "describe_dask", "drivers_dask", "efa_dask", "indices_dask", "item_covariance_dask",
           "read_responses_dask", "reliability_dask", "require_dask", "themes_dask"]
