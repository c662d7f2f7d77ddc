"""Rendering one findings paragraph: figure references in Jinja2's sandbox.

Paragraphs are written on other laptops and merged, so a template is untrusted input:
it renders in a ``SandboxedEnvironment`` with no globals, where reaching for Python
internals (``__class__``, ``__globals__``, ``mro``) is refused. An unknown figure is
an error naming the paragraph, the name and the nearest known names; it never prints
as blank text.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from irp_field.domain.errors import IrpError
from irp_field.figures import Figure
from irp_field.findings import bounds
from irp_field.findings.filters import FILTERS, FilterError

if TYPE_CHECKING:
    from jinja2 import Template, nodes
    from jinja2.sandbox import SandboxedEnvironment


class FindingError(IrpError):
    """A paragraph that cannot be rendered; the message starts with its number."""


class UnknownFigure(Exception):
    """Raised (not an AttributeError, so Jinja cannot swallow it) for a name with no figure."""

    def __init__(self, name: str, known: list[str]) -> None:
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        super().__init__(f"unknown figure {name!r}{hint}")


class GroupNotFigure(Exception):
    """``{{ roll }}``: a family or group of figures was printed instead of one figure."""

    def __init__(self, path: str, known: list[str]) -> None:
        inside = [key for key in known if key.startswith(f"{path}.")][:3]
        super().__init__(
            f"{path!r} is a group of figures, not a figure; name one, such as {', '.join(inside)}"
        )


class FigureNode:
    """One level of the dotted figure names. ``str()`` of a leaf is the figure's display.

    Only ``_``-prefixed attributes exist on the object itself, and the sandbox refuses
    those, so a template can reach figures and nothing else.
    """

    def __init__(self, path: str, used: dict[str, Figure], known: list[str]) -> None:
        self._path = path
        self._used = used
        self._known = known
        self._figure: Figure | None = None
        self._children: dict[str, FigureNode] = {}

    def _child(self, name: str) -> FigureNode:
        if name not in self._children:
            path = f"{self._path}.{name}" if self._path else name
            self._children[name] = FigureNode(path, self._used, self._known)
        return self._children[name]

    def __getattr__(self, name: str) -> FigureNode:
        if name.startswith("_"):
            raise AttributeError(name)
        child = self._children.get(name)
        if child is None:
            path = f"{self._path}.{name}" if self._path else name
            raise UnknownFigure(path, self._known)
        if child._figure is not None:
            self._used[child._figure.key] = child._figure
        return child

    def __getitem__(self, name: str) -> FigureNode:
        return self.__getattr__(str(name))

    def __str__(self) -> str:
        if self._figure is None:
            raise GroupNotFigure(self._path, self._known)
        return self._figure.display

    def __html__(self) -> str:  # markupsafe asks for this; the display is plain text
        return str(self)


def figure_tree(figures: Mapping[str, Figure], used: dict[str, Figure]) -> dict[str, FigureNode]:
    """The top-level names (``roll``, ``toc``, ``data`` ...) of a nested figure namespace."""
    known = list(figures)
    root = FigureNode("", used, known)
    for key, figure in figures.items():
        node = root
        for part in key.split("."):
            node = node._child(part)
        node._figure = figure
    return dict(root._children)


def environment() -> SandboxedEnvironment:
    from typing import Any

    from jinja2 import StrictUndefined
    from jinja2.exceptions import SecurityError
    from jinja2.runtime import Context
    from jinja2.sandbox import SandboxedEnvironment

    class FindingsSandbox(SandboxedEnvironment):
        """Also refuses arithmetic that could exhaust memory: ``'a' * 10**9``, ``9**9**9``,
        ``'%0999999999d' % 1``."""

        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
            if operator == "**":
                raise SecurityError("powers are not allowed in findings templates")
            if operator == "%" and isinstance(left, str):
                raise SecurityError("formatting text with % is not allowed in findings templates")
            if isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple)):
                raise SecurityError("repeating text is not allowed in findings templates")
            return super().call_binop(context, operator, left, right)

    # StrictUndefined makes the sandbox's refusals raise instead of printing blank text.
    env = FindingsSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()  # no range, cycler, joiner, lipsum or namespace: only figures
    env.filters.clear()
    env.filters.update(FILTERS)
    env.tests.clear()
    return env


@functools.lru_cache(maxsize=1)
def _shared_environment() -> SandboxedEnvironment:
    """One sandbox for every paragraph rendered (it holds no state of a render)."""
    return environment()


@functools.lru_cache(maxsize=2048)
def _compiled(text: str) -> tuple[Template | None, str]:
    """A paragraph's template, read and compiled once however often it is rendered (a
    report, a sync and every screen render the same paragraphs again); or None and why
    it is refused. Compiling errors are raised, not kept, and met again next time."""
    env = _shared_environment()
    tree, outside = read(text, env)
    if outside or tree is None:
        return None, outside or "template error"
    return env.from_string(tree), ""


def outside_the_language(text: str, env: SandboxedEnvironment | None = None) -> str | None:
    """Why a paragraph is refused whatever the figures: too long, a character no document
    can hold, no template, or outside the bounded language (``bounds``); None when it
    is not. ``check`` and the merge read stored paragraphs back through this (a
    figure this version does not know is the report's to name: a newer version's figure
    is no fault of the file)."""
    refused = bounds.text_refusal(text)
    if refused or "{" not in text:
        return refused
    if env is None:
        return _refusal(text)
    return read(text, env)[1]


@functools.lru_cache(maxsize=2048)
def _refusal(text: str) -> str | None:
    """Why a paragraph's template is refused in the shared sandbox, read once however
    often it is asked (``check``, the merge and every save read the same paragraphs)."""
    return read(text, _shared_environment())[1]


def read(text: str, env: SandboxedEnvironment) -> tuple[nodes.Template | None, str | None]:
    """A paragraph's template parsed, or why it is refused: the bounds its tokens show
    first (``bounds.lexed_refusal``, before the parser recurses or converts anything),
    then the parser, then the bounded language. Nothing it does raises: whatever the
    parser meets is a one-line refusal."""
    from jinja2 import TemplateSyntaxError

    try:
        refused = bounds.lexed_refusal(env, text)
        if refused:
            return None, refused
        tree = env.parse(text)
    except TemplateSyntaxError as error:
        return None, f"template error: {error.message}"
    except (RecursionError, MemoryError, ValueError, OverflowError) as error:
        # Past the bounds above nothing should reach here; a last line all the same.
        return None, f"template error: it cannot be read ({type(error).__name__})"
    return tree, bounds.refusal(tree)


@dataclass(frozen=True)
class Rendered:
    text: str
    figures: dict[str, Figure]  # the figures the paragraph used, by key


class Renderer:
    """Renders paragraphs against one computed set of figures."""

    def __init__(self, figures: Mapping[str, Figure]) -> None:
        self.figures = dict(figures)
        self._used: dict[str, Figure] = {}
        self._tree = figure_tree(self.figures, self._used)
        self._families = sorted({key.split(".")[0] for key in self.figures})

    def render(self, text: str, where: str) -> Rendered:
        """Render ``text``; ``where`` ("paragraph 3.39 (1.38)") starts every error message."""
        from jinja2 import TemplateSyntaxError, UndefinedError
        from jinja2.exceptions import SecurityError

        refused = bounds.too_long(text)
        if refused:
            raise FindingError(f"{where}: refused: {refused}")
        if "{" not in text:  # most paragraphs quote no figure: skip the parser
            return Rendered(text, {})
        self._used.clear()
        try:
            template, said = _compiled(text)
            if template is None:  # a template error says so; a bound refuses
                refused = "" if said.startswith("template error") else "refused: "
                raise FindingError(f"{where}: {refused}{said}")
            result = template.render(self._tree)
        except FindingError:
            raise
        except (UnknownFigure, GroupNotFigure) as error:
            raise FindingError(f"{where}: {error}") from None
        except SecurityError as error:
            raise FindingError(
                f"{where}: refused, templates may only use figures ({error})"
            ) from None
        except UndefinedError as error:
            raise FindingError(f"{where}: {self._undefined(error)}") from None
        except TemplateSyntaxError as error:
            raise FindingError(f"{where}: template error: {error.message}") from None
        except FilterError as error:
            raise FindingError(f"{where}: {error}") from None
        except Exception as error:  # anything else a template can provoke: one clean line
            raise FindingError(
                f"{where}: cannot render ({type(error).__name__}: {error})"
            ) from None
        much = bounds.too_much_output(result)
        if much:
            raise FindingError(f"{where}: refused: {much}")
        return Rendered(result, dict(self._used))

    def _undefined(self, error: Exception) -> str:
        # "'rol' is undefined": a top-level name that is no figure family.
        message = str(error)
        name = message.split("'")[1] if message.count("'") >= 2 else message
        if " is undefined" in message and name.isidentifier():
            return str(UnknownFigure(name, [*self._families, *self.figures]))
        return message
