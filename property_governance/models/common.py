"""Where property-governance rows sit in the organisation tree."""

from core.scope import ScopePaths

COMMUNITY_PATHS = ScopePaths(
    district="community__street__district", street="community__street", community="community"
)
VIA_AREA = ScopePaths(
    district="area__community__street__district",
    street="area__community__street",
    community="area__community",
)
VIA_COMMITTEE = ScopePaths(
    district="committee__area__community__street__district",
    street="committee__area__community__street",
    community="committee__area__community",
)
VIA_ELECTION = ScopePaths(
    district="election__area__community__street__district",
    street="election__area__community__street",
    community="election__area__community",
)
VIA_CONTRACT = ScopePaths(
    district="contract__area__community__street__district",
    street="contract__area__community__street",
    community="contract__area__community",
)
VIA_SELECTION = ScopePaths(
    district="selection__area__community__street__district",
    street="selection__area__community__street",
    community="selection__area__community",
)
STREET_PATHS = ScopePaths(district="street__district", street="street")
