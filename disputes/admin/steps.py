"""The steps of one dispute case from its admin page: one small form per step, each calling the
service of that step. A refusal of the service is shown on the form (on the field it names) and
nothing is written; which steps a user is offered is the API's table (`actions_for`: the legal
move and the rule), so the page and the API never disagree."""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError

from .. import services
from ..models import DisputeCase, DisputeMediator, DisputeParty

STEP_TEMPLATE = "admin/disputes/step_form.html"
TEXTAREA = forms.Textarea(attrs={"rows": 4, "cols": 60})


def staff_covering(case, *, grid_leaders=True):
    """Active accounts holding a staff role over the case's community: its workers and the
    street's admins, and (unless told not to) the grid leaders of its micro-grids."""
    from accounts.models import Role, RoleAssignment, User

    q = Q(role=Role.COMMUNITY_WORKER, community_id=case.community_id) | Q(
        role=Role.STREET_ADMIN, street_id=case.community.street_id
    )
    if grid_leaders:
        q |= Q(role=Role.GRID_LEADER, grid__community_id=case.community_id)
    roles = RoleAssignment.objects.active().filter(q)
    return User.objects.filter(pk__in=roles.values("user_id"), is_active=True).order_by(
        "real_name", "pk"
    )


class StepForm(forms.Form):
    """A step's form: built for one case and one actor; `call` runs the service."""

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.actor = actor

    def call(self):
        raise NotImplementedError


class PartyForm(StepForm):
    resident = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("居民"),
        help_text=_("本居民区的居民；当事人为组织时留空，改填组织名称和类型。"),
    )
    org_name = forms.CharField(label=_("组织名称"), max_length=100, required=False)
    org_kind = forms.ChoiceField(
        label=_("组织类型"),
        choices=[("", "---------"), *DisputeParty.OrgKind.choices],
        required=False,
    )
    note = forms.CharField(label=_("诉求"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from residents.models import Resident

        residents = Resident.objects.filter(community_id=self.case.community_id)
        self.fields["resident"].queryset = (
            actor_scope(self.actor).filter(residents, Level.PEOPLE).order_by("name", "pk")
        )

    def call(self):
        data = self.cleaned_data
        return services.case_add_party(
            actor=self.actor,
            case=self.case,
            resident=data["resident"],
            org_name=data["org_name"],
            org_kind=data["org_kind"],
            note=data["note"],
        )


class MediatorForm(StepForm):
    user = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("账号"),
        help_text=_(
            "本居民区的工作人员（有账号的调解人员可查阅并办理本案）；没有账号的人员留空，改填姓名。"
        ),
    )
    name = forms.CharField(label=_("姓名"), max_length=32, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=DisputeMediator.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_covering(self.case)

    def call(self):
        data = self.cleaned_data
        return services.case_add_mediator(
            actor=self.actor,
            case=self.case,
            role=data["role"],
            user=data["user"],
            name=data["name"] if data["user"] is None else "",
        )


class SessionForm(StepForm):
    held_on = forms.DateField(
        label=_("调解日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不能晚于今天。"),
    )
    place = forms.CharField(label=_("地点"), max_length=100)
    attendance = forms.CharField(
        label=_("参加人员"), max_length=300, help_text=_("当事人、调解人员及其他到场人员。")
    )
    notes = forms.CharField(label=_("调解记录"), max_length=5000, widget=TEXTAREA)

    def call(self):
        return services.case_record_session(actor=self.actor, case=self.case, **self.cleaned_data)


class OutcomeForm(StepForm):
    outcome = forms.ChoiceField(label=_("调解结果"), choices=DisputeCase.Outcome.choices)
    agreement_file = forms.FileField(
        label=_("调解协议书（签字版）"),
        required=False,
        help_text=_("达成协议时必传：PDF 或图片（jpg、png），不超过 10MB。"),
    )
    referred_to_kind = forms.ChoiceField(
        label=_("转交去向"),
        choices=[("", "---------"), *DisputeCase.ReferredTo.choices],
        required=False,
        help_text=_("转交处理时必填。"),
    )
    referred_to = forms.CharField(
        label=_("转交单位"),
        max_length=100,
        required=False,
        help_text=_("转交处理时必填，如某区人民法院。"),
    )
    note = forms.CharField(
        label=_("结果说明"),
        max_length=2000,
        required=False,
        widget=TEXTAREA,
        help_text=_("转交处理和当事人撤回时必填。"),
    )

    def call(self):
        return services.case_record_outcome(actor=self.actor, case=self.case, **self.cleaned_data)


class FollowupForm(StepForm):
    note = forms.CharField(label=_("回访情况"), max_length=2000, widget=TEXTAREA)

    def call(self):
        return services.case_record_followup(
            actor=self.actor, case=self.case, note=self.cleaned_data["note"]
        )


class AssignForm(StepForm):
    owner = forms.ModelChoiceField(
        queryset=None,
        label=_("包案人"),
        help_text=_("该居民区的社区工作者或街道管理员；首次指定后案件进入调解。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_covering(self.case, grid_leaders=False)

    def call(self):
        return services.case_assign(
            actor=self.actor, case=self.case, owner=self.cleaned_data["owner"]
        )


class CancelForm(StepForm):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("仅待受理的案件可以撤销（如重复登记、登记有误）。"),
    )

    def call(self):
        return services.case_cancel(
            actor=self.actor, case=self.case, reason=self.cleaned_data["reason"]
        )


class CloseForm(StepForm):
    """Closing asks nothing: the page only confirms."""

    def call(self):
        return services.case_close(actor=self.actor, case=self.case)


# step: (button / page title, form, message when done)
STEPS = {
    "assign": (_("指定包案人"), AssignForm, _("已指定包案人。")),
    "add_party": (_("添加当事人"), PartyForm, _("已添加当事人。")),
    "add_mediator": (_("添加调解人员"), MediatorForm, _("已添加调解人员。")),
    "record_session": (_("登记调解记录"), SessionForm, _("已登记调解记录。")),
    "record_outcome": (_("登记调解结果"), OutcomeForm, _("已登记调解结果，回访期限已开始计算。")),
    "record_followup": (_("登记回访"), FollowupForm, _("已登记回访。")),
    "close": (_("结案"), CloseForm, _("已结案。")),
    "cancel": (_("撤销案件"), CancelForm, _("已撤销。")),
}


def add_service_error(form, exc: ApplicationError):
    """The service's refusal on the form: on each field it names, else above the form."""
    placed = False
    for field, reasons in (exc.fields or {}).items():
        if field in form.fields:
            form.add_error(field, reasons)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def step_page(modeladmin, request, case, step, *, back_url):
    """GET shows the step's form; POST calls the service once and goes back to the case, or
    shows the form again with the refusal (the service's transaction wrote nothing)."""
    title, form_class, done = STEPS[step]
    bound = request.method == "POST"
    form = form_class(
        request.POST if bound else None,
        request.FILES if bound else None,
        case=case,
        actor=request.user,
    )
    if bound and form.is_valid():
        try:
            form.call()
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            modeladmin.message_user(request, gettext(done), messages.SUCCESS)
            return HttpResponseRedirect(back_url)
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "original": case,
        "title": title,
        "form": form,
        "back_url": back_url,
    }
    return TemplateResponse(request, STEP_TEMPLATE, context)
