"""A bundle's manifest: each file irp-field reads, with its size and SHA-256.

A bundle cut short (a disk filling up, a kill part-way, a copy to a USB stick pulled
out too soon) must not build a visit that looks whole: an empty ``notes.csv`` reads as
a visit without notes. So an export writes ``manifest.json`` last, from the files as
they are on the disk (read back after writing, never from what it meant to write), and
``new --from`` refuses a bundle whose files differ from it, naming the file: a file
missing or added, a size or a digest that differs.

It is a check against damage, not a signature: anyone who edits a bundle can write a
matching manifest (``irp-field bundle seal``), and the rules of an import still judge
every row. Files irp-field never reads (a README beside the data) are neither listed
nor checked, so they may be edited freely.

The format (docs/bundles.md)::

    {
     "irp_field_bundle_manifest": 1,
     "about": "...",
     "files": [
      {"path": "attachments.csv", "size": 123, "sha256": "9f86d0..."},
      ...
     ]
    }

Reading one is bounded like every file of a bundle: at most 4 MB
(``bundle_files.CAPS``), at most ``bundle_files.MAX_ENTRIES`` files listed, each path a
file a bundle may hold and each size within that file's cap, so checking a bundle
reads no more than building it does.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path, PurePosixPath
from typing import Any

from irp_field.core import staging
from irp_field.domain.errors import IrpError
from irp_field.interchange import bundle_files

MANIFEST_FILE = "manifest.json"
VERSION = 1
ABOUT = (
    "Each file of this bundle that irp-field reads, with its size in bytes and SHA-256, "
    "written last: 'irp-field new --from' refuses the bundle if a file differs. A check "
    "against damage (a file cut short, an unfinished copy), not a signature. After "
    "editing the bundle by hand, run 'irp-field bundle seal FOLDER'."
)
_SHA256 = re.compile(r"[0-9a-f]{64}")
Listing = dict[PurePosixPath, tuple[int, str]]  # place in the bundle -> (size, sha256)


def listed_places(files: dict[PurePosixPath, int]) -> list[PurePosixPath]:
    """The files a manifest lists: every file of the bundle irp-field reads, but itself."""
    return sorted(
        place
        for place in files
        if bundle_files.cap_of(place) is not None and str(place) != MANIFEST_FILE
    )


def manifest_text(listing: Listing) -> str:
    """The manifest: one file a line, in the order of their places, so it diffs well."""
    lines = [
        json.dumps({"path": str(place), "size": size, "sha256": sha256})
        for place, (size, sha256) in sorted(listing.items())
    ]
    files = ",\n  ".join(lines)
    return (
        "{\n"
        f' "irp_field_bundle_manifest": {VERSION},\n'
        f' "about": {json.dumps(ABOUT)},\n'
        f' "files": [{chr(10) + "  " + files + chr(10) + " " if lines else ""}]\n'
        "}\n"
    )


def write_manifest(folder: Path, places: list[PurePosixPath]) -> int:
    """Write ``manifest.json`` into ``folder`` (in place of any other), listing the files
    at ``places`` as they are on the disk (read back whole: a file over its cap is
    listed as it is, and refused as it is when the bundle is read); gives how many."""
    listing: Listing = {
        place: bundle_files.digest(folder.joinpath(*place.parts), sys.maxsize) for place in places
    }
    staging.replace_file(folder / MANIFEST_FILE, manifest_text(listing).encode("utf-8"))
    return len(listing)


# -- checking a bundle against its manifest --------------------------------------------


def _malformed(folder: Path, why: str) -> IrpError:
    return IrpError(f"{folder / MANIFEST_FILE}: cannot be used ({why})")


def _entry(folder: Path, number: int, entry: Any) -> tuple[PurePosixPath, int, str]:
    where = f"entry {number}"
    if not isinstance(entry, dict) or set(entry) != {"path", "size", "sha256"}:
        raise _malformed(folder, f"{where} must hold path, size and sha256, and nothing else")
    path, size, sha256 = entry["path"], entry["size"], entry["sha256"]
    if not isinstance(path, str) or not all(
        bundle_files.is_plain_name(part) for part in path.split("/")
    ):
        raise _malformed(folder, f"{where}: path must name a file inside the bundle")
    place = PurePosixPath(path)
    cap = bundle_files.cap_of(place)
    if cap is None or path == MANIFEST_FILE:
        raise _malformed(folder, f"{where}: {path} is not a file a bundle holds")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= cap[0]:
        raise _malformed(
            folder, f"{where}: size must be a whole number of bytes within {path}'s cap"
        )
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise _malformed(folder, f"{where}: sha256 must be 64 hexadecimal digits, lower case")
    return place, size, sha256


def read_manifest(folder: Path) -> Listing:
    """The manifest's listing, every entry checked; anything else refused naming it."""
    text = bundle_files.read_known(folder, MANIFEST_FILE)
    try:
        document = json.loads(text)
    except ValueError as error:
        raise _malformed(folder, f"not JSON: {error}") from None
    except RecursionError:
        raise _malformed(folder, "nested too deeply") from None
    if not isinstance(document, dict) or document.get("irp_field_bundle_manifest") != VERSION:
        raise _malformed(folder, f"not an irp-field bundle manifest, version {VERSION}")
    entries = document.get("files")
    if not isinstance(entries, list):
        raise _malformed(folder, "files must be a list")
    if len(entries) > bundle_files.MAX_ENTRIES:
        raise _malformed(
            folder, f"lists more than the {bundle_files.MAX_ENTRIES} files a bundle may hold"
        )
    listing: Listing = {}
    for number, entry in enumerate(entries, start=1):
        place, size, sha256 = _entry(folder, number, entry)
        if place in listing:
            raise _malformed(folder, f"entry {number}: {place} is listed twice")
        listing[place] = (size, sha256)
    return listing


def _differs(path: Path, why: str) -> IrpError:
    return IrpError(
        f"{path}: {why} (a damaged or unfinished copy of the bundle; if it was edited by "
        "hand, check it, then run 'irp-field bundle seal')"
    )


def check_manifest(folder: Path, files: dict[PurePosixPath, int]) -> bool:
    """Hold the bundle's files (``files``: what ``bundle_files.survey`` found) to its
    manifest, refusing the first that differs; False when it has none. The sizes first,
    for every file, then the digests: a file cut short is named before anything is read."""
    if PurePosixPath(MANIFEST_FILE) not in files:
        return False
    listing = read_manifest(folder)
    for place, (size, _) in sorted(listing.items()):
        path = folder.joinpath(*place.parts)
        if place not in files:
            raise _differs(path, f"is missing; {MANIFEST_FILE} lists it")
        if files[place] != size:
            raise _differs(path, f"is {files[place]} bytes; {MANIFEST_FILE} lists {size}")
    for place in listed_places(files):
        if place not in listing:
            raise _differs(folder.joinpath(*place.parts), f"is not in {MANIFEST_FILE}")
    for place, (size, sha256) in sorted(listing.items()):
        path = folder.joinpath(*place.parts)
        if bundle_files.digest(path, size) != (size, sha256):
            raise _differs(path, f"does not match its SHA-256 in {MANIFEST_FILE}")
    return True
