"""The self-governance and casework figures: what the community board, covenants, property
governance, forums, cadre scoring and grid events add to a dashboard.

Each of those apps answers for its own rows in `<app>/dashboard.py`: a
`figures_by_community(*, communities, period, now)` giving raw counts (numerators and
denominators, never shares) per community, in a fixed number of grouped queries. Here the
counts are summed from communities up to the unit asked for (street, district) and the shares
are derived. These figures belong to a community, so a micro-grid has none (null).

Definitions (P the period, U the unit; "in P" as in dashboards.figures):
- notices_published: notices of U's communities (and, for a street or district, none of the
  street-wide ones: they belong to no community) published in P.
- consultations_closed: consultations and polls whose window closed in P (published, not
  cancelled); consultation_turnout: their answers ÷ their eligible residents or households ×
  100, as the board computes each one's turnout.
- covenants_in_force: covenants in force at the end of P; covenants_adopted: came into force in P.
- elections_held: owners' committee elections counted in P; election_turnout: their household
  ballots ÷ eligible households × 100.
- merges: 联小建大 merges of areas or committees recorded in P.
- forum_meetings: meetings of standing forums held in P (joint meetings 三驾马车 included);
  joint_meetings: of those, the joint meetings.
- musts_done: (community, month, kind) of P with the monthly must done, each counted once.
- musts_missed_months: community-months of P already over in which one of the monthly musts
  三必做 is missing.
- cadre_rounds_closed: yearly cadre-scoring rounds closed in P; cadre_participation: residents
  who took part ÷ eligible residents × 100; cadre_satisfaction: "satisfied" scores ÷ all scores
  × 100 (aggregates over every cadre; never a voter, and nothing below a round's minimum).
- events_filed: grid events filed in P; events_closed: closed in P;
  events_on_time_share: events handled in P by their deadline ÷ events handled in P × 100;
  events_returned / events_reopened: returned by a department, sent back to handling after the
  on-the-spot check, in P; events_cleared_within_week_share: events filed in P closed in the same
  Monday–Sunday week (Shanghai) as filed ÷ events filed in P × 100 (周周清, as grids'
  PatrolProblem.cleared_within_week).
- disputes_opened: dispute cases recorded in P (not cancelled); disputes_resolved: an outcome
  (agreement, referral, withdrawal) recorded in P; disputes_agreements: of those, agreements;
  disputes_followups_on_time_share: follow-up visits due in P (up to now) done by their due
  time ÷ those due × 100; disputes_mean_resolve_days: days from intake to outcome, summed over
  the cases resolved in P ÷ their number. Counts only: no party's name reaches a dashboard.
"""

import importlib

from django.utils.translation import gettext_lazy as _

from grids.models import Community

from .figure_types import COUNT, DAYS, PERCENT, Figure

GOVERNANCE_GROUPS = {
    "governance": _("社区自治"),
    "cases": _("网格事件与矛盾纠纷"),
}

# The apps that report figures, each through `<app>.dashboard.figures_by_community`.
SOURCE_APPS = (
    "board",
    "covenants",
    "property_governance",
    "forums",
    "cadres",
    "cases",
    "disputes",
)


def _fig(key, label, help_text, kind=COUNT, group="governance"):
    return Figure(key, label, help_text, kind, group, per_grid=False)


GOVERNANCE_FIGURES = [
    _fig("notices_published", _("发布公告"), _("本期发布的居民区、小区、楼组公告数。")),
    _fig(
        "consultations_closed",
        _("完成意见征询"),
        _("本期截止的意见征询和投票数（不含已取消）。"),
    ),
    _fig(
        "consultation_turnout",
        _("意见征询参与率(%)"),
        _("本期截止的意见征询的答卷数 ÷ 其可参与的居民或户数 × 100。"),
        PERCENT,
    ),
    _fig("covenants_in_force", _("生效规约"), _("期末处于生效状态的规约、公约数。")),
    _fig("covenants_adopted", _("新生效规约"), _("本期签署或表决通过并生效的规约、公约数。")),
    _fig("elections_held", _("业委会选举"), _("本期完成计票的业委会选举场次。")),
    _fig(
        "election_turnout",
        _("业委会选举投票率(%)"),
        _("本期计票的选举中已投票户数 ÷ 有投票权的户数 × 100。"),
        PERCENT,
    ),
    _fig("merges", _("联小建大"), _("本期登记的物业管理区域或业委会合并次数。")),
    _fig("forum_meetings", _("议事会议"), _("本期召开的议事平台会议数（含三驾马车联席会议）。")),
    _fig("joint_meetings", _("三驾马车联席会议"), _("本期召开的居委会、业委会、物业联席会议数。")),
    _fig(
        "musts_done",
        _("三必做完成项"),
        _("本期每个居民区每月已做的道德评议、居民议事、政策法律宣讲项数合计（每月每项计一次）。"),
    ),
    _fig(
        "musts_missed_months",
        _("三必做缺项月数"),
        _("本期已结束的月份中，道德评议、居民议事、政策法律宣讲有一项未做的居民区月数。"),
    ),
    _fig("cadre_rounds_closed", _("两委测评"), _("本期结束的两委干部年度测评轮次。")),
    _fig(
        "cadre_participation",
        _("两委测评参与率(%)"),
        _("参与测评的居民 ÷ 可参与的已认证居民 × 100。"),
        PERCENT,
    ),
    _fig(
        "cadre_satisfaction",
        _("两委测评满意率(%)"),
        _("评为“满意”的评分 ÷ 全部评分 × 100；只有汇总，看不到谁打了几分。"),
        PERCENT,
    ),
    _fig("events_filed", _("上报网格事件"), _("本期上报的网格事件数。"), group="cases"),
    _fig("events_closed", _("办结网格事件"), _("本期核查通过并办结的网格事件数。"), group="cases"),
    _fig(
        "events_on_time_share",
        _("按时处置率(%)"),
        _("本期处置完毕的事件中在期限内处置的 ÷ 本期处置完毕的事件 × 100。"),
        PERCENT,
        group="cases",
    ),
    _fig(
        "events_cleared_within_week_share",
        _("周周清率(%)"),
        _("本期上报的事件中在上报当周（周一至周日）办结的 ÷ 本期上报的事件 × 100。"),
        PERCENT,
        group="cases",
    ),
    _fig("events_returned", _("退回事件"), _("本期被部门退回的事件数。"), group="cases"),
    _fig(
        "events_reopened",
        _("重新处置"),
        _("本期核查未通过、退回重新处置的次数。"),
        group="cases",
    ),
]

