"""Whom a visit's hand-back is sealed for: age recipients (public keys, ``age1...``).

A visit keeps the team leader's public key (and, say, the inspectorate office's escrow
key, so that a lost laptop does not lose the visit) so that every inspector's copy
knows whom to seal for. A key is refused (REFUSE) unless it is an age X25519 recipient:
Bech32 text with the prefix ``age``, a valid checksum and 32 bytes of key. The checksum
is Bech32's (BIP 173): an encoding's check, not cryptography, which catches a key
mistyped or cut short when it is copied from a screen; the sealing itself is the age
library's. Every path applies these rules: ``irp-field new --recipient``, ``recipients
add``, ``handback --to``, ``export --to``, a bundle's ``visit.toml``, the set-up
screen, and ``check`` and the merge, which read the stored keys back through
:func:`stored_verdicts`.

The keys are stored in the visit row's ``recipients`` column, separated by spaces, in
the order they were added; at most :data:`MOST` of them (each one costs the sealing a
little, and a file from elsewhere must not make it cost without bound).
"""

from __future__ import annotations

from irp_field.domain.verdicts import Verdict

PREFIX = "age"
MOST = 10  # recipients a visit may name
_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
KEY_LENGTH = 62  # "age1" + 52 characters of key + 6 of checksum


def _polymod(values: list[int]) -> int:
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(_GENERATOR):
            if (top >> bit) & 1:
                check ^= generator
    return check


def _checksum_holds(prefix: str, data: list[int]) -> bool:
    expanded = [ord(c) >> 5 for c in prefix] + [0] + [ord(c) & 31 for c in prefix]
    return _polymod(expanded + data) == 1


def _key_bytes(data: list[int]) -> int:
    """How many whole bytes the 5-bit groups carry, or -1 when the padding is not zero."""
    bits = len(data) * 5
    whole, spare = divmod(bits, 8)
    if spare >= 5 or (data and data[-1] & ((1 << spare) - 1)):
        return -1
    return whole


def recipient_verdicts(text: str, field: str = "recipient") -> tuple[str, list[Verdict]]:
    """One key as typed: the key as stored (lower case, no spaces), and what is wrong."""
    key = text.strip()
    shown = key if len(key) <= 20 else f"{key[:12]}...{key[-6:]}"
    if not key:
        return "", [Verdict(field, "a public key must not be empty (age1...)")]
    if key.upper() == key:
        key = key.lower()  # Bech32 may be written all in capitals
    if key.lower().startswith("age-secret-key-"):
        return "", [
            Verdict(
                field,
                "that is a secret key, not a public one: give the line 'public key: age1...' "
                "(irp-field keys show); keep the secret key to yourself",
            )
        ]
    if not key.startswith(f"{PREFIX}1") or len(key) != KEY_LENGTH:
        return "", [
            Verdict(field, f"'{shown}' is not an age public key (age1 and 58 more characters)")
        ]
    data = key[len(PREFIX) + 1 :]
    if any(c not in _CHARSET for c in data):
        return "", [Verdict(field, f"'{shown}' holds characters no age public key has")]
    values = [_CHARSET.index(c) for c in data]
    if not _checksum_holds(PREFIX, values) or _key_bytes(values[:-6]) != 32:
        return "", [
            Verdict(field, f"'{shown}' is not a whole age public key (mistyped or cut short?)")
        ]
    return key, []


def split(stored: str) -> list[str]:
    """The keys a stored (or typed) list holds: separated by spaces, commas or lines."""
    return stored.replace(",", " ").split()


def joined(keys: list[str]) -> str:
    return " ".join(keys)


def stored_verdicts(stored: str, field: str = "recipients") -> tuple[list[str], list[Verdict]]:
    """A visit's list of keys (as stored, or as a bundle gives it): each a key, none
    twice, at most :data:`MOST`."""
    keys: list[str] = []
    found: list[Verdict] = []
    for text in split(stored):
        key, wrong = recipient_verdicts(text, field)
        found += wrong
        if key and key in keys:
            found.append(Verdict(field, f"{key[:12]}... is named twice"))
        elif key:
            keys.append(key)
    if len(keys) > MOST:
        found.append(Verdict(field, f"{len(keys)} public keys; a visit names at most {MOST}"))
    return keys, found


def added_verdicts(held: list[str], text: str) -> tuple[list[str], list[Verdict]]:
    """The visit's keys with one more (``text``): refused when it is no key, is named
    already, or would make too many."""
    key, found = recipient_verdicts(text)
    if found:
        return held, found
    if key in held:
        return held, [Verdict("recipient", f"{key[:12]}... is named already")]
    if len(held) >= MOST:
        return held, [Verdict("recipient", f"a visit names at most {MOST} public keys")]
    return [*held, key], []
