"""factory_boy factories, one module per app. Import from here in tests."""

from .accounts import RoleFactory, UserFactory, grant
from .org import BuildingFactory, CommunityFactory, DistrictFactory, MicroGridFactory, StreetFactory
from .residents import HouseholdFactory, ResidentFactory, TagFactory, valid_id_number

__all__ = [
    "BuildingFactory",
    "CommunityFactory",
    "DistrictFactory",
    "HouseholdFactory",
    "MicroGridFactory",
    "ResidentFactory",
    "RoleFactory",
    "StreetFactory",
    "TagFactory",
    "UserFactory",
    "grant",
    "valid_id_number",
]
