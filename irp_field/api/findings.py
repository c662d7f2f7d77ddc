"""Figures, findings, judgements and the report: what the team leader's screens, the
command line and a program call.

Paragraphs are named by their number ("3.39") or id; plan items by their ref.
"""

from __future__ import annotations

from irp_field.figures import Figure as Figure
from irp_field.figures import compute as compute_figures
from irp_field.figures import toc_figures as toc_figures
from irp_field.findings.editing import Filed as Filed
from irp_field.findings.editing import add as add_paragraph
from irp_field.findings.editing import clear_judgement as clear_judgement
from irp_field.findings.editing import delete as delete_paragraph
from irp_field.findings.editing import edit as edit_paragraph
from irp_field.findings.editing import filed as filed
from irp_field.findings.editing import find as find_paragraph
from irp_field.findings.editing import group_members as group_members
from irp_field.findings.editing import judge as judge
from irp_field.findings.editing import move as move_paragraph
from irp_field.findings.editing import move_to as move_paragraph_to
from irp_field.findings.editing import numbers_now as numbers_now
from irp_field.findings.editing import plan_item as plan_item
from irp_field.findings.editing import restore as restore_paragraph
from irp_field.findings.editing import unit_of as unit_of
from irp_field.findings.outline import JudgedUnit as JudgedUnit
from irp_field.findings.outline import Paragraph as Paragraph
from irp_field.findings.outline import numbers as paragraph_numbers
from irp_field.findings.outline import paragraphs as paragraphs
from irp_field.findings.outline import units as units
from irp_field.findings.paragraph_sync import sync_paragraph as sync_paragraph
from irp_field.findings.paragraphs import DAY_PREFIX as DAY_PREFIX
from irp_field.findings.paragraphs import EvidenceItem as EvidenceItem
from irp_field.findings.paragraphs import citable_evidence as citable_evidence
from irp_field.findings.paragraphs import cited_evidence as cited_evidence
from irp_field.findings.paragraphs import evidence_for_plan_item as evidence_for_plan_item
from irp_field.findings.sync import FindingsState as FindingsState
from irp_field.findings.sync import RenderedParagraph as RenderedParagraph
from irp_field.findings.sync import SyncResult as SyncResult
from irp_field.findings.sync import load as load_findings
from irp_field.findings.sync import outlined as outlined
from irp_field.findings.sync import sync as sync
from irp_field.findings.sync import synced as synced
from irp_field.findings.templates import Renderer as Renderer
from irp_field.report.build import FORMATS as REPORT_FORMATS
from irp_field.report.build import make as make_report
from irp_field.report.build import write_file as write_report_file
from irp_field.report.build import write_report as write_report
from irp_field.report.content import Report as Report
from irp_field.report.content import stale_summary as stale_summary
from irp_field.report.content import stale_warning as stale_warning

__all__ = [
    "DAY_PREFIX",
    "REPORT_FORMATS",
    "EvidenceItem",
    "Figure",
    "Filed",
    "FindingsState",
    "JudgedUnit",
    "Paragraph",
    "RenderedParagraph",
    "Renderer",
    "Report",
    "SyncResult",
    "add_paragraph",
    "citable_evidence",
    "cited_evidence",
    "clear_judgement",
    "compute_figures",
    "delete_paragraph",
    "edit_paragraph",
    "evidence_for_plan_item",
    "filed",
    "find_paragraph",
    "group_members",
    "judge",
    "load_findings",
    "make_report",
    "move_paragraph",
    "move_paragraph_to",
    "numbers_now",
    "outlined",
    "paragraph_numbers",
    "paragraphs",
    "plan_item",
    "restore_paragraph",
    "stale_summary",
    "stale_warning",
    "sync",
    "sync_paragraph",
    "synced",
    "toc_figures",
    "unit_of",
    "units",
    "write_report",
    "write_report_file",
]
