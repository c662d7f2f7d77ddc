"""The rule a search of the notes obeys, on its own: ``irp-field notes search`` and the
notes screen read it without the rules of a note (its team, plan and dates), which a
search never needs.
"""

from __future__ import annotations

import re

from irp_field.domain.names import character_verdicts
from irp_field.domain.verdicts import Verdict

_WORD = re.compile(r"\w+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})  # FTS5's, in capitals: no terms

SEARCH_LIMIT = 500  # characters of a search: a few words and phrases, not a note
SEARCH_TERMS = 32  # words in a search: each (a prefix* above all) is a pass over the index


def search_verdicts(query: str) -> list[Verdict]:
    """REFUSE a search too long, of too many words, or holding a character no document can
    hold: a search's cost grows with its words, and a search comes from anyone's typing
    or a script (its words are what FTS5 reads as terms: letters and digits, but its
    operators)."""
    if len(query) > SEARCH_LIMIT:
        said = f"the search is {len(query):,} characters; at most {SEARCH_LIMIT}"
        return [Verdict("query", said)]
    words = sum(1 for word in _WORD.findall(query) if word not in _OPERATORS)
    if words > SEARCH_TERMS:
        return [Verdict("query", f"the search has {words} words; at most {SEARCH_TERMS}")]
    return character_verdicts(query, "query", "the search")
