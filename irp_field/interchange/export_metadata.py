"""What an export says about itself, from :mod:`export_tables` and :mod:`export_derived`:
Datasette's metadata beside the SQLite export (descriptions of every table and column,
a default sort, suggested facets, canned queries) and the CSV export's Frictionless
``datapackage.json`` (every column's type, format, unit and description, the keys), so
that a reader that honours it types every column right."""

from __future__ import annotations

from typing import Any

from irp_field.interchange.export_database import BY_NAME, EVERY_TABLE, FILES
from irp_field.interchange.export_derived import QUERIES
from irp_field.interchange.export_tables import FORMATS, SHARE, AnalystTable, Column

DESCRIPTION = (
    "irp-field export for analysts: deleted rows left out; shares are fractions from 0 to "
    "1; times are local time at the prison."
)


def _said(column: Column) -> str:
    """A column's description with its unit ("unit: prisoners") where it has one."""
    if column.unit == SHARE:
        return f"{column.description} A share from 0 to 1 (0.40 is 40%)."
    if column.unit:
        return f"{column.description} (unit: {column.unit})"
    return column.description


def _datasette_table(table: AnalystTable) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "description": table.description,
        "columns": {c.name: _said(c) for c in table.columns},
        "sort": table.sort,
    }
    if table.facets:
        entry["facets"] = list(table.facets)
    if table.label:
        entry["label_column"] = table.label
    return entry


def datasette(title: str, database: str) -> dict[str, Any]:
    """Datasette's metadata.json (Datasette 0.65): titles, descriptions, units in the
    column descriptions (Datasette's own ``units`` key wants Pint units; "prisoners" is
    not one), a default sort and facets per table, and the canned queries."""
    tables = {table.name: _datasette_table(table) for table in EVERY_TABLE}
    tables[FILES] = {
        "description": "The attached files themselves, by SHA-256 (content is the file's bytes).",
        "columns": {"size": "The file's size (unit: bytes)"},
        "sort": "sha256",
    }
    queries = {
        name: {"title": shown, "description": description, "sql": sql}
        for name, (shown, description, sql) in QUERIES.items()
    }
    return {
        "title": title,
        "description": DESCRIPTION,
        "databases": {database: {"tables": tables, "queries": queries}},
    }


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "type": column.kind,
        "description": _said(column),
    }
    if column.kind in FORMATS:
        field["format"] = FORMATS[column.kind]
    if column.unit:
        field["unit"] = column.unit  # not Table Schema's: a property of our own
    return field


def _resource(table: AnalystTable, encoding: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(c) for c in table.columns],
        "missingValues": [""],
    }
    if table.pk:
        schema["primaryKey"] = list(table.pk)
    keys = [
        {
            "fields": c.name,
            "reference": {"resource": c.references, "fields": BY_NAME[c.references].pk[0]},
        }
        for c in table.columns
        if c.references and c.references != table.name and table.pk != (c.name,)
    ]
    if keys:
        schema["foreignKeys"] = keys
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": encoding,
        "schema": schema,
    }


def datapackage(title: str, encoding: str = "utf-8") -> dict[str, Any]:
    """The CSV export's descriptor (Frictionless Data Package 1.0, tabular)."""
    return {
        "profile": "tabular-data-package",
        "name": "irp-field-export",
        "title": title,
        "description": DESCRIPTION,
        "resources": [_resource(table, encoding) for table in EVERY_TABLE],
    }
