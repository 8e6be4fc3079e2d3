from core.scope import ScopePaths

COMMUNITY_PATHS = ScopePaths(
    district="community__street__district", street="community__street", community="community"
)
STREET_PATHS = ScopePaths(district="street__district", street="street")
ACTIVITY_CHILD_PATHS = ScopePaths(
    district="activity__community__street__district",
    street="activity__community__street",
    community="activity__community",
)
