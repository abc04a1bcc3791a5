"""derek: indicator records from Kazakh and Russian news about Kazakhstan's regions."""

from extractor.api import extract_files, extract_text
from extractor.record import COLUMNS, Record

__all__ = ["COLUMNS", "Record", "extract_files", "extract_text"]
__version__ = "0.1.0"
