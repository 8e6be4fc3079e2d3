"""The raise-hand workflow on the demo street: topics in every state, projects in every stage.

Everything goes through the real services (proposals.services, projects.services), so the
timeline events, the hand counters, the money checks and the notifications are the ones a
worker would produce. The services stamp "now"; a demo needs a past, so right after each
service call the rows it wrote are moved back to the planned moment with queryset `update()`
(`Timeline.step`). What depends on those moments is then made consistent again: the
first-response deadline follows the raise time, `responded_on_time` is recomputed from the
moved stamps, review windows and hands deadlines are moved with their stage.

Only the six base communities get topics (a fixed ~90 topics whatever the scale), and
nothing is left due for the clocks except on purpose: two topics of 望春里 are already past
their 4 hours (the first reminder sweep sends "overdue" and escalates to the street) and one
was raised 2 h 50 min before the build (its "due soon" reminder comes 10 minutes later).
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.db import connection
from django.db.models import Case, F, Value, When
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from projects import services as project_services
from projects.models import (
    BudgetLine,
    Evaluation,
    Expense,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectEvent,
    ProjectMember,
)
from proposals import services as topic_services
from proposals.models import (
    Category,
    Comment,
    CommentReport,
    CommunityPolicy,
    Deliberation,
    Hand,
    ProposalPolicy,
    Topic,
    TopicEvent,
    TopicFollow,
)
from residents.models import Resident

from . import data

H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)
D = datetime.timedelta(days=1)
S = Topic.State
Stage = Project.Stage

# Verified resident accounts made for hands, comments and evaluations.
ACCOUNTS_FIRST = 30
ACCOUNTS_OTHER = 8
REVIEW_DAYS = 7
HANDS_DAYS = 14

CATEGORIES = [
    ("环境卫生", "垃圾分类、楼道卫生、积水异味等"),
    ("停车管理", "机动车与非机动车停放、充电"),
    ("加装电梯", "老旧多层住宅加装电梯的意愿征集与协调"),
    ("绿化养护", "树木修剪、绿地补种、小花园"),
    ("公共设施", "路灯、座椅、健身器材、门禁、晾衣架等"),
    ("邻里纠纷", "噪音、漏水、占用公共空间等邻里矛盾"),
    ("为老服务", "助餐、助浴、适老化改造、老年活动"),
    ("安全隐患", "消防通道、电瓶车充电、高空坠物等"),
    ("文体活动", "居民文体活动、活动场地与设备"),
]

APP, BOARD, BOX = Topic.Source.APP, Topic.Source.MESSAGE_BOARD, Topic.Source.SUGGESTION_BOX
VISIT, PATROL, HOTLINE = Topic.Source.HOME_VISIT, Topic.Source.PATROL, Topic.Source.HOTLINE

# 望春里's topics: (category, source, title, text, reply, plan). `reply` is the worker's
# answer or solution, the decline reason, the project's name (adopted) or the title of the
# topic a duplicate is merged into. Plans: raised:<minutes ago>, answered, answered_late,
# reopened, solved, solved_pending, declined, open, open_party, open_withdrawn, lapsed,
# adopted:<stage>, merged. All names and places are fictional.
FIRST_TOPICS = [
    (
        "环境卫生",
        APP,
        "3号楼下水道返臭味",
        "这几天3号楼一楼下水道一直返臭味，晚上更明显，家里有小孩，希望尽快派人看看。",
        "",
        "raised:5",
    ),
    (
        "公共设施",
        APP,
        "小区东门道闸经常抬不起来",
        "东门道闸这周好几次抬不起来，早上上班高峰车子排到马路上，保安只能手动开。",
        "",
        "raised:40",
    ),
    (
        "安全隐患",
        VISIT,
        "7号楼顶楼雨棚松动",
        "走访时702室阿姨反映顶楼雨棚一角已经松动，刮风时响得厉害，怕掉下来砸到人。",
        "",
        "raised:95",
    ),
    (
        "停车管理",
        APP,
        "傍晚外来车辆占用消防通道",
        "每天傍晚有外来车辆停在4号楼和5号楼之间的消防通道上，救护车根本进不来。",
        "",
        "raised:170",
    ),
    (
        "环境卫生",
        BOX,
        "垃圾厢房周边夜间有散落垃圾",
        "人民意见箱来信：晚上九点以后垃圾厢房关门，有人把垃圾袋扔在门口，第二天满地都是。",
        "",
        "raised:310",
    ),
    (
        "邻里纠纷",
        HOTLINE,
        "楼上住户夜间拖动家具噪音",
        "热线转来：9号楼301室反映楼上近一个月每晚十一点后拖动家具，多次沟通无果。",
        "",
        "raised:1560",
    ),
    (
        "公共设施",
        APP,
        "健身苑的漫步机异响",
        "健身苑那台漫步机一动就咯吱咯吱响，老人们担心轴承坏了会摔倒。",
        "已联系器材维保单位，本周五上门检修，检修期间请暂停使用，已贴告示。",
        "answered",
    ),
    (
        "为老服务",
        VISIT,
        "独居老人希望有人定期上门量血压",
        "走访独居老人时，好几位提到腿脚不便，去卫生服务中心量血压不方便。",
        "已对接社区卫生服务中心家庭医生团队，每月第二周上门，先为登记的独居老人服务。",
        "answered",
    ),
    (
        "绿化养护",
        BOARD,
        "5号楼前香樟树枝遮挡阳台",
        "留言板：5号楼前的香樟树长得太高，枝条伸到二楼阳台，白天屋里都要开灯。",
        "已报绿化养护单位。修剪大树需按程序报绿化部门审批，预计两周内完成，届时提前通知。",
        "answered_late",
    ),
    (
        "停车管理",
        APP,
        "非机动车棚照明不足",
        "北门非机动车棚晚上黑漆漆的，取车要打手电，上周还有人在里面摔了一跤。",
        "已报物业，更换为感应灯需采购，计划下周内完成。",
        "answered",
    ),
    (
        "环境卫生",
        APP,
        "楼道小广告反复张贴",
        "2号楼楼道里开锁、通下水道的小广告贴了又贴，墙面都花了。",
        "已组织楼组志愿者清理小广告，并在单元门口张贴了文明提示。",
        "reopened",
    ),
    (
        "公共设施",
        APP,
        "2号楼单元门门禁失灵",
        "2号楼单元门门禁这几天刷卡没反应，门一直开着，外人随便进出。",
        "物业已更换门禁控制板，经测试刷卡开门恢复正常。",
        "solved",
    ),
    (
        "环境卫生",
        PATROL,
        "窨井盖破损有安全隐患",
        "巡查发现6号楼门前窨井盖边缘破损，晚上看不清容易绊倒。",
        "已通知市政养护公司，当天更换了新的窨井盖。",
        "solved_pending",
    ),
    (
        "安全隐患",
        APP,
        "楼道内电瓶车充电",
        "8号楼一楼楼道里有人拉线给电瓶车充电，晚上也不拔，太危险了。",
        "社区工作者和楼组长一起上门劝导，住户已把电瓶车移到充电棚，飞线已拆除。",
        "solved",
    ),
    (
        "公共设施",
        BOARD,
        "小区主干道路灯不亮",
        "留言板：从南门进来那段主干道三盏路灯都不亮，晚上走路心里发慌。",
        "已报供电所，更换灯泡并检修了线路，三盏路灯已恢复照明。",
        "solved",
    ),
    (
        "邻里纠纷",
        HOTLINE,
        "空调外机滴水影响楼下",
        "热线转来：楼上空调外机冷凝水一直滴在楼下晾衣竿上，衣服晾不了。",
        "已上门协调，楼上住户同意加装冷凝水管，目前已安装完毕。",
        "solved_pending",
    ),
    (
        "环境卫生",
        APP,
        "绿地内宠物粪便无人清理",
        "中心绿地里狗狗粪便越来越多，孩子在草地上玩常常踩到。",
        "已在绿地设置提示牌，并组织了文明养宠宣传，楼组长会加强劝导。",
        "solved",
    ),
    (
        "停车管理",
        APP,
        "希望把中心绿地改成停车位",
        "小区停车太难了，中心绿地平时没什么人，能不能改成停车位？",
        "中心绿地属规划绿地，不能改作停车位。社区正与周边单位协商错时停车，进展会及时公布。",
        "declined",
    ),
    (
        "公共设施",
        BOARD,
        "要求门岗24小时有人值守",
        "留言板：晚上门岗经常没人，希望改成24小时值守。",
        "门岗值守属于物业服务合同内容，调整需业主大会表决并相应调整物业费，意见已转业委会。",
        "declined",
    ),
    (
        "邻里纠纷",
        APP,
        "要求居委会强制邻居拆除阳台花架",
        "隔壁在阳台外挂了花架，浇水时水会溅到我家窗台，请居委会让他拆掉。",
        "花架装在业主自有阳台范围内，居委会无权强制拆除。已建议双方协商，也可申请人民调解。",
        "declined",
    ),
    (
        "文体活动",
        APP,
        "想在活动室办周末儿童绘本角",
        "周末孩子们没地方去，想请居委会把活动室开放出来，大家捐书办个绘本角。",
        "感谢提议。活动室周末使用需居民共同商定，现开放举手征集意见。",
        "open",
    ),
    (
        "绿化养护",
        VISIT,
        "把8号楼旁边的荒地改成共享菜园",
        "走访时几位居民提议，8号楼旁那块荒地长满杂草，不如改成大家一起种的共享菜园。",
        "荒地改造涉及公共空间使用，需征得多数居民同意，现开放举手。",
        "open",
    ),
    (
        "公共设施",
        APP,
        "在健身苑加装遮阳棚",
        "夏天健身苑太晒，老人孩子都没法待，能不能加个遮阳棚？",
        "遮阳棚需专项资金支持，现开放举手，达到立项人数后按程序立项。",
        "open_party",
    ),
    (
        "加装电梯",
        APP,
        "6号楼想加装电梯征集意见",
        "6号楼住了很多老人，爬六楼太吃力，想先看看楼里有多少人愿意加装电梯。",
        "加装电梯需本楼业主表决同意，先开放举手了解意愿，社区会协助办理后续手续。",
        "open",
    ),
    (
        "安全隐患",
        BOX,
        "小区出入口加装凸面镜",
        "意见箱来信：西门出口是个急弯，进出车辆看不到对方，险些撞到人。",
        "凸面镜安装位置需与交警部门确认，先开放举手征集居民意见。",
        "open_withdrawn",
    ),
    (
        "文体活动",
        APP,
        "组建广场舞队并购置音响",
        "想组建小区广场舞队，希望社区出资购买一套音响设备。",
        "开放举手征集意见，同时请大家关注晚间噪音对低楼层住户的影响。",
        "lapsed",
    ),
    (
        "停车管理",
        BOARD,
        "小区内划定临时访客车位",
        "留言板：亲戚来看望老人没地方停车，能不能划几个临时访客车位？",
        "划定访客车位会减少现有固定车位，先开放举手了解大家的意见。",
        "lapsed",
    ),
    (
        "绿化养护",
        APP,
        "中心花园改造成口袋花园",
        "中心花园的花坛年久失修，杂草丛生，希望改造成大家能坐下来休息的口袋花园。",
        "望春里口袋花园改造",
        "adopted:closed",
    ),
    (
        "为老服务",
        VISIT,
        "老楼道加装扶手",
        "走访发现1至4号楼老人多，楼梯没有扶手，上下楼只能扶墙。",
        "望春里楼道扶手加装",
        "adopted:closed",
    ),
    (
        "环境卫生",
        APP,
        "垃圾厢房又脏又臭希望改造",
        "垃圾厢房年久失修，夏天气味很大，也没有洗手的地方，希望改造一下。",
        "望春里垃圾厢房改造",
        "adopted:published",
    ),
    (
        "停车管理",
        APP,
        "新建非机动车集中充电棚",
        "电瓶车越来越多，楼道充电太危险，希望建一个集中充电棚。",
        "望春里非机动车集中充电棚",
        "adopted:published",
    ),
    (
        "为老服务",
        APP,
        "希望开设长者助餐点",
        "小区老人多，很多独居老人中午只能随便对付，希望在小区里开个助餐点。",
        "望春里长者助餐点",
        "adopted:in_progress",
    ),
    (
        "公共设施",
        BOARD,
        "晾衣架年久生锈要改造",
        "留言板：小区公共晾衣架都锈了，有的还断了，晾被子没地方。",
        "望春里共享晾晒区改造",
        "adopted:in_progress",
    ),
    (
        "安全隐患",
        PATROL,
        "楼道灭火器过期",
        "巡查发现多个楼道灭火器已过期，部分消火栓箱玻璃破损。",
        "望春里楼道消防器材更新",
        "adopted:in_progress",
    ),
    (
        "加装电梯",
        APP,
        "3号楼加装电梯",
        "3号楼已有八成住户愿意加装电梯，希望社区帮忙牵头办理。",
        "望春里3号楼加装电梯",
        "adopted:planning",
    ),
    (
        "文体活动",
        VISIT,
        "把闲置活动室改成睦邻客厅",
        "居民提议把一楼闲置的活动室改造成睦邻客厅，可以下棋、读书、办小活动。",
        "望春里睦邻客厅",
        "adopted:planning",
    ),
    (
        "绿化养护",
        APP,
        "7号楼屋顶绿化试点",
        "7号楼顶楼夏天太热，想试试屋顶种植，既降温又好看。",
        "望春里屋顶绿化试点",
        "adopted:cancelled",
    ),
    (
        "停车管理",
        APP,
        "车棚的灯坏了好几盏",
        "北门车棚里的灯坏了好几盏，晚上取车什么都看不见。",
        "非机动车棚照明不足",
        "merged",
    ),
    (
        "公共设施",
        APP,
        "健身器材有异响能修一下吗",
        "健身苑里漫步机响得厉害，能不能找人修一修？",
        "健身苑的漫步机异响",
        "merged",
    ),
    (
        "为老服务",
        BOARD,
        "小区里能不能有个老年食堂",
        "留言板：家里老人一个人在家，中午吃饭是个大问题，小区能不能办个老年食堂？",
        "希望开设长者助餐点",
        "merged",
    ),
]

# The other base communities draw ten topics each: one variant per slot.
OTHER_SLOTS = [
    (
        "raised:25",
        [
            (
                "环境卫生",
                APP,
                "楼下垃圾桶满了没人清运",
                "今天早上到现在楼下垃圾桶一直满着，周边已经有异味了。",
                "",
            ),
            (
                "公共设施",
                APP,
                "单元门闭门器坏了",
                "单元门闭门器坏了，门关不上，风一吹就砰砰响。",
                "",
            ),
            (
                "安全隐患",
                APP,
                "楼道里堆满纸板箱",
                "二楼楼道堆了很多纸板箱，万一着火人都出不去。",
                "",
            ),
        ],
    ),
    (
        "raised:110",
        [
            (
                "停车管理",
                APP,
                "共享单车堆满小区门口",
                "小区门口人行道堆满了共享单车，推轮椅过不去。",
                "",
            ),
            (
                "绿化养护",
                VISIT,
                "绿化带杂草过高招蚊虫",
                "走访时居民反映楼前绿化带杂草半人高，蚊子特别多。",
                "",
            ),
            (
                "为老服务",
                HOTLINE,
                "老人想办理助浴服务",
                "热线转来：一位八十多岁的老人想了解上门助浴怎么申请。",
                "",
            ),
        ],
    ),
    (
        "answered",
        [
            (
                "公共设施",
                APP,
                "小区监控有死角",
                "地下车库入口附近没有监控，前几天有车被划了。",
                "已与物业核实，地下车库入口将增设两个摄像头，设备已在采购中。",
            ),
            (
                "环境卫生",
                BOARD,
                "雨后路面积水严重",
                "留言板：每次下雨，小区中间那段路积水到脚踝。",
                "已请市政养护公司查看，积水点下水道需疏通并改造，已列入本月计划。",
            ),
            (
                "停车管理",
                APP,
                "地面停车线看不清了",
                "地面停车位的划线都磨没了，停车东一辆西一辆。",
                "已与物业商定重新划线，待天气晴好时施工，施工前会通知挪车。",
            ),
        ],
    ),
    (
        "solved",
        [
            (
                "公共设施",
                APP,
                "电梯按钮失灵",
                "12号楼电梯8楼按钮按了没反应。",
                "电梯维保单位已更换按钮面板，恢复正常。",
            ),
            (
                "环境卫生",
                APP,
                "化粪池冒溢",
                "楼后化粪池往外冒，臭气熏天。",
                "已联系专业清掏单位完成清掏，并对周边进行了消杀。",
            ),
            (
                "安全隐患",
                PATROL,
                "消防栓箱门无法打开",
                "巡查发现3号楼消防栓箱门锈死打不开。",
                "物业已修复箱门并检查了水枪水带。",
            ),
        ],
    ),
    (
        "declined",
        [
            (
                "停车管理",
                APP,
                "要求免费提供固定车位",
                "希望居委会给每户免费分配一个固定车位。",
                "小区车位数量少于住户数，且车位管理由业委会和物业负责，无法免费固定分配；已将意见转业委会。",
            ),
            (
                "邻里纠纷",
                APP,
                "要求赶走流浪猫",
                "小区流浪猫越来越多，要求居委会全部赶走。",
                "驱赶流浪猫不可行。社区将联系动物保护组织开展绝育放归，并规范投喂点位。",
            ),
        ],
    ),
    (
        "open",
        [
            (
                "文体活动",
                APP,
                "办一个小区夏季纳凉晚会",
                "夏天晚上想在小区广场办纳凉晚会，大家出节目。",
                "活动需要居民共同参与，先开放举手。",
            ),
            (
                "绿化养护",
                APP,
                "楼前空地种几棵果树",
                "楼前有块空地，想种几棵果树，孩子们可以认养。",
                "公共绿地补种需征得居民同意，开放举手。",
            ),
        ],
    ),
    (
        "lapsed",
        [
            (
                "文体活动",
                APP,
                "购置乒乓球桌",
                "想在活动广场放两张室外乒乓球桌。",
                "开放举手征集意见。",
            ),
            (
                "公共设施",
                BOARD,
                "小区加装快递柜",
                "留言板：快递经常放门口丢失，希望加装快递柜。",
                "快递柜需占用公共空间，开放举手征集意见。",
            ),
        ],
    ),
    (
        "adopted:0",
        [
            (
                "为老服务",
                APP,
                "楼道加装休息座椅",
                "楼层高的老人爬楼要歇脚，想在楼道平台装折叠座椅。",
                "{short}楼道休息座椅",
            ),
            (
                "绿化养护",
                APP,
                "改造楼前小花园",
                "楼前小花园荒废了，想大家一起改造。",
                "{short}楼前小花园",
            ),
        ],
    ),
    (
        "adopted:1",
        [
            (
                "停车管理",
                APP,
                "建设电瓶车充电桩",
                "电瓶车没地方充电，很多人拉飞线。",
                "{short}电瓶车充电桩",
            ),
            (
                "公共设施",
                APP,
                "改造儿童游乐区",
                "儿童游乐设施老化，孩子玩的时候家长提心吊胆。",
                "{short}儿童游乐区改造",
            ),
        ],
    ),
    (
        "merged",
        [
            (
                "公共设施",
                APP,
                "这个问题之前有人反映过吗",
                "和邻居说的是同一件事，希望尽快处理。",
                "",
            ),
        ],
    ),
]

# How adopted topics become projects: per category, the plan, milestones (title, days after
# start), budget lines (source, amount, text), expenses (line index, share of the line, payee,
# text), progress updates and the results published for review.
PROJECT_TEMPLATES = {
    "绿化养护": {
        "plan": "清理杂草与废旧花坛，补种耐阴灌木和时令花卉，设置休息座椅和雨水花园；"
        "由居民园艺达人牵头，楼组志愿者分片认养。",
        "milestones": [("方案公示与居民意见征集", 5), ("清理场地", 15), ("补种与座椅安装", 35)],
        "budget": [
            ("special_fund", "36000.00", "苗木、座椅和土方工程"),
            ("crowdfunding", "4800.00", "居民众筹：认养花卉"),
            ("residents", "1200.00", "居民自筹：工具与肥料"),
        ],
        "expenses": [
            (0, "0.55", "浦江绿化养护有限公司", "苗木采购与种植"),
            (0, "0.30", "临江园林工程队", "场地清理与土方"),
            (1, "0.80", "春申花卉市场", "时令花卉"),
        ],
        "updates": ["场地清理完成，共清运杂物两车。", "第一批苗木已种下，欢迎居民来认养。"],
        "results": "完成约 300 平方米绿地改造，新增座椅 6 张，32 户居民认养花卉。",
        "covenant": (
            "口袋花园养护公约",
            "一、认养家庭每周浇水不少于两次；二、不在花园内遛狗、"
            "晾晒；三、损坏花木照价赔偿；四、每月第一个周六为集体养护日。",
        ),
    },
    "为老服务": {
        "plan": "摸排需求后分批实施，优先高龄、独居老人集中的楼栋；与专业单位签约施工和服务。",
        "milestones": [("入户摸排需求", 7), ("确定供应商", 14), ("分批实施", 40)],
        "budget": [
            ("special_fund", "42000.00", "设施采购与安装"),
            ("residents", "3000.00", "居民自筹：日常耗材"),
        ],
        "expenses": [
            (0, "0.60", "沪滨适老化工程有限公司", "设施采购与安装"),
            (1, "0.50", "望春路五金建材店", "配件与耗材"),
        ],
        "updates": ["已完成入户摸排，共登记需求 46 户。", "第一批已实施完毕，老人反映很方便。"],
        "results": "完成 4 个楼栋实施，惠及 60 岁以上老人 118 人。",
        "covenant": None,
    },
    "环境卫生": {
        "plan": "拆除破损设施，新建带洗手池和除臭装置的厢房，调整开放时间，"
        "由志愿者定时值守引导分类。",
        "milestones": [("设计方案确认", 7), ("施工", 25), ("志愿者值守排班", 30)],
        "budget": [
            ("special_fund", "48000.00", "厢房改造工程"),
            ("maintenance_fund", "8000.00", "维修基金：排水管道改造"),
        ],
        "expenses": [
            (0, "0.70", "申江市政工程有限公司", "厢房主体改造"),
            (1, "0.90", "申江市政工程有限公司", "排水管道改造"),
            (0, "0.10", "临江环保设备商行", "除臭装置"),
        ],
        "updates": ["厢房主体改造完成，洗手池已通水。", "志愿者值守排班表已在各楼栋公布。"],
        "results": "垃圾厢房改造完成，新增洗手池和除臭装置，分类准确率明显提高。",
        "covenant": (
            "垃圾分类投放公约",
            "一、按时段定点投放；二、湿垃圾破袋投放；三、"
            "大件垃圾预约清运；四、志愿者值守时请配合引导。",
        ),
    },
    "停车管理": {
        "plan": "在北门空地新建带智能计时插座和烟感报警的集中充电棚，约 40 个车位，按次付费。",
        "milestones": [("选址与消防审核", 10), ("土建与安装", 30), ("试运行", 40)],
        "budget": [
            ("special_fund", "52000.00", "车棚土建与充电设备"),
            ("crowdfunding", "6000.00", "居民众筹：照明与监控"),
        ],
        "expenses": [
            (0, "0.65", "浦江新能源科技有限公司", "充电设备采购与安装"),
            (0, "0.25", "临江建筑工程队", "车棚土建"),
            (1, "0.70", "安澜电子商行", "照明与监控设备"),
        ],
        "updates": ["消防审核通过，开始土建。", "充电设备安装完成，进入试运行。"],
        "results": "建成 40 个车位的集中充电棚，楼道飞线充电基本消除。",
        "covenant": (
            "充电棚使用公约",
            "一、电瓶车一律进棚充电；二、充满即走，不占位；"
            "三、发现异常及时报告物业；四、禁止私拉电线。",
        ),
    },
    "公共设施": {
        "plan": "拆除老旧设施，按居民意见选型新设施，分区施工，尽量不影响日常使用。",
        "milestones": [("居民选型投票", 7), ("拆除与施工", 21), ("验收", 30)],
        "budget": [
            ("special_fund", "28000.00", "设施采购与安装"),
            ("residents", "2000.00", "居民自筹：维护费用"),
        ],
        "expenses": [
            (0, "0.75", "沪江市政设施有限公司", "设施采购与安装"),
            (1, "0.40", "望春路五金建材店", "配件"),
        ],
        "updates": ["选型投票结束，共 86 户参与。", "施工过半，预计下周完工。"],
        "results": "完成公共设施改造，居民使用满意。",
        "covenant": None,
    },
    "安全隐患": {
        "plan": "全面排查楼道消防器材，更换过期灭火器，修复消火栓箱，开展一次消防演练。",
        "milestones": [("逐楼排查", 5), ("器材更换", 15), ("消防演练", 25)],
        "budget": [("special_fund", "18000.00", "灭火器与消火栓箱维修")],
        "expenses": [
            (0, "0.60", "临江消防器材经营部", "灭火器采购"),
            (0, "0.20", "临江消防器材经营部", "消火栓箱维修"),
        ],
        "updates": ["排查完成，需更换灭火器 96 具。", "第一批灭火器已到货，正在逐楼更换。"],
        "results": "全部楼道消防器材更新完毕。",
        "covenant": None,
    },
    "加装电梯": {
        "plan": "征询本楼业主意见并签订协议，委托设计单位出方案，办理规划审批后施工。",
        "milestones": [("业主签约", 20), ("设计与审批", 60), ("施工", 120)],
        "budget": [
            ("special_fund", "20000.00", "前期设计与评估补贴"),
            ("residents", "150000.00", "业主按楼层分摊"),
        ],
        "expenses": [(0, "0.50", "浦江建筑设计事务所", "可行性评估")],
        "updates": ["已有 10 户中的 9 户签约。"],
        "results": "电梯建成投入使用。",
        "covenant": None,
    },
    "文体活动": {
        "plan": "改造闲置空间，添置桌椅书架，由居民志愿者轮值管理，每周固定开放。",
        "milestones": [("空间设计", 7), ("改造施工", 20), ("开放运营", 30)],
        "budget": [
            ("special_fund", "24000.00", "装修与家具"),
            ("crowdfunding", "3000.00", "居民众筹：图书与棋具"),
        ],
        "expenses": [(0, "0.50", "临江装饰工程队", "墙面与地面翻新")],
        "updates": ["设计方案已征求意见。"],
        "results": "睦邻客厅开放，每周开放五天。",
        "covenant": None,
    },
    "邻里纠纷": {
        "plan": "设立楼组调解角，培训楼组长调解技巧。",
        "milestones": [("调解员培训", 10)],
        "budget": [("special_fund", "6000.00", "培训与场地布置")],
        "expenses": [(0, "0.50", "临江社会工作服务社", "调解培训")],
        "updates": ["第一期培训完成。"],
        "results": "楼组调解角建成。",
        "covenant": None,
    },
}

CANCEL_REASON = (
    "经专业机构检测，屋面防水层老化、承重不足，加做屋顶绿化需先整体翻修屋面，"
    "费用远超本项目预算。经三委会商议取消，待屋面大修时再议。"
)
RESIDENT_COMMENTS = [
    "支持！这个问题困扰大家很久了。",
    "希望能尽快落实，我们楼的老人都很关心。",
    "我愿意做志愿者，需要帮忙随时叫我。",
    "建议施工时间避开午休。",
    "谢谢居委会，辛苦了！",
    "能不能把进度经常在群里通报一下？",
    "我家就在旁边，可以提供用水用电。",
]
WORKER_COMMENTS = [
    "感谢大家的意见，我们会在楼组会上一并讨论。",
    "进度会在本页面和楼道公告栏同步公布。",
    "需要帮忙的居民请在本页面报名，或到居委会登记。",
]
RUDE_COMMENT = "提这种意见的人就是没事找事，自己家门口的事自己解决！"
HIDE_REASON = "含有针对其他居民的攻击性言论，经审核予以隐藏。"
EVALUATIONS = [
    (5, "效果很好，感谢社区和志愿者！"),
    (5, "大家一起商量出来的方案，很满意。"),
    (4, "整体不错，后续维护要跟上。"),
    (4, "比原来好多了。"),
    (3, "还可以，施工周期有点长。"),
    (5, ""),
    (4, ""),
]
PLACES = ["居委会会议室", "小区睦邻点", "{building}楼组活动点", "小区中心广场"]
ROUNDS = [
    ("building", "楼组长、楼组居民代表", "楼组居民同意推进，建议先征求全楼意见。"),
    ("compound", "居民代表、业委会成员、物业经理", "小区层面同意，物业配合施工管理。"),
    ("committees", "党总支、居委会、业委会成员", "三委会商议同意，建议举手达标后立项。"),
]
NOTES = [
    "已电话联系提出人，约定明天上午上门查看。",
    "物业回复需等配件到货，跟进中。",
    "此事上月也有居民反映过，注意统一口径。",
]


class Timeline:
    """Moves what a service just wrote to the planned moment.

    Each service stamps the real "now"; `step(when, call)` runs the call and then sets the
    time of every row it created in the watched tables (found by primary keys above the last
    seen one: the build runs alone in its transaction) and of the named stamps on the subject.
    """

    WATCHED = [
        (TopicEvent, "at"),
        (ProjectEvent, "at"),
        (Notification, "created_at"),
        (Hand, "raised_at"),
        (Comment, "created_at"),
        (CommentReport, "created_at"),
        (Deliberation, "created_at"),
        (TopicFollow, "created_at"),
        (ProjectMember, "joined_at"),
        (BudgetLine, "created_at"),
        (Expense, "created_at"),
        (Milestone, "created_at"),
        (ProgressUpdate, "created_at"),
        (Evaluation, "created_at"),
    ]

    def __init__(self):
        qn = connection.ops.quote_name
        # One statement reads every table's last primary key (a step makes ~15 of them).
        self.sql = "SELECT " + ", ".join(
            f"(SELECT MAX({qn(m._meta.pk.column)}) FROM {qn(m._meta.db_table)})"
            for m, _f in self.WATCHED
        )
        self.marks = self._lasts()
        self.limit = timezone.now() - M

    def _lasts(self):
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            return [v or 0 for v in cursor.fetchone()]

    def step(self, when, call, *, subject=None, stamps=()):
        # Never in the future, whatever the plan's arithmetic gives near midnight.
        when = min(when, self.limit)
        result = call()
        lasts = self._lasts()
        for n, ((model, field), last) in enumerate(zip(self.WATCHED, lasts, strict=True)):
            if last > self.marks[n]:
                model.objects.filter(pk__gt=self.marks[n], pk__lte=last).update(**{field: when})
                self.marks[n] = last
        if subject is not None and stamps:
            type(subject).objects.filter(pk=subject.pk).update(**{s: when for s in stamps})
        return result


def build_workflow(built, *, seed, password_hash) -> dict:
    """Categories, policies, accounts, topics and projects for the base communities.
    Returns counts for the summary."""
    return WorkflowBuilder(built, seed=seed, password_hash=password_hash).build()


class WorkflowBuilder:
    def __init__(self, built, *, seed, password_hash):
        self.built = built
        self.rng = random.Random(seed + 3)
        self.password_hash = password_hash
        self.now = timezone.now()
        self.admin = built.users["admin"]
        self.street_admin = built.users["street_admin"]
        self.communities = [c for c, _s, _r in built.communities[: len(data.BASE_COMMUNITIES)]]

    def build(self) -> dict:
        self._categories_and_policies()
        self.accounts = self._accounts()
        self.pools = self._fund_pools()
        self.timeline = Timeline()
        for n, community in enumerate(self.communities):
            self._community_topics(n, community)
        # Stored once at the first response in real life; recomputed here from moved stamps.
        Topic.objects.filter(
            community__in=self.communities, first_responded_at__isnull=False
        ).update(
            responded_on_time=Case(
                When(first_responded_at__lte=F("first_response_due_at"), then=Value(True)),
                default=Value(False),
            )
        )
        topics = Counter(
            Topic.objects.filter(community__in=self.communities).values_list("state", flat=True)
        )
        projects = Counter(
            Project.objects.filter(community__in=self.communities).values_list("stage", flat=True)
        )
        return {
            "workflow_topics": dict(topics),
            "workflow_projects": dict(projects),
            "workflow_accounts": sum(len(a) for a in self.accounts.values()),
        }

    # -- settings -------------------------------------------------------------------------------

    def _categories_and_policies(self):
        Category.objects.bulk_create(
            [
                Category(street=street, name=name, description=text, sort_order=i)
                for street in self.built.streets
                for i, (name, text) in enumerate(CATEGORIES)
            ]
        )
        ProposalPolicy.objects.bulk_create(
            [ProposalPolicy(street=street, hands_threshold=10) for street in self.built.streets]
        )
        # A village gathers fewer hands than a big estate.
        village = self.communities[-1]
        CommunityPolicy.objects.create(community=village, hands_threshold=5)
        first_street = self.built.streets[0].pk
        self.categories = {c.name: c for c in Category.objects.filter(street_id=first_street)}
        self.policy = ProposalPolicy.objects.get(street_id=first_street)

    def _accounts(self):
        """Verified accounts for residents of the base communities (their own mobile as the
        login), linked to their records as account_verify would, in bulk."""
        taken = set(User.objects.exclude(phone=None).values_list("phone", flat=True))
        born_after = datetime.date(self.now.year - 75, 1, 1)
        born_before = datetime.date(self.now.year - 18, 1, 1)
        accounts = {}
        for n, community in enumerate(self.communities):
            want = ACCOUNTS_FIRST if n == 0 else ACCOUNTS_OTHER
            rows = list(
                Resident.objects.filter(
                    community=community,
                    status=Resident.Status.LIVING,
                    account__isnull=True,
                    birth_date__gte=born_after,
                    birth_date__lt=born_before,
                    phone__regex=r"^1[3-9][0-9]{9}$",
                )
                .select_related("building")
                .order_by("pk")
            )
            rows = [r for r in rows if r.phone not in taken]
            picked = sorted(self.rng.sample(rows, min(want, len(rows))), key=lambda r: r.pk)
            users = []
            worker = self.built.workers[community.pk]
            for resident in picked:
                taken.add(resident.phone)
                users.append(
                    User(
                        username=resident.phone,
                        phone=resident.phone,
                        password=self.password_hash,
                        real_name=resident.name,
                        claimed_community=community,
                        claimed_address=f"{resident.building.name} {resident.room}室",
                        verification_status=User.Verification.VERIFIED,
                        verified_at=self.now - 60 * D,
                        verified_by=worker,
                    )
                )
            users = User.objects.bulk_create(users)
            for resident, user in zip(picked, users, strict=True):
                resident.account = user
            Resident.objects.bulk_update(picked, ["account"])
            # Fresh instances: no cached scope, `.resident` loads the linked record.
            accounts[community.pk] = list(
                User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk")
            )
        return accounts

    def _fund_pools(self):
        pools = {}
        for n, community in enumerate(self.communities):
            amount = Decimal("400000.00") if n == 0 else Decimal(120000 + 10000 * n)
            pools[community.pk] = project_services.fund_pool_set(
                actor=self.street_admin,
                community=community,
                year=timezone.localdate().year,
                amount=amount,
                note="街道年度社区微更新专项资金",
            )
        return pools

    # -- topics ---------------------------------------------------------------------------------

    def _community_topics(self, n, community):
        if n == 0:
            specs = FIRST_TOPICS
        else:
            short = community.name.removesuffix("居民区")
            specs = []
            for plan, variants in OTHER_SLOTS:
                cat, source, title, text, reply = variants[
                    (n + self.rng.randrange(3)) % len(variants)
                ]
                if plan.startswith("adopted:"):
                    stages = list(Stage)
                    plan = f"adopted:{stages[(2 * n + int(plan[-1])) % len(stages)]}"
                    reply = reply.format(short=short)
                specs.append((cat, source, title, text, reply, plan))
        ctx = _Community(self, community)
        for i, (cat, source, title, text, reply, plan) in enumerate(specs):
            if plan == "merged" and n > 0:
                # The duplicate restates the community's answered topic.
                target = next(spec for spec in specs if spec[5] == "answered")
                title = f"再次反映：{target[2]}"
                text, reply = f"{target[3]}（和之前邻居反映的是同一件事）", target[2]
            ctx.topic(i, self.categories[cat], source, title, text, reply, plan)


class _Community:
    """Builds one community's topics, each walked through its plan."""

    def __init__(self, wb, community):
        self.wb, self.community, self.rng, self.tl = wb, community, wb.rng, wb.timeline
        self.worker = wb.built.workers[community.pk]
        self.accounts = wb.accounts[community.pk]
        self.pool = wb.pools[community.pk]
        self.by_title = {}
        self.now = wb.now
        self.turn = 0  # rotates comment authors deterministically

    def _resident_account(self, i):
        return self.accounts[i % len(self.accounts)] if self.accounts else None

    # One topic ---------------------------------------------------------------------------------

    def topic(self, i, category, source, title, text, reply, plan):
        kind, _sep, arg = plan.partition(":")
        raised_at = self._raised_at(kind, arg, i)
        raiser = self._resident_account(i * 7 + 3)
        first = [True]  # whether the next response is the first

        def raise_it():
            if source == APP and raiser is not None:
                return topic_services.topic_raise(
                    actor=raiser, title=title, body=text, category=category
                )
            # Heard from a resident (who can then confirm a solution), or found by staff.
            confirmable = kind in ("solved", "solved_pending", "reopened") or i % 2 == 0
            behalf = (
                raiser.resident if raiser is not None and source != PATROL and confirmable else None
            )
            return topic_services.topic_raise(
                actor=self.worker,
                title=title,
                body=text,
                category=category,
                community=self.community,
                building=behalf.building if behalf else None,
                source=source if source != APP else VISIT,
                on_behalf_of=behalf,
            )

        topic = self.tl.step(raised_at, raise_it)
        policy = self.wb.policy
        due = raised_at + policy.first_response_delta
        Topic.objects.filter(pk=topic.pk).update(
            raised_at=raised_at,
            created_at=raised_at,
            first_response_due_at=due,
            first_response_remind_at=due - policy.remind_before_delta,
        )
        self.by_title[title] = topic

        def respond(when, call, *stamps):
            names = set(stamps)
            if first[0]:
                names.add("first_responded_at")
                first[0] = False
            return self.tl.step(when, call, subject=topic, stamps=names)

        w = self.worker
        if kind == "raised":
            if i % 2 == 1 and self.accounts:
                self._comment(topic, raised_at + 10 * M, self._resident_account(i + 1))
        elif kind in ("answered", "answered_late"):
            late = 6 * H + 20 * M if kind == "answered_late" else (1 + i % 3) * H
            respond(
                raised_at + late,
                lambda: topic_services.topic_answer(actor=w, topic=topic, text=reply),
                "answered_at",
            )
            self._note(topic, raised_at + late + 2 * H, i)
            self._comments(topic, raised_at + late, 2)
        elif kind in ("solved", "solved_pending", "reopened"):
            answered = raised_at + (1 + i % 2) * H + 15 * M
            respond(
                answered,
                lambda: topic_services.topic_answer(
                    actor=w, topic=topic, text="已收到，已安排人员现场查看。"
                ),
                "answered_at",
            )
            solved = answered + (20 + i % 30) * H
            respond(
                solved,
                lambda: topic_services.topic_solve(actor=w, topic=topic, text=reply),
                "solved_at",
            )
            raiser_user = Topic.objects.get(pk=topic.pk).raised_by
            if kind == "solved" and raiser_user is not None:
                self.tl.step(
                    solved + 26 * H,
                    lambda: topic_services.topic_confirm_solution(
                        actor=raiser_user, topic=topic, solved=True, note="确实解决了，谢谢！"
                    ),
                    subject=topic,
                    stamps=["confirmed_at"],
                )
            elif kind == "reopened" and raiser_user is not None:
                self.tl.step(
                    solved + 30 * H,
                    lambda: topic_services.topic_confirm_solution(
                        actor=raiser_user,
                        topic=topic,
                        solved=False,
                        note="清理后第二天又贴满了，问题没有解决。",
                    ),
                    subject=topic,
                    stamps=["confirmed_at"],
                )
                self._note(
                    topic,
                    solved + 32 * H,
                    0,
                    text="提出人反映小广告反复出现，拟联系城管中队协查张贴来源。",
                )
        elif kind == "declined":
            respond(
                raised_at + 3 * H + 10 * M,
                lambda: topic_services.topic_decline(actor=w, topic=topic, reason=reply),
                "declined_at",
            )
            self._comments(topic, raised_at + 4 * H, 1)
        elif kind == "merged":
            into = self.by_title[reply]
            respond(
                raised_at + 50 * M,
                lambda: topic_services.topic_merge(actor=w, topic=topic, into=into),
                "merged_at",
            )
        elif kind in ("open", "open_party", "open_withdrawn", "lapsed"):
            self._hands_phase(topic, i, kind, raised_at, reply, respond)
        elif kind == "adopted":
            self._hands_phase(topic, i, kind, raised_at, reply, respond, stage=arg)
        return topic

    def _raised_at(self, kind, arg, i):
        if kind == "raised":
            return self.now - int(arg) * M
        days = {
            "answered": 3 + i % 9,
            "answered_late": 5,
            "solved": 6 + i % 20,
            "solved_pending": 4,
            "reopened": 9,
            "declined": 8 + i % 15,
            "merged": 1 + i % 3,
            "open": 6 + i % 4,
            "open_party": 12,
            "open_withdrawn": 5,
            "lapsed": 45 + i % 10,
        }.get(kind)
        if days is None:  # adopted: as far back as the project's stage needs
            days = {
                "planning": 25,
                "in_progress": 70,
                "published": 100,
                "closed": 160,
                "cancelled": 75,
            }[arg]
        # Residents write in the daytime: hour 8–20 of that day.
        day = timezone.localtime(self.now - days * D).replace(
            hour=8 + (i * 5) % 12, minute=(i * 17) % 60, second=0, microsecond=0
        )
        return day

    # Hands, deliberation, adoption -------------------------------------------------------------

    def _hands_phase(self, topic, i, kind, raised_at, reply, respond, stage=None):
        w = self.worker
        answered = raised_at + (1 + i % 3) * H + 5 * M
        respond(
            answered,
            lambda: topic_services.topic_answer(
                actor=w,
                topic=topic,
                text=reply
                if kind != "adopted"
                else "感谢提议，此事涉及全体居民，拟开放举手征集意见。",
            ),
            "answered_at",
        )
        opened = raised_at + 1 * D + 2 * H
        # The deadline passed to the service must lie ahead of the real clock; it is moved to
        # the planned one (opened + 14 days) afterwards.
        self.tl.step(
            opened,
            lambda: topic_services.topic_open_for_hands(
                actor=w, topic=topic, deadline=self.now + HANDS_DAYS * D
            ),
            subject=topic,
            stamps=["opened_for_hands_at"],
        )
        deadline = opened + HANDS_DAYS * D
        threshold = Topic.objects.get(pk=topic.pk).hands_threshold
        if kind in ("open", "open_party", "open_withdrawn"):
            hands = min(threshold - 1, 3 + i % 5)
            until = self.now - 1 * H
        elif kind == "lapsed":
            hands = min(threshold - 1, 2 + i % 3)
            until = deadline - 1 * D
        else:
            hands = threshold + i % 4
            until = opened + 9 * D
        hands = min(hands, len(self.accounts))
        span = max(until - opened, 1 * H)
        for h in range(hands):
            user = self.accounts[(i * 3 + h) % len(self.accounts)]
            at = opened + span * (h + 1) / (hands + 1)
            self.tl.step(at, lambda u=user: topic_services.hand_raise(actor=u, topic=topic))
        if kind == "open_withdrawn" and hands:
            user = self.accounts[(i * 3) % len(self.accounts)]
            self.tl.step(until, lambda: topic_services.hand_withdraw(actor=user, topic=topic))
            Hand.objects.filter(topic=topic, user=user).update(withdrawn_at=until)
        self._comments(topic, opened, 3)
        if kind == "open_party":
            self._rude_comment(topic, opened + 2 * D)
        if kind in ("adopted", "open_party"):
            self._deliberations(topic, opened, stage)
        if kind == "open_party" or (kind == "adopted" and hands < threshold):
            self.tl.step(
                opened + 8 * D,
                lambda: topic_services.party_branch_hand_raise(actor=w, topic=topic),
                subject=topic,
                stamps=["party_branch_hand_at"],
            )
        Topic.objects.filter(pk=topic.pk).update(hands_deadline=deadline)
        if kind == "lapsed":
            Topic.objects.filter(pk=topic.pk).update(hands_deadline=self.now - 1 * M)
            self.tl.step(
                deadline,
                lambda: topic_services.topic_lapse(actor=w, topic=topic),
                subject=topic,
                stamps=["lapsed_at"],
            )
            Topic.objects.filter(pk=topic.pk).update(hands_deadline=deadline)
        if kind == "adopted":
            ProjectBuilder(self, topic, i, reply, stage, adopted=opened + 10 * D).build()

    def _deliberations(self, topic, opened, stage):
        # An open topic has had the first round only; an adopted one all three.
        rounds = ROUNDS if stage else ROUNDS[:1]
        building = topic.building.name if topic.building_id else "1号"
        for r, (round_, attendees, outcome) in enumerate(rounds):
            held = opened + (2 + 3 * r) * D
            self.tl.step(
                held,
                lambda r=r, round_=round_, attendees=attendees, outcome=outcome, held=held: (
                    topic_services.deliberation_record(
                        actor=self.worker,
                        topic=topic,
                        round=round_,
                        held_on=timezone.localtime(held).date(),
                        place=PLACES[r].format(building=building),
                        attendance=8 + 5 * r + self.rng.randrange(6),
                        attendees=attendees,
                        minutes=f"围绕“{topic.title}”讨论了必要性、实施方式和资金来源。{outcome}",
                        outcome=outcome,
                    )
                ),
            )

    # Comments and notes ------------------------------------------------------------------------

    def _comment(self, topic, at, author, text=None, project=None):
        text = text or RESIDENT_COMMENTS[self.rng.randrange(len(RESIDENT_COMMENTS))]
        return self.tl.step(
            at,
            lambda: topic_services.comment_create(
                actor=author, topic=topic, body=text, project=project
            ),
        )

    def _comments(self, topic, start, n, project=None):
        if not self.accounts:
            return
        for k in range(n):
            self.turn += 1
            author = self._resident_account(self.turn * 7 + k)
            self._comment(topic, start + (k + 1) * 5 * H, author, project=project)
        if n >= 2:
            self._comment(
                topic,
                start + (n + 1) * 5 * H,
                self.worker,
                text=WORKER_COMMENTS[self.turn % len(WORKER_COMMENTS)],
                project=project,
            )

    def _rude_comment(self, topic, at):
        """Reported by three residents (hidden until reviewed), then hidden by the worker
        with a reason that stays on record."""
        if len(self.accounts) < 4:
            return
        author, *reporters = self.accounts[-4:]
        comment = self._comment(topic, at, author, text=RUDE_COMMENT)
        for k, reporter in enumerate(reporters):
            self.tl.step(
                at + (k + 1) * H,
                lambda r=reporter: topic_services.comment_report(
                    actor=r, comment=comment, reason="人身攻击"
                ),
            )
        self.tl.step(
            at + 5 * H,
            lambda: topic_services.comment_hide(
                actor=self.worker, comment=comment, reason=HIDE_REASON
            ),
        )
        Comment.objects.filter(pk=comment.pk).update(hidden_at=at + 5 * H, reviewed_at=at + 5 * H)

    def _note(self, topic, at, i, text=None):
        self.tl.step(
            at,
            lambda: topic_services.topic_note_add(
                actor=self.worker, topic=topic, text=text or NOTES[i % len(NOTES)]
            ),
        )


