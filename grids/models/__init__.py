from .org import Building, Community, CommunityType, Compound, District, MicroGrid, Street
from .people import BUILDING_ROLES, SINGLE_HOLDER_ROLES, GridRole, GridRoleKind
from .places import GridPlace, GridResource
from .work import (
    DiaryEntry,
    Pairing,
    PatrolProblem,
    PatrolRecord,
    PracticalDeed,
    VisitRecord,
    WeeklyVisitRound,
    iso_week_monday,
)

__all__ = [
    "BUILDING_ROLES",
    "SINGLE_HOLDER_ROLES",
    "Building",
    "Community",
    "CommunityType",
    "Compound",
    "DiaryEntry",
    "District",
    "GridPlace",
    "GridResource",
    "GridRole",
    "GridRoleKind",
    "MicroGrid",
    "Pairing",
    "PatrolProblem",
    "PatrolRecord",
    "PracticalDeed",
    "Street",
    "VisitRecord",
    "WeeklyVisitRound",
    "iso_week_monday",
]
