"""Indices of the numeric layer: satisfaction, loyalty, NPS, value, survey-weighted estimates, CSI models."""

from .banner import BannerResult, banner
from .bootstrap import BootstrapResult, bootstrap_ci
from .composite import IndexResult, composite_index, loyalty_index, satisfaction_index
from .drivers import DriversResult, KeyDriversWarning, key_drivers
from .ipa import IPAResult, ipa
from .ipma import IPMAResult, ipma
from .nps import BoxResult, NPSResult, bottom_box, nps, top_box
from .pls import PLSResult, pls_pm
from .rake import RakeResult, RakingWarning, rake
from .perceived_value import ValueResult, delivered_value, perceived_value, relationship_value
from .weighted import WeightedMeanResult, WeightedProportionsResult, weighted_mean, weighted_proportions

__all__ = ["BannerResult", "BootstrapResult", "BoxResult", "DriversResult", "IPAResult", "IndexResult",
           "KeyDriversWarning", "NPSResult", "PLSResult", "RakeResult", "RakingWarning", "ValueResult",
           "WeightedMeanResult", "WeightedProportionsResult", "banner", "bootstrap_ci", "bottom_box",
           "composite_index", "delivered_value", "ipa", "key_drivers", "loyalty_index", "nps", "perceived_value",
           "pls_pm", "rake", "relationship_value", "satisfaction_index", "top_box", "weighted_mean",
           "weighted_proportions",
           "IPMAResult", "ipma"]
