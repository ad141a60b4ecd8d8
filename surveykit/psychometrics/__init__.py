"""Psychometrics of the numeric layer: DataFrames of items in, frozen results out."""

from .adequacy import BartlettResult, KMOResult, bartlett, kmo
from .cfa import CFAResult, cfa
from .efa import EFAResult, efa
from .harman import HarmanResult, harman_test
from .parallel import ParallelAnalysisResult, parallel_analysis
from .reliability import ReliabilityResult, reliability
from .survey import ConstructReliability, ConstructValidity, construct_reliability, construct_validity, value_measurement

__all__ = ["BartlettResult", "CFAResult", "ConstructReliability", "ConstructValidity", "EFAResult", "HarmanResult", "KMOResult",
           "ParallelAnalysisResult", "ReliabilityResult", "bartlett", "cfa", "construct_reliability", "construct_validity", "efa",
           "harman_test", "kmo", "parallel_analysis", "reliability", "value_measurement"]
