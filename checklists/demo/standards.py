"""The 50 clean-organ creation standards (清廉机关创建标准) of the demo, in six dimensions.

Each row: dimension code, title, kind of measure, recurrence, quantity target, measure word,
points, evidence expected. Drawn from the measures the two reports name.
"""

# (code, name, slogan): the district summary heads its sections 一、聚焦政治建设，构建清廉生态 …
DIMENSIONS = [
    ("POL", "政治建设", "构建清廉生态"),
    ("IDE", "思想建设", "夯实清廉根基"),
    ("ORG", "组织建设", "筑牢清廉堡垒"),
    ("INS", "制度建设", "守牢清廉底线"),
    ("STY", "作风建设", "提供清廉服务"),
    ("CUL", "文化建设", "营造清廉氛围"),
]

# (dimension, title, measure kind, recurrence, target, measure word, points, evidence)
STANDARDS = [
    ("POL", "落实“第一议题”制度，及时传达学习习近平总书记重要讲话重要指示精神", "meeting", "monthly", 1, "次", 2, "会议记录、学习笔记"),
    ("POL", "党组（党委）每年专题研究清廉机关建设工作", "meeting", "half_yearly", 1, "次", 2, "会议纪要"),
    ("POL", "召开全面从严治党暨清廉机关建设工作会议，安排部署年度任务", "meeting", "yearly", 1, "次", 2, "会议通知、讲话材料"),
    ("POL", "制定领导班子成员“一岗双责”责任清单并签订责任书", "responsibility", "yearly", 1, "份", 3, "责任清单、责任书"),
    ("POL", "一把手履行第一责任人职责，定期听取班子成员履责情况汇报", "meeting", "half_yearly", 1, "次", 2, "汇报记录"),
    ("POL", "开展政治生态分析研判，形成研判报告", "document", "yearly", 1, "份", 2, "研判报告"),
    ("POL", "严格执行重大事项请示报告制度", "other", "once", None, "", 1, "请示报告台账"),
    ("POL", "落实意识形态工作责任制，每半年专题研判意识形态形势", "meeting", "half_yearly", 1, "次", 1, "研判记录"),
    ("IDE", "党组织负责人带头讲廉政党课", "activity", "quarterly", 1, "次", 3, "党课讲稿、照片"),
    ("IDE", "组织科级干部、村（社区）“两委”主干开展专题培训", "training", "yearly", 2, "场", 3, "培训通知、签到表、课件"),
    ("IDE", "选派干部参加党校专题研讨班学习", "training", "once", 1, "人", 2, "参训名单"),
    ("IDE", "开展警示教育，组织观看警示教育片", "activity", "half_yearly", 1, "次", 2, "活动照片、观后感"),
    ("IDE", "开展保密安全宣传教育活动", "activity", "yearly", 1, "次", 1, "活动方案、照片"),
    ("IDE", "领导干部开展诺廉、示廉活动，签订廉洁承诺书", "activity", "yearly", 1, "次", 2, "承诺书、公示材料"),
    ("IDE", "开展党纪法规知识学习测试", "training", "yearly", 1, "次", 1, "试卷、成绩单"),
    ("IDE", "开展主题教育准备和学习研讨", "meeting", "quarterly", 1, "次", 2, "研讨记录"),
    ("IDE", "干部职工参加清廉建设培训覆盖全员", "training", "yearly", 30, "人次", 2, "签到表"),
    ("ORG", "严格落实“三会一课”制度", "meeting", "quarterly", 3, "次", 3, "会议记录本"),
    ("ORG", "召开高质量民主生活会，开展批评与自我批评", "meeting", "yearly", 1, "次", 3, "会议方案、对照检查材料"),
    ("ORG", "召开组织生活会并开展民主评议党员", "meeting", "yearly", 1, "次", 2, "会议记录、评议表"),
    ("ORG", "开展主题党日活动", "meeting", "monthly", 1, "次", 2, "活动记录、照片"),
    ("ORG", "坚持民主集中制，“三重一大”事项集体决策", "other", "once", None, "", 2, "会议纪要"),
    ("ORG", "开展党员干部政治体检和谈心谈话", "activity", "half_yearly", 1, "次", 1, "谈话记录"),
    ("ORG", "加强党内民主监督，落实党务公开", "other", "yearly", None, "", 1, "公开材料"),
    ("ORG", "开展清廉机关建设成果观摩交流", "activity", "once", 1, "次", 1, "观摩方案、照片"),
    ("ORG", "规范党员发展和党费收缴管理", "other", "yearly", None, "", 1, "台账"),
    ("INS", "印发年度全面从严治党工作要点", "document", "once", 1, "份", 2, "文件"),
    ("INS", "制定年度清廉机关建设工作方案", "document", "once", 1, "份", 3, "文件"),
    ("INS", "梳理权力清单和权力运行风险点，补齐制度漏洞", "self_inspection", "once", 1, "次", 3, "风险点清单、防控措施"),
    ("INS", "对照亲清政商关系正负面清单开展自查自纠", "self_inspection", "half_yearly", 1, "次", 2, "自查报告、整改台账"),
    ("INS", "落实中央八项规定精神，建立公务接待、公车使用台账", "other", "quarterly", None, "", 2, "接待台账、用车台账"),
    ("INS", "实行全流程网上审批，规范招投标和预算管理", "other", "once", None, "", 2, "制度文件"),
    ("INS", "建立“办不成事”反映窗口和追踪处置机制", "other", "once", None, "", 2, "工作记录"),
    ("INS", "对上级督导检查发现的问题按期整改销号", "visit", "quarterly", None, "", 3, "整改报告、销号材料"),
    ("STY", "推行“证照分离”改革，涉企经营许可事项清单管理", "activity", "once", 80, "户", 3, "办理台账"),
    ("STY", "推进“一枚印章管审批”“一网通办”", "other", "once", None, "", 2, "工作总结"),
    ("STY", "开展便民利企志愿服务活动", "activity", "half_yearly", 1, "次", 1, "活动照片"),
    ("STY", "开展执法人员业务能力培训", "training", "yearly", 1, "场", 2, "培训课件、签到表"),
    ("STY", "整治“中梗阻”，开展关键岗位作风专项治理", "self_inspection", "yearly", 1, "次", 2, "治理方案、报告"),
    ("STY", "落实首问负责、限时办结、服务承诺制度", "other", "once", None, "", 1, "制度文件"),
    ("STY", "开展作风建设月度督查通报", "visit", "monthly", None, "", 2, "督查通报"),
    ("STY", "开展群众满意度测评", "other", "yearly", None, "", 1, "测评结果"),
    ("CUL", "打造清廉文化阵地，建设廉政文化墙（角）", "other", "once", None, "", 2, "照片"),
    ("CUL", "开展家庭助廉活动，向干部家属发出倡议", "activity", "yearly", 1, "次", 2, "倡议书、照片"),
    ("CUL", "制作清廉主题微视频或短视频", "activity", "yearly", 1, "部", 2, "视频作品"),
    ("CUL", "举办清廉主题书画展、戏曲演出等文化活动", "activity", "half_yearly", 1, "场", 2, "活动照片"),
    ("CUL", "开展“党风廉政宣教月”活动", "activity", "once", 1, "次", 2, "活动方案、总结"),
    ("CUL", "印发清廉建设学习资料并发放到人", "activity", "once", 20, "份", 1, "发放登记"),
    ("CUL", "开展红色教育和研学活动", "activity", "yearly", 1, "次", 1, "活动照片"),
    ("CUL", "选树清廉典型，开展身边榜样宣传", "activity", "yearly", 1, "人", 1, "宣传材料"),
]

LEADERS = ["市委副书记 赵某", "市委常委、市纪委书记、市监委主任 钱某", "市委常委、组织部部长 孙某",
           "市委常委、宣传部部长 李某", "副市长 周某"]

DEADLINE_TEXT = {
    "monthly": "每月底前",
    "quarterly": "每季度末",
    "half_yearly": "每半年末",
    "yearly": "12月底前",
}
