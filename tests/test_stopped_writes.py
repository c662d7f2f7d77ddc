"""An output stopped by a signal that asks a program to stop (SIGTERM: a polite kill or
a shutdown; SIGHUP: the terminal closed) leaves nothing beside its destination. Python
obeyed both at once, so an export's temporary name (a copy of the evidence, on a USB
stick) stayed until the next export into that folder swept it; now they are taken as
Ctrl-C is while an output is written, and every ``finally`` removes what it began."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from irp_field.core import staging
from irp_field.domain.errors import Ended

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="SIGHUP and os.kill's signals")
STOPPING = ["SIGTERM"] + (["SIGHUP"] if hasattr(signal, "SIGHUP") else [])


def _left(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir())


@pytest.fixture
def own_handlers() -> Iterator[dict[int, object]]:
    """This test's own handlers for the stopping signals, set first and put back after:
    the test asserts they are the ones there after the write."""
    mine = {getattr(signal, name): (lambda number, frame: None) for name in STOPPING}
    before = {number: signal.signal(number, handler) for number, handler in mine.items()}
    try:
        yield mine
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


@POSIX_ONLY
@pytest.mark.parametrize("name", STOPPING)
def test_a_signal_mid_write_removes_the_temporary_name(
    tmp_path: Path, name: str, own_handlers: dict[int, object]
) -> None:
    out = tmp_path / "hull.xlsx"
    number = getattr(signal, name)
    with pytest.raises(Ended) as ended, staging.staged() as staged:
        staged.file(out).write_bytes(b"evidence about people in prison")
        assert len(_left(tmp_path)) == 1  # the temporary name, there while it is written
        os.kill(os.getpid(), number)
    assert (ended.value.signal_number, ended.value.signal_name) == (number, name)
    assert _left(tmp_path) == []
    assert signal.getsignal(number) is own_handlers[number]  # put back as it was


@POSIX_ONLY
def test_a_signal_as_a_file_is_replaced_leaves_the_file_as_it_was(
    tmp_path: Path, own_handlers: dict[int, object]
) -> None:
    out = tmp_path / "manifest.json"
    out.write_bytes(b"before")
    real_sync = staging.sync_file

    def stopped_while_flushing(path: Path) -> None:
        real_sync(path)
        os.kill(os.getpid(), signal.SIGTERM)

    staging.sync_file = stopped_while_flushing  # type: ignore[assignment]
    try:
        with pytest.raises(Ended):
            staging.replace_file(out, b"after")
    finally:
        staging.sync_file = real_sync  # type: ignore[assignment]
    assert (_left(tmp_path), out.read_bytes()) == (["manifest.json"], b"before")


def test_a_worker_thread_writes_with_the_handlers_it_found(
    own_handlers: dict[int, object],
) -> None:
    seen: list[object] = []

    def write() -> None:
        with staging.ended_as_interrupted():
            seen.extend(signal.getsignal(number) for number in own_handlers)

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    assert seen == list(own_handlers.values())  # a thread cannot set a signal's handler


# The export, stopped as its files are published: a wrapper ends it with SIGTERM at the
# last moment a temporary name holds the whole export, without racing a timer.
_STOPPED_EXPORT = """
import os, signal, sys
from irp_field.core import staging
publish = staging.Staging.publish
def stopped(self):
    os.kill(os.getpid(), signal.SIGTERM)
    publish(self)
staging.Staging.publish = stopped
from irp_field.cli import main
sys.argv = ["irp-field", *sys.argv[1:]]
main()
"""


@POSIX_ONLY
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_an_export_stopped_by_sigterm_says_so_and_leaves_nothing(
    hull_path: Path, irp_home: Path, tmp_path: Path, export_format: str
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    out = usb / f"hull.{export_format}"
    command = ["export", str(hull_path), "--format", export_format, "--out", str(out)]
    done = subprocess.run(
        [sys.executable, "-c", _STOPPED_EXPORT, *command],
        capture_output=True,
        text=True,
        env={**os.environ, "IRP_FIELD_HOME": str(irp_home)},
        cwd=irp_home,
        timeout=300,
        check=False,
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "Stopped by SIGTERM: nothing was written."
    assert "Traceback" not in done.stderr
    assert _left(usb) == []
