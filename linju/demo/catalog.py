"""The demo catalogue: 44 items of a district HR and social-security bureau in 8 categories, and the
2014 pilot of the founding article: 22 items in 5 categories finished at 永新镇's and 东溪镇's
stations, accepted for the district everywhere else.

EXAMPLE CONFIGURATION, NOT OFFICIAL POLICY: names, time limits, materials and legal bases are
written to be plausible; every row is marked `is_example`.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from linju.catalog.models import Category, Delegation, ItemAlias, Material, ServiceItem
from linju.catalog.selectors import catalogue_changed
from linju.catalog.services import delegation_create
from linju.geo.models import Town

PILOT_START = datetime.date(2014, 7, 1)
PILOT_TOWNS = ("永新镇", "东溪镇")
SI_LAW = "《中华人民共和国社会保险法》"
EMPLOYMENT_LAW = "《中华人民共和国就业促进法》"
ID = ("居民身份证原件", True)
HUKOU = ("户口簿", False)
BANK = ("本人社保卡或银行账户", True)
PHOTO = ("近期一寸免冠照片", False)

CATEGORIES = [
    ("enrolment", "社会保险登记与转移", "参保登记、信息变更、关系转移和社保卡"),
    ("pension", "养老保险与资格认证", "养老金申领、待遇资格认证和相关补助"),
    ("medical", "医疗保险与报销", "异地就医、门诊特病、医疗费用报销"),
    ("unemployment", "失业保险", "失业登记、失业保险金和相关补贴"),
    ("employment", "就业服务与补贴", "找工作、就业困难认定、培训和创业扶持"),
    ("labour", "劳动关系与争议", "劳动合同、欠薪投诉、劳动争议调解仲裁"),
    ("assistance", "社会救助与临时救急", "遇到急难时的临时帮助和参保资助"),
    ("talent", "人才与人事", "人事档案、职称和高校毕业生服务"),
]

ALL = "counter booth phone home_visit online"
DESK = "counter booth online"
COUNTER = "counter online"

# code, category, name, working days, channels, pilot?, description, who qualifies, materials, keywords
ITEMS = [
    (
        "SI-001",
        "enrolment",
        "城乡居民养老保险参保登记",
        0,
        DESK,
        True,
        "在户籍所在地参加城乡居民基本养老保险,按年缴费,年满60岁后按月领取养老金。",
        "年满16周岁(不含在校学生)、未参加职工养老保险的本区户籍居民。",
        [ID, HUKOU],
        "农村养老保险 居民养老 参保",
    ),
    (
        "SI-002",
        "enrolment",
        "城乡居民医疗保险参保登记",
        0,
        ALL,
        True,
        "参加城乡居民基本医疗保险,看病住院按规定报销。",
        "未参加职工医保的本区户籍或常住居民,含学生和儿童。",
        [ID, HUKOU],
        "合作医疗 医保 参保",
    ),
    (
        "SI-003",
        "enrolment",
        "灵活就业人员参保登记",
        1,
        DESK,
        True,
        "个体工商户和灵活就业人员以个人身份参加职工养老保险和医疗保险。",
        "在本区从事灵活就业、年满16周岁未达退休年龄的人员。",
        [ID, ("灵活就业情况说明", False)],
        "个体 自由职业 社保",
    ),
    (
        "SI-004",
        "enrolment",
        "社会保险个人信息变更",
        0,
        ALL,
        True,
        "更正或变更姓名、身份证号、联系电话、地址等参保信息。",
        "已参保人员。",
        [ID, ("变更依据(户籍证明等)", True)],
        "改信息 改电话 更正",
    ),
    (
        "SI-005",
        "enrolment",
        "养老保险关系转移接续",
        15,
        COUNTER,
        False,
        "跨省、跨统筹地区就业时转移养老保险关系,缴费年限累计计算。",
        "在外地参保后回本区就业或在本区参保后到外地就业的人员。",
        [ID, ("参保缴费凭证", True)],
        "社保转移 转关系",
    ),
    (
        "SI-006",
        "enrolment",
        "医疗保险关系转移接续",
        15,
        COUNTER,
        False,
        "跨统筹地区流动就业时转移医疗保险关系。",
        "在外地参加医保后回本区参保的人员。",
        [ID, ("参保凭证", True)],
        "医保转移",
    ),
    (
        "SI-007",
        "enrolment",
        "社会保障卡申领",
        10,
        ALL,
        True,
        "申领第三代社会保障卡,可用于看病结算、领取待遇。",
        "已在本区参保的人员。",
        [ID, PHOTO],
        "社保卡 办卡",
    ),
    (
        "SI-008",
        "enrolment",
        "社会保障卡挂失与补换",
        5,
        ALL,
        True,
        "社保卡丢失、损坏时挂失并补办新卡。",
        "持有本区社保卡的人员。",
        [ID],
        "补卡 丢卡 换卡",
    ),
    (
        "PE-001",
        "pension",
        "城乡居民养老保险待遇申领",
        5,
        DESK,
        True,
        "年满60周岁的参保居民按月领取基础养老金和个人账户养老金。",
        "年满60周岁、累计缴费满15年(或按规定补缴)、未领取其他基本养老保险待遇的参保人员。",
        [ID, HUKOU, BANK],
        "领养老金 60岁",
    ),
    (
        "PE-002",
        "pension",
        "养老保险待遇领取资格认证",
        0,
        ALL,
        True,
        "每年确认领取养老金的人员健在,可到窗口、手机认证,行动不便的老人可预约上门指纹认证。",
        "正在领取养老保险待遇的人员。",
        [ID],
        "生存认证 资格认证 指纹 上门",
    ),
    (
        "PE-003",
        "pension",
        "宅基地复垦户养老保险办理",
        0,
        DESK,
        True,
        "宅基地复垦户按政策参加养老保险并享受缴费补贴。",
        "已完成宅基地复垦并符合政策的农户家庭成员。",
        [ID, HUKOU, ("宅基地复垦确认材料", True)],
        "复垦 地票 养老",
    ),
    (
        "PE-004",
        "pension",
        "被征地农转非人员养老保险",
        20,
        COUNTER,
        False,
        "被征地农转非人员按规定参加养老保险并领取待遇。",
        "经认定的被征地农转非人员。",
        [ID, HUKOU, ("征地安置人员名册证明", True)],
        "征地 农转非",
    ),
    (
        "PE-005",
        "pension",
        "企业职工基本养老保险退休待遇核准",
        20,
        COUNTER,
        False,
        "达到退休年龄的企业职工办理退休,核定养老金。",
        "达到法定退休年龄、累计缴费满15年的企业职工养老保险参保人员。",
        [ID, BANK, ("人事档案", True)],
        "退休 退休金",
    ),
    (
        "PE-006",
        "pension",
        "丧葬补助金和抚恤金申领",
        10,
        DESK,
        True,
        "参保人员去世后,家属申领丧葬补助金和抚恤金。",
        "去世的养老保险待遇领取人员或参保人员的直系亲属。",
        [("死亡证明或火化证明", True), ("申领人身份证", True), ("亲属关系证明", True)],
        "去世 丧葬费",
    ),
    (
        "PE-007",
        "pension",
        "养老保险个人账户一次性待遇申领",
        10,
        DESK,
        True,
        "参保人员去世或出国定居时,个人账户余额一次性支付。",
        "参保人员的继承人,或出国定居的参保人员本人。",
        [ID, ("相关证明", True)],
        "个人账户 退钱",
    ),
    (
        "PE-008",
        "pension",
        "社会保险参保缴费证明打印",
        0,
        ALL,
        True,
        "打印养老、医疗、失业保险的参保缴费证明,用于买房、入学、落户等。",
        "参保人员本人或受托人。",
        [ID],
        "社保证明 缴费记录 打印",
    ),
    (
        "MD-001",
        "medical",
        "异地就医备案",
        1,
        ALL,
        True,
        "到外地长期居住、工作或转诊就医前备案,在外地就医直接结算。",
        "参加本区医保、需要在外地就医的人员。",
        [ID, ("异地居住或转诊证明", False)],
        "外地看病 异地结算",
    ),
    (
        "MD-002",
        "medical",
        "门诊特殊疾病待遇认定",
        10,
        DESK,
        False,
        "患有规定慢性病、重病的参保人员认定后,门诊费用按住院比例报销。",
        "参保并患有规定门诊特殊疾病的人员。",
        [ID, ("病历和诊断证明", True)],
        "慢性病 特病 门特",
    ),
    (
        "MD-003",
        "medical",
        "零星医疗费用报销",
        20,
        ALL,
        True,
        "在未能直接结算的医院看病后,凭票据报销医保应付部分;一个电话,可以上门帮您收材料。",
        "参加本区医保、垫付了医疗费用的人员。",
        [ID, ("医疗费用发票原件", True), ("费用明细清单", True), ("出院小结", False)],
        "报账 医药费 报销",
    ),
    (
        "MD-004",
        "medical",
        "生育保险待遇申领",
        10,
        COUNTER,
        False,
        "参加职工医保的人员生育后申领生育医疗费和生育津贴。",
        "参加职工医保并按规定缴费的人员。",
        [ID, ("出生医学证明", True), BANK],
        "生孩子 生育津贴",
    ),
    (
        "MD-005",
        "medical",
        "大病保险二次报销",
        15,
        COUNTER,
        False,
        "基本医保报销后个人负担仍然较重的,由大病保险再报销一部分。",
        "年度个人负担医疗费用超过起付线的参保人员。",
        [ID, ("费用结算单", True)],
        "大病 二次报销",
    ),
    (
        "MD-006",
        "medical",
        "医疗救助申请",
        7,
        ALL,
        True,
        "大病、重病的困难群众,医保报销后个人负担仍然较重的,申请医疗救助;在赶场服务点、村里都可以先交申请。",
        "本区低保对象、特困人员、低收入家庭成员及因病致贫的困难群众。",
        [ID, HUKOU, ("诊断证明", True), ("医疗费用票据或费用预估单", True)],
        "医疗救助 大病救助 看病难",
    ),
    (
        "UI-001",
        "unemployment",
        "失业登记",
        0,
        ALL,
        True,
        "失去工作后登记失业,可以享受就业服务和相关政策。",
        "在法定劳动年龄内、有劳动能力和就业要求、处于无业状态的人员。",
        [ID],
        "没工作 下岗 登记",
    ),
    (
        "UI-002",
        "unemployment",
        "失业保险金申领",
        5,
        DESK,
        True,
        "非本人意愿中断就业、缴纳失业保险满1年的人员按月领取失业保险金,期间医保由基金代缴。",
        "失业前参加失业保险并缴费满1年、非因本人意愿中断就业、已进行失业登记并有求职要求的人员。",
        [ID, ("解除或终止劳动合同证明", True), BANK],
        "失业金 失业保险",
    ),
    (
        "UI-003",
        "unemployment",
        "失业人员价格临时补贴申领",
        5,
        DESK,
        True,
        "物价上涨时,为领取失业保险金的人员发放价格临时补贴。",
        "正在领取失业保险金的人员。",
        [ID],
        "物价补贴",
    ),
    (
        "UI-004",
        "unemployment",
        "企业稳岗返还",
        10,
        COUNTER,
        False,
        "不裁员或少裁员的参保企业申请返还部分失业保险费。",
        "依法参加失业保险、裁员率符合规定的企业。",
        [("营业执照", True), ("对公账户", True)],
        "稳岗 企业返还",
    ),
    (
        "UI-005",
        "unemployment",
        "技能提升补贴申领",
        10,
        COUNTER,
        False,
        "参保职工取得职业资格或技能等级证书后申领补贴。",
        "参加失业保险满1年并取得证书的职工。",
        [ID, ("职业资格或技能等级证书", True)],
        "考证 补贴",
    ),
    (
        "EM-001",
        "employment",
        "就业创业证申领",
        3,
        ALL,
        True,
        "办理就业创业证(就业失业登记证),记录就业失业状况,享受扶持政策的凭证。",
        "本区劳动年龄内有就业需求的人员。",
        [ID, PHOTO],
        "就业证 失业证",
    ),
    (
        "EM-002",
        "employment",
        "就业困难人员认定",
        5,
        DESK,
        True,
        "认定为就业困难人员后,可以享受公益性岗位、社保补贴等帮扶。",
        "“4050”人员、残疾人、低保家庭成员、连续失业一年以上等符合规定的人员。",
        [ID, ("就业创业证", True), ("困难情形证明", True)],
        "4050 困难认定",
    ),
    (
        "EM-003",
        "employment",
        "公益性岗位补贴申领",
        10,
        COUNTER,
        False,
        "用人单位安置就业困难人员到公益性岗位,申领岗位补贴和社保补贴。",
        "开发公益性岗位并安置就业困难人员的单位。",
        [("安置人员名册", True), ("劳动合同", True)],
        "公益岗",
    ),
    (
        "EM-004",
        "employment",
        "职业技能培训补贴申领",
        10,
        DESK,
        False,
        "参加政府补贴的职业技能培训并取得证书后申领培训补贴。",
        "本区城乡劳动者。",
        [ID, ("培训结业或职业资格证书", True)],
        "学技术 培训",
    ),
    (
        "EM-005",
        "employment",
        "创业担保贷款申请",
        15,
        COUNTER,
        False,
        "自主创业人员申请创业担保贷款,按规定享受贴息。",
        "返乡创业农民工、高校毕业生、就业困难人员等符合条件的创业者。",
        [ID, ("营业执照", True), ("创业计划书", True)],
        "创业贷款 贴息",
    ),
    (
        "EM-006",
        "employment",
        "求职登记与职业介绍",
        0,
        ALL,
        True,
        "登记求职意愿,推荐家门口和园区企业的合适岗位。",
        "有就业意愿的劳动者。",
        [ID],
        "找工作 介绍工作 招工",
    ),
    (
        "EM-007",
        "employment",
        "灵活就业人员社会保险补贴申领",
        10,
        DESK,
        True,
        "就业困难人员灵活就业后缴纳社保,申领一定比例的补贴。",
        "已认定为就业困难人员、灵活就业并缴纳社保的人员。",
        [ID, ("灵活就业证明", True), BANK],
        "社保补贴",
    ),
    (
        "LR-001",
        "labour",
        "劳动保障监察投诉",
        5,
        ALL,
        False,
        "用人单位违反劳动保障法律法规的,可以投诉,由劳动监察处理。",
        "权益受到侵害的劳动者。",
        [ID, ("劳动关系证明(工牌、工资条等)", False)],
        "投诉 举报 劳动监察",
    ),
    (
        "LR-002",
        "labour",
        "劳动人事争议仲裁申请",
        5,
        COUNTER,
        False,
        "与用人单位发生劳动争议,调解不成的申请仲裁。",
        "与用人单位发生劳动争议的劳动者或用人单位。",
        [ID, ("仲裁申请书", True), ("证据材料", True)],
        "仲裁 劳动纠纷",
    ),
    (
        "LR-003",
        "labour",
        "劳动合同备案",
        3,
        COUNTER,
        False,
        "用人单位将劳动合同报送备案。",
        "本区用人单位。",
        [("劳动合同", True)],
        "合同备案",
    ),
    (
        "LR-004",
        "labour",
        "农民工工资拖欠举报",
        3,
        ALL,
        False,
        "工程项目或企业拖欠农民工工资的,可以举报,限期处理。",
        "被拖欠工资的农民工。",
        [ID, ("用工或考勤记录", False)],
        "欠薪 讨薪 工资",
    ),
    (
        "AS-001",
        "assistance",
        "临时救急补助申请",
        3,
        ALL,
        False,
        "因突发事件、意外事故、重大疾病导致生活暂时困难的家庭,申请一次性救急补助。",
        "遭遇急难、基本生活暂时出现困难的本区家庭。",
        [ID, HUKOU, ("困难情况说明", True)],
        "救急 急难 临时救助",
    ),
    (
        "AS-002",
        "assistance",
        "困难人员城乡居民养老保险参保资助",
        10,
        DESK,
        False,
        "低保对象、特困人员、重度残疾人等由政府代缴部分或全部养老保险费。",
        "低保对象、特困人员、重度残疾人等困难群体。",
        [ID, ("困难身份证明", True)],
        "代缴 资助参保",
    ),
    (
        "AS-003",
        "assistance",
        "失能老人上门服务预约",
        5,
        "phone home_visit counter",
        False,
        "行动不便的老人打一个电话,工作人员上门办理资格认证、医保报销材料收取等。",
        "本区行动不便、无法到场办理的老年人及其家属。",
        [ID],
        "上门 老人 行动不便",
    ),
    (
        "TA-001",
        "talent",
        "流动人员人事档案接收与转递",
        5,
        COUNTER,
        False,
        "流动人员人事档案的接收、转出和查询。",
        "档案存放在本区的流动人员。",
        [ID],
        "档案",
    ),
    (
        "TA-002",
        "talent",
        "专业技术职称评审申报",
        30,
        COUNTER,
        False,
        "专业技术人员按规定申报中级、初级职称评审。",
        "符合学历、资历条件的专业技术人员。",
        [ID, ("学历证书", True), ("业绩材料", True)],
        "评职称",
    ),
    (
        "TA-003",
        "talent",
        "高校毕业生报到登记",
        1,
        COUNTER,
        False,
        "毕业回本区就业或待业的高校毕业生办理报到登记。",
        "当年及择业期内的高校毕业生。",
        [ID, ("报到证或毕业证", True)],
        "毕业生 报到",
    ),
    (
        "TA-004",
        "talent",
        "专业技术人员继续教育登记",
        5,
        "counter online",
        False,
        "登记专业技术人员继续教育学时。",
        "在本区工作的专业技术人员。",
        [ID, ("学时证明", True)],
        "继续教育 学时",
    ),
]


# items taken only at the district service hall, and why, as a resident is told
HALL_ONLY = {
    "LR-002": "仲裁申请要由区劳动人事争议仲裁院当面核对证据原件并当场立案(示例)。",
    "LR-003": "劳动合同备案由用人单位到区人力社保局服务大厅办理(示例)。",
}


# The names people use (ItemAlias), the search finds an item by: 俗称 (C), former names (F), and the
# founding article's own words (R: "宅基地复垦养老保险", "救急补助", "介绍工作", "报销医保费用", …).
C, F, R = ItemAlias.Kind.COLLOQUIAL, ItemAlias.Kind.FORMER, ItemAlias.Kind.REPORTED
ALIASES = {
    "SI-001": [("新农保", F), ("新型农村社会养老保险", F), ("居民保险", R), ("买养老保险", C)],
    "SI-002": [("新农合", F), ("新型农村合作医疗", F), ("居民医保", C), ("交医保", C)],
    "SI-003": [("个人交社保", C), ("自己买社保", C), ("个体户社保", C)],
    "SI-004": [("改名字", C), ("社保信息改错", C), ("改身份证号", C)],
    "SI-005": [("转社保", C), ("外地社保转回来", C)],
    "SI-006": [("转医保", C), ("医保转回来", C)],
    "SI-007": [("办社保卡", C), ("领社保卡", C), ("新社保卡", C)],
    "SI-008": [("社保卡掉了", C), ("社保卡丢了", C), ("补办社保卡", C)],
    "PE-001": [("领养老金", C), ("农村养老金", C), ("60岁领钱", C)],
    "PE-002": [("年审", C), ("指纹认证", C), ("采集指纹", R), ("养老金认证", C)],
    "PE-003": [
        ("宅基地复垦养老保险", R),
        ("复垦户养老保险", C),
        ("地票养老保险", C),
        ("退房养老", C),
        ("农村土地复垦养老", C),
        ("宅基地退出养老", C),
    ],
    "PE-004": [("征地养老", C), ("征地社保", C), ("农转非养老", C)],
    "PE-005": [("办退休", C), ("退休手续", C), ("领退休工资", C)],
    "PE-006": [("死亡待遇", C), ("安葬费", C), ("抚恤金", C)],
    "PE-007": [("退养老保险", C), ("退社保", C)],
    "PE-008": [("打社保清单", C), ("缴费清单", C), ("参保证明", C)],
    "MD-001": [("异地就医", C), ("外地看病报销", C), ("转诊备案", C)],
    "MD-002": [("门特", C), ("慢病卡", C), ("办慢性病卡", C)],
    "MD-003": [("报销医保费用", R), ("医疗费报销", C), ("垫付报销", C), ("手工报销", C)],
    "MD-004": [("生娃儿报销", C), ("产假工资", C)],
    "MD-005": [("大病报销", C), ("大病医保", C)],
    "MD-006": [("看病补助", C), ("看病救助", C), ("医疗费补助", C)],
    "UI-001": [("下岗登记", C), ("登记失业", C)],
    "UI-002": [("失业保险", R), ("领失业金", C), ("失业补助", C)],
    "UI-003": [("价格补贴", C)],
    "UI-004": [("稳岗补贴", C), ("稳岗返还", C)],
    "UI-005": [("考证补贴", C), ("证书补贴", C), ("技能补贴", C)],
    "EM-001": [("就业失业登记证", F), ("失业证", C), ("就业证", C)],
    "EM-002": [("4050人员", C), ("困难人员认定", C)],
    "EM-003": [("公益岗补贴", C)],
    "EM-004": [("培训补贴", C), ("免费培训", C), ("学手艺", C)],
    "EM-005": [("小额担保贷款", F), ("创业贷款", C), ("贴息贷款", C)],
    "EM-006": [("介绍工作", R), ("找工作", C), ("找活路", C), ("找事做", C)],
    "EM-007": [("灵活就业补贴", C)],
    "LR-001": [("劳动监察", C), ("投诉老板", C), ("告老板", C)],
    "LR-002": [("劳动仲裁", C), ("劳动纠纷", C)],
    "LR-003": [("合同备案", C)],
    "LR-004": [("讨薪", C), ("老板不给工钱", C), ("拖欠工资", C), ("欠工钱", C)],
    "AS-001": [("救急补助", R), ("临时救助", C), ("急难救助", C), ("救急钱", C)],
    "AS-002": [("代缴养老保险", C), ("低保户参保", C), ("残疾人代缴", C)],
    "AS-003": [("上门服务", C), ("上门认证", C), ("上门办理", C)],
    "TA-001": [("档案托管", C), ("存档案", C), ("转档案", C), ("调档", C)],
    "TA-002": [("职称申报", C)],
    "TA-003": [("毕业生报到", C), ("报到证", C), ("大学生报到", C)],
    "TA-004": [("继续教育学时", C)],
}


@transaction.atomic
def load_catalog() -> tuple[int, int]:
    """Create the demo categories, items, the names people use and the pilot's delegations where missing. Returns (items, delegations) created."""
    categories = {}
    for position, (code, name, description) in enumerate(CATEGORIES, start=1):
        categories[code], _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "position": position}
        )
    created_items = 0
    pilot_items = []
    for code, category, name, days, channels, pilot, description, eligibility, materials, keywords in ITEMS:
        law = EMPLOYMENT_LAW if category == "employment" else SI_LAW
        item, created = ServiceItem.objects.get_or_create(
            code=code,
            defaults={
                "category": categories[category],
                "name": name,
                "description": description,
                "eligibility": eligibility,
                "keywords": keywords,
                "time_limit_days": days,
                "legal_basis": f"{law}等(示例,非正式政策依据)",
                "channels": channels.split(),
                "valid_from": datetime.date(2014, 1, 1),
                "is_example": True,
            },
        )
        if created:
            created_items += 1
            Material.objects.bulk_create(
                Material(item=item, name=m, required=required, position=i)
                for i, (m, required) in enumerate(materials, start=1)
            )
        if pilot:
            pilot_items.append(item)
    named = set(ItemAlias.objects.values_list("item__code", "name"))
    by_code = dict(ServiceItem.objects.filter(code__in=ALIASES).values_list("code", "pk"))
    ItemAlias.objects.bulk_create(
        ItemAlias(item_id=by_code[code], name=name, kind=kind)
        for code, names in ALIASES.items()
        for name, kind in names
        if (code, name) not in named
    )
    for code, reason in HALL_ONLY.items():  # the items no station or booth takes
        ServiceItem.objects.filter(code=code, hall_only=False).update(hall_only=True, hall_only_reason=reason)
    created_delegations = 0
    for town in Town.objects.order_by("code"):
        mode = Delegation.Mode.FINISH if town.name in PILOT_TOWNS else Delegation.Mode.ACCEPT_FORWARD
        existing = set(Delegation.objects.filter(town=town).values_list("item_id", flat=True))
        for item in pilot_items:
            if item.pk in existing:
                continue
            delegation_create(
                actor=None,
                item=item,
                town=town,
                mode=mode,
                valid_from=PILOT_START,
                note="2014年试点(示例配置)",
                is_example=True,
            )
            created_delegations += 1
    catalogue_changed()
    return created_items, created_delegations
