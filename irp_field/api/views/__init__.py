"""What each screen shows: one module per screen whose reading is more than one call,
each a frozen read model (a dataclass) and the function that reads it in one go, in the
screen's thread worker (``IrpScreen.load``). No SQL here: the rows come from the feature
packages below the API.

- ``overview``: the overview (F2): the visit, each plan item's evidence, the key figures,
  who recorded what.
- ``roll_check``: the roll-check screen (F3): the rounds, the chosen round's checks, the
  route.
- ``sampling``: the sampling screen (F5): the frames and one frame's grid.
- ``time_out_of_cell``: the time-out-of-cell screen (F6): a subject's day and the
  averages by group.
- ``findings``: the findings screen (F7): the paragraphs as they render, the evidence
  behind each unit.
- ``judgements``: the judgements screen (F8): the board and the Section 2 tallies.
- ``report_parts``: the report parts screen (F11).

A screen whose reading is one API call (notes, set-up's tables, merge, conflicts) calls
it directly.
"""
