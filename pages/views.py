"""The residents' pages: thin views that render a page shell.

Every read and every action on these pages goes through the DRF API from the page's script,
so the rules live in one place (the API); a view here only decides who may open the page.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView

from .selectors import signup_community_choices


class ResidentPage(LoginRequiredMixin, TemplateView):
    """A page for a signed-in resident; an anonymous visitor is sent to the sign-in page
    (server-side, so no empty shell flashes before the script finds out)."""

    login_url = reverse_lazy("pages:login")
    page = ""  # the page's name: its template and its script are named after it

    def get_template_names(self):
        return [f"resident/{self.page}.html"]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page": self.page}


class AnonymousPage(ResidentPage):
    """Sign in and sign up: open to anyone; a visitor already signed in goes on to `next`."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(safe_next(request))
        return TemplateView.dispatch(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": safe_next(self.request)}


class RegisterPage(AnonymousPage):
    def get_context_data(self, **kwargs):
        # `?community=<id>` comes from the QR code on a community's poster: preselected.
        chosen = self.request.GET.get("community", "")
        return {
            **super().get_context_data(**kwargs),
            "community_choices": signup_community_choices(),
            "chosen_community": int(chosen) if chosen.isdigit() else None,
        }


def safe_next(request) -> str:
    """Where to go after signing in: `?next=` when it points into this site, else home."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse_lazy("pages:home"))
