"""Data returns: the figures the prison supplies (last inspection's share locked up, the
staffing return ...), each a key, a value, its unit and range (``domain/data_returns``);
what the set-up screen's data tab and ``irp-field import ... data-returns`` call."""

from __future__ import annotations

from irp_field.evidence.data_returns import DataReturn as DataReturn
from irp_field.evidence.data_returns import data_returns as data_returns
from irp_field.evidence.data_returns import record_data_return as record_data_return
