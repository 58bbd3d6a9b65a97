"""How the year-end summary words what the ledgers hold: a sentence per entry (or one for entries alike)
from a template per ledger, the departments as the body's own summary names them, figures exact or N余.
Written in Chinese, as the reports are."""

from ..models import ActivityKind, LedgerKind, TrainingKind
from ..selectors.statistics import approximate

VERBS = ("召开", "开展", "组织", "举办", "举行", "印发", "下发", "签订", "对照", "向", "观看", "学习", "参加", "解读",
         "制定", "落实", "实行", "实施", "深入", "到")
TRAINING_ENDS = ("培训", "班", "讲座", "开班", "研讨", "课", "会")
SUBKIND_VERBS = {ActivityKind.MICRO_VIDEO: "制作", ActivityKind.CALLIGRAPHY: "举办", ActivityKind.MATERIALS: "印发"}
RECEIVED = {ActivityKind.REPORTER_VISIT}  # activities the unit receives: its entry names who came
SENTENCES = {  # ledger → (verb before a title that has none, how its people are counted)
    LedgerKind.MEETING: ("召开", "{n}人参加"),
    LedgerKind.DOCUMENT: ("印发", ""),
    LedgerKind.TRAINING: ("举办", "{n}人次参训"),
    LedgerKind.ACTIVITY: ("开展", "{n}人次参与"),
    LedgerKind.RESPONSIBILITY: ("签订", ""),
    LedgerKind.VISIT: ("开展", ""),
    LedgerKind.SELF_INSPECTION: ("开展", ""),
}


def written(value, word, headcount=False):
    """A figure as the reports write it: exact, or N余 by the workbooks' rule."""
    return f"{approximate(value, headcount=headcount or word in {'人', '名', '人次'})}{word}"


def quoted(title):
    """A title as the reports cite it: 《…》 or “…” kept, else in 《》 for a document, as is otherwise."""
    return title if title[:1] in "《“\"" else f"《{title}》"


class Wording:
    """What `Draft` says of entries and units; `self.content.body` is the body whose summary it is."""

    def unit_name(self, unit):
        return self.short(unit.name)

    def short(self, name):
        """A department as the body's own summary names it: 区委组织部 in 郊区's, 郊区区委组织部 in the city's."""
        return name.removeprefix(f"{self.content.body.name}·").replace("·", "")

    def entry_sentence(self, entry, word):
        verb, people = SENTENCES[entry.kind]
        day = f"于{entry.occurred_on.month}月{entry.occurred_on.day}日"
        if entry.kind == LedgerKind.VISIT:  # made by the inspecting body, of the unit
            who = self.unit_name(entry.inspector_unit) if entry.inspector_unit_id else "上级"
            return (f"{who}{day}对{self.unit_name(entry.unit)}开展{entry.get_subkind_display()}",
                    f"{entry.get_subkind_display()}：{entry.count}次，1个单位")
        if entry.subkind in RECEIVED:
            return (f"{entry.title}{day}走进{self.unit_name(entry.unit)}",
                    f"{entry.title}：{entry.count}次，{entry.participants}人")
        text = f"{self.unit_name(entry.unit)}{day}{self.done(entry, verb)}"
        if entry.speaker and entry.kind == LedgerKind.TRAINING and entry.subkind != TrainingKind.SEMINAR:
            text += f"，由{entry.speaker.replace(' ', '')}主讲"
        if entry.kind == LedgerKind.RESPONSIBILITY and entry.duty_count:
            text += f"，明确{entry.duty_count}名班子成员责任"
        if entry.count > 1 and word:
            text += f"，计{entry.count}{word}"
        if entry.participants and people and entry.subkind != TrainingKind.SEMINAR:
            text += "，" + people.format(n=entry.participants)
        return text, f"{entry.title}：{entry.count}次，{entry.participants}人"

    @staticmethod
    def done(entry, verb):
        """What the unit did, as the reports say it: 印发《…》, 举办《…》专题培训, 组织4名…参加…研讨班,
        制作…短视频; a title that starts with its verb (召开…, 对照…) as it is."""
        title = entry.title
        if entry.kind == LedgerKind.DOCUMENT:
            return f"{verb}{quoted(title)}"
        if entry.subkind == TrainingKind.SEMINAR:
            return f"组织{entry.participants}名{entry.audience or '干部'}参加{title}"
        if entry.kind == LedgerKind.TRAINING:
            return f"{verb}{title}" if title.endswith(TRAINING_ENDS) else (
                f"{verb}{quoted(title)}{entry.get_subkind_display()}")
        if title.startswith(VERBS):
            return title
        return f"{SUBKIND_VERBS.get(entry.subkind, verb)}{title}"

    def group_sentence(self, group, word, title):
        """The entries as one: who (three units named, else the first and how many), what, how often."""
        verb, people = SENTENCES[group[0].kind]
        sessions = sum(entry.count for entry in group)
        if group[0].kind == LedgerKind.VISIT:  # told by who made the visits, and how many units they saw
            who = self.who(entry.inspector_unit for entry in group if entry.inspector_unit_id) or "上级"
            visited = len({entry.unit_id for entry in group})
            kind = group[0].get_subkind_display()
            return f"{who}开展{kind}{written(sessions, '次')}，涉及{visited}个单位", f"{kind}：{sessions}次，{visited}个单位"
        if group[0].subkind in RECEIVED:
            visited = len({entry.unit_id for entry in group})
            return (f"{title}走进{self.who(entry.unit for entry in group)}", f"{title}：{sessions}次，{visited}个单位")
        participants = sum(entry.participants for entry in group)
        who = self.who(entry.unit for entry in group)
        if group[0].kind == LedgerKind.DOCUMENT:  # each unit its own copy of the document
            return f"{who}{verb}{quoted(title)}", f"{title}：{sessions}件，{participants}人"
        text = f"{who}{'' if title.startswith(VERBS) else SUBKIND_VERBS.get(group[0].subkind, verb)}{title}"
        text += written(sessions, word or "次")
        if participants and people:
            text += "，" + people.format(n=approximate(participants, headcount=True))
        return text, f"{title}：{sessions}{word or '次'}，{participants}人"

    def who(self, units):
        return self.who_named(unit.name for unit in units)

    def who_named(self, names):
        """Three units by name, or the first and how many: 区委组织部等12个单位."""
        names = list(dict.fromkeys(self.short(name) for name in names))
        return "、".join(names) if len(names) <= 3 else f"{names[0]}等{len(names)}个单位"
