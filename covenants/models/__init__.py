from .covenants import (
    Covenant,
    CovenantEvent,
    CovenantQuerySet,
    CovenantVersion,
    Origin,
    SigningMethod,
    ThresholdBasis,
    VersionState,
)
from .funds import FundEntry
from .participation import CovenantComment, CovenantCommentReport, Signature

__all__ = [
    "Covenant",
    "CovenantComment",
    "CovenantCommentReport",
    "CovenantEvent",
    "CovenantQuerySet",
    "CovenantVersion",
    "FundEntry",
    "Origin",
    "Signature",
    "SigningMethod",
    "ThresholdBasis",
    "VersionState",
]
