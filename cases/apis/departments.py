"""REST API of a street's departments and event categories (read-only: the street's admins
keep them in the admin). Staff choose a department when dispatching from these lists."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from board.apis._base import BoardApi, RefOut

from .. import selectors
from ..models import Department, EventCategory


class DepartmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    street = RefOut()
    contact_person = serializers.CharField()
    phone = serializers.CharField()
    is_active = serializers.BooleanField()
    categories = serializers.ListField(child=serializers.IntegerField(), source="category_ids")
    communities = serializers.ListField(
        child=serializers.IntegerField(),
        source="community_ids",
        help_text=_("分工包社区；为空表示全街道"),
    )


class CategoryOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    street = serializers.IntegerField(source="street_id")
    handling_hours = serializers.IntegerField(help_text=_("派单后的处置时限(小时)"))
    default_department = RefOut(allow_null=True)
    is_active = serializers.BooleanField()


class DepartmentListApi(BoardApi):
    queryset = Department.objects.none()  # for the schema; reads use selectors
    permission_required = "cases.view_gridevent"
    serializer_class = DepartmentOut

    @extend_schema(summary=_("部门列表（本人所在街道）"), responses=DepartmentOut(many=True))
    def get(self, request):
        qs = selectors.department_queryset(actor=request.user).prefetch_related(
            "categories", "communities"
        )
        return self.paginated(qs.order_by("name"), DepartmentOut, prepare=_ids)


def _ids(department: Department):
    department.category_ids = [c.pk for c in department.categories.all()]
    department.community_ids = [c.pk for c in department.communities.all()]
    return department


class CategoryListApi(BoardApi):
    queryset = EventCategory.objects.none()  # for the schema; reads use selectors
    permission_required = "cases.view_gridevent"
    serializer_class = CategoryOut

    @extend_schema(
        summary=_("事件类别及处置时限（本人所在街道）"), responses=CategoryOut(many=True)
    )
    def get(self, request):
        qs = selectors.category_queryset(actor=request.user).order_by("name")
        return self.paginated(qs, CategoryOut)


urlpatterns = [
    path("departments/", DepartmentListApi.as_view(), name="department-list"),
    path("event-categories/", CategoryListApi.as_view(), name="event-category-list"),
]
