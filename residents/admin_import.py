"""Bulk import and export of residents in the admin: upload → preview → confirm → result.

`ResidentImportExportMixin` goes first among ResidentAdmin's bases; it adds its own URLs and the
buttons on the change list, and nothing else of the admin depends on it.

- The uploaded file is kept in default storage under a random name; the session holds the
  token that points at it, so the preview and the confirm read the same file and a token is
  worthless in another session. One pending upload per session: a new upload removes the old.
- Confirm runs the import inline for a small file, or in the Celery task
  (`residents.tasks.import_residents_task`) past `RESIDENT_IMPORT_ASYNC_ROWS` rows; either way the
  outcome lands in the job's cache entry, and the result page polls a JSON progress URL until
  the job is done. On the embedded default Celery runs eagerly, so the task finishes in-process.
- Export answers the change list's current filters, limited again to the user's scope.
"""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.rules import is_people_staff
from residents import tasks
from residents.importing import ImportReport, preview_import
from residents.resources import HEADERS, export_residents, template_file

SESSION_KEY = "residents_import_upload"
UPLOAD_DIR = "imports/residents"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Measured on PostgreSQL (scripts/bench_import.py): the bulk write path confirms ~700-950 rows/s
# including re-validation, so 2,000 rows confirm inline in ~3 s; more go to the Celery task.
ASYNC_ROWS_DEFAULT = 2000
ERRORS_SHOWN = 500
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("居民信息文件"),
        help_text=gettext_lazy("CSV（UTF-8 或 GBK 编码）或 Excel .xlsx 文件，不超过 20 MB。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("只支持 CSV 和 Excel (.xlsx) 文件。"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 20 MB，请分成几个文件导入。"))
        return upload


def async_rows() -> int:
    return getattr(settings, "RESIDENT_IMPORT_ASYNC_ROWS", ASYNC_ROWS_DEFAULT)


