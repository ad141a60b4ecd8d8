"""Questionnaire definitions: the model, loading and the JSON Schema."""

from .load import BUNDLED_DIR, bundled_questionnaire, load_questionnaire
from .model import Construct, Item, Questionnaire, Scale, Text

__all__ = [
    "BUNDLED_DIR",
    "Construct",
    "Item",
    "Questionnaire",
    "Scale",
    "Text",
    "bundled_questionnaire",
    "load_questionnaire",
]
