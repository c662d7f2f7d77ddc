"""A visit's set-up: team members, locations and plan items, and the rules they obey.

Applied alike by the import, the screens, the API, ``check`` and the merge (REFUSE
each): a name within the name rules; a known body, location kind, plan kind and area;
a capacity that is a whole number; a plan item's text within the text rules; a
judgement that exists on the item's scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from irp_field.domain import fields, vocabulary
from irp_field.domain.names import name_verdicts, text_verdicts
from irp_field.domain.plan import scale_for
from irp_field.domain.verdicts import WARN, Verdict


def _choice(
    text: str, choices: tuple[str, ...], field: str, what: str, found: list[Verdict]
) -> str:
    if not text.strip():  # nothing is chosen for anyone (an Ofsted inspector saved as HMIP)
        found.append(Verdict(field, f"choose one of: {', '.join(choices)}"))
        return ""
    try:
        return vocabulary.choose(text, choices, what)
    except ValueError as error:
        found.append(Verdict(field, str(error)))
        return ""


@dataclass(frozen=True)
class MemberEntry:
    name: str
    role: str
    body: str


def member_verdicts(name: str, role: str, body: str) -> tuple[MemberEntry, list[Verdict]]:
    found = name_verdicts(name, "name", "the name")
    found += name_verdicts(role, "role", "the role", required=False)
    chosen = _choice(body, vocabulary.BODIES, "body", "body", found)
    return MemberEntry(name.strip(), role.strip(), chosen), found


@dataclass(frozen=True)
class LocationEntry:
    name: str
    kind: str
    capacity: int | None


def location_verdicts(name: str, kind: str, capacity: str) -> tuple[LocationEntry, list[Verdict]]:
    found = name_verdicts(name, "name", "the location's name")
    chosen = _choice(kind, vocabulary.LOCATION_KINDS, "kind", "location kind", found)
    places: int | None = None
    if capacity.strip():
        try:
            places = fields.whole_number(capacity, "capacity")
        except ValueError as error:
            found.append(Verdict("capacity", str(error)))
    return LocationEntry(name.strip(), chosen, places), found


@dataclass(frozen=True)
class PlanEntry:
    ref: str
    kind: str
    body: str
    area: str
    concern: str
    text: str
    group: str
    level: str  # the judgement's level key, or ''


def plan_item_verdicts(
    ref: str,
    kind: str,
    body: str,
    area: str,
    text: str,
    concern: str = "",
    group: str = "",
    judgement: str = "",
) -> tuple[PlanEntry, list[Verdict]]:
    found = name_verdicts(ref, "ref", "the ref")
    chosen_kind = _choice(kind, vocabulary.PLAN_KINDS, "kind", "plan kind", found)
    chosen_body = _choice(body, vocabulary.BODIES, "body", "body", found)
    chosen_area = _choice(area, vocabulary.AREAS, "area", "area", found)
    found += text_verdicts(text, "text", "the text")
    found += text_verdicts(concern, "concern", "the concern", required=False)
    found += name_verdicts(group, "group", "the group", required=False)
    level = ""
    if judgement.strip() and chosen_kind:
        try:
            level = scale_for(chosen_kind).parse(judgement).key
        except ValueError as error:
            found.append(Verdict("judgement", str(error)))
    entry = PlanEntry(
        ref.strip(),
        chosen_kind,
        chosen_body,
        chosen_area,
        concern.strip(),
        text.strip(),
        group.strip(),
        level,
    )
    return entry, found


def member_for_login(login: str, names: list[str]) -> str | None:
    """The one team member a computer login names ("jade.richards", "jrichards",
    "richards", "jade", or the full name), or None when none or several do."""
    wanted = "".join(ch for ch in login.casefold() if ch.isalpha())
    if not wanted:
        return None
    found = []
    for name in names:
        words = ["".join(ch for ch in word if ch.isalpha()) for word in name.casefold().split()]
        words = [word for word in words if word]
        if not words:
            continue
        forms = {"".join(words), words[0], words[-1], words[0][0] + words[-1]}
        forms.add(words[-1] + words[0])
        if wanted in forms:
            found.append(name)
    return found[0] if len(found) == 1 else None


def misspelt_member(name: str, team: Mapping[str, str]) -> str | None:
    """The team member whose name ``name`` is a slip of ("Jade Richard" for "Jade
    Richards": a letter or two apart), or None: a name on the team, or near no one's (a
    member not added yet, whose records ``check`` names). ``team``: casefolded name ->
    name, as :func:`team_verdicts` takes it."""
    typed = name.strip()
    if not typed or not team or typed.casefold() in team:
        return None
    from difflib import get_close_matches  # only for a name not on the team

    near = get_close_matches(typed.casefold(), list(team), n=1, cutoff=MISSPELT)
    return team[near[0]] if near else None


MISSPELT = 0.85  # difflib's ratio from which a name is taken for a slip of a member's


def team_verdicts(
    name: str, team: Mapping[str, str], field: str, *, stored: bool = False
) -> list[Verdict]:
    """REFUSE a record saved as by someone not on the visit's team (``team``: casefolded
    name -> name; an empty ``name`` is nobody in particular, and is left to the kind's
    own rules): the figures by inspector, a record's history and a hand-back follow the
    team list, so a misspelt inspector would be a stranger in each. A visit with no team
    yet (just created, counted before the set-up is typed) has no one to be on it.

    ``stored``: a record the file holds (``check``, a merge), WARNED only: a member taken
    off the team after counting leaves their records, which are still evidence, and a
    merge never turns a laptop's evidence away for it."""
    typed = name.strip()
    if not typed or not team or typed.casefold() in team:
        return []
    if stored:
        said = f"{UNKNOWN} {typed!r}: add them to the team, or correct the record"
        return [Verdict(field, said, WARN)]
    return [Verdict(field, f"{UNKNOWN} {typed!r}")]


UNKNOWN = "unknown team member"  # how a verdict of :func:`team_verdicts` begins
