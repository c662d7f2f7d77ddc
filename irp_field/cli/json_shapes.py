"""The shape of every command's ``--json`` output: one home, written into docs/cli.md by
cog (``docs/reference.py``) and held against each command's real output by the tests
(``tests/test_cli_json.py``), so the page cannot drift from the program.

A shape is an object (``dict``: exactly these keys; the key ``"*"`` stands for any
key, as in ``figures``), a list of one shape (a JSON array of such items) or a string
``"TYPE: what it is"``, TYPE one of :data:`TYPES`. Every command prints one JSON
document on standard output, with the exit code it has without ``--json``.
"""

from __future__ import annotations

from typing import Any

Shape = str | dict[str, Any] | list[Any]

TYPES = (
    "string",
    "integer",
    "number",
    "boolean",
    "string or null",
    "integer or null",
    "number or null",
    "list of strings",
    "any",  # a stored value as it is: text, a number or null
)

_VISIT_COUNT = "integer or null: null when the file cannot be opened"

_FIGURE: dict[str, Shape] = {
    "key": "string: the figure's name, as templates quote it",
    "value": "number or null: proportions are fractions from 0 to 1; null: no data",
    "display": "string: as a report prints it ('40%', 'no data')",
    "n": "integer: how many observations it rests on",
    "unit": "string: proportion, percent, count, hours, minutes or number",
    "definition": "string: how it is computed",
    "about": "string: the location, group, frame or criterion a family figure is about",
}

