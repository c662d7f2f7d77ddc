"""What a source file must pass before anything of it is merged: its attachments and the
report's parts read back through the domain's rules (``evidence.attachment_audit``,
``findings.parts_audit``), as ``irp-field check`` reads them. A file from another laptop
may have been damaged or written by hand: a file whose bytes are not the file its hash
names, a type its bytes do not have, a part the rules refuse, and the merge is refused
naming the file and the record, with nothing merged."""

from __future__ import annotations

from itertools import chain
from pathlib import Path

from irp_field.core.visit_file import VisitFile
from irp_field.domain.errors import IrpError
from irp_field.evidence import attachment_audit
from irp_field.findings import parts_audit


def refuse_bad_rows(path: Path, *, named: Path | None = None) -> None:
    """``path``: the source as this version reads it (its migrated copy, if older);
    ``named``: the file to name in a refusal."""
    with VisitFile.open(path, readonly=True, check_pages=False) as source:
        for found in chain(attachment_audit.everything(source), parts_audit.everything(source)):
            if found.verdict.refuses:
                raise IrpError(
                    f"refused: {named or path}: {found.kind} {found.where}: "
                    f"{found.verdict.message}; nothing was merged"
                )
