"""Hand the visit back, sealed: the file to write (a USB stick, say), and whom it is
sealed for (the visit's recipients: the team leader's key). Enter writes it
(``api.sealing.handback``, what ``irp-field handback`` calls) in a thread; a refusal (no
one to seal for, a file already there) stays on the dialog; Escape closes it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from irp_field.api import sealing
from irp_field.api.outputs import default_folder, may_be_replaced
from irp_field.domain.errors import IrpError, NotWrittenError
from irp_field.domain.wording import handback_stem
from irp_field.tui.dialogs.confirm import ConfirmScreen
from irp_field.tui.widgets.path_field import PathField


def suggested_out(visit_path: Path, user: str) -> Path:
    """Named after the visit and whoever hands it back (hull-jade-richards.age) as the
    hand-out names their copy (``wording.handback_stem``), in the folder F12 offers:
    beside the visit, or the documents folder when the visit is kept in the data
    folder's visits/, where nothing but visits is written (it used to offer visits/
    itself, and refuse its own suggestion)."""
    return default_folder(visit_path) / f"{handback_stem(visit_path.stem, user)}.age"


class HandbackScreen(ModalScreen[Path | None]):
    DEFAULT_CSS = """
    HandbackScreen {
        align: center middle;
        #handback { width: 76; max-width: 100%; height: auto; border: thick $accent; padding: 1 2; }
        #handback Label, #handback Static { width: 100%; }
        #out { width: 100%; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, visit_path: Path, user: str, keys: list[str]) -> None:
        super().__init__()
        self.visit_path, self.user, self.keys = visit_path, user, keys

    def compose(self) -> ComposeResult:
        with Vertical(id="handback"):
            yield Label("Hand back this visit sealed, for the team leader's key only.")
            yield Static(self._whom(), id="whom")
            yield PathField(id="out", placeholder="the sealed file to write (e.g. a USB stick)")
            yield Static("Enter: seal and write   Escape: close", id="said")

    def _whom(self) -> Text:
        if not self.keys:
            return Text(
                "No one to seal for yet: add the team leader's key in set-up (s, then "
                "the Hand-back keys tab), or it arrives with their merge.",
                style="bold",
            )
        shown = ", ".join(f"{key[:12]}...{key[-6:]}" for key in self.keys)
        return Text(f"Sealed for {len(self.keys)} key(s): {shown}")

    def on_mount(self) -> None:
        out = self.query_one("#out", Input)
        out.value = str(suggested_out(self.visit_path, self.user))
        out.focus()

    @on(Input.Submitted, "#out")
    def _write(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            return
        out = self._named(event.value.strip())
        if not may_be_replaced(out, self.visit_path):
            self._seal(out, overwrite=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._seal(out, overwrite=True)

        self.app.push_screen(  # last night's hand-back on the stick: replaced when asked
            ConfirmScreen(
                f"{out.name} is already in {out.parent}. Replace it with this hand-back?",
                hint="y: replace it (written whole first)   n or Escape: keep it",
            ),
            answered,
        )

    def _named(self, typed: str) -> Path:
        """The file typed, or in a folder typed (a USB stick's "/media/usb/", one there
        already) the file named as offered: it was refused as "is a folder", and a
        folder not there yet ending in "/" was written as a file called "usb"."""
        out = Path(typed).expanduser()
        folder = typed.endswith(tuple(sep for sep in (os.sep, os.altsep) if sep))
        if folder or out.is_dir():
            return out / suggested_out(self.visit_path, self.user).name
        return out

    def _seal(self, out: Path, *, overwrite: bool) -> None:
        self.query_one("#said", Static).update("Sealing...")
        self.seal(out, overwrite)

    @work(thread=True, exclusive=True, group="handback")
    def seal(self, out: Path, overwrite: bool = False) -> None:
        try:
            sealed = sealing.handback(self.visit_path, out, open_here=True, overwrite=overwrite)
        except (IrpError, OSError) as error:
            why = str(error) if isinstance(error, NotWrittenError) else f"Not written: {error}"
            said = Text(why, style="bold")
            said.append("\nEnter: seal and write   Escape: close", style="not bold")
            self.app.call_from_thread(self.query_one("#said", Static).update, said)
            return
        self.app.call_from_thread(self._written, sealed)

    def _written(self, sealed: sealing.Sealed) -> None:
        self.app.notify(f"Sealed into {sealed.out} ({sealed.size:,} bytes).")
        self.dismiss(sealed.out)

    def action_close(self) -> None:
        self.dismiss(None)
