"""Admin of intake: sweeps (recorded through the service, even when nothing was found) and the
reception roster."""

from django.contrib import admin

from core.admin import ScopedModelAdmin, ServiceAdminMixin, ServiceModelForm

from .. import services
from ..models import DisputeSweep, ReceptionDay, ReceptionRecord


class SweepForm(ServiceModelForm):
    class Meta:
        model = DisputeSweep
        fields = ("grid", "swept_on", "found_count", "note")

    def call_service(self):
        return services.sweep_record(actor=self.actor, **self.cleaned_data)


@admin.register(DisputeSweep)
class DisputeSweepAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = SweepForm
    list_display = ("swept_on", "community", "grid", "found_count", "swept_by")
    list_filter = ("swept_on",)
    list_select_related = ("community", "grid", "swept_by")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class ReceptionDayForm(ServiceModelForm):
    class Meta:
        model = ReceptionDay
        fields = ("community", "day", "time_slot", "place", "receivers", "note")

    def call_service(self):
        return services.reception_day_schedule(actor=self.actor, **self.cleaned_data)


@admin.register(ReceptionDay)
class ReceptionDayAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ReceptionDayForm
    list_display = ("day", "time_slot", "community", "place")
    list_select_related = ("community",)
    filter_horizontal = ("receivers",)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class ReceptionRecordForm(ServiceModelForm):
    class Meta:
        model = ReceptionRecord
        fields = ("reception", "resident", "visitor", "matter")

    def call_service(self):
        return services.reception_record_add(actor=self.actor, **self.cleaned_data)


@admin.register(ReceptionRecord)
class ReceptionRecordAdmin(ServiceAdminMixin, ScopedModelAdmin):
    form = ReceptionRecordForm
    list_display = ("reception", "visitor", "received_by", "created_at")
    list_select_related = ("reception__community", "received_by")
    raw_id_fields = ("resident",)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