class ResidentImportExportMixin:
    change_list_template = "admin/residents/resident/change_list_import_export.html"

    # --- wiring ---------------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        views = [
            ("import/", self.import_upload_view, "import"),
            ("import/template.<str:fmt>", self.import_template_view, "import_template"),
            ("import/preview/<str:token>/", self.import_preview_view, "import_preview"),
            ("import/jobs/<str:job_id>/", self.import_result_view, "import_result"),
            ("import/jobs/<str:job_id>/progress/", self.import_progress_view, "import_progress"),
            ("export.<str:fmt>", self.export_view, "export"),
        ]
        # Ours first: the admin's own catch-all "<path:object_id>/" would swallow them.
        urls = [path(route, wrap(view), name=f"{prefix}_{name}") for route, view, name in views]
        return urls + super().get_urls()

    def has_import_export_permission(self, request):
        return is_people_staff.test(request.user)

    def _require_permission(self, request):
        if not self.has_import_export_permission(request):
            raise PermissionDenied

    def _url(self, name, *args):
        info = self.opts.app_label, self.opts.model_name
        return reverse(
            f"admin:{info[0]}_{info[1]}_{name}", args=args, current_app=self.admin_site.name
        )

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "changelist_url": self._url("changelist"),
            "import_url": self._url("import"),
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if self.has_import_export_permission(request):
            extra_context["resident_import_export"] = {
                "import_url": self._url("import"),
                "export_csv_url": self._url("export", "csv"),
                "export_xlsx_url": self._url("export", "xlsx"),
            }
        return super().changelist_view(request, extra_context)

    # --- import ---------------------------------------------------------------------------

    def import_upload_view(self, request):
        self._require_permission(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            self._discard_pending(request)
            token = secrets.token_urlsafe(16)
            suffix = Path(upload.name).suffix.lower()
            stored = default_storage.save(f"{UPLOAD_DIR}/{secrets.token_hex(16)}{suffix}", upload)
            request.session[SESSION_KEY] = {
                "token": token,
                "path": stored,
                "filename": upload.name,
                "total": None,
            }
            return HttpResponseRedirect(self._url("import_preview", token))
        context = self._context(
            request,
            _("批量导入居民"),
            form=form,
            headers=HEADERS,
            template_csv_url=self._url("import_template", "csv"),
            template_xlsx_url=self._url("import_template", "xlsx"),
            async_rows=async_rows(),
            is_upload_page=True,
        )
        return TemplateResponse(request, "admin/residents/resident/import_upload.html", context)

    def import_template_view(self, request, fmt):
        self._require_permission(request)
        if fmt not in CONTENT_TYPES:
            raise Http404
        return _download(template_file(fmt), fmt, _("居民导入模板"))

    def _pending(self, request, token):
        pending = request.session.get(SESSION_KEY)
        if not pending or not secrets.compare_digest(pending["token"], token):
            raise Http404(_("导入文件已失效，请重新上传。"))
        return pending

    def _discard_pending(self, request):
        pending = request.session.pop(SESSION_KEY, None)
        if pending and default_storage.exists(pending["path"]):
            default_storage.delete(pending["path"])

    def import_preview_view(self, request, token):
        self._require_permission(request)
        pending = self._pending(request, token)
        if request.method == "POST":
            if "cancel" in request.POST:
                self._discard_pending(request)
                return HttpResponseRedirect(self._url("changelist"))
            return self._confirm(request, pending)
        with default_storage.open(pending["path"], "rb") as handle:
            report = preview_import(
                actor=request.user, data=handle.read(), filename=pending["filename"]
            )
        pending["total"] = report.total
        request.session[SESSION_KEY] = pending
        context = self._context(
            request,
            _("导入预览"),
            report=report,
            filename=pending["filename"],
            errors=report.errors[:ERRORS_SHOWN],
            errors_hidden=max(len(report.errors) - ERRORS_SHOWN, 0),
            runs_in_background=report.total > async_rows(),
        )
        return TemplateResponse(request, "admin/residents/resident/import_preview.html", context)

    def _confirm(self, request, pending):
        # The session entry goes first: a second click on "confirm" finds nothing to import.
        request.session.pop(SESSION_KEY, None)
        job_id = secrets.token_urlsafe(16)
        total = pending.get("total") or 0
        background = total > async_rows()
        tasks.job_update(
            job_id,
            user_id=request.user.pk,
            state="queued",
            done=0,
            total=total,
            filename=pending["filename"],
            background=background,
        )
        args = (job_id, request.user.pk, pending["path"], pending["filename"])
        if background:
            tasks.import_residents_task.delay(*args)
        else:
            tasks.import_residents_task(*args)
        return HttpResponseRedirect(self._url("import_result", job_id))

    def _job(self, request, job_id):
        self._require_permission(request)
        job = tasks.job_get(job_id)
        # Another user's job is as absent as a missing one.
        if job is None or job.get("user_id") != request.user.pk:
            raise Http404
        return job

    def import_result_view(self, request, job_id):
        job = self._job(request, job_id)
        report = ImportReport.from_dict(job["report"]) if job.get("report") else None
        context = self._context(
            request,
            _("导入结果"),
            job=job,
            report=report,
            errors=report.errors[:ERRORS_SHOWN] if report else [],
            errors_hidden=max(len(report.errors) - ERRORS_SHOWN, 0) if report else 0,
            progress_url=self._url("import_progress", job_id),
        )
        return TemplateResponse(request, "admin/residents/resident/import_result.html", context)

    def import_progress_view(self, request, job_id):
        job = self._job(request, job_id)
        report = job.get("report") or {}
        return JsonResponse(
            {
                "state": job.get("state"),
                "done": job.get("done", 0),
                "total": job.get("total", 0),
                "created": report.get("created", 0),
                "updated": report.get("updated", 0),
                "errors": len(report.get("errors", [])),
            }
        )

    # --- export ---------------------------------------------------------------------------

    def export_view(self, request, fmt):
        self._require_permission(request)
        if fmt not in CONTENT_TYPES:
            raise Http404
        # The change list's own filters and search (its query string) pick the rows.
        queryset = self.get_changelist_instance(request).get_queryset(request)
        data, _count = export_residents(
            actor=request.user,
            fmt=fmt,
            queryset=queryset,
            channel="admin",
            ip_address=request.META.get("REMOTE_ADDR") or None,
        )
        return _download(data, fmt, _("居民导出"))


def _download(data: bytes, fmt: str, stem: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{stem}-{stamp}.{fmt}"
    )
    return response
