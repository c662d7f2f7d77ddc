"""The kinds of record the set-up screen adds and edits (team, locations, plan, data
returns): their fields, their table's columns, and how each is read through the API
(saved through ``api.typed_writes.setup``). A visit can start on site with no CSV at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from irp_field.api import data_returns, sealing, setup, visits
from irp_field.api.visits import Visit
from irp_field.domain import vocabulary


def number(value: float) -> str:
    """A stored value as typed: 0.48, 120 (not 120.0)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True)
class Field:
    name: str  # the API's word, and the verdicts' field
    label: str
    placeholder: str = ""
    wide: bool = False
    choices: tuple[str, ...] = ()  # suggested as typed


@dataclass(frozen=True)
class Row:
    id: str
    values: dict[str, str]  # by field name, as the form shows them
    cells: tuple[str, ...]  # as the table shows them
    key: str  # the natural key (a name, a ref), case folded


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    table: str  # the merged table, for history and delete
    noun: str
    fields: tuple[Field, ...]
    columns: tuple[str, ...]
    read: Callable[[Visit], list[Row]]
    # A kind that is not a table's rows of its own (the visit's keys): its delete, and
    # the record whose history is its own.
    delete: Callable[[Visit, str], object] | None = None
    history_of: Callable[[Visit, str], str] | None = None


def _team(visit: Visit) -> list[Row]:
    return [
        Row(
            m.id,
            {"name": m.name, "role": m.role, "body": m.body},
            (m.name, m.role, m.body),
            m.name.casefold(),
        )
        for m in visits.team(visit)
    ]


def _locations(visit: Visit) -> list[Row]:
    found = []
    for place in setup.location_rows(visit):
        capacity = "" if place.capacity is None else str(place.capacity)
        found.append(
            Row(
                place.id,
                {"name": place.name, "kind": place.kind, "capacity": capacity},
                (place.name, place.kind, capacity, str(place.checks)),
                place.name.casefold(),
            )
        )
    return found


def _plan(visit: Visit) -> list[Row]:
    found = []
    for item in setup.plan_items(visit):
        values = {
            "ref": item.ref, "area": item.area, "text": item.text, "concern": item.concern,
            "group": item.group, "kind": item.kind, "body": item.body,
        }  # fmt: skip
        cells = (item.ref, item.area, item.group, item.kind, item.body, item.text)
        found.append(Row(item.id, values, cells, item.ref.casefold()))
    return found


def _data(visit: Visit) -> list[Row]:
    found = []
    for item in data_returns.data_returns(visit):
        value = "" if item.value is None else number(item.value)
        values = {
            "key": item.key, "value": value, "unit": item.unit, "period": item.period,
            "source": item.source, "label": item.label,
        }  # fmt: skip
        found.append(
            Row(item.id, values, (item.key, value, item.unit, item.label), item.key.casefold())
        )
    return found


def _keys(visit: Visit) -> list[Row]:
    own = sealing.key()
    return [
        Row(key, {"key": key}, (key, "this laptop's" if own and own.public == key else ""), key)
        for key in sealing.recipients(visit)
    ]


KINDS: tuple[Kind, ...] = (
    Kind(
        "team",
        "Team",
        "team_member",
        "team member",
        (
            Field("name", "Name", "e.g. Jade Richards", wide=True),
            Field("role", "Role", "e.g. Inspector", wide=True),
            Field("body", "Body", ", ".join(vocabulary.BODIES), choices=vocabulary.BODIES),
        ),
        ("Name", "Role", "Body"),
        _team,
    ),
    Kind(
        "locations",
        "Locations",
        "location",
        "location",
        (
            Field("name", "Name", "e.g. A wing", wide=True),
            Field("kind", "Kind", "wing, unit or other", choices=vocabulary.LOCATION_KINDS),
            Field("capacity", "Capacity", "places"),
        ),
        ("Name", "Kind", "Capacity", "Checks"),
        _locations,
    ),
    Kind(
        "plan",
        "Plan",
        "plan_item",
        "plan item",
        (
            Field("ref", "Ref", "e.g. 1.34a"),
            Field("area", "Area", "e.g. Safety", wide=True, choices=vocabulary.AREAS),
            Field("text", "Recommendation", "what it asked for", wide=True),
            Field("concern", "Concern", "the concern it answered", wide=True),
            Field("group", "Judged with", "a group name, e.g. 1.34", wide=True),
            Field(
                "kind", "Kind", "recommendation or theme", wide=True, choices=vocabulary.PLAN_KINDS
            ),
            Field("body", "Body", ", ".join(vocabulary.BODIES), choices=vocabulary.BODIES),
        ),
        ("Ref", "Area", "Group", "Kind", "Body", "Recommendation"),
        _plan,
    ),
    Kind(
        "data",
        "Data returns",
        "data_return",
        "data return",
        (
            Field("key", "Key", "e.g. prev_pct_locked_up", wide=True),
            Field("value", "Value", "e.g. 0.48"),
            Field("unit", "Unit", ", ".join(vocabulary.DATA_UNITS), choices=vocabulary.DATA_UNITS),
            Field("period", "Period", "e.g. March 2022", wide=True),
            Field("source", "Source", "who supplied it", wide=True),
            Field("label", "Label", "what it is, in words", wide=True),
        ),
        ("Key", "Value", "Unit", "Label"),
        _data,
    ),
    Kind(
        "keys",
        "Hand-back keys",
        "visit",
        "public key",
        (
            Field(
                "key", "Public key", "age1... (the team leader's: irp-field keys show)", wide=True
            ),
        ),
        ("Public key (hand-backs are sealed for it)", "Whose"),
        _keys,
        delete=lambda visit, key: sealing.remove_recipient(visit, key),
        history_of=lambda visit, _key: visit.visit_id,
    ),
)

# No body is filled in: an Ofsted inspector was saved as HMIP, the form's default. The
# body is chosen (its first letters offer the rest; a blank one is refused beside it).
DEFAULTS = {"kind": "", "unit": "number"}


def default_values(kind: Kind) -> dict[str, str]:
    """What a new record's form starts with."""
    first = {"locations": "wing", "plan": "recommendation"}.get(kind.key, "")
    return {
        field.name: (first if field.name == "kind" else DEFAULTS.get(field.name, ""))
        for field in kind.fields
    }
