from .areas import ContractFee, Merge, PropertyArea, PropertyCompany, PropertyContract
from .committees import CommitteeMember, OwnersCommittee, OwnersCommitteeQuerySet
from .elections import TIE_RULE, Ballot, BallotChoice, Candidate, Election, ElectionEvent
from .selections import PropertySelection, SelectionCandidate

__all__ = [
    "TIE_RULE",
    "Ballot",
    "BallotChoice",
    "Candidate",
    "CommitteeMember",
    "ContractFee",
    "Election",
    "ElectionEvent",
    "Merge",
    "OwnersCommittee",
    "OwnersCommitteeQuerySet",
    "PropertyArea",
    "PropertyCompany",
    "PropertyContract",
    "PropertySelection",
    "SelectionCandidate",
]
