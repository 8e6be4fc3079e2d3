import datetime

import factory

from accounts.models import ROLE_UNIT, Role, RoleAssignment, User
from accounts.scope import forget_scope


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory, is_staff=True)
    role = Role.COMMUNITY_WORKER


# Roles in tests began long ago, so that a test which moves the clock to a fixed day still finds
# them in force whatever the real date is when the suite runs (a term that starts "today" made
# every fixed-date test fail once that day had passed).
GRANTED_SINCE = datetime.date(2020, 1, 1)


def grant(user, role, unit, *, starts_on=GRANTED_SINCE):
    """Give `user` `role` over `unit` (a District, Street, Community or MicroGrid)."""
    RoleAssignment.objects.create(
        user=user, role=role, starts_on=starts_on, **{ROLE_UNIT[role]: unit}
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    forget_scope(user)
    return user


class ResidentAccountFactory(UserFactory):
    """A resident's self-registered account: the phone number is the username; pending."""

    phone = factory.Sequence(lambda n: f"139{n:08d}")
    username = factory.LazyAttribute(lambda o: o.phone)
    claimed_community = factory.SubFactory("tests.factories.org.CommunityFactory")
    verification_status = User.Verification.PENDING
