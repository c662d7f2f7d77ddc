"""The columns of sampling's four kinds (frames, criteria, records, answers): their
entries of the registry (``kind_columns.COLUMNS``, which holds them in their place).

Apart from the other kinds only for the size of a module; read ``kind_columns`` first.
"""

from __future__ import annotations

from irp_field.domain import vocabulary
from irp_field.domain.kind_column import (
    BLANK,
    CATEGORY,
    KEEP,
    WORKING,
    KindColumn,
    choices,
)

# A sampled row's frame (an id in the file; its name in the export, through the join).
FRAME_ID = KindColumn("frame_id", "string", "The sample frame.", csv="", references="sample_frame")
FRAME = KindColumn(
    "frame", "string", "The sample frame's name.", csv="", stored=False, joined="f.name",
    redaction=KEEP,
)  # fmt: skip
PLAN_REF = KindColumn(
    "plan_ref", "string", "The plan item's ref (text: 1.30 is not 1.3).", stored=False,
    joined="p.ref", redaction=KEEP,
)  # fmt: skip
SAMPLED_RECORD = "The record's ref (a pseudonym in a redacted export)."

SAMPLING: dict[str, tuple[KindColumn, ...]] = {
    # Sampling: a frame's CSV is the bundle's sample-frames.csv (its criteria and records
    # `;`-separated, its answers a file of the sample import); criteria and records have
    # no CSV of their own
    "sample_frame": (
        KindColumn(
            "name",
            "string",
            "The kind of record sampled (Use of force records).",
            typed=(CATEGORY, 'a kind of record sampled ("Use of force records")'),
        ),
        KindColumn(
            "record_kind",
            "string",
            "What each sampled record is.",
            typed=(CATEGORY, "what each sampled record is"),
        ),
        KindColumn(
            "population",
            "integer",
            "Records in the list the sample was drawn from.",
            default=None,
            unit="records",
        ),
        KindColumn(
            "method", "string", "How the sample was drawn (random, all, ...).", redaction=KEEP
        ),
        KindColumn(
            "seed",
            "integer",
            "The random draw's seed (null: not drawn by irp-field).",
            stored_as="TEXT",
            redaction=BLANK,
        ),
        KindColumn(
            "list_sha256",
            "string",
            "SHA-256 of the list drawn from (to reproduce the draw).",
            required=False,
            redaction=BLANK,
        ),
        KindColumn(
            "plan_item_id",
            "string",
            "The plan item it is evidence for.",
            csv="",
            references="plan_item",
        ),
        PLAN_REF,
        KindColumn("criteria", "string", "", csv_about="`;`-separated", stored=False),
        KindColumn(
            "records", "string", "", csv_about="`;`-separated", required=False, stored=False
        ),
        KindColumn("answers_file", "string", "", required=False, stored=False),
    ),
    "sample_criterion": (
        FRAME_ID,
        FRAME,
        KindColumn(
            "name",
            "string",
            "What each record was checked for.",
            csv="",
            typed=(CATEGORY, "what each record was checked for"),
        ),
        KindColumn(
            "position", "integer", "Its place among the frame's criteria.", default=0, csv=""
        ),
    ),
    "sample_record": (
        FRAME_ID,
        FRAME,
        KindColumn("record", "string", SAMPLED_RECORD, csv="", redaction="pseudonym:record"),
        KindColumn("position", "integer", "Its place in the sample.", default=0, csv=""),
    ),
    # its CSV is the sample import's (a frame's answers, in the bundle's samples/)
    "sample_answer": (
        FRAME_ID,
        FRAME,
        KindColumn("record", "string", SAMPLED_RECORD, redaction="pseudonym:record"),
        KindColumn(
            "criterion_id",
            "string",
            "The criterion.",
            csv="",
            references="sample_criterion",
        ),
        KindColumn(
            "criterion",
            "string",
            "The criterion's name.",
            stored=False,
            joined="c.name",
            redaction=KEEP,
        ),
        KindColumn(
            "answer",
            "string",
            "yes, no or na (null: a comment waiting for an answer).",
            csv_about=choices(vocabulary.ANSWERS),
            redaction=KEEP,
        ),
        KindColumn(
            "comment",
            "string",
            "What the record showed.",
            required=False,
            typed=(WORKING, "what a sampled record said, about a person"),
        ),
    ),
}