SHAPES: dict[str, Shape] = {
    "list": {
        "folder": "string: the folder listed (the data folder's visits)",
        "visits": [
            {
                "file": "string: the file's name",
                "path": "string: the file's path",
                "problem": "string or null: why it cannot be opened (its other fields: null)",
                "visit_id": "string or null",
                "establishment": "string or null",
                "visit_type": "string or null: IRP or full inspection",
                "start_date": "string or null: YYYY-MM-DD",
                "end_date": "string or null: YYYY-MM-DD",
                "previous_inspection": "string or null: YYYY-MM-DD, or '' when not given",
                "roll_checks": _VISIT_COUNT,
                "time_periods": _VISIT_COUNT,
                "notes": _VISIT_COUNT,
                "sampled_records": _VISIT_COUNT,
                "plan_items": _VISIT_COUNT,
                "findings": _VISIT_COUNT,
                "last_changed": "string or null: the last change, YYYY-MM-DDTHH:MM:SS...",
            }
        ],
    },
    "check": {
        "path": "string: the visit file checked",
        "ok": "boolean: false when the exit code is 1 (damaged, or records the rules refuse)",
        "integrity": "string: SQLite's integrity_check ('ok')",
        "schema_version": "integer",
        "app_version": "string: the irp-field that wrote the file",
        "problems": "list of strings: records the rules refuse, one line each",
        "warnings": "list of strings: what the rules question, one line each",
        "purges": "list of strings: each purge (content removed for good): which record, "
        "who, when, why",
    },
    "figures": {"*": _FIGURE},
    "import": {
        "kind": "string: the import kind",
        "file": "string: the file's name ('standard input' for -)",
        "rows": "integer: rows imported",
        "replaced": "integer: of those, rows that replaced a record (--replace)",
        "warnings": "list of strings: what the rules allowed but questioned",
    },
    "sample draw": {
        "frame": "string",
        "seed": "integer",
        "size": "integer: records drawn",
        "listed": "integer: records drawn from",
        "list_sha256": "string: the SHA-256 of the list drawn from (stored with the seed)",
        "records": "list of strings: the records drawn, in the order drawn",
    },
    "notes search": {
        "query": "string",
        "notes": [
            {
                "id": "string",
                "taken_at": "string: YYYY-MM-DDTHH:MM",
                "source": "string",
                "author": "string",
                "plan_refs": "list of strings",
                "tags": "list of strings",
                "text": "string",
            }
        ],
    },
    "links list": {
        "links": [
            {
                "plan_ref": "string",
                "round": "string: a round's name, or empty for a subject's day",
                "date": "string: YYYY-MM-DD, or empty for a round",
                "subject": "string: a pseudonym, or empty for a round",
            }
        ],
    },
    "rounds list": {
        "locations": "integer: the visit's locations",
        "rounds": [
            {
                "id": "string",
                "name": "string",
                "day": "string: YYYY-MM-DD",
                "time": "string: HH:MM",
                "counted": "integer: locations counted in it",
            }
        ],
    },
    "sync": {
        "check": "boolean: --check (nothing written)",
        "written": "boolean: whether anything was stored",
        "stale": "list of strings: the paragraphs that were (or, with --check, are) out of date",
        "changes": [
            {
                "number": "string: the paragraph, such as 3.39",
                "what": "string: a figure's key, or text, evidence or paragraph",
                "old": "string",
                "new": "string",
            }
        ],
    },
    "findings list": {
        "units": [
            {
                "refs": "list of strings: the plan items judged together",
                "judgement": "string or null: null when not yet judged",
                "paragraphs": [
                    {
                        "number": "string: such as 3.10",
                        "id": "string or null: null for the closing sentence of a judgement",
                        "conclusion": "boolean: the closing sentence written from the judgement",
                        "stale": "boolean: out of date (changed since the last sync)",
                        "text": "string: as it renders now",
                    }
                ],
            }
        ],
    },
    "evidence": {
        "refs": "list of strings: the plan items judged together",
        "linked": [{"kind": "string", "id": "string", "summary": "string"}],
        "paragraphs": [
            {
                "number": "string",
                "figures": [{"key": "string", "display": "string"}],
                "cited": [
                    {
                        "id": "string",
                        "kind": "string or null: null when no longer in the visit",
                        "summary": "string or null",
                    }
                ],
            }
        ],
    },
    "summary list": {
        "paragraphs": [
            {
                "number": "string: such as 1.3 or 2.4",
                "id": "string",
                "section": "string: summary, or practice (notable positive practice)",
                "stale": "boolean",
                "text": "string: as it renders now",
            }
        ]
    },
    "parts list": {
        "parts": [
            {
                "key": "string: the name parts show and set take",
                "about": "string: what the part is",
                "own": "boolean: the visit's own text (false: the default)",
                "one_line": "boolean",
                "text": "string: as stored, with its figure references",
            }
        ]
    },
    "glossary list": {
        "terms": [
            {
                "term": "string",
                "definition": "string",
                "matches": "list of strings: other words that count as a use",
            }
        ]
    },
    "outcomes list": {
        "outcomes": [{"year": "string", "test": "string", "judgement": "string"}],
    },
    "attachments list": {
        "attachments": [
            {
                "id": "string",
                "kind": "string: jpeg, png or pdf",
                "size": "integer: bytes",
                "file_name": "string",
                "caption": "string",
                "attached_to": "string: what it is attached to, in words",
                "target_kind": "string: paragraph, note or record",
                "target_id": "string",
                "sha256": "string: the file's SHA-256",
            }
        ]
    },
    "merge": {
        "target": "string",
        "dry_run": "boolean",
        "created": "boolean: the target did not exist and was made",
        "unchanged": "list of strings: sources skipped (their bytes merged before)",
        "kinds": [
            {
                "kind": "string: the table",
                "label": "string: the kind of record, in words",
                "new": "integer",
                "updated": "integer",
                "deleted": "integer",
                "conflicts": "integer",
            }
        ],
        "conflicts": "integer: new conflicts (see irp-field conflicts)",
        "warnings": "list of strings: rows from the future, versions not taken on their word",
        "cleaned": "list of strings: photographs that arrived with metadata, stored clean",
        "purged": "list of strings: purges new to the target, carried out on it",
        "snapshots": "list of strings: snapshots purged (or deleted) after the merge",
        "backup": "string or null: the snapshot made before merging",
    },
    "conflicts": {
        "conflicts": [
            {
                "id": "string: what --resolve takes",
                "table": "string",
                "row_id": "string",
                "what": "string: the record, as the team would name it",
                "reason": "string: why the merge kept the other version apart ('' for "
                "two edits made apart)",
                "kept": {
                    "by": "string: who made the version kept now, and when",
                    "version": "string",
                },
                "other": {"by": "string", "version": "string"},
                "differences": [
                    {
                        "field": "string",
                        "kept": "any: the value kept now",
                        "other": "any: the other version's",
                    }
                ],
            }
        ]
    },
    "purge": {
        "kind": "string: the kind of record listed or purged",
        "records": [
            {
                "id": "string: the record's id",
                "short": "string: the start of its id that tells it apart (as listed)",
                "what": "string: the record, named without its content",
                "holds": "string: the start of what it holds, to recognise it by",
                "deleted": "boolean: deleted already (a tombstone keeps its content)",
            }
        ],
        "purged": "list of strings: the records purged (with RECORD), named without their "
        "content; the list of records is then empty",
        "snapshots": "list of strings: snapshots purged (or deleted) with them",
    },
    "restore": {
        "kind": "string: the kind of record listed or restored",
        "records": [
            {
                "id": "string: the record's id",
                "short": "string: the start of its id that tells it apart (as listed)",
                "what": "string: the record, named without its content",
                "holds": "string: the start of what it holds, to recognise it by",
                "deleted": "boolean: always true: the list is of deleted records",
            }
        ],
        "restored": "list of strings: the record restored (with RECORD), named without its "
        "content; the list of records is then empty",
    },
    "recipients list": {
        "recipients": [
            {
                "key": "string: a public key, age1...",
                "this_installation": "boolean: this installation's own key",
            }
        ]
    },
}
