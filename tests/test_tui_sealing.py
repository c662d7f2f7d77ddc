"""Sealed files in the terminal UI: the Overview's `b` hands the visit back sealed, and
F9 merges sealed files (asking for the key's passphrase when it has one), or refuses
one for another key in one line."""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest
from click.testing import CliRunner
from merge_helpers import content, cp
from pyrage import x25519
from textual.widgets import DataTable, Input, Label, Static
from tui_helpers import hull_app, paste, settle

from irp_field.cli import main
from irp_field.core.visit_file import VisitFile
from irp_field.tui.dialogs.handback import HandbackScreen
from irp_field.tui.dialogs.passphrase import PassphraseScreen
from irp_field.tui.screens.merge import MergeScreen

NOTE = "Jade's note: the NEWS2 chart on the healthcare unit was blank"


def cli(*args: str | Path, home: Path | None = None) -> str:
    env = {"IRP_FIELD_HOME": str(home)} if home is not None else None
    result = CliRunner(env=env).invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _jade(hull_path: Path, tmp_path: Path, key: str) -> Path:
    jade = cp(hull_path, tmp_path / "jade.db")
    cli("recipients", "add", jade, key)
    with VisitFile.open(jade, user="Jade Richards") as visit, visit.transaction():
        visit.insert("note", {"taken_at": "2022-03-15T10:00", "text": NOTE})
    return jade


async def _merge_folder(pilot, stick: Path) -> MergeScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f9")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MergeScreen)
    await pilot.press("ctrl+l", "ctrl+a", "ctrl+k")
    await paste(pilot, str(stick))
    await pilot.press("enter")
    await settle(pilot)
    return screen


def _files(screen: MergeScreen) -> dict[str, list[str]]:
    table = screen.query_one("#files", DataTable)
    rows = [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]
    return {row[1]: row for row in rows}


async def test_the_overview_hands_the_visit_back_sealed(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    key = cli("keys", "new").strip()
    jade = _jade(hull_path, tmp_path, key)
    out = tmp_path / "stick" / "hull-jade.age"
    out.parent.mkdir()
    app = hull_app(jade)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HandbackScreen)
        assert "Sealed for 1 key(s)" in str(dialog.query_one("#whom", Static).render())
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(out))
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, HandbackScreen)
    identity = (irp_home / "keys" / "identity.txt").read_text().splitlines()[-1]
    held = out.read_bytes()
    assert NOTE.encode() not in held
    assert NOTE.encode() in pyrage.decrypt(held, [x25519.Identity.from_str(identity)])


@pytest.mark.parametrize("typed", ["{stick}/", "{stick}"], ids=["with its /", "without"])
async def test_a_folder_typed_for_the_handback_takes_the_file_named_as_offered(
    hull_path: Path, tmp_path: Path, irp_home: Path, typed: str
) -> None:
    """A USB stick's folder typed where the file goes: it was refused ("is a folder"),
    and a folder typed with its "/" that was not there became a file of its name."""
    key = cli("keys", "new").strip()
    jade = _jade(hull_path, tmp_path, key)
    stick = tmp_path / "stick"
    stick.mkdir()
    app = hull_app(jade)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HandbackScreen)
        offered = Path(dialog.query_one("#out", Input).value).name
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, typed.format(stick=stick))
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, HandbackScreen)
    assert offered == "jade-jade-richards.age"
    assert [p.name for p in stick.iterdir()] == [offered]
    assert NOTE.encode() not in (stick / offered).read_bytes()


async def test_the_overview_says_why_a_handback_is_not_written(
    hull_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hull.age"
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HandbackScreen)
        assert "No one to seal for yet" in str(dialog.query_one("#whom", Static).render())
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(out))
        await pilot.press("enter")
        await settle(pilot)
        said = str(dialog.query_one("#said", Static).render())
        assert "Not written" in said and "names no one to seal for" in said
        assert app.screen is dialog
    assert not out.exists()


async def test_f9_merges_a_sealed_file_as_the_cli_merges_the_plain_one(
    hull_path: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "passphrase.txt"
    secret.write_text("a long walk on B wing\n")
    key = cli("keys", "new", "--passphrase-file", secret).strip()
    jade = _jade(hull_path, tmp_path, key)
    stick = tmp_path / "stick"
    stick.mkdir()
    cli("handback", jade, "--out", stick / "hull-jade.age", home=tmp_path / "jade-home")
    by_cli = cp(hull_path, tmp_path / "by-cli.db")
    cli("merge", by_cli, jade)
    leader = cp(hull_path, tmp_path / "leader.db")
    app = hull_app(leader)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _merge_folder(pilot, stick)
        row = _files(screen)["hull-jade.age"]
        assert row[0] == "[x]" and row[3] == "sealed: opened at the merge"
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, PassphraseScreen)
        await pilot.press(*"a long walk on B wing", "enter")
        await settle(pilot)
        outcome = str(screen.query_one("#outcome", Static).render())
        assert "Merged 1 file(s) into leader.db" in outcome
    assert content(leader) == content(by_cli)


