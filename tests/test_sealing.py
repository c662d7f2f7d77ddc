"""Sealed files for the journey: an inspector's visit sealed for the team leader's key
(`irp-field handback`), carried on a USB stick, and merged on the team leader's laptop.

The team leader's installation is the test's own data folder; an inspector's, or a
stranger's, is another folder (IRP_FIELD_HOME). The system's temporary folder is the
test's own too, so that what a command leaves in it can be listed."""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from pathlib import Path

import pyrage
import pytest
from click.testing import CliRunner, Result
from merge_helpers import content, cp, file_hash
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from irp_field.cli import main
from irp_field.core import sound_files
from irp_field.core.visit_file import VisitFile

NOTE = "Mr Zebedee Quillfeather said the NEWS2 chart was left blank overnight"
MEMBER = "Philippa Marchbanks"


def run(*args: str | Path, home: Path | None = None, stdin: str | None = None) -> Result:
    env = {"IRP_FIELD_HOME": str(home)} if home is not None else None
    return CliRunner(env=env).invoke(main, [str(a) for a in args], input=stdin)


@pytest.fixture(autouse=True)
def private_system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, the test's own: what is left in it can be seen."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def leader_key(irp_home: Path) -> str:
    """The team leader's installation (the test's data folder) makes its key."""
    made = run("keys", "new")
    assert made.exit_code == 0, made.output
    return made.stdout.strip().splitlines()[-1]


@pytest.fixture
def jade(hull_path: Path, tmp_path: Path, leader_key: str) -> Path:
    """Jade's laptop file: the Hull visit, the leader's key named in it, a team member
    and a note of her own."""
    path = cp(hull_path, tmp_path / "jade.db")
    assert run("recipients", "add", path, leader_key).exit_code == 0
    (tmp_path / "team.csv").write_text(f"name,role,body\n{MEMBER},Inspector,HMIP\n")
    (tmp_path / "notes.csv").write_text(
        f"source,taken_at,author,text\nobservation,2022-03-14T10:00,{MEMBER},{NOTE}\n"
    )
    assert run("import", path, "team", tmp_path / "team.csv").exit_code == 0
    assert run("import", path, "notes", tmp_path / "notes.csv").exit_code == 0
    return path


@pytest.fixture
def sealed(jade: Path, tmp_path: Path) -> Path:
    """Jade's hand-back, written on her laptop (its own data folder)."""
    out = tmp_path / "stick" / "hull-jade.age"
    out.parent.mkdir()
    result = run("handback", jade, "--out", out, home=tmp_path / "jade-home")
    assert result.exit_code == 0, result.output
    return out


def _leader_identity(irp_home: Path) -> x25519.Identity:
    text = (irp_home / "keys" / "identity.txt").read_text()
    return x25519.Identity.from_str(next(x for x in text.splitlines() if x.startswith("AGE-")))


def _everything_under(*folders: Path) -> set[Path]:
    """Every file in the folders (the private scratch folder itself may stay, empty), but
    the installation's id, which any writer may make on its first write, and its memory
    of the visit files found sound (paths and sizes): no visit data."""
    return {
        p
        for folder in folders
        for p in folder.rglob("*")
        if not p.is_dir() and p.name not in ("installation-id", sound_files.RECORD_NAME)
    }


