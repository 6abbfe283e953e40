"""Submitted self-assessments keep their notes in a snapshot too (they were read live before)."""

from django.db import migrations, models


def freeze_existing_notes(apps, schema_editor):
    """Copy the notes of every already-submitted assessment into its new snapshot field."""
    SelfAssessment = apps.get_model("assessments", "SelfAssessment")
    Answer = apps.get_model("assessments", "Answer")
    for assessment_id in SelfAssessment.objects.filter(status="submitted").values_list("pk", flat=True):
        notes = dict(
            Answer.objects.filter(assessment_id=assessment_id)
            .exclude(note="")
            .values_list("indicator_code", "note")
        )
        SelfAssessment.objects.filter(pk=assessment_id).update(snapshot_notes=notes)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="selfassessment",
            name="snapshot_notes",
            field=models.JSONField(blank=True, null=True, verbose_name="提交时的说明"),
        ),
        migrations.RunPython(freeze_existing_notes, migrations.RunPython.noop),
    ]
