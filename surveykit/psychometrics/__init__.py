"""Psychometrics of the numeric layer: DataFrames of items in, frozen results out."""

from .adequacy import BartlettResult, KMOResult, bartlett, kmo
from .reliability import ReliabilityResult, reliability

__all__ = ["BartlettResult", "KMOResult", "ReliabilityResult", "bartlett", "kmo", "reliability"]
