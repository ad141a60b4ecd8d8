"""The bundled example study: generator and export writers (see ``surveykit example``)."""

from .exports import write_example, write_qualtrics_csv, write_sav, write_wjx_xlsx
from .generate import AS_OF, ExampleStudy, generate_example

__all__ = ["AS_OF", "ExampleStudy", "generate_example", "write_example", "write_qualtrics_csv", "write_sav", "write_wjx_xlsx"]
