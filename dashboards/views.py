"""The dashboard page: a shell that the browser fills from the dashboard API.

Leaders sign in through the admin's sign-in page (LOGIN_URL) and come back here; anyone signed
in without a dashboard role gets a 403 page that says so. The page carries the figure
definitions (labels, explanations) so the script needs no second source of wording.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from projects.models import Project

from .figures import BY_KEY, FIGURES, GROUPS, RANKING_KEYS, TREND_KEYS


def _stages():
    """The stage figures with the stage's own name (筹备中 …) for the stage chart and table."""
    return [
        {"key": f"stage_{stage}", "label": str(label)} for stage, label in Project.Stage.choices
    ]


def _definitions():
    return {
        "stages": _stages(),
        "figures": {
            f.key: {"label": str(f.label), "help": str(f.help), "kind": f.kind, "group": f.group}
            for f in FIGURES
        },
        "groups": {key: str(label) for key, label in GROUPS.items()},
        "ranking": RANKING_KEYS,
        "trend": TREND_KEYS,
        "messages": {
            "loading": _("正在加载数据……"),
            "loaded": _("数据已更新：%(unit)s，%(period)s。"),
            "failed": _("数据加载失败，请稍后重试。"),
            "network": _("网络连接失败，请检查网络后重试。"),
            "empty": _("无数据"),
            "asOf": _("统计时刻：%(at)s（“当前超时未回应”以此时刻为准）"),
            "noChildren": _("没有下级单位"),
            "chooseChild": _("选择下级单位……"),
            "drill": _("查看 %(name)s"),
            "hours": _("小时"),
            "month": _("月份"),
            "rank": _("名次"),
            "unit": _("单位"),
            "stage": _("阶段"),
            "projects": _("项目数"),
            "events": _("事件数"),
        },
    }


@require_GET
@login_required
def dashboard_page(request):
    if not request.user.has_perm("dashboards.view_dashboard"):
        return render(request, "dashboards/forbidden.html", status=403)
    cards = {
        group: [f for f in FIGURES if f.group == group and not f.key.startswith("stage_")]
        for group in GROUPS
    }
    context = {
        "definitions": _definitions(),
        "card_groups": [(key, GROUPS[key], cards[key]) for key in GROUPS],
        "stages": _stages(),
        "ranking_figures": [BY_KEY[key] for key in RANKING_KEYS],
    }
    return render(request, "dashboards/dashboard.html", context)
