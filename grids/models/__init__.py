from .org import Building, Community, CommunityType, District, MicroGrid, Street

__all__ = ["Building", "Community", "CommunityType", "District", "MicroGrid", "Street"]