async def test_f9_refuses_a_file_sealed_for_another_key_in_one_line(
    hull_path: Path, tmp_path: Path
) -> None:
    cli("keys", "new")
    someone_else = cli("keys", "new", home=tmp_path / "other-home").strip()
    jade = _jade(hull_path, tmp_path, someone_else)
    stick = tmp_path / "stick"
    stick.mkdir()
    cli("handback", jade, "--out", stick / "hull-jade.age")
    leader = cp(hull_path, tmp_path / "leader.db")
    before = content(leader)
    app = hull_app(leader)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _merge_folder(pilot, stick)
        await pilot.press("ctrl+e")
        await settle(pilot)
        outcome = str(screen.query_one("#outcome", Static).render())
        assert "hull-jade.age: sealed for another key; ask the team leader" in outcome
    assert content(leader) == before


async def test_set_up_names_the_keys_hand_backs_are_sealed_for(hull_path: Path) -> None:
    from irp_field.api import sealing
    from irp_field.tui.dialogs.confirm import ConfirmScreen
    from irp_field.tui.screens.setup import SetupScreen

    own = cli("keys", "new").strip()
    escrow = str(x25519.Identity.generate().to_public())
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t", "ctrl+t")
        await settle(pilot)
        # Keys are pasted, as people give them (typed key by key they took 19 s here).
        # Mistyped in its last character: refused beside the field.
        await paste(pilot, own[:-1] + ("p" if own.endswith("q") else "q"))
        await pilot.press("enter")
        await settle(pilot)
        assert "not a whole age public key" in str(
            screen.query_one("#reason-keys-key", Label).render()
        )
        assert sealing.recipients(app.visit) == []
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, own)
        await pilot.press("enter")
        await settle(pilot)
        await paste(pilot, escrow)
        await pilot.press("enter")
        await settle(pilot)
        assert sealing.recipients(app.visit) == [own, escrow]
        table = screen.query_one("#keys-table", DataTable)
        assert [str(c) for c in table.get_row_at(0)] == [own, "this laptop's"]
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert sealing.recipients(app.visit) == [own]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert sealing.recipients(app.visit) == [own, escrow]


async def test_the_handback_offers_a_file_it_may_write_for_a_visit_kept_in_visits(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    """A visit kept in the data folder's visits/ (as `demo` and `new` keep it): the
    dialog's own suggestion is outside visits/ and Enter writes it (walked: it offered
    visits/ itself, then refused it with "Not written: Not written: ...")."""
    key = cli("keys", "new").strip()
    kept = irp_home / "visits" / "hull.db"
    kept.parent.mkdir(parents=True, exist_ok=True)
    jade = cp(_jade(hull_path, tmp_path, key), kept)
    app = hull_app(jade)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HandbackScreen)
        offered = Path(dialog.query_one("#out", Input).value)
        assert offered.parent != kept.parent and offered.name.startswith("hull-")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, HandbackScreen)
    assert offered.exists() and NOTE.encode() not in offered.read_bytes()


async def test_a_handback_onto_last_nights_file_asks_and_replaces_only_on_yes(
    hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    key = cli("keys", "new").strip()
    jade = _jade(hull_path, tmp_path, key)
    out = tmp_path / "stick" / "hull-jade.age"
    out.parent.mkdir()
    out.write_bytes(b"last night's hand-back")
    app = hull_app(jade)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(out))
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is dialog and out.read_bytes() == b"last night's hand-back"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, HandbackScreen)
    identity = (irp_home / "keys" / "identity.txt").read_text().splitlines()[-1]
    assert NOTE.encode() in pyrage.decrypt(out.read_bytes(), [x25519.Identity.from_str(identity)])


async def test_a_refused_handback_says_why_once_and_keeps_the_keys_line(
    hull_path: Path, tmp_path: Path
) -> None:
    app = hull_app(hull_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert "set-up" in str(dialog.query_one("#whom", Static).render())
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(hull_path))  # the visit itself
        await pilot.press("enter")
        await settle(pilot)
        said = str(dialog.query_one("#said", Static).render())
        assert said.count("Not written") == 1, said
        assert "Enter: seal and write" in said
