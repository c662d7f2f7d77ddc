"""The modal dialogs: each asks one thing over the screen that opened it (a ``ModalScreen``)
and hands back the answer (a choice, a confirmation, a passphrase, a round, a sample, the
plan items linked ...); none is a mode of the app."""
