"""Writes for areas, companies, contracts and merges 联小建大.

Contracts: current ──end(reason)──▶ ended (a new current contract of the same area ends the
old one first: one current contract per area, also a database constraint).
Areas: active ──merge──▶ merged (ended_by_merge); committees: see `committees`.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import Compound

from ..models import (
    ContractFee,
    Merge,
    OwnersCommittee,
    PropertyArea,
    PropertyCompany,
    PropertyContract,
)
from ._common import a_date, check_term, conflict, invalid, require, text

CREDIT_CODE_CHARS = set("0123456789ABCDEFGHJKLMNPQRTUWXY")
MAX_FEE = Decimal("100")


def _check_compounds(community, compounds, *, exclude_areas=()):
    compounds = list(compounds or [])
    if not compounds:
        raise invalid("compounds", _("请至少选择一个小区。"))
    for compound in compounds:
        if compound.community_id != community.pk:
            raise invalid("compounds", _("小区须属于本居民区。"))
        if not compound.is_active:
            raise invalid("compounds", _("小区“%(name)s”已停用。") % {"name": compound.name})
    taken = (
        PropertyArea.objects.filter(
            status=PropertyArea.Status.ACTIVE, compounds__in=[c.pk for c in compounds]
        )
        .exclude(pk__in=[a.pk for a in exclude_areas])
        .values_list("name", flat=True)
        .first()
    )
    if taken:
        raise invalid(
            "compounds", _("所选小区已属于在用的物业管理区域“%(name)s”。") % {"name": taken}
        )
    return compounds


@transaction.atomic
def area_create(*, actor, community, name, compounds) -> PropertyArea:
    """A property-management area of `community` covering `compounds` (each in one active
    area at a time)."""
    area = PropertyArea(community=community)
    require(actor, "property_governance.add_propertyarea", area)
    area.name = text(name, "name", max_length=64)
    compounds = _check_compounds(community, compounds)
    area.save()
    area.compounds.set(compounds)
    return area


@transaction.atomic
def area_update(*, actor, area, name=None, compounds=None) -> PropertyArea:
    area = PropertyArea.objects.select_for_update().get(pk=area.pk)
    require(actor, "property_governance.change_propertyarea", area)
    if area.status != PropertyArea.Status.ACTIVE:
        raise conflict(_("已合并的区域不能修改，其记录保留备查。"))
    if name is not None:
        area.name = text(name, "name", max_length=64)
        area.save(update_fields=["name", "updated_at"])
    if compounds is not None:
        area.compounds.set(_check_compounds(area.community, compounds, exclude_areas=[area]))
    return area


def _credit_code(value):
    code = (value or "").strip().upper()
    if len(code) != 18 or any(ch not in CREDIT_CODE_CHARS for ch in code):
        raise invalid("credit_code", _("统一社会信用代码应为 18 位数字或大写字母。"))
    return code


@transaction.atomic
def company_create(
    *, actor, street, name, credit_code, contact_name="", contact_phone="", address=""
) -> PropertyCompany:
    """A property company in the street's registry (one row per credit code)."""
    company = PropertyCompany(street=street)
    require(actor, "property_governance.add_propertycompany", company)
    company.name = text(name, "name", max_length=100)
    company.credit_code = _credit_code(credit_code)
    company.contact_name = text(contact_name, "contact_name", max_length=32, required=False)
    company.contact_phone = text(contact_phone, "contact_phone", max_length=20, required=False)
    company.address = text(address, "address", max_length=200, required=False)
    if PropertyCompany.objects.filter(street=street, credit_code=company.credit_code).exists():
        raise invalid("credit_code", _("该统一社会信用代码已登记。"))
    company.save()
    return company


def clean_fees(fees) -> list[tuple[str, Decimal]]:
    """{property kind: yuan per m² per month}; at least one, each 0 < fee ≤ 100."""
    if not isinstance(fees, dict) or not fees:
        raise invalid("fees", _("请填写至少一项物业服务费标准。"))
    cleaned = []
    for kind, value in fees.items():
        if kind not in ContractFee.PropertyKind.values:
            raise invalid("fees", _("物业类型无效。"))
        try:
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise invalid(f"fees.{kind}", _("请填写金额。")) from None
        if not Decimal("0") < amount <= MAX_FEE:
            raise invalid(f"fees.{kind}", _("收费标准须大于 0 且不超过 100 元。"))
        cleaned.append((kind, amount))
    return cleaned


@transaction.atomic
def contract_create(
    *,
    actor,
    area,
    company,
    starts_on,
    ends_on,
    fees,
    chosen_by=PropertyContract.ChosenBy.EARLY_STAGE,
    selection=None,
    replace_current=False,
) -> PropertyContract:
    """A current contract of an area. With `replace_current`, the area's current contract
    (if any) ends the day before this one starts; otherwise a current one is a conflict."""
    area = PropertyArea.objects.select_for_update().select_related("community").get(pk=area.pk)
    require(actor, "property_governance.add_propertycontract", area)
    if area.status != PropertyArea.Status.ACTIVE:
        raise conflict(_("已合并的区域不能签订新合同。"))
    if company.street_id != area.community.street_id:
        raise invalid("company", _("请选择本街道登记的物业服务企业。"))
    if chosen_by not in PropertyContract.ChosenBy.values:
        raise invalid("chosen_by", _("选项无效。"))
    check_term(starts_on, ends_on, start_field="starts_on", end_field="ends_on")
    fees = clean_fees(fees)
    current = PropertyContract.objects.select_for_update().filter(
        area=area, status=PropertyContract.Status.CURRENT
    )
    current = current.first()
    if current is not None:
        if not replace_current:
            raise conflict(_("该区域已有履行中的物业服务合同，请先终止。"))
        _end(
            current,
            ended_on=max(current.starts_on, starts_on - datetime.timedelta(days=1)),
            reason=_("新合同生效"),
        )
    contract = PropertyContract.objects.create(
        area=area,
        company=company,
        starts_on=starts_on,
        ends_on=ends_on,
        chosen_by=chosen_by,
        selection=selection,
        recorded_by=actor,
    )
    ContractFee.objects.bulk_create(
        [ContractFee(contract=contract, property_kind=k, yuan_per_m2_month=v) for k, v in fees]
    )
    return contract


