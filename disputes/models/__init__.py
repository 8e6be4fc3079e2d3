from .cases import (
    DisputeAccessLog,
    DisputeCase,
    DisputeCaseEvent,
    DisputeCaseQuerySet,
    DisputeMediator,
    DisputeParty,
    DisputeSession,
)
from .intake import DisputeSetting, DisputeSweep, ReceptionDay, ReceptionRecord

__all__ = [
    "DisputeAccessLog",
    "DisputeCase",
    "DisputeCaseEvent",
    "DisputeCaseQuerySet",
    "DisputeMediator",
    "DisputeParty",
    "DisputeSession",
    "DisputeSetting",
    "DisputeSweep",
    "ReceptionDay",
    "ReceptionRecord",
]
