"""Fixed data of the demo street: fictional places, name stock, tag catalogue.

Every place below is invented. The district code 310199 is not a real Shanghai district
(those run 310101–310151), so the demo's ID numbers, which begin with it, cannot belong to
anyone; migrants' numbers use prefecture 99 of real provinces, which does not exist either.
"""

import datetime

# Ages and tags are computed at this fixed date, not today, so that two runs on different
# days build the same people with the same tags.
REFERENCE_DATE = datetime.date(2026, 1, 1)

DISTRICT = {"name": "浦江区", "code": "310199"}

# The first street is "the demo street" (its code is how a second run recognises the demo);
# larger scales add the others, up to COMMUNITIES_PER_STREET communities each.
STREETS = [
    ("临江街道", "临江路 188 号"),
    ("望海街道", "望海路 66 号"),
    ("春申湾街道", "春申湾路 9 号"),
    ("杏林街道", "杏林大道 300 号"),
    ("云岫街道", "云岫路 21 号"),
    ("梧桐街道", "梧桐路 75 号"),
    ("澄湖街道", "澄湖路 12 号"),
    ("鹤鸣街道", "鹤鸣路 58 号"),
    ("兰溪街道", "兰溪路 140 号"),
    ("松汀街道", "松汀路 7 号"),
]
# The seed street ran 30 communities.
COMMUNITIES_PER_STREET = 30

# name, description: the street's own classification of its communities.
COMMUNITY_TYPES = [
    ("新建商品房小区", "2000 年后建成的商品房住宅小区，多为高层，有物业公司和业委会"),
    ("老旧小区", "二十世纪八九十年代建成的多层住宅，老年居民多，加装电梯、更新改造需求集中"),
    ("动迁安置小区", "旧区改造、市政动迁居民的安置住房，居民多为动迁户"),
    ("保障房小区", "公租房、廉租房、共有产权房等保障性住房"),
    ("村改居", "原行政村撤村建居或正在改制，原村民与外来租住人口混居"),
]

# The base six communities of the demo street. Building styles: see BUILDING_STYLES.
# (name, kind, type, road, grids, style, households per building estimate weight)
BASE_COMMUNITIES = [
    ("望春里居民区", "neighbourhood", "老旧小区", "望春路", 3, "old"),
    ("临江花苑居民区", "neighbourhood", "新建商品房小区", "临江路", 4, "tower"),
    ("和鸣苑居民区", "neighbourhood", "动迁安置小区", "和鸣路", 3, "mid"),
    ("安居新村居民区", "neighbourhood", "保障房小区", "安澜路", 4, "mid"),
    ("沈家浜居民区", "neighbourhood", "村改居", "沈浜路", 3, "lowrise"),
    ("石桥村", "village", "村改居", "石桥路", 3, "village"),
]

# Word stock for the communities that larger scales add: word + suffix, never a real name
# on purpose (coincidences with some real compound somewhere are unavoidable and harmless).
COMMUNITY_WORDS = [
    "春晖",
    "锦绣",
    "嘉禾",
    "翠竹",
    "怡景",
    "金穗",
    "东篱",
    "明月",
    "清风",
    "秋水",
    "晴川",
    "芳洲",
    "丹桂",
    "紫薇",
    "银杏",
    "绿萝",
    "青枫",
    "白鹭",
    "彩虹",
    "朝阳",
    "星河",
    "碧波",
    "云杉",
    "雅苑",
    "和风",
    "瑞雪",
    "丰乐",
    "安宁",
    "福泽",
    "康乐",
    "长乐",
    "永宁",
    "同心",
    "兴华",
    "仁和",
    "德润",
    "泰和",
    "景行",
    "听涛",
    "观澜",
]
COMMUNITY_SUFFIXES = [
    ("苑", "tower"),
    ("里", "old"),
    ("新村", "mid"),
    ("花园", "tower"),
    ("佳园", "mid"),
    ("家园", "mid"),
    ("坊", "old"),
    ("浜", "lowrise"),
]
STYLE_TYPE = {
    "old": "老旧小区",
    "tower": "新建商品房小区",
    "mid": "动迁安置小区",
    "lowrise": "村改居",
    "village": "村改居",
}
ROADS = [
    "望春路",
    "临江路",
    "和鸣路",
    "安澜路",
    "沈浜路",
    "石桥路",
    "清溪路",
    "枫林路",
    "桃源路",
    "竹影路",
    "沁园路",
    "永兴路",
    "兴农路",
    "梧桐路",
    "杏林路",
    "鹤鸣路",
    "兰溪路",
    "松汀路",
    "云岫路",
    "澄湖路",
    "春申湾路",
    "望海路",
    "秋实路",
    "晨光路",
    "泰来路",
    "惠民路",
]

# (floors range, rooms per floor, building groups per grid range)
BUILDING_STYLES = {
    "old": ((5, 6), 4, (4, 6)),  # 多层老公房: 号 in a 弄
    "tower": ((18, 30), 4, (2, 3)),  # 高层商品房: 号楼
    "mid": ((11, 14), 4, (3, 4)),  # 小高层安置房/保障房
    "lowrise": ((4, 5), 2, (4, 5)),  # 农民新村多层
    "village": ((2, 3), 0, (1, 2)),  # 村民组: houses by number, no floors
}

CHINESE_NUMERALS = "一二三四五六七八九十"

