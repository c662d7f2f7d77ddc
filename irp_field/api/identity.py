"""Who is using a visit file on this installation: chosen once per file and laptop.

Kept beside the installation (``paths.identities_file``), not in the visit file: a file
copied from another laptop carries that laptop's inspector in no way, and asks again.
The team member matching the computer's login is proposed.

Each answer is kept for the file (its visit's id and its place on this laptop), and a
person's own answer also for the visit, which a file of the visit not answered here yet
takes (the team leader opening a colleague's copy stays the team leader). All the
copies of a visit share its id: keyed by the visit alone, who-am-I answered in a copy
handed to a colleague changed who the team leader was in her own file too (a walker's
finding).
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


def _file_key(visit: VisitFile) -> str:
    return f"{visit.visit_id} {visit.path.resolve()}"


def who_am_i(visit: VisitFile) -> str:
    """The team member chosen on this laptop for this file, else for its visit, or ''."""
    identities = _identities()
    return identities.get(_file_key(visit)) or identities.get(visit.visit_id, "")


def known_here(visit: VisitFile) -> str:
    """Who records on this file when nobody says (``--by``, IRP_FIELD_USER): the member
    chosen on this laptop for the file or its visit (who-am-I), else the member a
    hand-out copy was written for; '' (the login's name, then) when neither. The app
    and the command line both start from it: an import into Jade's copy on her laptop
    carried the login's name ("root"), which the app never wrote."""
    return who_am_i(visit) or handed_to(visit)


def handed_to(visit: VisitFile) -> str:
    """The team member a hand-out copy was written for (``irp-field handout``), when the
    file is one and that member is still on the team; otherwise ''. The laptop it is
    first opened on takes it as who its inspector is (who-am-I answered), unless this
    installation already knows who uses the visit here (the team leader opening a
    colleague's copy stays the team leader)."""
    name = visit.meta().get(HANDED_TO, "")
    if not name:  # most files: the team is not read (nor its module loaded) before the
        return ""  # overview's first frame
    from irp_field.evidence.reads import team

    return name if name in {member.name for member in team(visit)} else ""


def set_me(visit: VisitFile, name: str, *, for_the_visit: bool = True) -> None:
    """``name`` is who uses this file here; ``for_the_visit``: and the visit's other files
    here not answered yet (a person's own answer; never a hand-out copy's, whose name is
    its inspector's, not this laptop's owner's)."""
    identities = _identities()
    identities[_file_key(visit)] = name
    if for_the_visit:
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


def member_meant(visit: VisitFile, name: str) -> str | None:
    """The team member ``name`` is a slip of ("Jade Richard" for "Jade Richards"), or None
    (a member's name, or near no one's): ``domain.setup.misspelt_member`` on the visit's
    team, as ``--by`` and IRP_FIELD_USER are held to it when a visit is opened and a name
    typed into who-am-I is before it is added to the team."""
    from irp_field.evidence.lookups import team_names

    team = team_names(visit)
    if not team or name.strip().casefold() in team:
        return None  # a member (the app's own first frame loads no set-up rules for it)
    from irp_field.domain.setup import misspelt_member

    return misspelt_member(name, team)
