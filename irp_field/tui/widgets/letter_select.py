"""A drop-down list of words that a letter chooses from, closed as well as open.

Textual's Select searches by typing only once its list is open (Enter, Space or the
arrows); closed, it let a letter fall on the floor. The note's Source was so: a walker
typed `s` on it for a staff interview, saw nothing change, and the note was saved as an
observation (the default). Here a letter on the closed list chooses the first option
that begins with it, and the same letter again the next one (`d`: documentation, then
data), as the set-up's choices and F6's activity offer a word from its first letters.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.widgets import Select


def next_starting_with(options: Sequence[str], letter: str, current: str) -> str | None:
    """The option after ``current`` that begins with ``letter`` (case aside), coming round
    to the first; None when none does."""
    letter = letter.casefold()
    matching = [option for option in options if option.casefold().startswith(letter)]
    if not matching:
        return None
    if current in matching:
        return matching[(matching.index(current) + 1) % len(matching)]
    return matching[0]


class LetterSelect(Select[str]):
    """A Select of words (each its own label) that a letter chooses from while closed."""

    def __init__(self, words: Sequence[str], *, value: str, **options: object) -> None:
        super().__init__(
            [(word, word) for word in words],
            value=value,
            allow_blank=False,
            **options,  # type: ignore[arg-type]
        )
        self.words = tuple(words)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """A letter is this list's, never a binding's."""
        return character is not None and character.isprintable() and not character.isspace()

    def on_key(self, event: events.Key) -> None:
        if self.expanded or not event.character or not event.is_printable:
            return  # open, the list searches as it is typed in
        if event.character.isspace():
            return  # Space opens the list
        event.stop()
        event.prevent_default()
        current = self.value if isinstance(self.value, str) else ""
        chosen = next_starting_with(self.words, event.character, current)
        if chosen is None:
            self.app.bell()
        else:
            self.value = chosen
