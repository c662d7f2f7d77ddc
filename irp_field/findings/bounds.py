"""What a findings template may hold and cost: a bounded language for quoting figures.

A paragraph may quote figures (``{{ roll.pct_locked_up }}``), word them with the
house filters (``{{ data.unemployed_share | words }}``), join text (``~``), do
arithmetic on numbers, and choose wording with ``{% if %}``. Nothing else: no loops,
no calls, no ``{% set %}``, macros, includes or blocks. Without loops or calls, the
time and memory a paragraph can cost grow only with its own length, which is capped;
its output is capped too. Paragraphs arrive from other laptops by merge and bundle:
these bounds are what makes a hostile one cost nothing (docs/security.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from irp_field.domain.names import TEXT_LIMIT

if TYPE_CHECKING:
    from jinja2 import nodes

SOURCE_LIMIT = TEXT_LIMIT  # characters of a paragraph as written (100,000)
OUTPUT_LIMIT = TEXT_LIMIT  # characters it may render to (about 100 KB)

_STATEMENTS = {  # node type -> how to name it in a refusal
    "For": "a loop ({% for %})",
    "Macro": "a macro",
    "CallBlock": "a call block",
    "FilterBlock": "a filter block",
    "With": "a {% with %} block",
    "Assign": "{% set %}",
    "AssignBlock": "{% set %}",
    "Include": "an include",
    "Import": "an import",
    "FromImport": "an import",
    "Extends": "{% extends %}",
    "Block": "a {% block %}",
    "Scope": "a scope",
    "OverlayScope": "a scope",
    "ScopedEvalContextModifier": "an autoescape block",
    "EvalContextModifier": "an autoescape block",
    "Call": "a call",
    "ExprStmt": "{% do %}",
    "Continue": "{% continue %}",
    "Break": "{% break %}",
}


def refusal(tree: nodes.Template) -> str | None:
    """Why the parsed template is outside the bounded language, or None when it is not."""
    from jinja2 import nodes

    for node in tree.find_all(nodes.Node):
        what = _STATEMENTS.get(type(node).__name__)
        if what is not None:
            return (
                f"{what} is not allowed in findings templates; they may quote figures, "
                "word them with filters and choose words with {% if %}"
            )
    return None


def too_long(text: str) -> str | None:
    if len(text) > SOURCE_LIMIT:
        return f"the paragraph is {len(text):,} characters; at most {SOURCE_LIMIT:,}"
    return None


def too_much_output(rendered: str) -> str | None:
    if len(rendered) > OUTPUT_LIMIT:
        return f"it renders to {len(rendered):,} characters; at most {OUTPUT_LIMIT:,}"
    return None
