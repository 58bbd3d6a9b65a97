"""The demo city's names, its people's logins, and the report figures its ledgers reproduce
(DOMAIN.md)."""

from checklists.models import Role

CITY_CODE = "DEMO"
PASSWORD = "demo2023"
YEAR = 2023

COUNTIES = ["郊区", "城区", "矿区", "平定县", "盂县", "潞州区", "上党区", "屯留区", "潞城区", "襄垣县"]
# The district summary's departments (阳泉市郊区), used for every county with its own prefix.
DEPARTMENTS = ["委组织部", "直机关工委", "税务局", "政府办", "司法局", "委统战部", "工商业联合会", "行政审批局",
               "退役军人事务局", "生态环境保护综合行政执法大队", "委宣传部", "纪委监委"]
CITY_DEPARTMENTS = ["市委办公室", "市纪委监委", "市委组织部", "市委宣传部", "市委统战部", "市直机关工委",
                    "市政府办公室", "市发展改革委", "市教育局", "市卫生健康委", "市行政审批服务管理局", "市司法局"]
SCHOOLS = ["第一中学", "第二中学", "实验小学", "职业中学"]
VILLAGES = ["西沟村", "东关社区", "南庄村", "北坪村", "桃园社区", "石门村", "河底村", "新华社区", "龙泉村",
            "杨家庄村", "红星社区", "前进村"]
HOSPITALS = ["人民医院", "中医医院"]
ENTERPRISES = ["城投集团", "水务公司", "交通投资公司", "煤业公司"]
PROBLEMS = ["“三会一课”记录不规范，内容流于形式", "廉政风险点排查不全面，防控措施针对性不强",
            "公务接待台账登记不完整", "领导班子成员责任清单未及时签订", "“第一议题”学习缺少研讨记录",
            "公车使用登记不规范", "党务政务公开不及时", "未设置“办不成事”反映窗口", "整改台账更新不及时",
            "谈心谈话记录缺失", "制度文件未按要求印发", "干部廉政档案不完善"]

DEMO_LOGINS = [
    ("admin", "superuser", "系统管理员", None, None),
    ("office", "office", "市工作专班办公室", "city", Role.OFFICE),
    ("county_office", "office", "郊区工作专班办公室", "county", Role.OFFICE),
    ("liaison", "liaison", "郊区·区委组织部 联络员", "department", Role.LIAISON),
    ("leader", "leader", "郊区·区委组织部 负责人", "department", Role.LEADER),
    ("viewer", "viewer", "市分管领导", "city", Role.VIEWER),
]

# Report figures the ledgers reproduce (see DOMAIN.md).
PLEDGE_SHOW_PARTICIPANTS = 50_312
LECTURES = 503
VISITS = 546
PROBLEMS_CLOSED, PROBLEMS_REPORTED, PROBLEMS_OPEN = 806, 31, 27
DEMONSTRATION_SITES = 243
HOSPITAL_MODELS = 507
REPORTER_SITES = 104
