"""A command whose reader stops reading (``irp-field figures hull --json | head``) ends
quietly, as a program ended by SIGPIPE does: it printed "Error: Broken pipe", as if the
person had done something wrong, and Python's last flush could add a second message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from irp_field.cli.options import PIPE_CLOSED


@pytest.mark.skipif(os.name != "posix", reason="a closed pipe is SIGPIPE's: POSIX")
@pytest.mark.parametrize("command", [["figures", "--json"], ["figures"], ["check"]])
def test_a_closed_pipe_ends_the_command_quietly(
    hull_path: Path, irp_home: Path, command: list[str]
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader gone before the first line: every write fails
    try:
        done = subprocess.run(
            [sys.executable, "-m", "irp_field", command[0], str(hull_path), *command[1:]],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env={**os.environ, "IRP_FIELD_HOME": str(irp_home)},
            cwd=irp_home,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr.decode()) == (PIPE_CLOSED, "")
