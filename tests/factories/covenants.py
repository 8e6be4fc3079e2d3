"""Factories for covenants: a draft covenant with its first version (first rows only; later
states are reached through covenants.services, see `to_state`)."""

import datetime

import factory
from django.utils import timezone

from covenants import services
from covenants.models import Covenant, CovenantVersion, Origin

from .org import CommunityFactory


class CovenantFactory(factory.django.DjangoModelFactory):
    """A draft covenant of a whole community drafted by a worker, with version 1."""

    class Meta:
        model = Covenant
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    audience = "community"
    title = factory.Sequence(lambda n: f"文明养犬公约{n}")
    origin = Origin.WORKER

    @factory.post_generation
    def version(obj, create, extracted, **kwargs):
        if not create:
            return
        version = CovenantVersion.objects.create(
            covenant=obj, number=1, text=extracted or "<p>遛狗牵绳，及时清理粪便。</p>"
        )
        Covenant.objects.filter(pk=obj.pk).update(current_version=version)
        obj.current_version = version


def later(**kwargs):
    return timezone.now() + datetime.timedelta(**(kwargs or {"days": 7}))


def to_state(covenant, actor, state, *, method="sign_on", basis="eligible", num=2, den=3):
    """Move a draft through the real services to `state` (discussion or signing)."""
    services.covenant_open_discussion(actor=actor, covenant=covenant, closes_at=later())
    if state == "signing":
        services.covenant_open_signing(
            actor=actor,
            covenant=covenant,
            closes_at=later(),
            method=method,
            threshold_basis=basis,
            threshold_numerator=num,
            threshold_denominator=den,
        )
    covenant.refresh_from_db()
    return covenant
