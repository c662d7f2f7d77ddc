"""Imports of CSV files (``irp-field import``): each kind's columns in
``interchange/kinds.py``, every line through the same rules as the screens, the whole
file in one transaction or nothing."""

from __future__ import annotations

from irp_field.interchange.imports import ImportResult as ImportResult
from irp_field.interchange.imports import import_csv as import_csv
from irp_field.interchange.imports import import_stream as import_stream
