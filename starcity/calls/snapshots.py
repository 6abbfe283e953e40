"""What an application revision freezes, and how two revisions differ.

The snapshot is the contract every later stage reads (screening, experts, lists, letters):

    {
      "revision": 2,
      "call": {"id": 1, "year": 2026, "title": "..."},
      "region": {"id": 9, "code": "370321", "name": "桓台县", "full_name": "淄博市桓台县"},
      "city": {"id": 3, "code": "370300", "name": "淄博市"},
      "level": "county",
      "target_grade": 4,
      "self_assessment": {"id": 5, "title": "淄博市桓台县自评估", "grade": 3, "score": "78.50",
                           "standard_version_id": 2,
                           "values": {...values@1 mapping...}, "result": {...}},
      "breakthrough_direction": "huimin",
      "tasks": [{"title": "...", "description": "...", "domain": "huimin"}],
      "contacts": {"name": "...", "phone": "...", "email": "..."},
      "materials": [{"id": 3, "kind": "report", "name": "申请报告.pdf", "size": 1234,
                     "sha256": "..."}],
      "submitted_by_region": {"code": "370300", "name": "淄博市"},
      "submitted_at": "2026-10-20T10:00:00+08:00"
    }
"""

from typing import Any

from starcity.calls.models import Application


def application_snapshot(application: Application, *, number: int, submitted_at: Any) -> dict[str, Any]:
    """The frozen content of `application` as revision `number` (materials not removed)."""
    assessment = application.self_assessment
    region, city = application.region, application.city
    return {
        "revision": number,
        "call": {"id": application.call_id, "year": application.call.year, "title": application.call.title},
        "region": {"id": region.pk, "code": region.code, "name": region.name, "full_name": region.full_name},
        "city": {"id": city.pk, "code": city.code, "name": city.name},
        "level": application.level,
        "target_grade": application.target_grade,
        "self_assessment": None
        if assessment is None
        else {
            "id": assessment.pk,
            "title": str(assessment),
            "grade": assessment.grade,
            "score": str(assessment.score),
            "standard_version_id": assessment.standard_version_id,
            "values": assessment.snapshot_values,
            "result": assessment.snapshot_result,
        },
        "breakthrough_direction": application.breakthrough_direction,
        "tasks": list(application.tasks or []),
        "contacts": {
            "name": application.contact_name,
            "phone": application.contact_phone,
            "email": application.contact_email,
        },
        "materials": [
            {"id": m.pk, "kind": m.kind, "name": m.original_name, "size": m.size, "sha256": m.sha256}
            for m in application.materials.filter(removed_at__isnull=True).order_by(
                "kind", "uploaded_at", "pk"
            )
        ],
        "submitted_by_region": {"code": city.code, "name": city.name},
        "submitted_at": submitted_at.isoformat(),
    }
