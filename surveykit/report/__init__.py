"""The HTML report: assembles results and figures made by the public API; computes nothing."""

from .build import ReportOutput, build_report

__all__ = ["ReportOutput", "build_report"]
