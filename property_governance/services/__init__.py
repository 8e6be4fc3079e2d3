"""Every write of property governance. The admin, the API, the clock and the demo call these.
Sub-domain modules: `areas` (areas, companies, contracts, merges), `committees`, `elections`
(the workflow), `ballots` (eligibility and household ballots),
`selections` (选聘 through a board consultation); `_common` holds the shared checks."""

from .areas import (
    area_create,
    area_update,
    clean_fees,
    company_create,
    contract_create,
    contract_end,
    merge_areas,
    merge_committees,
)
from .ballots import (
    election_paper_ballot,
    election_vote,
    eligibility_refusal,
    voter_area_ids,
    voting_refusal,
)
from .committees import (
    committee_create,
    committee_end,
    committee_member_add,
    committee_member_leave,
    committee_member_set_role,
    committee_start,
)
from .elections import (
    election_cancel,
    election_candidate_add,
    election_candidate_remove,
    election_count,
    election_create,
    election_open_voting,
    election_publish_candidates,
    eligible_households,
)
from .selections import selection_cancel, selection_decide, selection_start, selection_winner

__all__ = [
    "area_create",
    "area_update",
    "clean_fees",
    "committee_create",
    "committee_end",
    "committee_member_add",
    "committee_member_leave",
    "committee_member_set_role",
    "committee_start",
    "company_create",
    "contract_create",
    "contract_end",
    "election_cancel",
    "election_candidate_add",
    "election_candidate_remove",
    "election_count",
    "election_create",
    "election_open_voting",
    "election_paper_ballot",
    "election_publish_candidates",
    "election_vote",
    "eligibility_refusal",
    "eligible_households",
    "merge_areas",
    "merge_committees",
    "selection_cancel",
    "selection_decide",
    "selection_start",
    "selection_winner",
    "voter_area_ids",
    "voting_refusal",
]
