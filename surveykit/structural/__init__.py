"""Structural models on observed scores: mediation (PROCESS models 4 and 6), moderation (model 1)
and moderated mediation (models 7 and 14).

Numeric layer: DataFrames in, frozen results out; no questionnaire. Figures are in
``surveykit.plotting.structural``.
"""

from .mediation import MediationResult, mediation
from .moderated import ModeratedMediationResult, moderated_mediation
from .moderation import ModerationResult, moderation

__all__ = ["MediationResult", "ModeratedMediationResult", "ModerationResult", "mediation", "moderated_mediation",
           "moderation"]