GOVERNANCE_FIGURES += [
    _fig(
        "disputes_opened",
        _("新登记矛盾纠纷"),
        _("本期登记的矛盾纠纷案件数（不含撤销的）。"),
        group="cases",
    ),
    _fig(
        "disputes_resolved",
        _("化解矛盾纠纷"),
        _("本期登记调解结果（达成协议、转交或撤回）的案件数。"),
        group="cases",
    ),
    _fig(
        "disputes_agreements",
        _("达成调解协议"),
        _("本期登记结果的案件中达成调解协议的数量。"),
        group="cases",
    ),
    _fig(
        "disputes_followups_on_time_share",
        _("按时回访率(%)"),
        _("本期到期的回访中按时完成的 ÷ 本期到期的回访 × 100。"),
        PERCENT,
        group="cases",
    ),
    _fig(
        "disputes_mean_resolve_days",
        _("平均化解天数"),
        _("本期登记结果的案件从登记到结果的天数合计 ÷ 本期登记结果的案件数。"),
        DAYS,
        group="cases",
    ),
]

# Derived shares: figure → (numerator, denominator) among the raw counts.
SHARES = {
    "consultation_turnout": ("consultation_responses", "consultation_eligible"),
    "election_turnout": ("election_ballots", "election_eligible_households"),
    "cadre_participation": ("cadre_participants", "cadre_eligible"),
    "cadre_satisfaction": ("cadre_satisfied_scores", "cadre_scores"),
    "events_on_time_share": ("events_handled_on_time", "events_handled"),
    "events_cleared_within_week_share": ("events_cleared_within_week", "events_filed"),
    "disputes_followups_on_time_share": ("disputes_followups_on_time", "disputes_followups_due"),
}
# Derived means (not × 100): figure → (total, count).
MEANS = {"disputes_mean_resolve_days": ("disputes_resolve_days_total", "disputes_resolved")}
KEYS = [figure.key for figure in GOVERNANCE_FIGURES]

# The lookup from a community to its unit at each level.
_COMMUNITY_TO = {"community": "pk", "street": "street_id", "district": "street__district_id"}


def _sources():
    return [importlib.import_module(f"{app}.dashboard") for app in SOURCE_APPS]


def governance_raw(*, level, unit_id, group_level, unit_ids, period, now) -> dict[int, dict]:
    """{unit id: {raw count: value}} for the `group_level` units `unit_ids` under the `level`
    unit `unit_id`; empty dicts for micro-grids (these figures belong to communities)."""
    raw = {unit: {} for unit in unit_ids}
    if group_level not in _COMMUNITY_TO or level not in _COMMUNITY_TO:
        return raw
    communities = Community.objects.filter(**{_COMMUNITY_TO[level]: unit_id})
    owner = dict(communities.values_list("pk", _COMMUNITY_TO[group_level]))
    for module in _sources():
        counts = module.figures_by_community(
            communities=communities.values("pk"), period=period, now=now
        )
        for community_id, row in counts.items():
            unit = owner.get(community_id)
            if unit not in raw:
                continue
            totals = raw[unit]
            for key, value in row.items():
                totals[key] = totals.get(key, 0) + (value or 0)
    return raw


def _share(part, whole):
    if not whole:
        return None
    return round(part * 100 / whole, 1)


def derive(raw: dict, level: str) -> dict:
    """The governance figures of one unit from its raw counts (null for a micro-grid)."""
    if level not in _COMMUNITY_TO:
        return dict.fromkeys(KEYS)
    out = {}
    for key in KEYS:
        if key in SHARES:
            part, whole = SHARES[key]
            out[key] = _share(raw.get(part, 0), raw.get(whole, 0))
        elif key in MEANS:
            total, count = MEANS[key]
            out[key] = round(raw[total] / raw[count], 1) if raw.get(count) else None
        else:
            out[key] = raw.get(key, 0)
    return out
