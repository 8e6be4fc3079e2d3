"""REST API of micro-projects, for residents and staff.

Each view: input serializer → selector within scope (a project out of scope is a 404) → rules
permission on the project → one service → output serializer. A project's detail lists the
actions the caller may take now, so a page shows only the buttons that will work.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.scope import Level, actor_scope
from core.pagination import PagePagination
from core.permissions import RulesPermission
from grids.models import Community
from proposals.models import Topic
from residents.models import Resident

from . import selectors, services
from .filters import FundPoolFilter, ProjectFilter
from .models import BudgetLine, FundPool, Project, ProjectMember

# ---------------------------------------------------------------------------------------------
# Fields


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id that must name a row the caller can see; any other id reads as non-existent."""

    def __init__(self, *, level=Level.PUBLIC, **kwargs):
        self.level = level
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = request.user if request else None
        return actor_scope(user).filter(super().get_queryset(), self.level)


# ---------------------------------------------------------------------------------------------
# Output serializers


class ProjectRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProjectUserRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


MONEY = {"max_digits": 14, "decimal_places": 2}


class ProjectListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    stage = serializers.CharField()
    stage_display = serializers.CharField(source="get_stage_display")
    topic = serializers.IntegerField(source="topic_id")
    community = ProjectRefOutput()
    grid = ProjectRefOutput(allow_null=True)
    lead = ProjectRefOutput(allow_null=True)
    members_count = serializers.IntegerField()
    is_member = serializers.BooleanField(default=False)
    budget_total = serializers.DecimalField(**MONEY)
    fund_allocated = serializers.DecimalField(**MONEY)
    spent_total = serializers.DecimalField(**MONEY)
    review_closes_at = serializers.DateTimeField(allow_null=True)
    satisfaction_score = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    evaluations_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class BudgetLineOutput(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    source_display = serializers.CharField(source="get_source_display")
    amount = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    pool = serializers.IntegerField(source="pool_id", allow_null=True)
    pool_year = serializers.IntegerField(source="pool.year", allow_null=True, default=None)
    description = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProjectSourceTotalOutput(serializers.Serializer):
    source = serializers.CharField()
    source_display = serializers.CharField()
    budget = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)


class ProjectMilestoneOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)


