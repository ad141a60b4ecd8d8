"""surveykit"""
