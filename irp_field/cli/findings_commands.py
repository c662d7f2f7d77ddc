"""Commands for findings, judgements and the report (issue: findings in step with the evidence)."""

from __future__ import annotations

import click

COMMANDS: tuple[click.Command, ...] = ()
