from django.urls import path

from . import apis

urlpatterns = [
    path("topics/", apis.TopicListCreateView.as_view(), name="topic-list"),
    path("topics/<int:pk>/", apis.TopicDetailView.as_view(), name="topic-detail"),
    path("topics/<int:pk>/timeline/", apis.TopicTimelineView.as_view(), name="topic-timeline"),
    path("topics/<int:pk>/answer/", apis.TopicAnswerView.as_view(), name="topic-answer"),
    path("topics/<int:pk>/solve/", apis.TopicSolveView.as_view(), name="topic-solve"),
    path("topics/<int:pk>/decline/", apis.TopicDeclineView.as_view(), name="topic-decline"),
    path("topics/<int:pk>/merge/", apis.TopicMergeView.as_view(), name="topic-merge"),
    path(
        "topics/<int:pk>/open-for-hands/",
        apis.TopicOpenForHandsView.as_view(),
        name="topic-open-for-hands",
    ),
    path(
        "topics/<int:pk>/confirm-solution/",
        apis.TopicConfirmSolutionView.as_view(),
        name="topic-confirm-solution",
    ),
    path("topics/<int:pk>/hand/", apis.TopicHandView.as_view(), name="topic-hand"),
    path(
        "topics/<int:pk>/party-branch-hand/",
        apis.TopicPartyBranchHandView.as_view(),
        name="topic-party-branch-hand",
    ),
    path("topics/<int:pk>/follow/", apis.TopicFollowView.as_view(), name="topic-follow"),
    path(
        "topics/<int:pk>/comments/",
        apis.TopicCommentListCreateView.as_view(),
        name="topic-comments",
    ),
    path(
        "topics/<int:pk>/deliberations/",
        apis.TopicDeliberationListCreateView.as_view(),
        name="topic-deliberations",
    ),
    path("topics/<int:pk>/notes/", apis.TopicNoteListCreateView.as_view(), name="topic-notes"),
    path("comments/<int:pk>/report/", apis.CommentReportView.as_view(), name="comment-report"),
    path("comments/<int:pk>/hide/", apis.CommentHideView.as_view(), name="comment-hide"),
    path("comments/<int:pk>/restore/", apis.CommentRestoreView.as_view(), name="comment-restore"),
    path("categories/", apis.CategoryListView.as_view(), name="topic-category-list"),
]
