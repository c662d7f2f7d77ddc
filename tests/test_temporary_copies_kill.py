"""``kill -9`` during ``export --redact`` (issue 21, 4): it left
``irp-export-*/redacted-v.db`` in the system's temporary folder, a full unredacted copy
of the visit, 0644, never removed. Now the copy is made redacted, in the data folder's
tmp/ (owner only), and the next command removes what the killed export left.

The export is stopped where it holds its copy (a hook in the child process, never in
irp-field): when it first opens the copy as a visit file, and when it starts writing
the bundle; then killed with SIGKILL, so that no way out runs."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_export import _secrets

from irp_field.cli import main
from irp_field.core.visit_file import VisitFile

NOTE = "Officer Grimshaw-Ellery restrained the man in cell 12 by his neck"
MEMBER = "Ottoline Bracegirdle-Nwosu"

STALLED_EXPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path

    from irp_field.core.visit_file import VisitFile
    from irp_field.interchange import bundle

    ready, where, *args = sys.argv[1:]
    source = Path(args[1]).resolve()

    def hold():
        Path(ready).write_text("holding", encoding="utf-8")
        while True:  # until SIGKILL
            time.sleep(0.05)

    if where == "copy opened":
        real = VisitFile.open.__func__

        def opened(cls, path, **options):
            if Path(path).resolve() != source:
                hold()
            return real(cls, path, **options)

        VisitFile.open = classmethod(opened)
    else:
        bundle.write_bundle = lambda visit, folder: hold()

    from irp_field.cli import main

    main(args, prog_name="irp-field")
    """
)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.skipif(os.name != "posix", reason="kill -9 is POSIX")
@pytest.mark.parametrize("where", ["copy opened", "bundle started"])
def test_an_export_killed_mid_way_leaves_no_unredacted_copy_and_its_leftover_goes(
    hull_path: Path, tmp_path: Path, irp_home: Path, where: str
) -> None:
    with VisitFile.open(hull_path, user="Jade Richards") as visit, visit.transaction():
        visit.insert("note", {"text": NOTE, "tags": "restraint", "taken_at": "2022-03-15T10:00"})
        visit.insert("team_member", {"name": MEMBER, "role": "Inspector", "body": "HMIP"})
    system_temp = tmp_path / "system-temp"  # the child's system temporary folder
    system_temp.mkdir()
    ready = tmp_path / "ready"
    env = {**os.environ, "IRP_FIELD_HOME": str(irp_home), "TMPDIR": str(system_temp)}
    out = tmp_path / "shared-bundle"
    child = subprocess.Popen(
        [sys.executable, "-c", STALLED_EXPORT, str(ready), where, "export", str(hull_path),
         "--format", "bundle", "--out", str(out), "--redact"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120  # a hang guard, not an assertion about time
    while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ready.exists(), child.communicate(timeout=5) if child.poll() is not None else "hung"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    secrets = [NOTE, MEMBER, *(s for s in _secrets() if len(s) > 12)]
    for folder in (system_temp, irp_home):
        for path in _files(folder):
            data = path.read_bytes()
            assert [s for s in secrets if s.encode() in data] == [], path
    assert list(system_temp.iterdir()) == []  # nothing in the system's temporary folder
    left = list((irp_home / "tmp").iterdir())
    assert left, "the export was killed before it made its copy"
    for path in [irp_home / "tmp", *(irp_home / "tmp").rglob("*")]:
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path

    result = CliRunner().invoke(main, ["list"])  # the next command, whichever it is
    assert result.exit_code == 0, result.output
    assert list((irp_home / "tmp").iterdir()) == []
