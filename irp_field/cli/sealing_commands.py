"""Sealed files for the journey: this installation's key, whom a visit is sealed for,
and the hand-back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from irp_field.cli.options import (
    OutPath,
    by_option,
    one_file,
    open_visit,
    visit_argument,
    visit_path,
)
from irp_field.cli.output import echo, json_option, print_json

F = TypeVar("F", bound=Callable[..., Any])


def passphrase_file_option(function: F) -> F:
    return click.option(
        "--passphrase-file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Read the passphrase of this installation's key from the first line of FILE "
        "(asked for otherwise, when the key has one).",
    )(function)


def read_passphrase(file: Path) -> str:
    from irp_field.domain.errors import IrpError

    with open(file, encoding="utf-8") as opened:
        first = opened.readline().rstrip("\r\n")
    if not first:
        raise IrpError(f"{file}: holds no passphrase on its first line")
    return first


def passphrase_to_open(file: Path | None, sources: list[Path]) -> str | None:
    """The passphrase, when a sealed file is to be opened with a protected key."""
    from irp_field.api.sealed_files import is_sealed

    if not any(is_sealed(p) for p in sources):  # the sealing is loaded only if needed
        return None
    from irp_field.api import sealing

    if not sealing.key_needs_passphrase():
        return None
    if file is not None:
        return read_passphrase(file)
    return str(click.prompt("Passphrase of this installation's key", hide_input=True, err=True))


@click.group("keys")
def keys_group() -> None:
    """This installation's key pair, which opens files sealed for it (the team leader's).

    The key is kept in the data folder (keys/, readable by you only); its public key is
    what inspectors' visits are sealed for.
    """


@keys_group.command("new")
@click.option(
    "--passphrase", "ask", is_flag=True, help="Protect the key with a passphrase (asked twice)."
)
@click.option(
    "--passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Protect the key with the passphrase on the first line of FILE.",
)
def keys_new_command(ask: bool, passphrase_file: Path | None) -> None:
    """Make this installation's key pair and print its public key (age1...).

    Refused when the installation has a key already. Without a passphrase the key is
    protected by the laptop's own login and disk encryption only.
    """
    from irp_field.api import sealing

    secret = None
    if passphrase_file is not None:
        secret = read_passphrase(passphrase_file)
    elif ask:
        secret = str(
            click.prompt(
                "Passphrase for the key", hide_input=True, confirmation_prompt=True, err=True
            )
        )
    pair = sealing.make_key(secret)
    protected = "protected by a passphrase" if pair.locked else "not protected by a passphrase"
    echo(f"Made this installation's key ({protected}): {pair.file}", err=True)
    echo("Its public key, for `irp-field recipients add VISIT KEY`:", err=True)
    echo(pair.public)


@keys_group.command("show")
def keys_show_command() -> None:
    """Print this installation's public key (age1...), to give to whoever seals for you."""
    from irp_field.api import sealing
    from irp_field.domain.errors import IrpError

    pair = sealing.key()
    if pair is None:
        raise IrpError("this installation has no key yet: `irp-field keys new` makes one")
    echo(pair.public)


@click.group("recipients")
def recipients_group() -> None:
    """Whom a visit's hand-back is sealed for: the team leader's public key, and perhaps
    the office's escrow key. They travel with the visit by merge."""


@recipients_group.command("add")
@visit_argument
@click.argument("key", metavar="KEY")
@by_option
def recipients_add_command(visit: str, key: str, user: str | None) -> None:
    """Seal VISIT's hand-backs for KEY (a public key, age1...) too."""
    from irp_field.api import sealing

    with open_visit(visit, user=user) as opened:
        added = sealing.add_recipient(opened, key)
        count = len(sealing.recipients(opened))
    echo(f"Hand-backs of this visit are sealed for {added} too ({count} key(s)).")


@recipients_group.command("remove")
@visit_argument
@click.argument("key", metavar="KEY")
@by_option
def recipients_remove_command(visit: str, key: str, user: str | None) -> None:
    """Stop sealing VISIT's hand-backs for KEY (the whole key, or its first characters)."""
    from irp_field.api import sealing

    with open_visit(visit, user=user) as opened:
        removed = sealing.remove_recipient(opened, key)
        count = len(sealing.recipients(opened))
    echo(f"No longer sealed for {removed} ({count} key(s) left).")


@recipients_group.command("list")
@visit_argument
@json_option
def recipients_list_command(visit: str, as_json: bool) -> None:
    """List the public keys VISIT's hand-backs are sealed for, one a line."""
    from irp_field.api import sealing

    with open_visit(visit, readonly=True) as opened:
        keys = sealing.recipients(opened)
    own = sealing.key()
    if as_json:
        mine = own.public if own is not None else None
        listed = [{"key": key, "this_installation": key == mine} for key in keys]
        print_json({"recipients": listed})
        return
    if not keys:
        echo("No one: add the team leader's key with `irp-field recipients add VISIT KEY`.")
    for key in keys:
        mine = "  (this installation's key)" if own is not None and own.public == key else ""
        echo(f"{key}{mine}")


def to_options(function: F) -> F:
    function = click.option(
        "--only-to",
        "only",
        is_flag=True,
        help="Seal for the --to keys alone, not for the visit's own recipients.",
    )(function)
    return click.option(
        "--to",
        "to",
        metavar="KEY",
        multiple=True,
        help="Seal for this public key (age1...) too; repeat for several.",
    )(function)


@click.command("handback")
@visit_argument
@click.option(
    "--out",
    type=OutPath(),
    required=True,
    help="The sealed file to write (e.g. on a USB stick: hull-jade-richards.age).",
)
@to_options
@click.option("--overwrite", is_flag=True, help="Replace --out if it exists (refused otherwise).")
def handback_command(
    visit: str, out: Path, to: tuple[str, ...], only: bool, overwrite: bool
) -> None:
    """Write VISIT sealed for the team leader (the visit's recipients), for the journey.

    Only a holder of a recipient's key can open it (`irp-field merge` on the team
    leader's laptop, or `age -d -i KEYFILE`); without one it reveals nothing but its
    size, and a changed byte is refused. Refused when the visit names no one to seal
    for (see `irp-field recipients`) and no --to is given.
    """
    from irp_field.api import sealing

    one_file(out, "the hand-back", lambda: f"{visit_path(visit).stem}.age")
    sealed = sealing.handback(visit_path(visit), out, to=to, only=only, overwrite=overwrite)
    echo(
        f"Sealed {visit_path(visit).name} into {sealed.out} ({sealed.size:,} bytes) for "
        f"{len(sealed.recipients)} key(s): "
        + ", ".join(f"{k[:12]}...{k[-6:]}" for k in sealed.recipients)
    )


COMMANDS = (keys_group, recipients_group, handback_command)
