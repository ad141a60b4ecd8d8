"""Indices of the numeric layer: satisfaction, loyalty, NPS, survey-weighted estimates, CSI models."""

from .composite import IndexResult, composite_index, loyalty_index, satisfaction_index
from .nps import BoxResult, NPSResult, bottom_box, nps, top_box
from .pls import PLSResult, pls_pm
from .weighted import WeightedMeanResult, WeightedProportionsResult, weighted_mean, weighted_proportions

__all__ = ["BoxResult", "IndexResult", "NPSResult", "PLSResult", "WeightedMeanResult", "WeightedProportionsResult",
           "bottom_box", "composite_index", "loyalty_index", "nps", "pls_pm", "satisfaction_index", "top_box",
           "weighted_mean", "weighted_proportions"]
