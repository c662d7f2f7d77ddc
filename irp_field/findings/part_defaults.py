"""The default texts of a report's standing parts, and the file format they share with
bundles.

irp-field ships default texts (``report-defaults.toml`` beside this module, written
for this project). A team leader can keep her own defaults in the data folder
(``report-defaults.toml`` in :func:`paths.home`): every new visit gets them written in.
A visit's bundle holds its own in ``report-parts.toml``. All three are one format:

    [parts]
    signature_title = "HM Chief Inspector of Prisons"
    about = '''
    Paragraphs, a blank line between them.
    - a list item
    '''

    [[glossary]]
    term = "Time out of cell"
    definition = "..."
    matches = "unlocked"          # optional: other words that count as a use

    [[outcomes]]                  # a bundle's only: Figure 1
    year = "2021"
    test = "Safety"
    judgement = "Not sufficiently good"

Such a file comes from elsewhere: it is read as data, capped in size, and every part,
term and outcome goes through ``domain.report_parts`` when it is written into a visit.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from irp_field import paths
from irp_field.core.visit_file import VisitFile
from irp_field.domain import report_parts as rules
from irp_field.domain.errors import IrpError
from irp_field.findings import report_parts as store
from irp_field.findings.report_parts import GlossaryTerm, Outcome

SHIPPED = Path(__file__).resolve().parent / "report-defaults.toml"
DEFAULTS_NAME = paths.REPORT_DEFAULTS
MAX_FILE_BYTES = 2 * 1024 * 1024  # far beyond any report's standing texts


@dataclass
class PartTexts:
    parts: dict[str, str] = field(default_factory=dict)
    glossary: list[GlossaryTerm] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


def user_defaults_path() -> Path:
    return paths.home() / DEFAULTS_NAME


def _strings(table: Any, where: str, keys: tuple[str, ...], optional: tuple[str, ...]) -> list[str]:
    if not isinstance(table, dict):
        raise IrpError(f"{where}: must be a table of text values")
    unknown = [key for key in table if key not in (*keys, *optional)]
    if unknown:
        raise IrpError(f"{where}: unknown key {unknown[0]!r}")
    values = []
    for key in (*keys, *optional):
        value = table.get(key, "" if key in optional else None)
        if not isinstance(value, str):
            raise IrpError(f"{where}: {key} must be text in quotes")
        values.append(value)
    return values


def parse(text: str, name: str) -> PartTexts:
    """A report-parts file's texts; unknown parts and wrong types are refused naming it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise IrpError(f"{name}: cannot be read ({error})") from None
    except RecursionError:  # thousands of nested arrays or tables: a file from elsewhere
        raise IrpError(f"{name}: cannot be read (nested too deeply)") from None
    unknown = [key for key in data if key not in ("parts", "glossary", "outcomes")]
    if unknown:
        raise IrpError(f"{name}: unknown table [{unknown[0]}]")
    found = PartTexts()
    parts = data.get("parts", {})
    if not isinstance(parts, dict):
        raise IrpError(f"{name}: [parts] must be a table")
    for key, value in parts.items():
        if key not in rules.PARTS:
            raise IrpError(f"{name}: [parts] {key}: unknown part; see irp-field parts list")
        if not isinstance(value, str):
            raise IrpError(f"{name}: [parts] {key} must be text in quotes")
        found.parts[key] = value
    for number, table in enumerate(_array(data, "glossary", name), start=1):
        term, definition, matches = _strings(
            table, f"{name}: glossary term {number}", ("term", "definition"), ("matches",)
        )
        forms = tuple(f.strip() for f in matches.split(";") if f.strip())
        found.glossary.append(GlossaryTerm(term, definition, forms))
    for number, table in enumerate(_array(data, "outcomes", name), start=1):
        year, test, judgement = _strings(
            table, f"{name}: outcome {number}", ("year", "test", "judgement"), ()
        )
        found.outcomes.append(Outcome(year, test, judgement))
    return found


