"""The case page's read-only lists: parties, mediators, sessions and the internal timeline.
Rows are added only through the steps (disputes.admin.steps)."""

from volunteers.admin.common import ReadOnlyInline

from ..models import DisputeCaseEvent, DisputeMediator, DisputeParty, DisputeSession


class PartyInline(ReadOnlyInline):
    model = DisputeParty
    fields = ("resident", "org_name", "org_kind", "note")
    readonly_fields = fields


class MediatorInline(ReadOnlyInline):
    model = DisputeMediator
    fields = ("name", "role", "user")
    readonly_fields = fields


class SessionInline(ReadOnlyInline):
    model = DisputeSession
    fields = ("held_on", "place", "attendance", "notes", "recorded_by")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = DisputeCaseEvent
    fields = ("at", "actor_label", "verb", "from_state", "to_state", "note")
    readonly_fields = fields
