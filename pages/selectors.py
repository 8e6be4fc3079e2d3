"""The few reads a page needs before any API call can be made."""

from itertools import groupby

from grids.models import Community


def signup_community_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every community grouped by street, for the sign-up form.

    An anonymous visitor cannot read the communities API (it is scoped to signed-in users), and
    community names are public anyway (they are on the gate). One query of two short columns;
    at a city's scale the form should ask for the street first and load that street's
    communities from a public endpoint instead (see the issue note).
    """
    rows = Community.objects.order_by("street__name", "street_id", "name").values_list(
        "street_id", "street__name", "pk", "name"
    )
    return [
        (street_name, [(pk, name) for _street, _name, pk, name in group])
        for (_street_id, street_name), group in groupby(rows, key=lambda r: (r[0], r[1]))
    ]