def _array(data: dict[str, Any], key: str, name: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise IrpError(f"{name}: {key} must be written [[{key}]]")
    return value


def read_file(path: Path) -> PartTexts:
    """Read a report-parts file (capped in size: it may come from anywhere)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise IrpError(f"{path}: is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise IrpError(f"{path}: is not UTF-8 text") from None
    except OSError as error:
        raise IrpError(f"{path}: cannot be read ({error.strerror or error})") from None
    return parse(text, path.name)


@cache
def _shipped() -> PartTexts:
    return parse(SHIPPED.read_text(encoding="utf-8"), SHIPPED.name)


def shipped() -> PartTexts:
    """The texts shipped with the program, parsed once; a copy the caller may change."""
    texts = _shipped()
    return PartTexts(dict(texts.parts), list(texts.glossary), list(texts.outcomes))


def defaults() -> PartTexts:
    """The texts a new visit gets: the shipped ones, with the team leader's file (when
    there is one) taking over each part it sets, and its glossary, when it has one."""
    texts = shipped()
    mine_path = user_defaults_path()
    if mine_path.exists():
        mine = read_file(mine_path)
        texts.parts.update(mine.parts)
        if mine.glossary:
            texts.glossary = mine.glossary
    return texts


def effective_parts(visit: VisitFile) -> dict[str, str]:
    """Every part as the report prints it: the visit's own, else the shipped default."""
    return {**shipped().parts, **store.stored_parts(visit)}


def effective_glossary(visit: VisitFile) -> list[GlossaryTerm]:
    """The visit's glossary; the shipped one for a visit that never had any."""
    return store.glossary(visit) if store.has_glossary(visit) else shipped().glossary


def seed(visit: VisitFile, texts: PartTexts | None = None) -> None:
    """Write the defaults into a new visit (one transaction)."""
    chosen = texts if texts is not None else defaults()
    store.write_all(visit, chosen.parts, chosen.glossary, chosen.outcomes)


# -- writing the format ---------------------------------------------------------------


def toml_text(value: str) -> str:
    """A TOML string a person can read: multi-line literal when it can be, else basic."""
    plain = all(ch in "\n\t" or ord(ch) >= 32 for ch in value) and "\x7f" not in value
    if "\n" in value and plain and "'''" not in value and not value.endswith("'"):
        return f"'''\n{value}'''"
    return json.dumps(value, ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").isalnum() else json.dumps(key)


def format_texts(texts: PartTexts, heading: str) -> str:
    lines = [f"# {line}".rstrip() for line in heading.splitlines()]
    lines += ["", "[parts]"]
    for key in rules.PARTS:  # the order a report prints them
        if key in texts.parts:
            lines.append(f"{_toml_key(key)} = {toml_text(texts.parts[key])}")
    for term in texts.glossary:
        lines += ["", "[[glossary]]", f"term = {toml_text(term.term)}"]
        lines.append(f"definition = {toml_text(term.definition)}")
        if term.matches:
            lines.append(f"matches = {toml_text(';'.join(term.matches))}")
    for outcome in texts.outcomes:
        lines += ["", "[[outcomes]]"]
        lines += [
            f"{name} = {toml_text(value)}"
            for name, value in (
                ("year", outcome.year),
                ("test", outcome.test),
                ("judgement", outcome.judgement),
            )
        ]
    return "\n".join(lines) + "\n"


def visit_texts(visit: VisitFile) -> PartTexts:
    """What the visit itself holds (no defaults filled in)."""
    return PartTexts(store.stored_parts(visit), store.glossary(visit), store.outcomes(visit))


def save_as_defaults(visit: VisitFile) -> Path:
    """The visit's standing texts and glossary become the defaults of every new visit."""
    texts = visit_texts(visit)
    texts.outcomes = []  # Figure 1 belongs to one prison
    target = user_defaults_path()
    paths.make_private_folder(target.parent)
    partial = target.with_name(f".{target.name}.partial")
    paths.create_private_file(partial)
    partial.write_text(
        format_texts(
            texts,
            "irp-field: the report texts every new visit starts with (irp-field parts "
            "save-defaults).\nEdit them here or in a visit; delete this file to go back to "
            "the texts irp-field ships.",
        ),
        encoding="utf-8",
    )
    partial.replace(target)
    return target
