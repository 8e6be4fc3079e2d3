"""What the demo's volunteer service consists of: the street's regulations and rules, teams,
activities, rewards. All figures are the demo street's own (DESIGN: no seed gives any)."""

from typing import NamedTuple

from volunteers.models import Activity

POST, ACTIVITY = Activity.Kind.POST, Activity.Kind.ACTIVITY

POLICY_TEXT = (
    "一、居民参加本街道各居民区组织的志愿服务，经工作人员审核服务时长后获得积分。\n"
    "二、一般志愿服务每小时 10 分，单次最多 50 分；为老服务每小时 12 分；公益岗位值守每次 4 分、"
    "每小时另计 8 分；节庆活动每次另加 10 分。\n"
    "三、每人每天最多获得 60 分。积分自获得之日起 12 个月内有效，逾期未使用的部分于每月初清零。\n"
    "四、积分可在本居民区兑换物品和服务，兑换后积分即时扣减；未领取前可以取消，积分全额退回。\n"
    "（以上数值为演示街道自行设定，仅供演示。）"
)
DAILY_CAP, EXPIRY_MONTHS = 60, 12
RULES = [
    (
        "志愿服务通用规则",
        {"is_default": True, "points_per_hour": 10, "max_points_per_attendance": 50},
    ),
    ("为老服务", {"is_default": True, "category": "为老服务", "points_per_hour": 12}),
    (
        "公益岗位值守",
        {
            "is_default": True,
            "activity_kind": POST,
            "points_per_hour": 8,
            "points_per_attendance": 4,
        },
    ),
    ("节庆活动加分", {"points_per_hour": 10, "bonus_points": 10}),
]

TEAMS = [
    ("文明巡访队", "每周巡访楼道，劝导不文明行为，协助周周巡发现问题。"),
    ("环境卫生队", "垃圾分类引导、楼道和绿地清洁、清理小广告。"),
    ("助老服务队", "为独居和高龄老人上门探望、代购、陪同就医。"),
]


class Spec(NamedTuple):
    team: int | None  # index in TEAMS (when the community has that team)
    category: str
    title: str
    place: str  # {b}/{b2}: buildings of the community, {short}: its short name
    kind: str
    hours: float
    days: int  # days ago (past) or ahead (upcoming)
    rule: str = ""  # a named rule; blank: the street's default for the kind and category
    capacity: int = 0  # upcoming only
    signups: int = 0  # upcoming only


# 望春里's past activities, oldest first (the other communities take four and the last one).
PAST = [
    Spec(1, "环境整治", "楼道堆物清理日", "{b}楼道", ACTIVITY, 3, 48),
    Spec(2, "为老服务", "为高龄老人义务理发", "{short}睦邻点", ACTIVITY, 2.5, 43),
    Spec(0, "文明劝导", "文明养犬劝导", "小区中心花园", ACTIVITY, 2, 38),
    Spec(1, "环境整治", "垃圾分类定时定点值守", "{b}垃圾厢房", POST, 2, 33),
    Spec(2, "为老服务", "独居老人上门探访", "各楼组", ACTIVITY, 3, 28),
    Spec(1, "环境整治", "清理楼道小广告", "{b}、{b2}楼道", ACTIVITY, 2, 23),
    Spec(0, "文明劝导", "电瓶车安全充电宣传", "非机动车棚", ACTIVITY, 2, 18),
    Spec(2, "为老服务", "重阳敬老午餐帮厨", "社区长者食堂", ACTIVITY, 3, 12, "节庆活动加分"),
    Spec(None, "环境整治", "绿地补种和除草", "小区绿地", ACTIVITY, 3, 7),
    # Checked out three days ago, left for the worker to approve (or reject) in the admin.
    Spec(1, "环境整治", "垃圾分类定时定点值守", "{b}垃圾厢房", POST, 2, 3),
]
AWAITING = PAST[-1]
# 13900000001 misses these (days ago), so their ledger is not simply every activity's.
SKIPPED_BY_ME = (38, 18)
CANCELLED = Spec(None, "文体活动", "滨江健步走", "滨江步道", ACTIVITY, 2, 20)
CANCEL_REASON = "气象台发布暴雨预警，为安全起见活动取消，改期另行通知。"
UPCOMING = [
    Spec(0, "安全宣传", "冬季消防安全宣传", "小区南门", ACTIVITY, 2, 3, capacity=10, signups=4),
    # Full: more sign-ups than places, so a waiting list that moves up when one withdraws.
    Spec(
        2, "为老服务", "冬至为独居老人包馄饨", "社区长者食堂", ACTIVITY, 3, 6, capacity=4, signups=6
    ),
    Spec(1, "环境整治", "垃圾分类定时定点值守", "{b}垃圾厢房", POST, 2, 2, capacity=2, signups=1),
]
DRAFT = Spec(None, "文体活动", "新春写春联送祝福", "{short}睦邻点", ACTIVITY, 3, 40, capacity=20)
REJECT_REASONS = ["签到后提前离开，未完成服务。", "现场未见到本人，签到记录存疑。"]

# kind, name, points, stock, provider (a grid resource of that kind), description
REWARDS = [
    ("goods", "环保购物袋", 20, 40, None, "可折叠环保袋一只。"),
    ("voucher", "便利店 10 元代金券", 50, 30, "shop", "在合作便利店使用，三个月内有效。"),
    ("goods", "洗衣液（2 升）", 60, 20, None, "到居委会领取。"),
    ("service", "健康体检加项一次", 80, 10, "department", "社区卫生服务中心提供。"),
    ("goods", "定制保温杯", 100, 3, None, "数量有限，兑完即止。"),
]
# What becomes of the orders of a community's first volunteers, in turn (望春里, the others).
ORDERS_FIRST = ["handed", "waiting", "handed", "by_resident", "handed", "by_worker", "handed"]
ORDERS_OTHER = ["handed", "waiting", "handed"]
WORKER_CANCEL_REASON = "该批次奖品有质量问题，已与居民沟通，积分退回。"
ADJUSTMENTS = [  # points, reason, whom (the account with the lowest or highest balance)
    (10, "补录：纸质签到表漏登的一次楼道清理服务。", "lowest"),
    (-5, "更正：同一次服务被重复登记，扣回多计的积分。", "highest"),  # 望春里 only
]

SKILLS = ["理发", "家电维修", "书法", "医护", "摄影", "法律咨询", "烹饪", "教老人用手机", ""]
AVAILABILITY = ["工作日晚上", "周末上午", "周末全天", "工作日白天", "随时可约"]
EMPLOYERS = [
    "浦江区税务局机关党支部",
    "浦江区人民医院第二党支部",
    "浦江供电公司第三党支部",
    "临江中学教工党支部",
    "浦江区市场监管局机关党支部",
]
