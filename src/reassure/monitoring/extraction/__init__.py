"""Report-text extraction: English or Ukrainian text about an air attack → an AirAttackReport (DESIGN §4).

The entry point is `extract_report`; `extract.py` describes how a text is read and which helper module does
what. Pure: no database, adapter or feed code.
"""

from reassure.monitoring.extraction.extract import (
    MAX_REPORT_CHARS,
    ReportTooLong,
    detect_language,
    detect_reporter,
    extract_report,
)

__all__ = ["MAX_REPORT_CHARS", "ReportTooLong", "detect_language", "detect_reporter", "extract_report"]
