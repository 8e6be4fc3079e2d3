"""The covenants' figures for the leaders' dashboards (raw counts per community, summable).

- covenants_in_force: covenants with a version in force at the period's end (in force
  before the end, not superseded or repealed before it; as of `now` if the end is later).
- covenants_adopted: covenants of which a version (first or amendment) came into force in
  the period.
- covenant_signatures: household signatures and votes (online and paper) made in the period.

Four queries whatever the number of communities (the communities, then one per figure).
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from grids.models import Community

from .models import CovenantVersion, Signature

FIGURES = [
    (
        "covenants_in_force",
        _("生效规约"),
        _("期末处于生效状态的规约数（含修订后生效的；不含已废止的）。"),
    ),
    (
        "covenants_adopted",
        _("新生效规约"),
        _("本期有版本（首版或修订版）经签署表决生效的规约数。"),
    ),
    (
        "covenant_signatures",
        _("规约签署"),
        _("本期各户对规约的签署和表决数（含工作人员录入的纸质签署）。"),
    ),
]
KEYS = [key for key, _label, _definition in FIGURES]


def figures_by_community(*, communities, period, now) -> dict[int, dict[str, int]]:
    out = {
        pk: dict.fromkeys(KEYS, 0)
        for pk in Community.objects.filter(pk__in=communities).values_list("pk", flat=True)
    }
    if not out:
        return out
    end = min(period.end, now)
    versions = CovenantVersion.objects.filter(covenant__community_id__in=list(out))
    in_force = (
        versions.filter(in_force_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=end))
        .values("covenant__community_id")
        .annotate(n=Count("covenant", distinct=True))
        .order_by()
    )
    adopted = (
        versions.filter(in_force_at__gte=period.start, in_force_at__lt=end)
        .values("covenant__community_id")
        .annotate(n=Count("covenant", distinct=True))
        .order_by()
    )
    signatures = (
        Signature.objects.filter(
            version__covenant__community_id__in=list(out),
            signed_at__gte=period.start,
            signed_at__lt=end,
        )
        .values("version__covenant__community_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for key, rows, field in (
        ("covenants_in_force", in_force, "covenant__community_id"),
        ("covenants_adopted", adopted, "covenant__community_id"),
        ("covenant_signatures", signatures, "version__covenant__community_id"),
    ):
        for row in rows:
            out[row[field]][key] = row["n"]
    return out
