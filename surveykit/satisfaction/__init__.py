"""Satisfaction methods of the numeric layer: KANO, SERVQUAL gaps, penalty-reward, item discrimination."""

from .discrimination import DiscriminationResult, item_discrimination
from .kano import KanoResult, KanoWarning, kano
from .penalty_reward import PenaltyRewardResult, PenaltyRewardWarning, penalty_reward
from .servqual import ServqualResult, servqual

__all__ = ["DiscriminationResult", "KanoResult", "KanoWarning", "PenaltyRewardResult", "PenaltyRewardWarning",
           "ServqualResult", "item_discrimination", "kano", "penalty_reward", "servqual"]
