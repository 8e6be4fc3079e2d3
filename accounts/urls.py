from django.urls import path

from . import apis

urlpatterns = [
    path("auth/csrf/", apis.CsrfView.as_view(), name="auth-csrf"),
    path("auth/register/", apis.RegisterView.as_view(), name="auth-register"),
    path("auth/login/", apis.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", apis.LogoutView.as_view(), name="auth-logout"),
    path("auth/token/", apis.TokenView.as_view(), name="auth-token"),
    path("me/", apis.MeView.as_view(), name="me"),
    path("accounts/pending/", apis.PendingAccountListView.as_view(), name="account-pending"),
    path("accounts/<int:pk>/verify/", apis.AccountVerifyView.as_view(), name="account-verify"),
    path("accounts/<int:pk>/reject/", apis.AccountRejectView.as_view(), name="account-reject"),
    path(
        "role-assignments/",
        apis.RoleAssignmentListCreateView.as_view(),
        name="role-assignment-list",
    ),
    path(
        "role-assignments/<int:pk>/end/",
        apis.RoleAssignmentEndView.as_view(),
        name="role-assignment-end",
    ),
]
