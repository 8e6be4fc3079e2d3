"""Dispute factories: the first rows; later states are reached through disputes.services."""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from disputes import services
from disputes.models import DisputeCase, DisputeSweep

# The smallest valid PDF a phone camera app would never make, but a signed scan stands in for.
TINY_PDF = (
    b"%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def agreement_upload(name="协议书.pdf", content=TINY_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class DisputeSweepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisputeSweep

    grid = factory.SubFactory("tests.factories.org.MicroGridFactory")
    community = factory.LazyAttribute(lambda o: o.grid.community)
    swept_on = factory.LazyFunction(lambda: datetime.date(2026, 1, 5))
    found_count = 1


class DisputeCaseFactory(factory.django.DjangoModelFactory):
    """A case in intake, opened by referral (no source row needed)."""

    class Meta:
        model = DisputeCase

    community = factory.SubFactory("tests.factories.org.CommunityFactory")
    category = DisputeCase.Category.NEIGHBOUR
    summary = factory.Sequence(lambda n: f"楼上漏水纠纷 {n}")
    source = DisputeCase.Source.REFERRAL
    referral_from = "派出所"


def case_in(state, *, actor, owner, community, grid=None, **kwargs):
    """A case walked to `state` through the real services."""
    case = services.case_open(
        actor=actor,
        community=community,
        grid=grid,
        category=kwargs.pop("category", DisputeCase.Category.NEIGHBOUR),
        summary="楼上漏水，楼下天花板受损",
        source=DisputeCase.Source.REFERRAL,
        referral_from="派出所",
        **kwargs,
    )
    S = DisputeCase.Status
    if state == S.INTAKE:
        return case
    if state == S.CANCELLED:
        return services.case_cancel(actor=actor, case=case, reason="重复登记")
    services.case_assign(actor=actor, case=case, owner=owner)
    if state == S.MEDIATING:
        return case
    services.case_record_outcome(
        actor=actor, case=case, outcome="agreement", agreement_file=agreement_upload()
    )
    if state == S.RESOLVED:
        return case
    services.case_record_followup(actor=actor, case=case, note="双方履行协议")
    if state == S.FOLLOWED_UP:
        return case
    return services.case_close(actor=actor, case=case)
