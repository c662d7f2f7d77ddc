"""Report parts (F11): everything a report has besides the findings, in the order it
prints: the Chief Inspector's summary (1.1, ...), Figure 1's previous outcomes, notable
positive practice, the standing texts (the signature, Appendix I, the back page ...) and
the glossary. Enter edits the highlighted one below, with a preview as you type; ctrl+n
adds one to its group; Delete deletes it (a standing text goes back to its default); f
shows a paragraph's photographs.

Every write goes through ``api.report_parts`` (what the ``summary``, ``parts``,
``glossary`` and ``outcomes`` commands call); the view is re-read in a thread after it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static, TextArea

from irp_field.api import report_parts
from irp_field.api.findings import Renderer
from irp_field.api.unsaved import Typed
from irp_field.api.views.report_parts import PartsView, read_view
from irp_field.domain.errors import IrpError
from irp_field.tui.base.visit_screen import VisitScreen
from irp_field.tui.dialogs.attachments import AttachmentsScreen, AttachTo
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.widgets.key_line import KeyLine
from irp_field.tui.widgets.shown_whole import ShownWhole
from irp_field.tui.widgets.table import Table

GROUPS = {
    "summary": "Section 1: the Chief Inspector's summary",
    "outcome": "Figure 1: the previous inspections' healthy prison outcomes",
    "practice": "Notable positive practice (Section 2)",
    "part": "Standing texts (signature, Appendix I, back page)",
    "term": "Glossary (Appendix II: printed when the report uses a term)",
}
GROUP_WORDS = {
    "summary": "summary paragraph", "practice": "paragraph of notable positive practice",
    "outcome": "previous outcome", "part": "standing text", "term": "glossary term",
}  # fmt: skip
HINTS = {
    "summary": "A paragraph; {{ figure.names }} as in findings. A * marks one out of date "
    "with its figures (ctrl+g on F7 syncs them all).",
    "practice": "A paragraph of notable positive practice; figures as in findings.",
    "outcome": "YEAR, TEST, JUDGEMENT, such as: 2021, Safety, Not sufficiently good",
    "term": "The term on the first line, its definition below; a last line "
    "'matches: a; b' lists other words that count as a use.",
    "part": "Paragraphs separated by a blank line; '- ' starts a list line; "
    "{{ visit.month }}, {{ visit.year }} and figures may be quoted.",
}


def _first_line(text: str, width: int = 90) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else f"{line[: width - 1]}…"


PART_WIDTH = 22  # characters of a part's name in the list (the line below names it whole)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class ReportPartsScreen(VisitScreen):
    """Enter edits the highlighted part; ctrl+s saves it."""

    TITLE = "Report parts"
    DEFAULT_CSS = """
    ReportPartsScreen {
        #parts { height: 1fr; }
        #bottom { height: auto; }
        #about { height: auto; padding: 0 1; color: $text-muted; }
        #editor { height: 6; }
        #whole { max-height: 4; }
        #preview { height: auto; padding: 0 1; color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+n", "new", "New"),
        Binding("delete", "delete", "Delete / reset"),
        Binding("P", "purge", "Purge a paragraph or term for good (cannot be undone)", show=False),
        Binding("f", "attachments", "Photographs"),
        Binding("shift+up", "move(-1)", "Move up"),
        Binding("shift+down", "move(1)", "Move down"),
        Binding("escape", "close_editor", "Close editor", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: PartsView | None = None
        self.renderer: Renderer | None = None
        self.editing: tuple[str, str] | None = None  # (kind, key); key '' for a new one
        self.rows: dict[str, tuple[str, str]] = {}  # row key -> (kind, key)
        self.new_one = ""  # the new one in the editor (a save waiting for the file)
        self._opened_with = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Table(id="parts", cursor_type="row", fit=True)  # never past its edge
        with Vertical(id="bottom"):
            yield Static("Loading the report's parts...", id="about")
            yield TextArea(id="editor", placeholder="Enter on a part edits it here")
            with ShownWhole(id="whole"):  # scrolls: a long paragraph's end can be reached
                yield Static(id="preview")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#parts", DataTable).add_columns("Part", "Text (as the report prints it)")
        self.load_view()

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.load_view()

    def load_view(self) -> None:
        self.load(read_view, then=self.show_view, group="parts")

    def _rows(self, view: PartsView) -> list[tuple[str, str, str, Text | str]]:
        """(kind, key, label, text) per row, group headings (kind 'group') included."""
        rows: list[tuple[str, str, str, Text | str]] = []
        for kind in GROUPS:
            rows.append(("group", kind, GROUPS[kind], ""))
            if kind in ("summary", "practice"):
                rows += [
                    (
                        kind,
                        p.paragraph.finding.id,
                        f"{'*' if p.stale else ' '}{p.paragraph.number}",  # *: out of date
                        Text(_first_line(p.text)),
                    )
                    for p in view.paragraphs
                    if p.paragraph.unit == kind and p.paragraph.finding is not None
                ]
            elif kind == "outcome":
                rows += [
                    (
                        "outcome",
                        f"{o.year}|{o.test}",
                        f"Figure 1, {o.year}",
                        f"{o.test}: {o.judgement}",
                    )
                    for o in view.outcomes
                ]
            elif kind == "part":
                rows += [
                    (
                        "part",
                        p.key,
                        p.key,
                        Text(("" if p.own else "(default) ") + self._shown(p.text)),
                    )
                    for p in view.parts
                ]
            else:
                rows += [
                    ("term", t.term, "Glossary", Text(_first_line(f"{t.term}: {t.definition}")))
                    for t in view.glossary
                ]
        return rows

    def _shown(self, text: str) -> str:
        """A standing text as the report prints it (as written, if it cannot render)."""
        if self.renderer is not None:
            with contextlib.suppress(IrpError):
                text = self.renderer.render(text, "this text").text
        return _first_line(text)

    def show_view(self, view: PartsView) -> None:
        self.view = view
        self.renderer = Renderer(view.figures)
        table = self.query_one("#parts", DataTable)
        chosen = table.cursor_row
        table.clear()
        self.rows = {}
        for kind, key, label, text in self._rows(view):
            row_key, twin = f"{kind}:{key}", 1
            while row_key in self.rows:  # two records of one term (a file edited by hand)
                twin += 1
                row_key = f"{kind}:{key}#{twin}"
            self.rows[row_key] = (kind, key)
            if kind == "group":
                table.add_row("", Text(label, style="bold underline"), key=row_key)
            else:
                table.add_row(_cut(label, PART_WIDTH), text, key=row_key)
        table.move_cursor(row=min(max(chosen, 0), table.row_count - 1))
        self._describe()

    def highlighted(self) -> tuple[str, str] | None:
        table = self.query_one("#parts", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.rows.get(str(row_key.value))

    @on(DataTable.RowHighlighted, "#parts")
    def _describe(self) -> None:
        found = self.highlighted()
        about = self.query_one("#about", Static)
        if found is None or self.view is None:
            return
        kind, key = found
        if kind == "part":
            part = next(p for p in self.view.parts if p.key == key)
            own = "this visit's own text" if part.own else "the default text"
            about.update(Text(f"{part.about} ({own}). {HINTS['part']}"))
        elif kind == "group":
            about.update(Text(f"{GROUPS[key]}. Enter or ctrl+n adds one. {HINTS[key]}"))
        else:
            about.update(Text(HINTS[kind]))

    # -- editing ------------------------------------------------------------------------

    def text_of(self, kind: str, key: str) -> str:
        assert self.view is not None
        if kind in ("summary", "practice"):
            shown = next(
                p
                for p in self.view.paragraphs
                if p.paragraph.finding and p.paragraph.finding.id == key
            )
            assert shown.paragraph.finding is not None
            return shown.paragraph.finding.text
        if kind == "part":
            return next(p.text for p in self.view.parts if p.key == key)
        if kind == "term":
            term = next(t for t in self.view.glossary if t.term == key)
            also = f"\nmatches: {'; '.join(term.matches)}" if term.matches else ""
            return f"{term.term}\n{term.definition}{also}"
        year, test = key.split("|", 1)
        judged = next(o.judgement for o in self.view.outcomes if (o.year, o.test) == (year, test))
        return f"{year}, {test}, {judged}"

    @on(DataTable.RowSelected, "#parts")
    def _edit(self) -> None:
        found = self.highlighted()
        if found is None:
            return
        kind, key = found

        def edit() -> None:
            if kind == "group":
                self.editing = (key, "")
                self.new_one = uuid.uuid4().hex
                self._open_editor("")
                return
            self.editing = (kind, key)
            self._open_editor(self.text_of(kind, key))

        doing = (
            "Start a new one" if kind == "group" else f"Open the {GROUP_WORDS.get(kind, 'text')}"
        )
        self.unless_typing_lost(edit, doing)

    def action_new(self) -> None:
        found = self.highlighted()
        if found is None:
            return
        kind = found[1] if found[0] == "group" else found[0]
        if kind == "part":
            self.notify("The standing texts are fixed: Enter edits one.", severity="warning")
            return

        def start() -> None:
            self.editing = (kind, "")
            self.new_one = uuid.uuid4().hex  # this new one, saved twice: still one
            self._open_editor("")
            self.query_one("#about", Static).update(Text(f"New: {HINTS[kind]}"))

        self.unless_typing_lost(start, "Start a new one")

    def _open_editor(self, text: str) -> None:
        self._opened_with = text  # what it said when opened: typed over since?
        editor = self.query_one("#editor", TextArea)
        editor.load_text(text)
        editor.move_cursor(editor.document.end)
        editor.focus()

    @on(TextArea.Changed, "#editor")
    def _preview(self) -> None:
        text = self.query_one("#editor", TextArea).text
        preview = self.query_one("#preview", Static)
        kind = self.editing[0] if self.editing else ""
        if not text.strip() or self.renderer is None or kind not in ("summary", "practice", "part"):
            preview.update("")
            return
        try:
            preview.update(Text("Preview: " + self.renderer.render(text, "this text").text))
        except IrpError as error:
            preview.update(Text(f"Will not render: {error}", style="bold"))

    def form_typed(self) -> str | None:
        """A part typed in the editor and not saved (ctrl+s)."""
        if not self.is_mounted or self.editing is None:
            return None
        if self.query_one("#editor", TextArea).text.strip() == self._opened_with.strip():
            return None
        kind, key = self.editing
        return f"F11: {'a new ' if not key else 'the '}{GROUP_WORDS.get(kind, 'text')}"

    def action_close_editor(self) -> None:
        if self.query_one("#editor", TextArea).has_focus:
            self.query_one("#parts", DataTable).focus()

    def action_save(self) -> None:
        """Save the editor's text (``api.report_parts.write_typed``); while the file is
        busy it waits, kept (``tui.unsaved``), and the editor empties once it is saved."""
        editor = self.query_one("#editor", TextArea)
        if self.editing is None:
            self.notify("Enter on a part edits it; ctrl+n starts a new one.", severity="warning")
            return
        kind, key = self.editing
        text = editor.text
        what = f"the {GROUP_WORDS[kind]}" + (
            f" {key.replace('|', ' ')}" if kind in ("part", "term", "outcome") and key else ""
        )
        typed = Typed(
            f"report_part:{kind}:{key or 'new:' + self.new_one}", "report_part", what,
            {"kind": kind, "key": key, "text": text}, (("Text", text),),
        )  # fmt: skip

        def then(said: object) -> None:
            self.notify(str(said))
            self.editing = None
            editor.load_text("")
            self.query_one("#parts", DataTable).focus()
            self.load_view()

        def after(said: object) -> None:
            """Saved once the file was free, the editor typed on meanwhile: the record
            it wrote is what the editor goes on editing (a new paragraph saved again
            must not be added twice)."""
            written = getattr(said, "key", "")
            if not key and self.editing == (kind, "") and self.new_one == opened and written:
                self.editing = (kind, written)

        opened = self.new_one
        self.save_typed(typed, then, after=after)

    # -- deleting, moving, photographs --------------------------------------------------

    def _ask(self, question: str, then: Callable[[], object]) -> None:
        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                then()
            except IrpError as error:
                self.notify(str(error), severity="error")
                return
            self.load_view()

        self.app.push_screen(ConfirmScreen(question, hint="y: yes   n or Escape: no"), answered)

    def action_delete(self) -> None:
        found = self.highlighted()
        if found is None or found[0] == "group" or self.query_one("#editor", TextArea).has_focus:
            return
        kind, key = found
        visit = self.irp.visit
        if kind in ("summary", "practice"):
            self._ask(
                "Delete this paragraph? (Later paragraphs are renumbered.)",
                lambda: report_parts.delete_paragraph(visit, key),
            )
        elif kind == "part":
            self._ask(
                f"Put {key} back to the text irp-field ships?",
                lambda: report_parts.reset_part(visit, key),
            )
        elif kind == "term":
            self._ask(
                f"Take {key} out of the glossary?", lambda: report_parts.delete_term(visit, key)
            )
        else:
            year, test = key.split("|", 1)
            self._ask(
                f"Take {year} {test} out of Figure 1?",
                lambda: report_parts.delete_outcome(visit, year, test),
            )

    def action_purge(self) -> None:
        """A summary paragraph's or a glossary term's text removed for good, once the
        person has said why and typed the word."""
        from irp_field.tui.dialogs.purge import purge_chosen

        found = self.highlighted()
        if found is None or self.query_one("#editor", TextArea).has_focus:
            return
        kind, key = found
        if kind in ("summary", "practice"):
            purge_chosen(self, "summary", key, "this paragraph", self.load_view)
        elif kind == "term":
            purge_chosen(self, "glossary", key, f"the glossary term {key}", self.load_view)
        else:
            self.notify("Only a paragraph or a glossary term is purged here.")

    def action_move(self, step: int) -> None:
        found = self.highlighted()
        if found is None or found[0] not in ("summary", "practice"):
            return
        try:
            moved = report_parts.move_paragraph(self.irp.visit, found[1], step)
        except IrpError as error:
            self.notify(str(error), severity="error")
            return
        if moved is not None:
            table = self.query_one("#parts", DataTable)
            table.move_cursor(row=table.cursor_row + step)
            self.load_view()

    def action_attachments(self) -> None:
        found = self.highlighted()
        if found is None or found[0] not in ("summary", "practice") or self.view is None:
            self.notify("Photographs go with a paragraph: choose one of 1.1, 1.2 ... first.")
            return
        number = next(
            p.paragraph.number
            for p in self.view.paragraphs
            if p.paragraph.finding and p.paragraph.finding.id == found[1]
        )
        self.app.push_screen(
            AttachmentsScreen(AttachTo(f"paragraph {number}", paragraph=found[1])),
            lambda _: self.load_view(),
        )
