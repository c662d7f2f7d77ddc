"""The import kinds and their columns, for the command line's help and the docs.

A light module (no database, no click): ``irp-field import --help`` reads it.
"""

from __future__ import annotations

from irp_field.interchange.kinds import KINDS, help_text, markdown_table

__all__ = ["KINDS", "help_text", "markdown_table"]