def _one_line(result: Result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


# -- what a sealed file gives away ----------------------------------------------------


def test_a_sealed_handback_holds_none_of_the_visit_text(
    jade: Path, sealed: Path, irp_home: Path
) -> None:
    held = sealed.read_bytes()
    plain = jade.read_bytes()
    assert NOTE.encode() in plain or MEMBER.encode() in plain  # the plain file gives them away
    for text in (NOTE, "Zebedee", MEMBER, "Marchbanks", "HMP Hull", "SQLite format 3"):
        assert text.encode() not in held and text.encode("utf-16-le") not in held, text
    assert held.startswith(b"age-encryption.org/v1\n")
    # ... and it is the visit: the leader's key opens it with the age library itself.
    opened = pyrage.decrypt(held, [_leader_identity(irp_home)])
    assert opened.startswith(b"SQLite format 3\x00") and NOTE.encode() in opened


def _merge_table(output: str) -> list[tuple[str, ...]]:
    """The merge's table as rows of cells (a file, its counts, its records in words),
    the records joined where they wrap."""
    rows: list[list[str]] = []
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        if len(cells) != 6 or cells[0] == "File":
            continue
        if cells[0]:
            rows.append(cells)
        else:
            rows[-1][5] = f"{rows[-1][5]} {cells[5]}"
    return [tuple(row) for row in rows]


def test_a_sealed_handback_merges_exactly_as_the_plain_file(
    jade: Path, sealed: Path, hull_path: Path, tmp_path: Path
) -> None:
    from_plain = cp(hull_path, tmp_path / "master-plain.db")
    from_sealed = cp(hull_path, tmp_path / "master-sealed.db")
    plain = run("merge", from_plain, jade)
    merged = run("merge", from_sealed, sealed)
    assert plain.exit_code == 0 and merged.exit_code == 0, merged.output
    assert content(from_sealed) == content(from_plain)
    # the same counts, each file's line naming the file as it was given (the sealed
    # file's line said 0, "nothing new": its counts were kept under the opened copy)
    assert _merge_table(merged.output) == [
        ("hull-jade.age", *counts) for _, *counts in _merge_table(plain.output)
    ]
    assert _merge_table(plain.output)[0][0] == "jade.db"
    with VisitFile.open(from_sealed, readonly=True) as master:
        texts = [r[0] for r in master.query("SELECT text FROM note WHERE deleted = 0")]
        event = master.one("SELECT new FROM change_log WHERE action = 'merge'")
    assert NOTE in texts
    assert event is not None and '"hull-jade.age"' in event[0]  # the file as it was given


def test_a_new_master_made_from_a_sealed_file_keeps_the_visit_and_its_keys(
    sealed: Path, tmp_path: Path, leader_key: str
) -> None:
    master = tmp_path / "master.db"
    result = run("merge", master, sealed)
    assert result.exit_code == 0, result.output
    assert "conflict" not in result.output  # the visit's details, keys and all, agree
    assert run("recipients", "list", master).output.split()[0] == leader_key


# -- refusals ------------------------------------------------------------------------


def test_a_sealed_file_is_refused_without_the_key(
    sealed: Path, hull_path: Path, tmp_path: Path
) -> None:
    stranger = tmp_path / "stranger-home"
    target = cp(hull_path, tmp_path / "master.db")
    before = file_hash(target)
    no_key = run("merge", target, sealed, home=stranger)
    assert no_key.exit_code == 1
    assert "hull-jade.age: is sealed, and this installation has no key" in _one_line(no_key)
    assert run("keys", "new", home=stranger).exit_code == 0
    other_key = run("merge", target, sealed, home=stranger)
    assert other_key.exit_code == 1
    line = _one_line(other_key)
    assert "hull-jade.age: sealed for another key; ask the team leader" in line
    assert "nothing was merged" in line
    assert file_hash(target) == before
    assert not list((stranger / "tmp").iterdir())


@pytest.mark.parametrize("where", ["header", "middle", "last byte"])
def test_a_sealed_file_with_one_byte_changed_is_refused(
    sealed: Path, hull_path: Path, tmp_path: Path, irp_home: Path, where: str
) -> None:
    data = bytearray(sealed.read_bytes())
    mac = data.index(b"\n--- ") + 6  # the header's MAC, which covers every line above it
    at = {"header": mac, "middle": len(data) // 2, "last byte": len(data) - 1}[where]
    data[at] ^= 0x01
    changed = sealed.with_name("hull-jade-changed.age")
    changed.write_bytes(bytes(data))
    target = cp(hull_path, tmp_path / "master.db")
    before = file_hash(target)
    result = run("merge", target, changed)
    assert result.exit_code == 1
    line = _one_line(result)
    assert line.startswith(f"Error: refused: {changed}: damaged or changed since it was sealed")
    assert line.endswith("nothing was merged")
    assert file_hash(target) == before
    assert not list((irp_home / "tmp").iterdir())  # the part opened before the fault


def test_a_sealed_file_of_another_visit_is_refused_naming_the_sealed_file(
    hull_path: Path, tmp_path: Path, leader_key: str, irp_home: Path
) -> None:
    made = run(
        "new", tmp_path / "leeds.db", "--establishment", "HMP Leeds", "--start", "2022-05-09",
        "--end", "2022-05-11", "--recipient", leader_key,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    sealed = tmp_path / "leeds.age"
    assert run("handback", tmp_path / "leeds.db", "--out", sealed).exit_code == 0
    result = run("merge", hull_path, sealed)
    assert result.exit_code == 1
    line = _one_line(result)
    assert f"{sealed} belongs to another visit" in line and "scratch" not in line
    assert not list((irp_home / "tmp").iterdir())


def test_a_sealed_file_over_the_cap_is_refused_and_nothing_stays(
    sealed: Path, hull_path: Path, tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from irp_field.interchange import sealing

    # A cap a tenth of the visit's size: the file's own size passes the first look
    # (under the bound the cap allows), so the written bytes are what stop it.
    cap = sealed.stat().st_size // 10
    monkeypatch.setattr(sealing, "PLAINTEXT_CAP", cap)
    monkeypatch.setattr(sealing, "sealed_size_bound", lambda cap: 10 * cap + 10**6)
    on_disk: list[int] = []  # the opened copy's size after each write that reached it
    real = sealing._Bounded.write

    def counted(self: sealing._Bounded, data: bytes) -> int:
        done = real(self, data)
        self.file.flush()
        on_disk.append(os.fstat(self.file.fileno()).st_size)
        return done

    monkeypatch.setattr(sealing._Bounded, "write", counted)
    result = run("merge", cp(hull_path, tmp_path / "master.db"), sealed)
    assert result.exit_code == 1
    assert "hull-jade.age: holds more than" in _one_line(result)
    assert on_disk and cap - 64 * 1024 < max(on_disk) <= cap  # up to the cap, never past it
    assert not list((irp_home / "tmp").iterdir())


def test_a_sealed_file_larger_than_the_cap_allows_is_refused_before_it_is_read(
    sealed: Path, hull_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from irp_field.interchange import sealing

    monkeypatch.setattr(sealing, "PLAINTEXT_CAP", 1000)
    opened: list[object] = []
    monkeypatch.setattr(sealing.pyrage, "decrypt_io", lambda *a: opened.append(a))
    result = run("merge", cp(hull_path, tmp_path / "master.db"), sealed)
    assert result.exit_code == 1 and "would hold more than" in _one_line(result)
    assert opened == []


# -- no plain copy left behind --------------------------------------------------------


def test_no_plain_copy_is_left_after_a_handback_a_merge_or_a_refusal(
    jade: Path, hull_path: Path, tmp_path: Path, irp_home: Path, private_system_temp: Path
) -> None:
    jade_home = tmp_path / "jade-home"
    folders = (irp_home, jade_home, private_system_temp)
    before = _everything_under(*folders)
    out = tmp_path / "hull-jade.age"
    assert run("handback", jade, "--out", out, home=jade_home).exit_code == 0
    assert _everything_under(*folders) == before
    target = cp(hull_path, tmp_path / "master.db")
    merged = run("merge", target, out)
    assert merged.exit_code == 0, merged.output
    backups = {p for p in _everything_under(irp_home) if "backups" in p.parts}
    assert _everything_under(*folders) - backups == before  # the snapshot of the master aside
    changed = bytearray(out.read_bytes())
    changed[len(changed) // 2] ^= 0x01
    out.write_bytes(bytes(changed))
    assert run("merge", target, out).exit_code == 1
    assert _everything_under(*folders) - backups == before
    assert not any(
        NOTE.encode() in p.read_bytes()
        for p in _everything_under(*folders)
        if p.is_file() and "backups" not in p.parts
    )


def test_no_plain_copy_stays_when_the_merge_is_interrupted(
    sealed: Path, hull_path: Path, tmp_path: Path, irp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from irp_field.replication import merge

    def interrupted(*args: object, **kwargs: object) -> None:
        assert list((irp_home / "tmp").iterdir())  # the opened copy is there, meanwhile
        raise KeyboardInterrupt

    monkeypatch.setattr(merge, "merge_visits", interrupted)
    result = run("merge", cp(hull_path, tmp_path / "master.db"), sealed)
    assert result.exit_code == 130
    assert not list((irp_home / "tmp").iterdir())


# -- the key -------------------------------------------------------------------------


def test_the_key_is_kept_private_and_made_once(irp_home: Path, leader_key: str) -> None:
    folder = irp_home / "keys"
    assert {p.name for p in folder.iterdir()} == {"identity.txt", "public.txt"}
    shown = run("keys", "show")
    assert shown.exit_code == 0 and shown.stdout.strip() == leader_key
    identity = _leader_identity(irp_home)
    assert str(identity.to_public()) == leader_key
    again = run("keys", "new")
    assert again.exit_code == 1 and "has a key already" in _one_line(again)
    assert str(_leader_identity(irp_home)) == str(identity)  # the key itself untouched
    if os.name == "posix":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for path in folder.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_keys_show_without_a_key_says_how_to_make_one() -> None:
    result = run("keys", "show")
    assert result.exit_code == 1 and "irp-field keys new" in _one_line(result)


@pytest.mark.slow  # age's scrypt: about a second and a half a passphrase, by design
def test_a_passphrase_protects_the_key(
    jade: Path, hull_path: Path, tmp_path: Path, irp_home: Path
) -> None:
    locked_home = tmp_path / "locked-home"
    secret = tmp_path / "passphrase.txt"
    secret.write_text("correct horse battery staple\n")
    made = run("keys", "new", "--passphrase-file", secret, home=locked_home)
    assert made.exit_code == 0, made.output
    key = made.stdout.strip()
    held = {p.name: p.read_bytes() for p in (locked_home / "keys").iterdir()}
    assert set(held) == {"identity.age", "public.txt"}
    assert not any(b"AGE-SECRET-KEY" in data for data in held.values())  # no secret in clear
    if os.name == "posix":
        for path in (locked_home / "keys").iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    # The identity file is age's own passphrase-sealed identity (`age -d -i identity.age`).
    inside = age_passphrase.decrypt(held["identity.age"], "correct horse battery staple")
    assert f"# public key: {key}".encode() in inside
    sealed = tmp_path / "for-locked.age"
    assert run("handback", jade, "--out", sealed, "--to", key, "--only-to").exit_code == 0
    target = cp(hull_path, tmp_path / "master.db")
    before = file_hash(target)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("correct horse\n")
    refused = run("merge", target, sealed, "--passphrase-file", wrong, home=locked_home)
    assert refused.exit_code == 1 and "wrong passphrase" in _one_line(refused)
    assert file_hash(target) == before
    asked = run("merge", target, sealed, home=locked_home, stdin="correct horse battery staple\n")
    assert asked.exit_code == 0, asked.output
    assert "Passphrase of this installation's key" in asked.output
    with VisitFile.open(target, readonly=True) as master:
        assert master.one("SELECT 1 FROM note WHERE text = ?", (NOTE,)) is not None


@pytest.mark.slow  # age's scrypt: about a second and a half a passphrase, by design
def test_keys_new_asks_for_the_passphrase_twice(irp_home: Path) -> None:
    mismatched = run("keys", "new", "--passphrase", stdin="one\ntwo\nthree\nthree\n")
    assert mismatched.exit_code == 0, mismatched.output
    assert "do not match" in mismatched.output.lower()
    data = (irp_home / "keys" / "identity.age").read_bytes()
    assert age_passphrase.decrypt(data, "three").startswith(b"# created:")
    with pytest.raises(pyrage.DecryptError):
        age_passphrase.decrypt(data, "two")


# -- whom to seal for ---------------------------------------------------------------


def test_handback_refuses_without_anyone_to_seal_for(hull_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "hull.age"
    result = run("handback", hull_path, "--out", out)
    assert result.exit_code == 1 and "names no one to seal for" in _one_line(result)
    assert not out.exists() and not list(tmp_path.glob(".*partial"))


def test_handback_to_a_key_given_and_only_to_it(
    jade: Path, tmp_path: Path, irp_home: Path, leader_key: str
) -> None:
    escrow = x25519.Identity.generate()
    out = tmp_path / "both.age"
    both = run("handback", jade, "--out", out, "--to", str(escrow.to_public()))
    assert both.exit_code == 0 and "for 2 key(s)" in both.output
    for identity in (escrow, _leader_identity(irp_home)):  # either key opens it
        assert NOTE.encode() in pyrage.decrypt(out.read_bytes(), [identity])
    only = tmp_path / "escrow.age"
    alone = run("handback", jade, "--out", only, "--to", str(escrow.to_public()), "--only-to")
    assert alone.exit_code == 0 and "for 1 key(s)" in alone.output
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(only.read_bytes(), [_leader_identity(irp_home)])
    # the last character changed (to another one: a key ending in "q" stayed whole once)
    mistyped = leader_key[:-1] + ("p" if leader_key.endswith("q") else "q")
    bad = run("handback", jade, "--out", tmp_path / "x.age", "--to", mistyped)
    assert bad.exit_code == 1 and "--to" in _one_line(bad)


def test_handback_refuses_an_existing_file_unless_overwrite_and_never_the_visit(
    jade: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hull-jade.age"
    out.write_bytes(b"yesterday's")
    refused = run("handback", jade, "--out", out)
    assert refused.exit_code == 1 and "already exists" in _one_line(refused)
    assert out.read_bytes() == b"yesterday's"
    assert run("handback", jade, "--out", out, "--overwrite").exit_code == 0
    assert out.read_bytes().startswith(b"age-encryption.org/v1")
    before = file_hash(jade)
    itself = run("handback", jade, "--out", jade, "--overwrite")
    assert itself.exit_code == 1 and "is the visit being read" in _one_line(itself)
    assert file_hash(jade) == before


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("age1notakey", "is not an age public key"),
        ("AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ", "secret key"),
        ("", "must not be empty"),
    ],
)
def test_a_key_that_is_no_public_key_is_refused_on_every_path(
    hull_path: Path, tmp_path: Path, key: str, said: str
) -> None:
    added = run("recipients", "add", hull_path, key)
    assert added.exit_code == 1 and said in _one_line(added)
    made = run(
        "new", tmp_path / "x.db", "--establishment", "HMP X", "--start", "2022-01-01",
        "--end", "2022-01-02", "--recipient", key,
    )  # fmt: skip
    assert made.exit_code == 1 and said in _one_line(made)
    assert not (tmp_path / "x.db").exists()
    bundle = tmp_path / "bundle"
    assert run("export", hull_path, "--format", "bundle", "--out", bundle).exit_code == 0
    toml = bundle / "visit.toml"
    # a hand edit of [visit], sealed again so that the manifest lets the rule be met
    toml.write_text(toml.read_text().replace("[visit]\n", f'[visit]\nrecipients = "{key}"\n'))
    assert run("bundle", "seal", bundle).exit_code == 0
    built = run("new", tmp_path / "y.db", "--from", bundle)
    assert (built.exit_code == 1) == bool(key.strip()), built.output  # none named is fine
    if key.strip():
        assert "[visit] recipients" in _one_line(built) and said in built.output


def test_a_key_mistyped_by_one_character_is_refused_as_age_refuses_it() -> None:
    from irp_field.domain.recipients import recipient_verdicts

    alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    for n in range(20):
        key = str(x25519.Identity.generate().to_public())
        assert recipient_verdicts(key) == (key, [])
        at = 4 + (n * 7) % (len(key) - 4)
        other = alphabet[(alphabet.index(key[at]) + 1 + n) % len(alphabet)]
        typo = key[:at] + other + key[at + 1 :]
        with pytest.raises(pyrage.RecipientError):
            x25519.Recipient.from_str(typo)
        assert recipient_verdicts(typo)[1], typo


def test_recipients_add_list_remove_and_travel_by_merge(
    hull_path: Path, tmp_path: Path, leader_key: str
) -> None:
    master = cp(hull_path, tmp_path / "master.db")
    laptop = cp(hull_path, tmp_path / "priya.db")
    escrow = str(x25519.Identity.generate().to_public())
    assert run("recipients", "add", master, leader_key).exit_code == 0
    assert run("recipients", "add", master, escrow.upper()).exit_code == 0  # capitals: the same
    twice = run("recipients", "add", master, escrow)
    assert twice.exit_code == 1 and "named already" in _one_line(twice)
    listed = run("recipients", "list", master).output.splitlines()
    assert listed == [f"{leader_key}  (this installation's key)", escrow]
    assert run("merge", laptop, master).exit_code == 0  # the master copied back to Priya
    assert run("recipients", "list", laptop).output.splitlines()[1] == escrow
    assert run("recipients", "remove", master, escrow[:12]).exit_code == 0
    assert run("recipients", "list", master).output.split() == [
        leader_key, "(this", "installation's", "key)"
    ]  # fmt: skip
    assert run("merge", laptop, master).exit_code == 0
    assert run("recipients", "list", laptop).output.split()[0:1] == [leader_key]
    assert escrow not in run("recipients", "list", laptop).output


def test_the_keys_travel_in_a_bundle(hull_path: Path, tmp_path: Path, leader_key: str) -> None:
    assert run("recipients", "add", hull_path, leader_key).exit_code == 0
    bundle = tmp_path / "bundle"
    assert run("export", hull_path, "--format", "bundle", "--out", bundle).exit_code == 0
    assert f'recipients = "{leader_key}"' in (bundle / "visit.toml").read_text()
    assert run("new", tmp_path / "again.db", "--from", bundle).exit_code == 0
    assert run("recipients", "list", tmp_path / "again.db").output.split()[0] == leader_key


def test_check_and_the_merge_refuse_a_stored_key_that_is_no_key(
    hull_path: Path, tmp_path: Path
) -> None:
    laptop = cp(hull_path, tmp_path / "laptop.db")
    conn = sqlite3.connect(laptop)
    with conn:
        conn.execute("UPDATE visit SET recipients = 'age1tampered', version = version || '9'")
    conn.close()
    checked = run("check", laptop)
    assert checked.exit_code == 1 and "age1tampered" in checked.output
    merged = run("merge", hull_path, laptop)
    assert merged.exit_code == 1
    assert "laptop.db: visit" in _one_line(merged) and "not an age public key" in merged.output


# -- sealed exports -----------------------------------------------------------------


def test_a_sealed_bundle_is_one_tar_for_the_visit_keys(
    jade: Path, tmp_path: Path, irp_home: Path, private_system_temp: Path
) -> None:
    import io
    import tarfile

    before = _everything_under(irp_home, private_system_temp)
    out = tmp_path / "hull-bundle.tar.age"
    result = run("export", jade, "--format", "bundle", "--out", out, "--sealed")
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert NOTE.encode() not in data and MEMBER.encode() not in data
    with tarfile.open(
        fileobj=io.BytesIO(pyrage.decrypt(data, [_leader_identity(irp_home)]))
    ) as tar:
        names = tar.getnames()
        notes = tar.extractfile("hull-bundle/notes.csv")
        assert notes is not None and NOTE in notes.read().decode()
        assert {m.uname for m in tar.getmembers()} == {""}
    assert "hull-bundle/visit.toml" in names
    assert _everything_under(irp_home, private_system_temp) == before
    again = run("export", jade, "--format", "bundle", "--out", out, "--sealed")
    assert again.exit_code == 1 and "already exists" in _one_line(again)


def test_a_sealed_export_without_anyone_to_seal_for_writes_nothing(
    hull_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hull.sqlite.tar.age"
    result = run("export", hull_path, "--format", "sqlite", "--out", out, "--sealed")
    assert result.exit_code == 1 and "names no one to seal for" in _one_line(result)
    assert not out.exists()
    assert (
        run("export", hull_path, "--format", "json", "--out", out, "--to", "age1x").exit_code == 1
    )


# -- the age tool opens what irp-field seals -------------------------------------


@pytest.mark.skipif(not __import__("shutil").which("age"), reason="the age tool is not installed")
def test_the_age_tool_opens_a_handback(sealed: Path, irp_home: Path, tmp_path: Path) -> None:
    import subprocess

    out = tmp_path / "opened.db"
    subprocess.run(
        ["age", "-d", "-i", str(irp_home / "keys" / "identity.txt"), "-o", str(out), str(sealed)],
        check=True,
    )
    with VisitFile.open(out, readonly=True) as visit:
        assert visit.one("SELECT 1 FROM note WHERE text = ?", (NOTE,)) is not None
