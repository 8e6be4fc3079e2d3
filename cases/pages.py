"""The grid workers' phone page: file a grid event with photos (in the style of the residents'
pages, issue 5). Only community workers and grid leaders may open it; anyone else signed in
gets a clear refusal (403) in words, not an empty form."""

from pages.views import ResidentPage


class GridWorkerPage(ResidentPage):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not request.user.has_perm("cases.add_gridevent"):
            response.status_code = 403
        return response

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "may_file": self.request.user.has_perm("cases.add_gridevent"),
        }
