from django.urls import path

from . import apis

app_name = "projects"

urlpatterns = [
    path("projects/", apis.ProjectListApi.as_view(), name="project-list"),
    path("projects/adopt/", apis.ProjectAdoptApi.as_view(), name="project-adopt"),
    path("projects/<int:pk>/", apis.ProjectDetailApi.as_view(), name="project-detail"),
    path("projects/<int:pk>/timeline/", apis.ProjectTimelineApi.as_view(), name="project-timeline"),
    path("projects/<int:pk>/start/", apis.ProjectStartApi.as_view(), name="project-start"),
    path("projects/<int:pk>/publish/", apis.ProjectPublishApi.as_view(), name="project-publish"),
    path("projects/<int:pk>/close/", apis.ProjectCloseApi.as_view(), name="project-close"),
    path("projects/<int:pk>/cancel/", apis.ProjectCancelApi.as_view(), name="project-cancel"),
    path("projects/<int:pk>/members/", apis.ProjectMembersApi.as_view(), name="project-members"),
    path(
        "projects/<int:pk>/members/me/", apis.ProjectMemberMeApi.as_view(), name="project-member-me"
    ),
    path(
        "projects/<int:pk>/budget-lines/",
        apis.ProjectBudgetLinesApi.as_view(),
        name="project-budget-lines",
    ),
    path("projects/<int:pk>/expenses/", apis.ProjectExpensesApi.as_view(), name="project-expenses"),
    path("projects/<int:pk>/updates/", apis.ProjectUpdatesApi.as_view(), name="project-updates"),
    path(
        "projects/<int:pk>/evaluations/",
        apis.ProjectEvaluationsApi.as_view(),
        name="project-evaluations",
    ),
    path("projects/<int:pk>/comments/", apis.ProjectCommentsApi.as_view(), name="project-comments"),
    path("fund-pools/", apis.FundPoolListApi.as_view(), name="fund-pool-list"),
]
