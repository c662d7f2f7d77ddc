"""What every screen is built on: ``IrpScreen`` (a screen's reads in a thread, its
messages) and ``VisitScreen`` (a screen on a visit: undo, history, typed saves, another
program's writes)."""
