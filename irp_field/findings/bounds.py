"""What a findings template may hold and cost: a bounded language for quoting figures.

A paragraph may quote figures (``{{ roll.pct_locked_up }}``), word them with the
house filters (``{{ data.unemployed_share | words }}``), join text (``~``), do
arithmetic on numbers, and choose wording with ``{% if %}``. Nothing else: no loops,
no calls, no ``{% set %}``, macros, includes or blocks. Without loops or calls, the
time and memory a paragraph can cost grow only with its own length, which is capped;
its output is capped too. Paragraphs arrive from other laptops by merge and bundle:
these bounds are what makes a hostile one cost nothing (docs/security.md).

Jinja2's parser (and the compiler after it) recurse once or more for each level of an
expression or a block, and Python turns a number's digits into an int: 3,000 nested
parentheses, a chain of 5,000 ``+`` or a 5,000-digit number stopped ``check`` and the
merge with a RecursionError or a ValueError. So a paragraph is read first by Jinja2's
lexer, which recurses nowhere and converts nothing (:func:`lexed_refusal`): what a tag
holds (at most :data:`TAG_LIMIT` words, numbers and symbols, brackets at most
:data:`BRACKET_LIMIT` deep, numbers of at most :data:`NUMBER_LIMIT` characters, strings of
at most :data:`STRING_LIMIT`) and how deep ``{% if %}`` blocks go (each ``{% elif %}``
a level more: Python compiles it as an ``if`` inside the ``else``) are bounded before
the parser sees anything, far below Python's recursion limit, so a paragraph reads the
same in the command line and in a screen's worker thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from irp_field.domain.names import TEXT_LIMIT, unwritable

if TYPE_CHECKING:
    from jinja2 import Environment, nodes

SOURCE_LIMIT = TEXT_LIMIT  # characters of a paragraph as written (100,000)
OUTPUT_LIMIT = TEXT_LIMIT  # characters it may render to (about 100 KB)
TAG_LIMIT = 100  # words, numbers and symbols in one {{ }} or {% %}: a real one has 3-20
BRACKET_LIMIT = 10  # ( [ { nested in one tag: a real one has 0-2
NESTING_LIMIT = 20  # {% if %} within {% if %} (each {% elif %} one more): a real one 1-5
NUMBER_LIMIT = 30  # characters of a number written in a tag ("0.000001", "1_000_000")
STRING_LIMIT = 1_000  # characters of a quoted text in a tag: a phrase, not a paragraph

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


_WORDING = "they may quote figures, word them with filters and choose words with {% if %}"
# A statement's first word -> how to name it (the parser's node types, above, for the
# same statements): refused before parsing, as deep nesting of any would recurse.
_STATEMENT_WORDS = {
    "for": "a loop ({% for %})", "macro": "a macro", "call": "a call block",
    "filter": "a filter block", "with": "a {% with %} block", "set": "{% set %}",
    "include": "an include", "import": "an import", "from": "an import",
    "extends": "{% extends %}", "block": "a {% block %}", "autoescape": "an autoescape block",
    "do": "{% do %}", "continue": "{% continue %}", "break": "{% break %}",
}  # fmt: skip
_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")
_TAG_ENDS = frozenset({"variable_end", "block_end"})


def not_allowed(what: str) -> str:
    return f"{what} is not allowed in findings templates; {_WORDING}"


def lexed_refusal(env: Environment, text: str) -> str | None:
    """Why the paragraph is outside the bounds its tokens show (see the module's
    docstring), or None. Only the lexer runs: it recurses nowhere, and converts no
    number. Raises jinja2's TemplateSyntaxError for text it cannot read."""
    tokens = brackets = 0
    ifs: list[int] = []  # for each {% if %} open: 1, and 1 more for each of its elifs
    statement = False  # the next word is a statement's first
    for _, kind, value in env.lex(text):
        if kind in ("variable_begin", "block_begin"):
            tokens = brackets = 0
            statement = kind == "block_begin"
            continue
        if kind in ("whitespace", "data", "comment", "raw_begin", "raw_end") or kind in _TAG_ENDS:
            continue
        tokens += 1
        if tokens > TAG_LIMIT:
            return f"a tag holds more than {TAG_LIMIT} words, numbers and symbols"
        if statement:
            statement = False
            why = _statement(value, ifs)
            if why:
                return why
        elif kind == "operator" and value in _OPEN:
            brackets += 1
            if brackets > BRACKET_LIMIT:
                return f"brackets are nested more than {BRACKET_LIMIT} deep"
        elif kind == "operator" and value in _CLOSE:
            brackets -= 1
        elif kind in ("integer", "float") and len(value) > NUMBER_LIMIT:
            return f"a number of {len(value):,} characters; at most {NUMBER_LIMIT}"
        elif kind == "string" and len(value) - 2 > STRING_LIMIT:
            return f"a quoted text of {len(value) - 2:,} characters; at most {STRING_LIMIT:,}"
    return None


def _statement(word: str, ifs: list[int]) -> str | None:
    """A statement's first word: refused unless it is one of {% if %}'s, whose depth is
    counted in ``ifs``."""
    if word in _STATEMENT_WORDS:
        return not_allowed(_STATEMENT_WORDS[word])
    if word == "if":
        ifs.append(1)
    elif word == "elif" and ifs:
        ifs[-1] += 1
    elif word == "endif" and ifs:
        ifs.pop()
    if sum(ifs) > NESTING_LIMIT:
        return f"{{% if %}} blocks (and their elifs) go more than {NESTING_LIMIT} deep"
    return None


def refusal(tree: nodes.Template) -> str | None:
    """Why the parsed template is outside the bounded language, or None when it is not."""
    from jinja2 import nodes

    for node in tree.find_all(nodes.Node):
        what = _STATEMENTS.get(type(node).__name__)
        if what is not None:
            return not_allowed(what)
    return None


def too_long(text: str) -> str | None:
    if len(text) > SOURCE_LIMIT:
        return f"the paragraph is {len(text):,} characters; at most {SOURCE_LIMIT:,}"
    return None


def unwritable_character(text: str) -> str | None:
    """A character no document can hold (``domain.names``): refused when a paragraph is
    written, arrives in a bundle or by merge, and named by ``check``. A paragraph that
    holds one all the same (a file of 0.3.0) still renders, so that it can be edited
    and the report written: the Word writer puts U+FFFD in its place."""
    character = unwritable(text)
    if character is not None:
        return f"the paragraph holds {character}, a character no document can hold"
    return None


def text_refusal(text: str) -> str | None:
    """Too long, or holding a character no document can hold: what refuses a paragraph
    as written, before its template is read."""
    return too_long(text) or unwritable_character(text)


def too_much_output(rendered: str) -> str | None:
    if len(rendered) > OUTPUT_LIMIT:
        return f"it renders to {len(rendered):,} characters; at most {OUTPUT_LIMIT:,}"
    return None