# Surnames weighted towards the Yangtze delta (沈, 陆, 顾, 钱, 徐 are common in Shanghai).
SURNAMES = (
    "王" * 9
    + "张" * 8
    + "李" * 7
    + "陈" * 7
    + "徐" * 6
    + "朱" * 6
    + "沈" * 5
    + "陆" * 5
    + "顾" * 5
    + "周" * 5
    + "刘" * 5
    + "杨" * 4
    + "吴" * 4
    + "黄" * 4
    + "钱" * 3
    + "孙" * 3
    + "胡" * 3
    + "金" * 3
    + "曹" * 3
    + "姚" * 3
    + "蒋" * 2
    + "赵" * 2
    + "郁"
    + "倪"
    + "施"
    + "严"
    + "范"
    + "汪"
    + "唐"
    + "马"
    + "许"
    + "何"
    + "高"
    + "林"
    + "郑"
    + "谢"
    + "宋"
    + "韩"
    + "冯"
    + "邓"
    + "彭"
    + "曾"
    + "田"
    + "董"
    + "袁"
    + "潘"
    + "蔡"
    + "余"
    + "杜"
    + "叶"
    + "程"
    + "苏"
    + "魏"
    + "吕"
    + "丁"
    + "任"
    + "卢"
    + "姜"
    + "崔"
    + "钟"
    + "谭"
    + "龚"
    + "邵"
    + "戴"
    + "汤"
    + "秦"
    + "邱"
    + "江"
    + "尹"
    + "薛"
    + "方"
    + "孔"
    + "毛"
    + "夏"
    + "贺"
    + "奚"
    + "瞿"
)
# Given-name characters by generation (born before 1970 / after) and gender.
GIVEN_CHARS = {
    ("old", "male"): "国建华明德忠福根林宝荣兴海发伟金龙祥保生良富顺贵正永志勇军平",
    ("old", "female"): "秀英兰芳珍凤玉梅琴娣妹桂美华云花萍霞菊莲红丽敏娟芬彩",
    ("young", "male"): "浩宇轩涛鹏杰磊超俊晨昊博文斌峰强辉凯睿哲然逸宸泽子嘉航一琪",
    ("young", "female"): "婷静丽敏燕娜雪颖琳晶倩洁欣怡佳悦涵雨萱诗梓思晓雅蕾瑶琦",
}
MIGRANT_AREA_CODES = ["349901", "419901", "519901", "429901", "439901", "369901", "329901"]

MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
]

# The street's tag catalogue: (family, name, colour, description).
TAGS = [
    ("identity", "党员", "#C0392B", "中共党员（含预备党员）"),
    ("identity", "在职党员", "#E74C3C", "在职党员回居住地社区报到"),
    ("identity", "退休", "#7F8C8D", "已办理退休手续"),
    ("identity", "独居老人", "#D35400", "60 岁以上、独自居住"),
    ("identity", "高龄老人", "#A04000", "80 岁以上"),
    ("identity", "残疾人", "#8E44AD", "持有残疾人证"),
    ("identity", "动迁户", "#2471A3", "旧改或市政动迁安置的家庭"),
    ("identity", "外来人口", "#117A65", "非本市户籍、在本社区居住"),
    ("identity", "低保户", "#B7950B", "享受最低生活保障"),
    ("identity", "退役军人", "#1E8449", "退役军人及其他优抚对象"),
    ("service", "助餐", "#CA6F1E", "社区长者食堂送餐或堂食"),
    ("service", "上门探访", "#2E86C1", "志愿者或社工定期上门探望"),
    ("service", "心理疏导", "#7D3C98", "社工提供心理支持"),
    ("service", "助浴", "#148F77", "上门或助浴点助浴服务"),
    ("service", "家庭医生签约", "#28B463", "已签约社区家庭医生"),
    ("service", "康复辅助", "#5D6D7E", "康复器具借用与上门康复指导"),
    ("management", "重点关注", "#922B21", "需要居委会重点关注的情况"),
    ("management", "定期回访", "#1A5276", "按月电话或上门回访"),
    ("management", "困难帮扶", "#9A7D0A", "临时救助、结对帮扶对象"),
]

RESIDENT_NOTES = [
    "子女在外地工作，每周电话联系。",
    "行动不便，需要时请先电话联系。",
    "老伴去年过世，情绪较低落，建议多探访。",
    "热心公益，愿意参加楼组活动。",
    "家中有老人需要照护，白天独自在家。",
    "希望加装电梯，已参加楼组意见征集。",
    "租住本室，房东为原村民。",
    "耳背，上门请多敲门。",
]

# Per community, five kinds of grid resources: (kind, name template, offers).
RESOURCES = [
    ("school", "{road}小学", "暑期爱心托管场地；每学期一次安全教育进社区"),
    ("shop", "惠邻便利店（{road}店）", "为独居老人代购送货上门；社区活动赞助饮用水"),
    ("enterprise", "浦江{word}科技有限公司", "职工志愿者每月一次社区服务；提供会议室用于议事"),
    ("department", "临江街道社区卫生服务中心{short}站", "家庭医生签约、老年人免费体检、慢病随访"),
    ("social_org", "浦江区{word}社工事务所", "独居老人探访、心理疏导、青少年课后服务"),
]
RESOURCE_WORDS = ["同心", "暖阳", "启航", "和睦", "知行", "恒信", "乐邻", "向善"]

PLACES = [
    ("shop", "{surname}记早餐店", "早点铺，需关注燃气使用和油烟"),
    ("shop", "{road}菜场", "农贸市场，周周巡必查消防通道"),
    ("venue", "{short}睦邻点", "居民活动室，每周三下午开放"),
    ("venue", "{short}健身苑", "室外健身器材"),
    ("enterprise", "{word}物业服务有限公司", "小区物业服务企业"),
]

GRID_LEADER_TITLE = "网格长"
