"""Psychometrics of the numeric layer: DataFrames of items in, frozen results out."""

from .adequacy import BartlettResult, KMOResult, bartlett, kmo
from .reliability import ReliabilityResult, reliability
from .survey import ConstructReliability, construct_reliability

__all__ = ["BartlettResult", "ConstructReliability", "KMOResult", "ReliabilityResult", "bartlett",
           "construct_reliability", "kmo", "reliability"]
