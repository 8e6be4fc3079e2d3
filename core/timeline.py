"""The public timeline, built once: every workflow's history is rows of one shape.

A workflow subject (a topic, a project, later a covenant or a case) gets a concrete event
model by subclassing `TimelineEvent` and adding the foreign key to its subject:

    class TopicEvent(TimelineEvent):
        topic = models.ForeignKey(Topic, models.CASCADE, related_name="events")

Its services append one row per change, inside the same transaction as the change, through
`timeline_append(...)`. Rows are never edited. `is_public=False` marks workers' internal notes
that residents never see.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimelineEvent(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("为空表示系统自动操作（如到期提醒）"),
    )
    actor_label = models.CharField(
        _("操作人身份"),
        max_length=64,
        blank=True,
        help_text=_("公开显示的身份，如“一居 社区工作者”或“居民”"),
    )
    verb = models.CharField(_("动作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)
    is_public = models.BooleanField(_("公开"), default=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


def timeline_append(
    model,
    *,
    subject_field,
    subject,
    actor,
    verb,
    note="",
    from_state="",
    to_state="",
    actor_label="",
    is_public=True,
    **data,
):
    """Append one event to `subject`'s timeline (call inside the change's transaction)."""
    return model.objects.create(
        **{subject_field: subject},
        actor=actor,
        actor_label=actor_label,
        verb=verb,
        note=note,
        from_state=from_state,
        to_state=to_state,
        is_public=is_public,
        data=data,
    )