def _end(contract, *, ended_on, reason):
    contract.status = PropertyContract.Status.ENDED
    contract.ended_on = ended_on
    contract.end_reason = reason
    contract.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])


@transaction.atomic
def contract_end(*, actor, contract, reason, ended_on=None) -> PropertyContract:
    """End a current contract (expired, terminated) with a reason."""
    contract = (
        PropertyContract.objects.select_for_update(of=("self",))
        .select_related("area")
        .get(pk=contract.pk)
    )
    require(actor, "property_governance.end_propertycontract", contract)
    reason = text(reason, "reason", max_length=200)
    ended_on = a_date(ended_on or timezone.localdate(), "ended_on")
    if contract.status != PropertyContract.Status.CURRENT:
        raise conflict(_("合同已终止。"))
    if ended_on < contract.starts_on:
        raise invalid("ended_on", _("终止日期不能早于合同开始日期。"))
    _end(contract, ended_on=ended_on, reason=reason)
    return contract


def _merge_row(actor, community, kind, merged_on, reason, **after):
    reason = text(reason, "reason", max_length=2000)
    a_date(merged_on, "merged_on")
    return Merge.objects.create(
        community=community,
        kind=kind,
        merged_on=merged_on,
        reason=reason,
        recorded_by=actor,
        **after,
    )


@transaction.atomic
def merge_areas(*, actor, areas, name, merged_on, reason) -> Merge:
    """联小建大 of areas: a new area covering every compound of `areas` (two or more active
    areas of one community); the old ones end as merged with a reference to this merge.
    Their contracts and committees stay as they are (end or merge them by their own steps)."""
    areas = list(
        PropertyArea.objects.select_for_update()
        .filter(pk__in=[a.pk for a in areas])
        .select_related("community")
        .order_by("pk")
    )
    if len(areas) < 2:
        raise invalid("areas", _("请至少选择两个区域。"))
    community = areas[0].community
    if any(a.community_id != community.pk for a in areas):
        raise invalid("areas", _("只能合并同一居民区的区域。"))
    for area in areas:
        require(actor, "property_governance.merge_propertyarea", area)
        if area.status != PropertyArea.Status.ACTIVE:
            raise conflict(_("区域“%(name)s”已合并，不能再次合并。") % {"name": area.name})
    compounds = list(Compound.objects.filter(property_areas__in=areas).distinct())
    new_area = PropertyArea(community=community, name=text(name, "name", max_length=64))
    a_date(merged_on, "merged_on")
    text(reason, "reason", max_length=2000)
    for area in areas:
        area.status = PropertyArea.Status.MERGED
        area.ended_on = merged_on
        area.save(update_fields=["status", "ended_on", "updated_at"])
    new_area.save()
    new_area.compounds.set(compounds)
    merge = _merge_row(actor, community, Merge.Kind.AREA, merged_on, reason, after_area=new_area)
    merge.before_areas.set(areas)
    PropertyArea.objects.filter(pk__in=[a.pk for a in areas]).update(ended_by_merge=merge)
    return merge


@transaction.atomic
def merge_committees(
    *, actor, committees, area, merged_on, reason, term_starts_on, term_ends_on
) -> Merge:
    """联小建大 of owners' committees: the old committees (preparing or serving) end as merged;
    a new committee of `area` (active, of the same community) is formed in preparation
    (筹备中), to be filled by its election."""
    committees = list(
        OwnersCommittee.objects.select_for_update(of=("self",))
        .filter(pk__in=[c.pk for c in committees])
        .select_related("area__community")
        .order_by("pk")
    )
    if len(committees) < 2:
        raise invalid("committees", _("请至少选择两个业委会。"))
    area = PropertyArea.objects.select_for_update().select_related("community").get(pk=area.pk)
    require(actor, "property_governance.merge_propertyarea", area)
    community = area.community
    if area.status != PropertyArea.Status.ACTIVE:
        raise invalid("area", _("合并后的业委会须属于在用的区域。"))
    active = (OwnersCommittee.Status.PREPARING, OwnersCommittee.Status.SERVING)
    for committee in committees:
        require(actor, "property_governance.merge_propertyarea", committee.area)
        if committee.area.community_id != community.pk:
            raise invalid("committees", _("只能合并同一居民区的业委会。"))
        if committee.status not in active:
            raise conflict(_("%(name)s已不在履职，不能合并。") % {"name": committee})
    check_term(term_starts_on, term_ends_on)
    text(reason, "reason", max_length=2000)
    a_date(merged_on, "merged_on")
    for committee in committees:
        committee.status = OwnersCommittee.Status.MERGED
        committee.ended_on = merged_on
        committee.save(update_fields=["status", "ended_on", "updated_at"])
    from .committees import next_term_number

    new = OwnersCommittee.objects.create(
        area=area,
        term_number=next_term_number(area),
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        status=OwnersCommittee.Status.PREPARING,
    )
    merge = _merge_row(
        actor, community, Merge.Kind.COMMITTEE, merged_on, reason, after_committee=new
    )
    merge.before_committees.set(committees)
    OwnersCommittee.objects.filter(pk__in=[c.pk for c in committees]).update(ended_by_merge=merge)
    return merge
