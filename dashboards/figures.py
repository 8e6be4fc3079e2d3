"""What each dashboard figure means: one definition per figure, read by the API schema, the
exports and the page. The queries that compute them are in `dashboards.selectors`.

For a unit U (district, street, community or micro-grid) and a period P of local days
(Asia/Shanghai, `[start, end)`), "in P" means the named timestamp falls in P:

Topics 议题 (proposals.Topic, by the topic's community / micro-grid)
- topics_raised: topics raised in P (`raised_at`), whatever became of them (duplicates that
  were later merged included: a resident raised each).
- topics_responded: of those, the ones with a first public response (`first_responded_at`: the
  first answer, direct solution, decline, merge or opening for hands).
- answered_within_4h: of those, the ones answered on time (`responded_on_time`, stored once at
  the first response: at or before `first_response_due_at`, 4 h after raising by default).
- topics_due: topics raised in P whose response clock has run out or that were answered: the
  ones that can be judged on time or late; a topic raised an hour ago and not yet answered is
  neither, so it is left out of the share below rather than counted as late.
- answered_within_4h_share: answered_within_4h / topics_due × 100 (%, one decimal; empty when
  nothing is due).
- mean_response_hours / median_response_hours: mean and median of first_responded_at −
  raised_at over topics_responded, in hours (two decimals). The median is the middle value (the
  mean of the two middle values for an even count): PostgreSQL's percentile_cont, or window
  functions on SQLite (selectors/median.py).
- overdue_now: topics of U with no first response past their due time as of now, whenever they
  were raised (the reminder clock's own `Topic.objects.overdue(now=...)`); not period-bound.
- topics_to_projects: topics raised in P that have become micro-projects (a project exists).
- conversion_rate: topics_to_projects / topics_raised × 100 (%).
- topics_solved_directly: topics solved at once by a worker in P (state solved, `solved_at` in
  P; a topic its raiser said was not solved is reopened and no longer counts).

Problems solved 解决问题
- patrol_problems_cleared: problems found on grid patrols (周周巡) cleared in P (`cleared_at`);
  routed to a department is not cleared.
- problems_solved: topics_solved_directly + projects_closed + patrol_problems_cleared: every
  problem the community itself closed in P: a topic solved at once, a micro-project finished and
  evaluated, a patrol problem cleared (the seed's "19,368 problems solved" counts all such).

Projects 微项目 (projects.Project, by the project's community / micro-grid)
- projects_adopted: projects adopted in P (`planning_at`).
- stage_planning … stage_cancelled: the projects adopted in P by their stage now.
- projects_closed: projects closed in P (`closed_at`), their review window over.
- money_allocated: budget lines (every source) added in P to projects not cancelled (a cancelled
  project's unspent money went back; what it spent is in money_spent), yuan.
- special_fund_allocated: the special-fund 专项资金 part of money_allocated.
- money_spent: expenses with `spent_on` in P, every project, yuan.
- fund_pool_amount: the special-fund pools of U's communities for the years P touches (yuan;
  pools are per community, so empty for a micro-grid).
- satisfaction: mean rating (1–5, two decimals) of the residents' evaluations of the projects
  closed in P; satisfaction_ratings is how many ratings that mean is over.

Volunteers and points 志愿服务与积分 (activities belong to a community: empty for a micro-grid)
- volunteers_registered: volunteer profiles in the register (`is_active`) created before the
  end of P.
- volunteers_active: different people with an approved attendance checked in during P.
- volunteer_hours: approved hours of attendances checked in during P.
- activities_held: activities and posts starting in P, published or finished (not drafts, not
  cancelled).
- points_issued: points earned for approved service in P (ledger EARN entries, attributed to the
  activity's community).
- points_redeemed: points of redemption orders placed in P and not cancelled (by the reward's
  community).

Participation 参与人次 (participant-times: one person taking part once counts once)
- participation_attendances: approved volunteer attendances checked in during P (the seed's
  "9,882 participant-times" over "294 activities"; empty for a micro-grid).
- participation_project_members: people who joined a micro-project in P.
- participation_hands: hands raised for topics in P and not withdrawn.
- participation_evaluations: evaluations of projects submitted in P.
- participation: the sum of the four (the micro-grid's has no attendances).

Self-governance 社区自治 and grid events 网格事件: defined in dashboards.governance.
"""

