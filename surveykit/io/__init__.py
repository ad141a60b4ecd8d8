"""Reading survey exports: files, encodings, layouts, coding."""
