"""Whether a file given is sealed, for the faces: known from its first bytes, without
loading the sealing (``api.sealing`` and the age library) when no file is."""

from __future__ import annotations

from irp_field.interchange.sealed_mark import is_sealed as is_sealed

__all__ = ["is_sealed"]
