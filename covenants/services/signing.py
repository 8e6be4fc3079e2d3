"""Household signatures (签署) and votes (表决): online by a verified member living in the
covenant's scope, or entered from paper by a worker for an offline household.

One per household per version: the unique (version, household) decides between two phones
of one family, or a phone and a worker's entry, submitted at the same moment; the loser
answers 409 and nothing of it is kept.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.scope import Home, home_in_target, resident_home
from residents.models import Resident

from ..models import Covenant, CovenantVersion, Signature, SigningMethod, VersionState
from ._common import (
    conflict,
    insert_once,
    invalid,
    not_allowed,
    require,
    text,
    unit_name,
)

Choice = Signature.Choice


def _locked_signing_version(covenant):
    """The version in signing, row-locked (FOR NO KEY UPDATE) until the signature commits.

    covenant_decide locks the same row before it counts, so a signature is either counted or
    refused, never stored after the count: a signer waiting behind the decision re-reads the
    row, finds it no longer in signing and is told so. Signers of one covenant queue here
    for a moment; the unique (version, household) still decides between members of one
    household."""
    return (
        CovenantVersion.objects.select_for_update(no_key=True)
        .filter(covenant=covenant, state=VersionState.SIGNING)
        .order_by("-number")
        .first()
    )


def _signing_version(covenant, now) -> CovenantVersion:
    version = _locked_signing_version(covenant)
    if version is None:
        raise conflict(_("规约当前不在签署表决期。"))
    if version.signing_closes_at <= now:
        raise conflict(_("签署已截止。"))
    return version


def _choice(version, choice):
    if version.signing_method == SigningMethod.SIGN_ON:
        if choice not in (None, "", Choice.YES):
            raise invalid("choice", _("按户签署只能选择同意。"))
        return Choice.YES
    if choice not in Choice.values:
        raise invalid("choice", _("请选择同意或反对。"))
    return choice


def sign_refusal(user, covenant, *, now=None, version=None) -> str:
    """Why `user` may not sign for their household now ("" when they may). No query beyond
    the cached home when `version` (the signing version) is given."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated:
        return _("请先登录。")
    if version is None or version.state != VersionState.SIGNING:
        return _("规约当前不在签署表决期。")
    if version.signing_closes_at <= now:
        return _("签署已截止。")
    if not user.is_verified:
        return _("实名核验通过后才能签署。")
    if not user.has_perm("covenants.sign_covenant", covenant):
        return _("只有本居民区的实名居民可以签署。")
    home = resident_home(user)
    if home is None:
        return _("您的账号未关联在住的居民信息，请联系社区工作者。")
    if not home_in_target(home, covenant):
        return _("本规约仅限%(unit)s的住户签署。") % {"unit": unit_name(covenant)}
    if home.household_id is None:
        return _("按户签署，您的住户信息尚未登记，请联系社区工作者。")
    return ""


def _store(version, home, choice, *, taken, **fields):
    return insert_once(
        lambda: Signature.objects.create(
            version=version,
            household_id=home.household_id,
            resident_id=home.resident_id,
            choice=choice,
            **fields,
        ),
        taken,
    )


def _fresh(covenant):
    return Covenant.objects.select_related("community", "compound", "building").get(pk=covenant.pk)


@transaction.atomic
def covenant_sign(*, actor, covenant, choice=None) -> Signature:
    """A verified resident living in the scope signs (or votes) for their household, once."""
    covenant = _fresh(covenant)
    version = _locked_signing_version(covenant)
    now = timezone.now()
    refusal = sign_refusal(actor, covenant, now=now, version=version)
    if refusal:
        if version is None or version.signing_closes_at <= now:
            raise conflict(refusal)
        raise not_allowed(refusal)
    choice = _choice(version, choice)
    return _store(
        version,
        resident_home(actor),
        choice,
        taken=_("您家已有家庭成员签署或表决过，每户只能一次。"),
        user=actor,
        channel=Signature.Channel.ONLINE,
        signed_at=now,
    )


@transaction.atomic
def covenant_paper_sign(*, actor, covenant, resident, choice=None, note="") -> Signature:
    """A worker enters the paper signature (or vote) of an offline household, naming the
    member who signed; the row records the worker."""
    covenant = _fresh(covenant)
    require(actor, "covenants.enter_paper_signature", covenant)
    note = text(note, "note", max_length=100, required=False)
    now = timezone.now()
    version = _signing_version(covenant, now)
    resident = (
        Resident.objects.select_related("community", "building")
        .filter(pk=getattr(resident, "pk", resident))
        .first()
    )
    if resident is None or resident.status != Resident.Status.LIVING:
        raise invalid("resident", _("请选择在住的居民。"))
    building = resident.building
    home = Home(
        resident_id=resident.pk,
        household_id=resident.household_id,
        community_id=resident.community_id,
        street_id=resident.community.street_id,
        compound_id=building.compound_id if building is not None else None,
        building_id=resident.building_id,
    )
    if not home_in_target(home, covenant):
        raise invalid("resident", _("该居民不在规约的适用范围内。"))
    if home.household_id is None:
        raise invalid("resident", _("该居民尚未登记所属户，不能代表户签署。"))
    choice = _choice(version, choice)
    return _store(
        version,
        home,
        choice,
        taken=_("该居民所在的户已经签署或表决过。"),
        user_id=resident.account_id,
        channel=Signature.Channel.PAPER,
        entered_by=actor,
        paper_note=note,
        signed_at=now,
    )