class ProjectBuilder:
    """One adopted topic's project, walked to its stage through projects.services."""

    def __init__(self, ctx, topic, i, title, stage, *, adopted):
        self.ctx, self.topic, self.i, self.title, self.stage = ctx, topic, i, title, stage
        self.adopted = adopted
        self.tl, self.worker, self.now = ctx.tl, ctx.worker, ctx.now
        self.template = PROJECT_TEMPLATES[topic.category.name]

    def step(self, when, call, *stamps):
        return self.tl.step(when, call, subject=self.project, stamps=stamps)

    def build(self):
        ctx, t, w = self.ctx, self.template, self.worker
        lead_user = ctx._resident_account(self.i + 11)
        lead = lead_user.resident if lead_user is not None else None
        if self.stage == Stage.CANCELLED:
            # Cancelled while planning, before any money: it was adopted a while ago.
            pass
        self.project = None
        self.project = self.tl.step(
            self.adopted,
            lambda: project_services.project_adopt(
                actor=w,
                topic=self.topic,
                title=self.title,
                plan=t["plan"],
                lead=lead,
                summary=self.topic.body[:300],
            ),
        )
        p = self.project
        Topic.objects.filter(pk=self.topic.pk).update(adopted_at=self.adopted)
        Project.objects.filter(pk=p.pk).update(planning_at=self.adopted, created_at=self.adopted)
        start = self.adopted + 10 * D
        if self.stage == Stage.CANCELLED:
            self._members(self.adopted + 2 * D, 3)
            self.step(
                self.adopted + 20 * D,
                lambda: project_services.project_cancel(actor=w, project=p, reason=CANCEL_REASON),
                "cancelled_at",
            )
            return
        # Planning: milestones, budget, team.
        milestones = [
            self.step(
                self.adopted + (1 + k) * H,
                lambda title=title, days=days: project_services.milestone_add(
                    actor=w,
                    project=p,
                    title=title,
                    due_on=timezone.localtime(start + days * D).date(),
                ),
            )
            for k, (title, days) in enumerate(t["milestones"])
        ]
        lines = []
        for k, (source, amount, text) in enumerate(t["budget"]):
            pool = ctx.pool if source == BudgetLine.Source.SPECIAL_FUND else None
            lines.append(
                self.step(
                    self.adopted + (3 + k) * D,
                    lambda s=source, a=amount, x=text, pool=pool: project_services.budget_line_add(
                        actor=w, project=p, source=s, amount=Decimal(a), pool=pool, description=x
                    ),
                )
            )
        self._members(self.adopted + 2 * D, 5)
        if self.stage == Stage.PLANNING:
            ctx._comments(self.topic, self.adopted + 1 * D, 2, project=p)
            return
        self.step(
            start,
            lambda: project_services.project_start(
                actor=w, project=p, note="方案、团队和预算已落实，开始实施。"
            ),
            "in_progress_at",
        )
        if self.stage == Stage.IN_PROGRESS:
            end = self.now - 1 * D
        else:
            end = (self.now - 2 * D) if self.stage == Stage.PUBLISHED else (self.now - 40 * D)
        span = end - start
        done = len(milestones) if self.stage != Stage.IN_PROGRESS else len(milestones) - 1
        for k, milestone in enumerate(milestones[:done]):
            at = start + span * (k + 1) / (len(milestones) + 1)
            self.step(
                at, lambda m=milestone: project_services.milestone_complete(actor=w, milestone=m)
            )
            Milestone.objects.filter(pk=milestone.pk).update(done_at=at)
        expenses = t["expenses"] if self.stage != Stage.IN_PROGRESS else t["expenses"][:2]
        for k, (line, share, payee, text) in enumerate(expenses):
            at = start + span * (k + 1) / (len(expenses) + 2)
            amount = (lines[line].amount * Decimal(share)).quantize(Decimal("0.01"))
            self.step(
                at,
                lambda ln=lines[line], a=amount, pe=payee, x=text, d=at: (
                    project_services.expense_record(
                        actor=w,
                        project=p,
                        budget_line=ln,
                        amount=a,
                        spent_on=timezone.localtime(d).date(),
                        payee=pe,
                        description=x,
                    )
                ),
            )
        for k, text in enumerate(t["updates"]):
            at = start + span * (2 * k + 1) / (2 * len(t["updates"]) + 1)
            author = lead_user if (k % 2 and lead_user is not None) else w
            self.step(
                at,
                lambda a=author, x=text: project_services.progress_post(actor=a, project=p, text=x),
            )
        ctx._comments(self.topic, start + 2 * D, 2, project=p)
        if self.stage == Stage.IN_PROGRESS:
            return
        published = end
        self.step(
            published,
            lambda: project_services.project_publish(
                actor=w, project=p, results=t["results"], review_days=REVIEW_DAYS
            ),
            "published_at",
            "review_opens_at",
        )
        closes = published + REVIEW_DAYS * D
        if self.stage == Stage.PUBLISHED:
            Project.objects.filter(pk=p.pk).update(review_closes_at=closes)
            self._evaluations(published, self.now - 1 * H, 3 + self.i % 3)
        else:
            self._evaluations(published, closes - 1 * D, 6 + self.i % 4)
        if t["covenant"] and self.i % 2 == 0:
            title, text = t["covenant"]
            self.step(
                published + 1 * D,
                lambda: project_services.covenant_publish(
                    actor=w, project=p, title=title, text=text
                ),
            )
            p.covenants.update(published_at=published + 1 * D)
        if self.stage == Stage.CLOSED:
            # The window has ended: move it back, then close as the clock would at its end.
            Project.objects.filter(pk=p.pk).update(review_closes_at=self.now - 1 * M)
            self.step(
                closes, lambda: project_services.project_close(actor=w, project=p), "closed_at"
            )
            Project.objects.filter(pk=p.pk).update(review_closes_at=closes)

    def _members(self, at, n):
        ctx = self.ctx
        if not ctx.accounts:
            return
        roles = [
            ProjectMember.Role.TEAM,
            ProjectMember.Role.VOLUNTEER,
            ProjectMember.Role.PARTICIPANT,
        ]
        joined = set(
            ProjectMember.objects.filter(project=self.project).values_list("user_id", flat=True)
        )
        for k in range(n):
            user = ctx._resident_account(self.i * 5 + k + 1)
            if user.pk in joined:
                continue
            joined.add(user.pk)
            self.tl.step(
                at + k * 3 * H,
                lambda u=user, r=roles[k % 3]: project_services.member_join(
                    actor=u, project=self.project, role=r
                ),
            )

    def _evaluations(self, start, end, n):
        ctx = self.ctx
        users = ctx.accounts[: min(n, len(ctx.accounts))]
        for k, user in enumerate(users):
            rating, text = EVALUATIONS[(self.i + k) % len(EVALUATIONS)]
            at = start + (end - start) * (k + 1) / (len(users) + 1)
            self.tl.step(
                at,
                lambda u=user, r=rating, x=text: project_services.evaluation_submit(
                    actor=u, project=self.project, rating=r, comment=x
                ),
            )


def summary_lines(extra) -> list[str]:
    """The summary's lines about the workflow, for load_demo."""
    topics, projects = extra.get("workflow_topics"), extra.get("workflow_projects")
    if topics is None:
        return []
    states = ", ".join(f"{S(s).label} {topics.get(s, 0)}" for s in S.values)
    stages = ", ".join(f"{Stage(s).label} {projects.get(s, 0)}" for s in Stage.values)
    return [
        f"  议题 / topics ({sum(topics.values())}): {states}",
        f"  微项目 / projects ({sum(projects.values())}): {stages}",
        f"  已实名居民账号 / verified resident accounts: {extra.get('workflow_accounts', 0)}",
        "  提醒 / reminders: 以 worker 登录管理后台，打开“我的消息”：一分钟内收到超时议题的提醒"
        "（并上报街道，street_admin 可见），约 10 分钟后收到一条“即将超时”提醒。",
        "  Sign in as `worker`, open 我的消息 in the admin: overdue reminders arrive within a "
        'minute, a "due soon" (即将超时) one about 10 minutes after the build.',
    ]
