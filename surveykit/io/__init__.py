"""Files in and out: survey exports (files, encodings, layouts, coding), transactions files, and tables
written as .xlsx, .docx and .csv (:mod:`surveykit.io.write`)."""