class ProjectPhotoOutput(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.FileField(source="image", use_url=True)
    caption = serializers.CharField()


class ProjectUpdateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    author = ProjectUserRefOutput(allow_null=True)
    photos = ProjectPhotoOutput(many=True, source="photos.all")
    created_at = serializers.DateTimeField()


class ProjectCovenantOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    published_at = serializers.DateTimeField()


class ProjectEventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor_label = serializers.CharField()
    verb = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()
    data = serializers.JSONField()
    is_public = serializers.BooleanField()


class ProjectEvaluationSummaryOutput(serializers.Serializer):
    count = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    per_rating = serializers.DictField(child=serializers.IntegerField())


class ProjectDetailOutput(ProjectListOutput):
    plan = serializers.CharField()
    results = serializers.CharField()
    cancelled_reason = serializers.CharField()
    planning_at = serializers.DateTimeField(allow_null=True)
    in_progress_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    review_days = serializers.IntegerField(allow_null=True)
    review_opens_at = serializers.DateTimeField(allow_null=True)
    budget_lines = BudgetLineOutput(many=True, source="budget_lines.all")
    source_totals = ProjectSourceTotalOutput(many=True)
    milestones = ProjectMilestoneOutput(many=True, source="milestones.all")
    latest_updates = ProjectUpdateOutput(many=True)
    covenants = ProjectCovenantOutput(many=True, source="covenants.all")
    evaluation_summary = ProjectEvaluationSummaryOutput()
    timeline = ProjectEventOutput(many=True)
    actions = serializers.ListField(
        child=serializers.CharField(), help_text=_("调用者此刻可以执行的操作")
    )


class ProjectMemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")
    joined_at = serializers.DateTimeField()


class ExpenseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    budget_line = serializers.IntegerField(source="budget_line_id")
    source = serializers.CharField(source="budget_line.source")
    amount = serializers.DecimalField(**MONEY)
    spent_on = serializers.DateField()
    payee = serializers.CharField()
    description = serializers.CharField()
    receipt = serializers.FileField(use_url=True, allow_null=True)
    created_at = serializers.DateTimeField()


class ProjectEvaluationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    user = ProjectUserRefOutput()
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProjectCommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author_label = serializers.CharField()
    body = serializers.SerializerMethodField()
    hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_body(self, comment) -> str:
        # A hidden comment stays in place with its reason; its text is withheld.
        return "" if comment.hidden else comment.body


class FundPoolOutput(serializers.Serializer):
    id = serializers.IntegerField()
    community = ProjectRefOutput()
    year = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    allocated = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    note = serializers.CharField()


# ---------------------------------------------------------------------------------------------
# Input serializers


class ProjectAdoptInput(serializers.Serializer):
    topic = ScopedPrimaryKeyField(queryset=Topic.objects.all(), level=Level.PUBLIC)
    title = serializers.CharField(max_length=100)
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    plan = serializers.CharField(required=False, allow_blank=True, default="")
    lead = ScopedPrimaryKeyField(
        queryset=Resident.objects.all(), level=Level.PEOPLE, required=False, allow_null=True
    )


class ProjectStartInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ProjectPublishInput(serializers.Serializer):
    results = serializers.CharField()
    review_days = serializers.IntegerField(
        default=services.DEFAULT_REVIEW_DAYS, help_text=_("公示评价期天数，默认 7 天")
    )


class ProjectCancelInput(serializers.Serializer):
    reason = serializers.CharField()


class ProjectJoinInput(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=[(r.value, r.label) for r in services.SELF_SIGNUP_ROLES],
        default=ProjectMember.Role.PARTICIPANT,
    )


class BudgetLineInput(serializers.Serializer):
    source = serializers.ChoiceField(choices=BudgetLine.Source.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    pool = ScopedPrimaryKeyField(
        queryset=FundPool.objects.all(), level=Level.PEOPLE, required=False, allow_null=True
    )
    description = serializers.CharField(max_length=200)


class ExpenseInput(serializers.Serializer):
    budget_line = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    spent_on = serializers.DateField()
    payee = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=200)
    receipt = serializers.FileField(required=False, allow_null=True)


class ProjectUpdateInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    photos = serializers.ListField(
        child=serializers.ImageField(),
        required=False,
        default=list,
        max_length=services.MAX_PHOTOS,
    )


class ProjectEvaluationInput(serializers.Serializer):
    rating = serializers.IntegerField(help_text=_("1–5 分"))
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ProjectCommentInput(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class FundPoolInput(serializers.Serializer):
    community = ScopedPrimaryKeyField(queryset=Community.objects.all(), level=Level.PEOPLE)
    year = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# ---------------------------------------------------------------------------------------------
# Views


class ProjectApi(GenericAPIView):
    """Base: fetch the project in the caller's public scope, check the rules permission."""

    permission_classes = [RulesPermission]
    permission_required = None
    queryset = Project.objects.none()  # for the schema's path parameter; reads use selectors

    def check_permissions(self, request):
        # Only authentication up front: the rules permission is checked on the project once
        # it is fetched within scope, so that an out-of-scope project answers 404 to everyone
        # (a 403 would tell an outsider that it exists).
        if not (request.user and request.user.is_authenticated):
            self.permission_denied(request)

    def get_project(self, *, detail=False):
        project = selectors.project_get(
            actor=self.request.user, pk=self.kwargs["pk"], detail=detail
        )
        self.check_object_permissions(self.request, project)
        return project

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context={"request": self.request}).data
        return self.get_paginated_response(data)

    def detail(self, project, code=status.HTTP_200_OK):
        project = selectors.project_get(actor=self.request.user, pk=project.pk, detail=True)
        project.actions = selectors.project_actions(actor=self.request.user, project=project)
        data = ProjectDetailOutput(project, context={"request": self.request}).data
        return Response(data, status=code)


class ProjectListApi(ProjectApi):
    pagination_class = PagePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter
    serializer_class = ProjectListOutput

    def filter_queryset(self, queryset):
        return queryset  # filtered by the selector; the backend is here for the schema

    def get_queryset(self):
        return selectors.project_list(actor=self.request.user, filters=self.request.query_params)

    @extend_schema(summary=_("微项目列表"), responses=ProjectListOutput(many=True))
    def get(self, request):
        return self.paginated(self.get_queryset(), ProjectListOutput)


class ProjectAdoptApi(ProjectApi):
    permission_required = "projects.adopt_topic"
    check_permissions = GenericAPIView.check_permissions  # no project in the URL to scope first

    @extend_schema(
        summary=_("议题立项为微项目"),
        request=ProjectAdoptInput,
        responses={201: ProjectDetailOutput},
    )
    def post(self, request):
        data = ProjectAdoptInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        self.check_object_permissions(request, data.validated_data["topic"])
        project = services.project_adopt(actor=request.user, **data.validated_data)
        return self.detail(project, status.HTTP_201_CREATED)


class ProjectDetailApi(ProjectApi):
    @extend_schema(summary=_("微项目详情"), responses=ProjectDetailOutput)
    def get(self, request, pk):
        return self.detail(self.get_project())


class ProjectTimelineApi(ProjectApi):
    pagination_class = PagePagination
    serializer_class = ProjectEventOutput

    @extend_schema(summary=_("微项目动态"), responses=ProjectEventOutput(many=True))
    def get(self, request, pk):
        project = self.get_project()
        return self.paginated(
            selectors.project_timeline(actor=request.user, project=project), ProjectEventOutput
        )


def _stage_view(name, input_class, call, summary):
    class View(ProjectApi):
        permission_required = {"post": "projects.manage_project"}

        @extend_schema(summary=summary, request=input_class, responses=ProjectDetailOutput)
        def post(self, request, pk):
            project = self.get_project()
            data = input_class(data=request.data)
            data.is_valid(raise_exception=True)
            call(actor=request.user, project=project, **data.validated_data)
            return self.detail(project)

    View.__name__ = View.__qualname__ = name
    return View


class ProjectEmptyInput(serializers.Serializer):
    pass


ProjectStartApi = _stage_view(
    "ProjectStartApi", ProjectStartInput, services.project_start, _("开始实施")
)
ProjectPublishApi = _stage_view(
    "ProjectPublishApi", ProjectPublishInput, services.project_publish, _("公示成果与账目")
)
ProjectCloseApi = _stage_view(
    "ProjectCloseApi", ProjectEmptyInput, services.project_close, _("评价期结束后结项")
)
ProjectCancelApi = _stage_view(
    "ProjectCancelApi", ProjectCancelInput, services.project_cancel, _("取消项目")
)


class ProjectMembersApi(ProjectApi):
    pagination_class = PagePagination
    serializer_class = ProjectMemberOutput
    permission_required = {"post": "projects.join_project"}

    @extend_schema(summary=_("项目成员"), responses=ProjectMemberOutput(many=True))
    def get(self, request, pk):
        members = selectors.member_list(project=self.get_project())
        return self.paginated(members, ProjectMemberOutput)

    @extend_schema(
        summary=_("报名参与"), request=ProjectJoinInput, responses={201: ProjectMemberOutput}
    )
    def post(self, request, pk):
        project = self.get_project()
        data = ProjectJoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.member_join(actor=request.user, project=project, **data.validated_data)
        return Response(ProjectMemberOutput(member).data, status=status.HTTP_201_CREATED)


class ProjectMemberMeApi(ProjectApi):
    @extend_schema(summary=_("退出项目"), request=None, responses={204: None})
    def delete(self, request, pk):
        services.member_leave(actor=request.user, project=self.get_project())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProjectBudgetLinesApi(ProjectApi):
    pagination_class = PagePagination
    serializer_class = BudgetLineOutput
    permission_required = {"post": "projects.manage_project"}

    @extend_schema(summary=_("预算明细"), responses=BudgetLineOutput(many=True))
    def get(self, request, pk):
        project = self.get_project()
        return self.paginated(selectors.budget_line_list(project=project), BudgetLineOutput)

    @extend_schema(
        summary=_("添加预算明细"), request=BudgetLineInput, responses={201: BudgetLineOutput}
    )
    def post(self, request, pk):
        project = self.get_project()
        data = BudgetLineInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        line = services.budget_line_add(actor=request.user, project=project, **data.validated_data)
        line = selectors.budget_line_list(project=project).get(pk=line.pk)
        return Response(BudgetLineOutput(line).data, status=status.HTTP_201_CREATED)


class ProjectExpensesApi(ProjectApi):
    pagination_class = PagePagination
    serializer_class = ExpenseOutput
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    permission_required = {"post": "projects.manage_project"}

    @extend_schema(summary=_("支出明细"), responses=ExpenseOutput(many=True))
    def get(self, request, pk):
        return self.paginated(selectors.expense_list(project=self.get_project()), ExpenseOutput)

    @extend_schema(
        summary=_("登记支出（可附票据）"),
        request={"multipart/form-data": ExpenseInput},
        responses={201: ExpenseOutput},
    )
    def post(self, request, pk):
        project = self.get_project()
        data = ExpenseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        line = BudgetLine.objects.filter(pk=values.pop("budget_line"), project=project).first()
        if line is None:
            raise services._invalid("budget_line", _("请选择本项目的预算明细。"))
        expense = services.expense_record(
            actor=request.user, project=project, budget_line=line, **values
        )
        return Response(
            ExpenseOutput(expense, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProjectUpdatesApi(ProjectApi):
    pagination_class = PagePagination
    serializer_class = ProjectUpdateOutput
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    permission_required = {"post": "projects.post_update_project"}

    @extend_schema(summary=_("项目进展"), responses=ProjectUpdateOutput(many=True))
    def get(self, request, pk):
        updates = selectors.update_list(project=self.get_project())
        return self.paginated(updates, ProjectUpdateOutput)

    @extend_schema(
        summary=_("发布进展（可附照片）"),
        request={"multipart/form-data": ProjectUpdateInput},
        responses={201: ProjectUpdateOutput},
    )
    def post(self, request, pk):
        project = self.get_project()
        data = ProjectUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.progress_post(actor=request.user, project=project, **data.validated_data)
        update = selectors.update_list(project=project).get(pk=update.pk)
        data = ProjectUpdateOutput(update, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class ProjectEvaluationsApi(ProjectApi):
    pagination_class = PagePagination
    serializer_class = ProjectEvaluationOutput
    permission_required = {"post": "projects.evaluate_project"}

    @extend_schema(summary=_("居民评价"), responses=ProjectEvaluationOutput(many=True))
    def get(self, request, pk):
        project = self.get_project()
        return self.paginated(selectors.evaluation_list(project=project), ProjectEvaluationOutput)

    @extend_schema(
        summary=_("评价项目"),
        request=ProjectEvaluationInput,
        responses={201: ProjectEvaluationOutput},
    )
    def post(self, request, pk):
        project = self.get_project()
        data = ProjectEvaluationInput(data=request.data)
        data.is_valid(raise_exception=True)
        evaluation = services.evaluation_submit(
            actor=request.user, project=project, **data.validated_data
        )
        return Response(ProjectEvaluationOutput(evaluation).data, status=status.HTTP_201_CREATED)


class ProjectCommentsApi(ProjectApi):
    pagination_class = PagePagination
    serializer_class = ProjectCommentOutput
    permission_required = {"post": "projects.comment_project"}

    @extend_schema(summary=_("项目评论"), responses=ProjectCommentOutput(many=True))
    def get(self, request, pk):
        comments = selectors.comment_list(project=self.get_project())
        return self.paginated(comments, ProjectCommentOutput)

    @extend_schema(
        summary=_("发表评论"), request=ProjectCommentInput, responses={201: ProjectCommentOutput}
    )
    def post(self, request, pk):
        from proposals.services import comment_create

        project = self.get_project()
        data = ProjectCommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        comment = comment_create(
            actor=request.user,
            topic=project.topic,
            project=project,
            body=data.validated_data["body"],
        )
        return Response(ProjectCommentOutput(comment).data, status=status.HTTP_201_CREATED)


class FundPoolListApi(GenericAPIView):
    permission_classes = [RulesPermission]
    permission_required = {"get": "projects.view_fundpool", "post": "projects.add_fundpool"}
    pagination_class = PagePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = FundPoolFilter
    serializer_class = FundPoolOutput

    def filter_queryset(self, queryset):
        return queryset  # filtered by the selector; the backend is here for the schema

    def get_queryset(self):
        return selectors.fund_pool_list(actor=self.request.user, filters=self.request.query_params)

    @extend_schema(summary=_("专项资金池（已分配与余额）"), responses=FundPoolOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(FundPoolOutput(page, many=True).data)

    @extend_schema(
        summary=_("设定专项资金池（街道管理员）"),
        request=FundPoolInput,
        responses={200: FundPoolOutput, 409: OpenApiResponse(description=_("低于已分配金额"))},
    )
    def post(self, request):
        data = FundPoolInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        pool = services.fund_pool_set(actor=request.user, **data.validated_data)
        pool = selectors.fund_pool_queryset(actor=request.user).get(pk=pool.pk)
        return Response(FundPoolOutput(pool).data)
