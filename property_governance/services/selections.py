"""选聘: choosing a property company as a household consultation of the board.

    consulting ──decide──▶ decided (the contract is made from the poll's result)
        └──────cancel(reason)──▶ cancelled (the poll is cancelled too while not closed)

`selection_start` creates and publishes a board Consultation through board.services (a poll,
one answer per household, results after close, one single-choice question whose options are
the companies in the selection's order); `selection_decide` reads its results once closed.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board import selectors as board_selectors
from board import services as board_services
from board.models import Audience, Consultation

from ..models import PropertyArea, PropertyContract, PropertySelection, SelectionCandidate
from ._common import check_move, conflict, invalid, require, text
from .areas import contract_create

Status = PropertySelection.Status
TRANSITIONS = {
    Status.CONSULTING: {Status.DECIDED, Status.CANCELLED},
    Status.DECIDED: set(),
    Status.CANCELLED: set(),
}
QUESTION = "您选择哪家物业服务企业为本区域提供物业服务？"


def _audience(area):
    """The area's one compound, or the community when it covers several (a consultation
    addresses one unit; eligibility of the poll is then the community's households)."""
    compounds = list(area.compounds.all()[:2])
    if len(compounds) == 1:
        return {"audience": Audience.COMPOUND, "compound": compounds[0]}
    return {"audience": Audience.COMMUNITY, "community": area.community}


@transaction.atomic
def selection_start(
    *, actor, area, title, companies, opens_at, closes_at, description=""
) -> PropertySelection:
    """Start a 选聘: the household poll is published at once (answers from opens_at)."""
    area = PropertyArea.objects.select_related("community").get(pk=area.pk)
    require(actor, "property_governance.add_propertyselection", area)
    if area.status != PropertyArea.Status.ACTIVE:
        raise invalid("area", _("已合并的区域不能发起选聘。"))
    title = text(title, "title", max_length=100)
    companies = list(companies or [])
    if len(companies) < 2:
        raise invalid("companies", _("请至少选择两家候选企业。"))
    if len({c.pk for c in companies}) != len(companies):
        raise invalid("companies", _("候选企业不能重复。"))
    if any(c.street_id != area.community.street_id for c in companies):
        raise invalid("companies", _("请选择本街道登记的物业服务企业。"))
    consultation = board_services.consultation_create(
        actor=actor,
        title=title,
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        kind=Consultation.Kind.POLL,
        one_per=Consultation.OnePer.HOUSEHOLD,
        results_visibility=Consultation.ResultsVisibility.AFTER_CLOSE,
        questions=[{"kind": "single", "text": _(QUESTION), "options": [c.name for c in companies]}],
        **_audience(area),
    )
    consultation = board_services.consultation_publish(actor=actor, consultation=consultation)
    selection = PropertySelection.objects.create(
        area=area, title=title, consultation=consultation, created_by=actor
    )
    SelectionCandidate.objects.bulk_create(
        [
            SelectionCandidate(selection=selection, company=c, position=n)
            for n, c in enumerate(companies, 1)
        ]
    )
    return selection


def _lock(selection):
    return (
        PropertySelection.objects.select_for_update(of=("self",))
        .select_related("area__community", "consultation")
        .get(pk=selection.pk)
    )


def selection_winner(selection):
    """(company, votes) of the poll's most chosen company; None on a tie or no answers."""
    results = board_selectors.consultation_results(selection.consultation)
    options = results["questions"][0]["options"]
    by_position = {c.position: c.company for c in selection.candidates.select_related("company")}
    ranked = sorted(options, key=lambda o: -o["count"])
    if not ranked or ranked[0]["count"] == 0:
        return None
    if len(ranked) > 1 and ranked[1]["count"] == ranked[0]["count"]:
        return None
    return by_position[ranked[0]["position"]], ranked[0]["count"]


@transaction.atomic
def selection_decide(*, actor, selection, starts_on, ends_on, fees) -> PropertyContract:
    """After the poll closed: the most chosen company gets the area's contract (the current
    one, if any, ends the day before). A tie or no answers cannot decide: cancel and rerun."""
    selection = _lock(selection)
    require(actor, "property_governance.change_propertyselection", selection)
    check_move(
        TRANSITIONS,
        selection.status,
        Status.DECIDED,
        label=selection.get_status_display(),
        doing=_("确定结果"),
    )
    if selection.consultation.phase() != Consultation.Phase.CLOSED:
        raise conflict(_("按户征询尚未结束，不能确定结果。"))
    winner = selection_winner(selection)
    if winner is None:
        raise conflict(_("征询结果无法确定唯一企业（无人参与或票数相同），请取消后重新选聘。"))
    company, _votes = winner
    contract = contract_create(
        actor=actor,
        area=selection.area,
        company=company,
        starts_on=starts_on,
        ends_on=ends_on,
        fees=fees,
        chosen_by=PropertyContract.ChosenBy.SELECTION,
        selection=selection,
        replace_current=True,
    )
    selection.status = Status.DECIDED
    selection.decided_at = timezone.now()
    selection.save(update_fields=["status", "decided_at", "updated_at"])
    return contract


@transaction.atomic
def selection_cancel(*, actor, selection, reason) -> PropertySelection:
    selection = _lock(selection)
    require(actor, "property_governance.change_propertyselection", selection)
    reason = text(reason, "reason", max_length=200)
    check_move(
        TRANSITIONS,
        selection.status,
        Status.CANCELLED,
        label=selection.get_status_display(),
        doing=_("取消"),
    )
    consultation = selection.consultation
    if consultation.phase() not in (Consultation.Phase.CLOSED, Consultation.Phase.CANCELLED):
        board_services.consultation_cancel(actor=actor, consultation=consultation, reason=reason)
    selection.status = Status.CANCELLED
    selection.cancelled_at = timezone.now()
    selection.cancel_reason = reason
    selection.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    return selection
