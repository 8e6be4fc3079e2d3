from .activities import Activity, Attendance, SignUp
from .people import PartyMemberReport, ServiceTeam, TeamMembership, VolunteerProfile
from .points import PointsAccount, PointsEntry, PointsPolicy, PointsRule, Redemption, Reward

__all__ = [
    "Activity",
    "Attendance",
    "PartyMemberReport",
    "PointsAccount",
    "PointsEntry",
    "PointsPolicy",
    "PointsRule",
    "Redemption",
    "Reward",
    "ServiceTeam",
    "SignUp",
    "TeamMembership",
    "VolunteerProfile",
]
