from django.urls import path
from django.views.i18n import JavaScriptCatalog

from .views import AnonymousPage, RegisterPage, ResidentPage

app_name = "pages"


def page(route, name, view=ResidentPage):
    return path(route, view.as_view(page=name), name=name)


urlpatterns = [
    page("", "home"),
    page("login/", "login", AnonymousPage),
    page("register/", "register", RegisterPage),
    page("topics/", "topics"),
    page("topics/new/", "topic_new"),
    page("topics/<int:pk>/", "topic"),
    page("projects/", "projects"),
    page("projects/<int:pk>/", "project"),
    page("activities/", "activities"),
    page("activities/<int:pk>/", "activity"),
    page("points/", "points"),
    page("rewards/", "rewards"),
    page("notifications/", "notifications"),
    page("me/", "me"),
    # The community board: notices and consultations (board.apis), and the way to the
    # self-governance pages of the other apps.
    page("board/", "board"),
    page("notices/", "notices"),
    page("notices/<int:pk>/", "notice"),
    page("consultations/", "consultations"),
    page("consultations/<int:pk>/", "consultation"),
    # The page scripts' strings (gettext/interpolate), from the djangojs catalogue.
    path("jsi18n/", JavaScriptCatalog.as_view(domain="djangojs"), name="jsi18n"),
]
