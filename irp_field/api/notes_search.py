"""Searching the notes' full text, on its own: ``irp-field notes search`` imports this
and the notes' module alone, where :mod:`irp_field.api.notes` would bring the drafts,
the links and their rules (a third of the command's time, on a file of any size). The
same two names as ``api.notes``, from the same module (``evidence.notes``)."""

from __future__ import annotations

from irp_field.evidence.notes import Note as Note
from irp_field.evidence.notes import search_notes as search_notes

__all__ = ["Note", "search_notes"]
