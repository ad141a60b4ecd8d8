"""Indices of the numeric layer: satisfaction, loyalty, NPS, survey-weighted estimates, CSI models."""
