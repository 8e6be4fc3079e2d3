"""The grids API: thin views over selectors and services.

Each view parses input with an input serializer, fetches within the caller's scope (out of
scope is 404), checks a rules permission, calls one service and renders an output serializer.
"""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.scope import Level
from core.exceptions import ApplicationError
from core.permissions import RulesPermission

from . import filters, selectors, services
from . import serializers as s

# Base views ------------------------------------------------------------------------------------


class _GridsApi(GenericAPIView):
    permission_classes = [RulesPermission]
    selector = None  # callable(*, actor) -> scoped queryset
    output_serializer = None
    input_serializer = None
    update_serializer = None

    def get_queryset(self):
        return type(self).selector(actor=self.request.user)

    def get_serializer_class(self):
        return self.output_serializer

    def parse(self, serializer_class, *, partial=False):
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def render(self, obj, status_code=status.HTTP_200_OK):
        # Re-read through the selector: the response shows the row as the caller may see it,
        # with the same joins and annotations as the list.
        obj = selectors.get_or_404(self.get_queryset(), obj.pk)
        return Response(
            self.output_serializer(obj, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def get_object(self):
        obj = selectors.get_or_404(self.get_queryset(), self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj


class ListApi(_GridsApi):
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = self.output_serializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class ListCreateApi(ListApi):
    def create(self, data):
        raise NotImplementedError

    def post(self, request):
        obj = self.create(self.parse(self.input_serializer))
        return self.render(obj, status.HTTP_201_CREATED)


class DetailApi(_GridsApi):
    def get(self, request, pk):
        return Response(self.output_serializer(self.get_object()).data)


class DetailUpdateApi(DetailApi):
    def update(self, obj, data):
        raise NotImplementedError

    def patch(self, request, pk):
        obj = self.get_object()
        return self.render(self.update(obj, self.parse(self.update_serializer, partial=True)))


class VerbApi(_GridsApi):
    """POST /<things>/{id}/<verb>/: one workflow step, one service."""

    def act(self, obj, data):
        raise NotImplementedError

    def post(self, request, pk):
        obj = self.get_object()
        return self.render(self.act(obj, self.parse(self.input_serializer)))


def documented(tag, *, list_of=None, create_in=None, update_in=None, verb_in=None):
    """Attach the drf-spectacular schema the base views cannot infer on their own."""

    def decorate(cls):
        out = cls.output_serializer
        views = {}
        if issubclass(cls, ListApi):
            # APIViews are not viewsets: a list and a detail GET would share an operationId.
            operation_id = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__.removesuffix("Api")).lower()
            views["get"] = extend_schema(tags=[tag], responses=out, operation_id=operation_id)
        if issubclass(cls, DetailApi):
            views["get"] = extend_schema(tags=[tag], responses=out)
        if issubclass(cls, ListCreateApi):
            views["post"] = extend_schema(
                tags=[tag], request=cls.input_serializer, responses={201: out}
            )
        if issubclass(cls, DetailUpdateApi):
            views["patch"] = extend_schema(tags=[tag], request=cls.update_serializer, responses=out)
        if issubclass(cls, VerbApi):
            views["post"] = extend_schema(tags=[tag], request=cls.input_serializer, responses=out)
        return extend_schema_view(**views)(cls)

    return decorate


# The organisation tree (readable by anyone signed in, within their scope) ---------------------

TREE = "组织架构"


@documented(TREE)
class DistrictListApi(ListApi):
    selector = selectors.district_list
    output_serializer = s.DistrictOut
    filterset_class = filters.DistrictFilter
    permission_required = "grids.view_district"


@documented(TREE)
class DistrictDetailApi(DetailApi):
    selector = selectors.district_list
    output_serializer = s.DistrictOut
    permission_required = "grids.view_district"


@documented(TREE)
class StreetListApi(ListApi):
    selector = selectors.street_list
    output_serializer = s.StreetOut
    filterset_class = filters.StreetFilter
    permission_required = "grids.view_street"


@documented(TREE)
class StreetDetailApi(DetailApi):
    selector = selectors.street_list
    output_serializer = s.StreetOut
    permission_required = "grids.view_street"


@documented(TREE)
class CommunityTypeListApi(ListApi):
    selector = selectors.community_type_list
    output_serializer = s.CommunityTypeOut
    filterset_class = filters.CommunityTypeFilter
    permission_required = "grids.view_communitytype"


@documented(TREE)
class CommunityListApi(ListApi):
    selector = selectors.community_list
    output_serializer = s.CommunityOut
    filterset_class = filters.CommunityFilter
    permission_required = "grids.view_community"


@documented(TREE)
class CommunityDetailApi(DetailApi):
    selector = selectors.community_list
    output_serializer = s.CommunityOut
    permission_required = "grids.view_community"


@documented(TREE)
class GridListApi(ListApi):
    selector = selectors.grid_list
    output_serializer = s.GridOut
    filterset_class = filters.MicroGridFilter
    permission_required = "grids.view_microgrid"


@documented(TREE)
class GridDetailApi(DetailApi):
    selector = selectors.grid_list
    output_serializer = s.GridOut
    permission_required = "grids.view_microgrid"


@documented(TREE)
class BuildingListApi(ListApi):
    selector = selectors.building_list
    output_serializer = s.BuildingOut
    filterset_class = filters.BuildingFilter
    permission_required = "grids.view_building"


@documented(TREE)
class BuildingDetailApi(DetailApi):
    selector = selectors.building_list
    output_serializer = s.BuildingOut
    permission_required = "grids.view_building"


@documented(TREE)
class CompoundListApi(ListApi):
    selector = selectors.compound_list
    output_serializer = s.CompoundOut
    filterset_class = filters.CompoundFilter
    permission_required = "grids.view_compound"


@documented(TREE)
class CompoundDetailApi(DetailApi):
    selector = selectors.compound_list
    output_serializer = s.CompoundOut
    permission_required = "grids.view_compound"


# Grid roles ------------------------------------------------------------------------------------

ROLES = "网格角色"


@documented(ROLES)
class GridRoleListApi(ListCreateApi):
    selector = selectors.grid_role_list
    output_serializer = s.GridRoleOut
    input_serializer = s.GridRoleIn
    filterset_class = filters.GridRoleFilter
    permission_required = {"get": "grids.view_gridrole", "post": "grids.add_gridrole"}

    def create(self, data):
        return services.grid_role_appoint(actor=self.request.user, **data)


@documented(ROLES)
class GridRoleDetailApi(DetailUpdateApi):
    selector = selectors.grid_role_list
    output_serializer = s.GridRoleOut
    update_serializer = s.GridRoleUpdateIn
    permission_required = {"get": "grids.view_gridrole", "patch": "grids.change_gridrole"}

    def update(self, obj, data):
        return services.grid_role_update(actor=self.request.user, role=obj, **data)


@documented(ROLES)
class GridRoleEndTermApi(VerbApi):
    selector = selectors.grid_role_list
    output_serializer = s.GridRoleOut
    input_serializer = s.EndTermIn
    permission_required = "grids.change_gridrole"

    def act(self, obj, data):
        return services.grid_role_end_term(actor=self.request.user, role=obj, **data)


# Places and resources ---------------------------------------------------------------------------

PLACES = "网格场所与资源"


@documented(PLACES)
class GridPlaceListApi(ListCreateApi):
    selector = selectors.grid_place_list
    output_serializer = s.GridPlaceOut
    input_serializer = s.GridPlaceIn
    filterset_class = filters.GridPlaceFilter
    permission_required = {"get": "grids.view_gridplace", "post": "grids.add_gridplace"}

    def create(self, data):
        return services.grid_place_create(actor=self.request.user, **data)


@documented(PLACES)
class GridPlaceDetailApi(DetailUpdateApi):
    selector = selectors.grid_place_list
    output_serializer = s.GridPlaceOut
    update_serializer = s.GridPlaceUpdateIn
    permission_required = {"get": "grids.view_gridplace", "patch": "grids.change_gridplace"}

    def update(self, obj, data):
        return services.grid_place_update(actor=self.request.user, place=obj, **data)


@documented(PLACES)
class GridResourceListApi(ListCreateApi):
    selector = selectors.grid_resource_list
    output_serializer = s.GridResourceOut
    input_serializer = s.GridResourceIn
    filterset_class = filters.GridResourceFilter
    permission_required = {"get": "grids.view_gridresource", "post": "grids.add_gridresource"}

    def create(self, data):
        return services.grid_resource_create(actor=self.request.user, **data)


@documented(PLACES)
class GridResourceDetailApi(DetailUpdateApi):
    selector = selectors.grid_resource_list
    output_serializer = s.GridResourceOut
    update_serializer = s.GridResourceUpdateIn
    permission_required = {"get": "grids.view_gridresource", "patch": "grids.change_gridresource"}

    def update(self, obj, data):
        return services.grid_resource_update(actor=self.request.user, resource=obj, **data)


# The four ones ---------------------------------------------------------------------------------

FOUR = "四个一"


@documented(FOUR)
class VisitListApi(ListCreateApi):
    selector = selectors.visit_list
    output_serializer = s.VisitOut
    input_serializer = s.VisitIn
    filterset_class = filters.VisitFilter
    permission_required = {"get": "grids.view_visitrecord", "post": "grids.add_visitrecord"}

    def create(self, data):
        return services.visit_record(actor=self.request.user, **data)


@documented(FOUR)
class VisitDetailApi(DetailUpdateApi):
    selector = selectors.visit_list
    output_serializer = s.VisitOut
    update_serializer = s.VisitUpdateIn
    permission_required = {"get": "grids.view_visitrecord", "patch": "grids.change_visitrecord"}

    def update(self, obj, data):
        return services.visit_update(actor=self.request.user, visit=obj, **data)


@documented(FOUR)
class DiaryListApi(ListCreateApi):
    selector = selectors.diary_list
    output_serializer = s.DiaryOut
    input_serializer = s.DiaryIn
    filterset_class = filters.DiaryFilter
    permission_required = {"get": "grids.view_diaryentry", "post": "grids.add_diaryentry"}

    def create(self, data):
        return services.diary_record(actor=self.request.user, **data)


@documented(FOUR)
class DiaryDetailApi(DetailUpdateApi):
    selector = selectors.diary_list
    output_serializer = s.DiaryOut
    update_serializer = s.DiaryUpdateIn
    permission_required = {"get": "grids.view_diaryentry", "patch": "grids.change_diaryentry"}

    def update(self, obj, data):
        return services.diary_update(actor=self.request.user, entry=obj, **data)


@documented(FOUR)
class PairingListApi(ListCreateApi):
    selector = selectors.pairing_list
    output_serializer = s.PairingOut
    input_serializer = s.PairingIn
    filterset_class = filters.PairingFilter
    permission_required = {"get": "grids.view_pairing", "post": "grids.add_pairing"}

    def create(self, data):
        return services.pairing_record(actor=self.request.user, **data)


@documented(FOUR)
class PairingDetailApi(DetailUpdateApi):
    selector = selectors.pairing_list
    output_serializer = s.PairingOut
    update_serializer = s.PairingUpdateIn
    permission_required = {"get": "grids.view_pairing", "patch": "grids.change_pairing"}

    def update(self, obj, data):
        return services.pairing_update(actor=self.request.user, pairing=obj, **data)


@documented(FOUR)
class PairingEndApi(VerbApi):
    selector = selectors.pairing_list
    output_serializer = s.PairingOut
    input_serializer = s.PairingEndIn
    permission_required = "grids.change_pairing"

    def act(self, obj, data):
        return services.pairing_end(actor=self.request.user, pairing=obj, **data)


@documented(FOUR)
class DeedListApi(ListCreateApi):
    selector = selectors.deed_list
    output_serializer = s.DeedOut
    input_serializer = s.DeedIn
    filterset_class = filters.DeedFilter
    permission_required = {"get": "grids.view_practicaldeed", "post": "grids.add_practicaldeed"}

    def create(self, data):
        return services.deed_record(actor=self.request.user, **data)


@documented(FOUR)
class DeedDetailApi(DetailUpdateApi):
    selector = selectors.deed_list
    output_serializer = s.DeedOut
    update_serializer = s.DeedUpdateIn
    permission_required = {"get": "grids.view_practicaldeed", "patch": "grids.change_practicaldeed"}

    def update(self, obj, data):
        return services.deed_update(actor=self.request.user, deed=obj, **data)


# Weekly patrol and clearance -------------------------------------------------------------------

PATROL = "周周巡与周周清"


@documented(PATROL)
class PatrolListApi(ListCreateApi):
    selector = selectors.patrol_list
    output_serializer = s.PatrolOut
    input_serializer = s.PatrolIn
    filterset_class = filters.PatrolFilter
    permission_required = {"get": "grids.view_patrolrecord", "post": "grids.add_patrolrecord"}

    def create(self, data):
        return services.patrol_record(actor=self.request.user, **data)


@documented(PATROL)
class PatrolDetailApi(DetailUpdateApi):
    selector = selectors.patrol_list
    output_serializer = s.PatrolOut
    update_serializer = s.PatrolUpdateIn
    permission_required = {"get": "grids.view_patrolrecord", "patch": "grids.change_patrolrecord"}

    def update(self, obj, data):
        return services.patrol_update(actor=self.request.user, patrol=obj, **data)


@documented(PATROL)
class PatrolProblemListApi(ListCreateApi):
    """Report a problem with a photo as evidence: send multipart/form-data."""

    selector = selectors.patrol_problem_list
    output_serializer = s.PatrolProblemOut
    input_serializer = s.PatrolProblemIn
    filterset_class = filters.PatrolProblemFilter
    permission_required = {"get": "grids.view_patrolproblem", "post": "grids.add_patrolproblem"}

    def create(self, data):
        return services.patrol_problem_report(actor=self.request.user, **data)


@documented(PATROL)
class PatrolProblemDetailApi(DetailApi):
    selector = selectors.patrol_problem_list
    output_serializer = s.PatrolProblemOut
    permission_required = "grids.view_patrolproblem"


@documented(PATROL)
class PatrolProblemClearApi(VerbApi):
    """周周清: the grid solved it. Only an open problem can be cleared, once."""

    selector = selectors.patrol_problem_list
    output_serializer = s.PatrolProblemOut
    input_serializer = s.ProblemClearIn
    permission_required = "grids.change_patrolproblem"

    def act(self, obj, data):
        return services.patrol_problem_clear(actor=self.request.user, problem=obj, **data)


@documented(PATROL)
class PatrolProblemRouteApi(VerbApi):
    """Beyond the grid: route an open problem to the responsible department."""

    selector = selectors.patrol_problem_list
    output_serializer = s.PatrolProblemOut
    input_serializer = s.ProblemRouteIn
    permission_required = "grids.change_patrolproblem"

    def act(self, obj, data):
        return services.patrol_problem_route(actor=self.request.user, problem=obj, **data)


# The weekly visit round ------------------------------------------------------------------------


def _grid_work_grids(*, actor):
    return selectors.grid_list(actor=actor, level=Level.ORG)


@extend_schema(
    tags=[FOUR],
    summary=_("每周走访完成情况"),
    description=_("每个微网格最近若干个 ISO 周(按上海时间)是否完成走访，以及走访次数。"),
    parameters=[OpenApiParameter("weeks", OpenApiTypes.INT, description=_("周数，1–26，默认 8"))],
    responses=s.VisitRoundRowOut(many=True),
)
class VisitRoundApi(ListApi):
    selector = _grid_work_grids
    output_serializer = s.VisitRoundRowOut
    filterset_class = filters.MicroGridFilter
    permission_required = "grids.view_weeklyvisitround"

    def get(self, request):
        weeks = self.parse_weeks(request.query_params.get("weeks", "8"))
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = selectors.visit_round_rows(
            grids=page, week_starts=selectors.recent_week_starts(weeks=weeks)
        )
        return self.get_paginated_response(self.output_serializer(rows, many=True).data)

    @staticmethod
    def parse_weeks(raw):
        try:
            weeks = int(raw)
        except ValueError:
            weeks = 0
        if not 1 <= weeks <= 26:
            message = _("周数须为 1 到 26 之间的整数。")
            raise ApplicationError(message, code="invalid", fields={"weeks": message})
        return weeks