from django.utils.translation import gettext_lazy as _

from .figure_types import COUNT, HOURS, PERCENT, POINTS, SCORE, YUAN, Figure
from .governance import GOVERNANCE_FIGURES, GOVERNANCE_GROUPS

GROUPS = {
    "topics": _("议题"),
    "projects": _("微项目与资金"),
    "volunteers": _("志愿服务与积分"),
    "participation": _("居民参与"),
}


def _stage(stage, label) -> Figure:
    return Figure(
        f"stage_{stage}", label, _("本期立项的项目中目前处于该阶段的项目数。"), COUNT, "projects"
    )


FIGURES = [
    Figure(
        "topics_raised",
        _("议题数"),
        _("本期提出的议题数（含后来被合并的重复议题）。"),
        COUNT,
        "topics",
    ),
    Figure(
        "topics_responded",
        _("已首次回应"),
        _("本期提出的议题中已得到首次公开回应的数量。"),
        COUNT,
        "topics",
    ),
    Figure(
        "answered_within_4h",
        _("4小时内回应"),
        _("本期提出的议题中在回应期限（默认4小时）内首次回应的数量，按回应当时保存的结果统计。"),
        COUNT,
        "topics",
    ),
    Figure(
        "topics_due",
        _("应已回应的议题"),
        _("本期提出、已回应或已过回应期限的议题数，即可判定是否按时的议题，作为按时回应率的分母。"),
        COUNT,
        "topics",
    ),
    Figure(
        "answered_within_4h_share",
        _("4小时内回应率(%)"),
        _("4小时内回应数 ÷ 应已回应的议题数 × 100；无应回应议题时为空。"),
        PERCENT,
        "topics",
    ),
    Figure(
        "mean_response_hours",
        _("平均首次回应时长(小时)"),
        _("本期提出并已回应的议题，从提出到首次公开回应的平均小时数。"),
        HOURS,
        "topics",
    ),
    Figure(
        "median_response_hours",
        _("首次回应时长中位数(小时)"),
        _("同上的中位数：排序后居中的值，偶数个时取中间两个的平均。"),
        HOURS,
        "topics",
    ),
    Figure(
        "overdue_now",
        _("当前超时未回应"),
        _("截至此刻已过回应期限仍未首次回应的议题数，不限提出时间。"),
        COUNT,
        "topics",
    ),
    Figure(
        "topics_to_projects",
        _("转为项目的议题"),
        _("本期提出的议题中已立项为微项目的数量。"),
        COUNT,
        "topics",
    ),
    Figure(
        "conversion_rate",
        _("议题转项目率(%)"),
        _("转为项目的议题 ÷ 议题数 × 100。"),
        PERCENT,
        "topics",
    ),
    Figure(
        "topics_solved_directly",
        _("直接解决的议题"),
        _("本期由工作人员直接解决的议题数（提出人认为未解决而重新打开的不计）。"),
        COUNT,
        "topics",
    ),
    Figure(
        "patrol_problems_cleared",
        _("巡查问题清除数"),
        _("本期清除的网格巡查（周周巡）发现的问题数；转派部门的不计。"),
        COUNT,
        "topics",
    ),
    Figure(
        "problems_solved",
        _("解决问题数"),
        _("直接解决的议题 + 本期结项的微项目 + 本期清除的巡查问题。"),
        COUNT,
        "topics",
    ),
    Figure("projects_adopted", _("立项项目数"), _("本期立项的微项目数。"), COUNT, "projects"),
    _stage("planning", _("其中筹备中")),
    _stage("in_progress", _("其中实施中")),
    _stage("published", _("其中公示中")),
    _stage("closed", _("其中已结项")),
    _stage("cancelled", _("其中已取消")),
    Figure(
        "projects_closed", _("结项项目数"), _("本期评价期结束并结项的微项目数。"), COUNT, "projects"
    ),
    Figure(
        "money_allocated",
        _("安排资金(元)"),
        _("本期为未取消的项目登记的预算（各资金来源合计）。"),
        YUAN,
        "projects",
    ),
    Figure(
        "special_fund_allocated",
        _("其中专项资金(元)"),
        _("安排资金中来自专项资金的部分。"),
        YUAN,
        "projects",
    ),
    Figure("money_spent", _("支出资金(元)"), _("支出日期在本期的项目支出合计。"), YUAN, "projects"),
    Figure(
        "fund_pool_amount",
        _("专项资金池(元)"),
        _("所辖居民区在本期所涉年度的专项资金池总额；微网格无此项。"),
        YUAN,
        "projects",
        per_grid=False,
    ),
    Figure(
        "satisfaction",
        _("满意度(1–5分)"),
        _("本期结项项目的居民评分平均值。"),
        SCORE,
        "projects",
    ),
    Figure(
        "satisfaction_ratings",
        _("满意度评价人次"),
        _("计算满意度所依据的评分个数。"),
        COUNT,
        "projects",
    ),
    Figure(
        "volunteers_registered",
        _("在册志愿者"),
        _("期末前登记且仍在册的志愿者人数；活动属于居民区，微网格无此项。"),
        COUNT,
        "volunteers",
        per_grid=False,
    ),
    Figure(
        "volunteers_active",
        _("活跃志愿者"),
        _("本期有经审核的服务记录的志愿者人数（按人去重）。"),
        COUNT,
        "volunteers",
        per_grid=False,
    ),
    Figure(
        "volunteer_hours",
        _("志愿服务时长(小时)"),
        _("本期签到并经审核的服务时长合计。"),
        HOURS,
        "volunteers",
        per_grid=False,
    ),
    Figure(
        "activities_held",
        _("志愿活动场次"),
        _("本期开始、已发布或已结束的志愿活动和公益岗位数。"),
        COUNT,
        "volunteers",
        per_grid=False,
    ),
    Figure(
        "points_issued",
        _("发放积分"),
        _("本期因志愿服务获得的积分合计。"),
        POINTS,
        "volunteers",
        per_grid=False,
    ),
    Figure(
        "points_redeemed",
        _("兑换积分"),
        _("本期提交且未取消的兑换单所用积分合计。"),
        POINTS,
        "volunteers",
        per_grid=False,
    ),
    Figure(
        "participation_attendances",
        _("志愿服务人次"),
        _("本期经审核的志愿服务签到人次；微网格无此项。"),
        COUNT,
        "participation",
        per_grid=False,
    ),
    Figure(
        "participation_project_members",
        _("加入项目人次"),
        _("本期加入微项目的人次。"),
        COUNT,
        "participation",
    ),
    Figure(
        "participation_hands",
        _("举手人次"),
        _("本期为议题举手且未撤回的人次。"),
        COUNT,
        "participation",
    ),
    Figure(
        "participation_evaluations",
        _("项目评价人次"),
        _("本期提交的项目评价人次。"),
        COUNT,
        "participation",
    ),
    Figure(
        "participation",
        _("参与人次"),
        _("志愿服务人次 + 加入项目人次 + 举手人次 + 项目评价人次。"),
        COUNT,
        "participation",
    ),
]
# The self-governance and casework figures (dashboards.governance): their own groups, null
# for a micro-grid.
GROUPS.update(GOVERNANCE_GROUPS)
FIGURES += GOVERNANCE_FIGURES
BY_KEY = {figure.key: figure for figure in FIGURES}
KEYS = [figure.key for figure in FIGURES]

# The figures of the ranking table and its export (the API returns every figure per unit).
RANKING_KEYS = [
    "topics_raised",
    "answered_within_4h_share",
    "median_response_hours",
    "overdue_now",
    "conversion_rate",
    "problems_solved",
    "projects_adopted",
    "money_spent",
    "satisfaction",
    "volunteers_registered",
    "volunteer_hours",
    "points_issued",
    "participation",
    "consultation_turnout",
    "musts_missed_months",
    "events_on_time_share",
]
# Figures where less is better: the ranking puts the smallest first.
ASCENDING = frozenset(
    {"median_response_hours", "mean_response_hours", "overdue_now", "musts_missed_months"}
)

# The monthly series of the trend.
TREND_KEYS = [
    "topics_raised",
    "answered_within_4h",
    "answered_within_4h_share",
    "topics_to_projects",
    "projects_adopted",
    "problems_solved",
    "volunteer_hours",
    "points_issued",
]
