"""Figures: ``plot_*(result, *, ax=None, ...) -> Axes`` that show Chinese text without set-up.

Importing this module imports matplotlib but changes no rcParams and registers no font.
"""

from ._fonts import cjk_font_family, cjk_font_path
from ._style import figure_style
from .drivers import plot_drivers, plot_ipa, plot_ipma
from .indices import plot_indices, plot_nps
from .likert import plot_likert
from .perceived_value import plot_value_curve, plot_value_map
from .psychometrics import plot_item_total, plot_loadings, plot_scree
from .satisfaction import plot_gaps, plot_kano, plot_penalty_reward
from .structural import plot_path, plot_simple_slopes
from .text import plot_cooccurrence, plot_theme_polarity, plot_theme_satisfaction, plot_themes
from .wordcloud import plot_wordcloud
from .customer_value import plot_pareto, plot_rfm_layers, plot_satisfaction_by_value, plot_value_satisfaction

__all__ = ["cjk_font_family", "cjk_font_path", "figure_style", "plot_cooccurrence", "plot_drivers", "plot_gaps",
           "plot_indices", "plot_ipa", "plot_ipma", "plot_item_total", "plot_kano", "plot_likert", "plot_loadings", "plot_nps",
           "plot_pareto", "plot_penalty_reward", "plot_rfm_layers", "plot_satisfaction_by_value", "plot_scree",
           "plot_path", "plot_simple_slopes",
           "plot_theme_polarity", "plot_theme_satisfaction", "plot_themes", "plot_value_curve", "plot_value_map", "plot_value_satisfaction",
           "plot_wordcloud"]
