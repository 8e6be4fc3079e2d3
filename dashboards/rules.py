"""Who may open the leaders' dashboards (django-rules, autodiscovered).

District leaders, street admins and superusers, for whom the dashboards are made; and community
workers, for their own community and its micro-grids: a 居委会 answers for its community's 4-hour
figure and ranking, so it may read the same numbers its street reads about it. Grid leaders may
not: a micro-grid's figures are small enough to point at single residents, and a grid leader
works with the residents themselves in the admin. Residents and anonymous callers may not.

Which units a permitted actor may look at is `dashboards.units` (whole units of the actor's
ORG scope); a unit outside them answers 404.
"""

import rules

from accounts.rules import is_community_worker, is_district_leader, is_street_admin, is_superuser

is_dashboard_reader = is_superuser | is_district_leader | is_street_admin | is_community_worker

rules.add_perm("dashboards.view_dashboard", is_dashboard_reader)
