"""Dispute services: every write of the app goes through one of these functions."""

from .cases import (
    MOVES,
    access_log_export,
    access_log_write,
    case_add_mediator,
    case_add_party,
    case_assign,
    case_cancel,
    case_close,
    case_open,
    case_record_followup,
    case_record_outcome,
    case_record_session,
    followup_days_for,
)
from .intake import reception_day_schedule, reception_record_add, setting_save, sweep_record

__all__ = [
    "MOVES",
    "access_log_export",
    "access_log_write",
    "case_add_mediator",
    "case_add_party",
    "case_assign",
    "case_cancel",
    "case_close",
    "case_open",
    "case_record_followup",
    "case_record_outcome",
    "case_record_session",
    "followup_days_for",
    "reception_day_schedule",
    "reception_record_add",
    "setting_save",
    "sweep_record",
]
