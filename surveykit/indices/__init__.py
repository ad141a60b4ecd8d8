"""Indices of the numeric layer: satisfaction, loyalty, NPS, survey-weighted estimates, CSI models."""

from .nps import BoxResult, NPSResult, bottom_box, nps, top_box
from .weighted import WeightedMeanResult, WeightedProportionsResult, weighted_mean, weighted_proportions

__all__ = ["BoxResult", "NPSResult", "WeightedMeanResult", "WeightedProportionsResult", "bottom_box", "nps",
           "top_box", "weighted_mean", "weighted_proportions"]
