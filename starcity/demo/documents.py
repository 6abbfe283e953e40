"""The application report (申请报告) a demo applicant uploads: a real Word file in the layout of
an official request (请示) from its government, built with the project's own document writer."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from starcity.documents.model import OfficialDocument
from starcity.documents.word import to_docx
from starcity.regions.models import Region


def report_file(
    *, region: Region, year: int, target: str, number: str, issued_on: date
) -> SimpleUploadedFile:
    """The request of `region`'s government to join the year's pilots, as an uploaded .docx."""
    government = f"{region.full_name}人民政府"
    document = OfficialDocument(
        office=government,
        title=f"{government}关于申报{year}年山东省新型智慧城市建设试点的请示",
        issued_on=issued_on,
        number=number,
        addressee="数字山东建设专项小组办公室：",
        paragraphs=(
            f"根据《山东省新型智慧城市试点示范建设工作方案》，{region.full_name}对照省级标准开展了自评估，"
            f"现申请创建{target}新型智慧城市建设试点。",
            "近年来，我们坚持“优政、惠民、兴业、强基”统筹推进，政务服务“一网通办”、城市运行“一网统管”"
            "和基层治理数字化取得阶段性成效，数据共享和应用场景建设走在全省前列。",
            "试点期间，我们将围绕任务书确定的突破方向，健全由政府主要负责同志牵头的协调推进机制，"
            "落实建设资金和运维保障，按期完成各项试点任务。",
        ),
        closing=("妥否，请批示。",),
    )
    name = f"{region.name}{year}年试点申请报告.docx"
    return SimpleUploadedFile(name, to_docx(document))
