"""Who is using a visit on this installation: chosen once per visit and laptop.

Kept beside the installation (``paths.identities_file``), keyed by the visit's id, not
in the visit file: a file copied from another laptop carries that laptop's inspector in
no way, and asks again. The team member matching the computer's login is proposed.
"""

from __future__ import annotations

import json
import os

from irp_field import paths
from irp_field.core.visit_file import HANDED_TO, VisitFile

# The visit's team (``evidence.reads``) is read where it is asked for: the app's start
# asks who you are before its first frame, and most files were never handed out.


def _identities() -> dict[str, str]:
    try:
        found = json.loads(paths.identities_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def who_am_i(visit: VisitFile) -> str:
    """The team member chosen on this laptop for this visit, or ''."""
    return _identities().get(visit.visit_id, "")


def handed_to(visit: VisitFile) -> str:
    """The team member a hand-out copy was written for (``irp-field handout``), when the
    file is one and that member is still on the team; otherwise ''. The laptop it is
    first opened on takes it as who its inspector is (who-am-I answered), unless this
    installation already knows who uses the visit here (the team leader opening a
    colleague's copy stays the team leader)."""
    from irp_field.evidence.reads import team

    name = visit.meta().get(HANDED_TO, "")
    return name if name and name in {member.name for member in team(visit)} else ""


def set_me(visit: VisitFile, name: str) -> None:
    identities = _identities()
    identities[visit.visit_id] = name
    path = paths.identities_file()
    paths.make_private_folder(path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    paths.create_private_file(partial)
    partial.write_text(json.dumps(identities, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)  # never half written, on any platform
    visit.user = name


def proposed_member(visit: VisitFile, login: str) -> str | None:
    """The team member whose name matches the computer's login ("jrichards", "jade")."""
    from irp_field.domain.setup import member_for_login  # the set-up's rules: when asked
    from irp_field.evidence.reads import team

    return member_for_login(login, [member.name for member in team(visit)])
