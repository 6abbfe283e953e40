"""Excel import of the pool: all or nothing, every bad cell reported by row and column in Chinese,
existing experts matched by phone or e-mail and updated, the rest created, audited."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from starcity.core.models import AuditEntry
from starcity.reviews import excel
from starcity.reviews.models import Expert
from starcity.reviews.testing import make_expert

pytestmark = pytest.mark.django_db

HEADER = [
    "姓名",
    "工作单位",
    "单位所属区域",
    "所在地区",
    "专业领域",
    "可参加评审",
    "电话",
    "电子邮箱",
    "备注",
]


def workbook(rows) -> bytes:
    """The downloaded template with `rows` filled in from row 2."""
    wb = load_workbook(io.BytesIO(excel.build_template()))
    ws = wb["专家名单"]
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            ws.cell(row=number, column=index, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "专家.xlsx"):
    return client.post(reverse("reviews:expert_import"), {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def office(client, province_officer):
    client.force_login(province_officer)
    return client


def test_import_creates_and_updates(office, province_officer):
    existing = make_expert("张三", "370303", phone="13800000001", fields=["youzheng"])
    by_email = make_expert("李四", "370202", email="lisi@example.com", fields=["xingye"])
    data = workbook(
        [
            ["张三", "淄博职业学院", "淄博市", "淄博市张店区", "优政、惠民", "否", 13800000001, "", "更新"],
            ["李四", "青岛大学", "", "青岛市市南区", "兴业", "是", "", "LISI@example.com", ""],
            [
                "钱七",
                "山东大学",
                "济南市",
                "历下区",
                "强基,惠民",
                "",
                "0531-12345678",
                "qian@example.com",
                "",
            ],
        ]
    )
    response = upload(office, data)
    assert response.status_code == 302
    existing.refresh_from_db()
    assert (existing.employer, existing.available, existing.fields) == (
        "淄博职业学院",
        False,
        ["youzheng", "huimin"],
    )
    assert existing.employer_region.code == "370300" and existing.notes == "更新"
    by_email.refresh_from_db()
    assert by_email.employer == "青岛大学"  # matched by e-mail, whatever its case
    new = Expert.objects.get(name="钱七")
    assert new.home_region.code == "370102" and new.fields == ["huimin", "qiangji"] and new.available
    assert Expert.objects.count() == 3
    rows = AuditEntry.objects.filter(action="expert.import")
    assert rows.count() == 3 and all(row.actor == province_officer for row in rows)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "新增 1 位，更新 2 位" in messages[0]


def test_every_bad_cell_is_reported_and_nothing_is_written(office):
    make_expert("已有", "370303", phone="13900000000")
    before = Expert.objects.count()
    data = workbook(
        [
            ["甲", "单位甲", "", "不存在县", "优政", "是", "13700000000", "a@example.com", ""],
            ["乙", "单位乙", "", "淄博市", "环保", "也许", "", "not-an-email", ""],
            ["丙", "单位丙", "", "市中区", "惠民", "", "13700000000", "", ""],
            ["", "", "", "济南市", "优政", "", "", "", ""],
        ]
    )
    response = upload(office, data)
    assert response.status_code == 400
    errors = response.context["import_errors"]
    text = "\n".join(errors)
    assert "第 2 行 D 列（所在地区）：未找到名为“不存在县”的区域" in text
    assert "第 3 行 E 列（专业领域）：“环保”不是专业领域" in text
    assert "第 3 行 F 列（可参加评审）：“也许”应为“是”或“否”" in text
    assert "第 3 行 H 列（电子邮箱）：电子邮箱“not-an-email”格式不正确" in text
    assert "第 4 行 D 列（所在地区）：“市中区”有歧义" in text
    assert "第 4 行 G 列（电话）：与第 2 行的电话相同" in text
    assert "第 5 行 A 列（姓名）：请填写专家姓名" in text
    assert "第 5 行 B 列（工作单位）：请填写工作单位" in text
    assert "未导入任何内容" in response.context["import_message"]
    assert Expert.objects.count() == before
    assert not AuditEntry.objects.filter(action__startswith="expert.").exists()


def test_phone_of_another_expert_and_namesakes(office):
    make_expert("张三", "370303", phone="13800000001", email="zs@example.com")
    make_expert("王五", "370303", employer="山东大学")
    data = workbook(
        [
            # the phone is 张三's but the e-mail another's: the e-mail is refused
            ["张三", "山东大学", "", "淄博市", "优政", "", "13800000001", "other@example.com", ""],
            ["新人", "山东大学", "", "淄博市", "优政", "", "", "zs@example.com", ""],
            ["王五", "山东大学", "", "淄博市", "优政", "", "", "", ""],
        ]
    )
    response = upload(office, data)
    assert response.status_code == 400
    text = "\n".join(response.context["import_errors"])
    assert "第 3 行 H 列（电子邮箱）" not in text  # matched to 张三 by e-mail: fine
    assert "第 4 行 G 列（电话）：专家库中已有同名同单位的专家“王五”" in text


def test_missing_columns_and_bad_files(office):
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["甲", "13800000000"])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(office, buffer.getvalue())
    assert response.status_code == 400
    assert "缺少以下列：工作单位、所在地区、专业领域" in response.context["import_message"]
    response = upload(office, b"not a workbook at all", name="x.xlsx")
    assert response.status_code == 400
    response = upload(office, workbook([]))
    assert response.status_code == 400
    assert "没有需要导入的专家" in response.context["import_message"]
    assert not Expert.objects.exists()


def test_extra_columns_are_ignored_and_an_export_imports_again(office):
    make_expert("张三", "370303", phone="13800000001", fields=["youzheng"])
    make_expert("李四", "370202", email="lisi@example.com", fields=["xingye"], employer_code="370202")
    exported = office.get(reverse("reviews:expert_export")).content
    response = upload(office, exported)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "新增 0 位，更新 0 位，2 位没有变化" in messages[0]
    assert not AuditEntry.objects.filter(action="expert.import").exists()


def test_import_is_for_province_staff(client, city_operator):
    client.force_login(city_operator)
    response = upload(client, workbook([["甲", "单位", "", "淄博市", "优政", "", "", "", ""]]))
    assert response.status_code == 403
    assert not Expert.objects.exists()


def test_phone_typed_as_a_number_and_full_width_digits(office):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["孙八", "单位", "", "淄博市", "优政", None, 13812345678.0, None, None])
    ws.append(["周九", "单位", "", "淄博市", "优政", None, "１３８１２３４５６７９", None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    assert upload(office, buffer.getvalue()).status_code == 302
    assert sorted(Expert.objects.values_list("phone", flat=True)) == ["13812345678", "13812345679"]
