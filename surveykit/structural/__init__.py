"""Structural models: latent-variable SEM in lavaan syntax (``sem``, ``compare``, ``invariance``)
and, on observed scores, mediation (PROCESS models 4 and 6), moderation (model 1) and moderated
mediation (models 7 and 14).

Numeric layer: DataFrames in, frozen results out; no questionnaire. Figures are in
``surveykit.plotting.structural``.
"""

from .from_moments import sem_from_moments
from .invariance import InvarianceResult, invariance
from .mediation import MediationResult, mediation
from .moderated import ModeratedMediationResult, moderated_mediation
from .moderation import ModerationResult, moderation
from .sem import SEMResult, compare, sem

__all__ = ["InvarianceResult", "MediationResult", "ModeratedMediationResult", "ModerationResult", "SEMResult",
           "compare", "invariance", "mediation", "moderated_mediation", "moderation", "sem",
           "sem_from_moments"]
