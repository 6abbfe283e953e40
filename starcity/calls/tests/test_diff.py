"""Differences between two revisions, field by field (pure)."""

from starcity.calls.diff import ADDED, CHANGED, REMOVED, revision_diff

GRADES = ["一星级", "二星级", "三星级", "四星级", "五星级"]
DOMAINS = {"huimin": "惠民", "youzheng": "优政"}


def snapshot(**changes):
    base = {
        "target_grade": 4,
        "self_assessment": {"id": 5, "grade": 3, "score": "70.00"},
        "breakthrough_direction": "huimin",
        "tasks": [
            {"title": "一网通办", "description": "提质", "domain": "huimin"},
            {"title": "城市大脑", "description": "", "domain": "youzheng"},
        ],
        "contacts": {"name": "张三", "phone": "0533-1", "email": "a@example.cn"},
        "materials": [{"id": 1, "kind": "report", "name": "报告.pdf"}],
    }
    return base | changes


def test_identical_snapshots_have_no_differences():
    assert revision_diff(snapshot(), snapshot(), grades=GRADES, domains=DOMAINS) == []


def test_every_field_is_compared():
    new = snapshot(
        target_grade=5,
        self_assessment={"id": 8, "grade": 4, "score": "85.00"},
        breakthrough_direction="xingye",
        tasks=[
            {"title": "一网通办", "description": "全程网办", "domain": "huimin"},
            {"title": "数字乡村", "description": "", "domain": "huimin"},
        ],
        contacts={"name": "李四", "phone": "0533-1", "email": "a@example.cn"},
        materials=[{"id": 2, "kind": "report", "name": "报告（修改）.pdf"}],
    )
    rows = {
        (row.label, row.kind, row.before, row.after)
        for row in revision_diff(snapshot(), new, grades=GRADES, domains=DOMAINS)
    }
    assert ("申报星级", CHANGED, "四星级", "五星级") in rows
    assert ("自评估", CHANGED, "#5", "#8") in rows
    assert ("自评估星级", CHANGED, "三星级", "四星级") in rows
    assert ("自评估总分", CHANGED, "70.00", "85.00") in rows
    assert ("突破方向", CHANGED, "惠民", "兴业") in rows
    assert ("任务", CHANGED, "一网通办 [惠民] 提质", "一网通办 [惠民] 全程网办") in rows
    assert ("任务", ADDED, "", "数字乡村 [惠民]") in rows
    assert ("任务", REMOVED, "城市大脑 [优政]", "") in rows
    assert ("联系人", CHANGED, "张三", "李四") in rows
    assert ("材料", ADDED, "", "申请报告：报告（修改）.pdf") in rows
    assert ("材料", REMOVED, "申请报告：报告.pdf", "") in rows
    assert len(rows) == 11


def test_missing_assessment_reads_as_a_dash():
    rows = revision_diff(snapshot(self_assessment=None), snapshot(), grades=GRADES)
    assert rows[0].label == "自评估" and rows[0].before == "—" and rows[0].after == "#5"
