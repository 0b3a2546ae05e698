from django.db import migrations, models


def finished_cases_have_an_outcome(apps, schema_editor):
    """Cases finished before outcomes were recorded: their answer is not known here ("other")."""
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(status="finished", outcome="").update(outcome="other")


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_outcomes_agents_extensions")]

    operations = [
        migrations.RunPython(finished_cases_have_an_outcome, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'finished'), _negated=True), models.Q(('outcome', ''), _negated=True), _connector='OR'), name='case_finished_has_outcome'),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('outcome', 'refused'), _negated=True), models.Q(('outcome_detail', ''), _negated=True), _connector='OR'), name='case_refusal_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('handover', 'done'), _negated=True), ('handed_over_at__isnull', False), _connector='OR'), name='case_handed_over_has_time'),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('agent_id_number', ''), ('agent_name', ''), ('agent_relation', ''), ('texts_to_agent', False)), models.Q(models.Q(('agent_name', ''), _negated=True), models.Q(('agent_id_number', ''), _negated=True), models.Q(('agent_relation', ''), _negated=True)), _connector='OR'), name='case_agent_whole'),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('texts_to_agent', True), _negated=True), models.Q(('agent_phone', ''), _negated=True), _connector='OR'), name='case_agent_texts_have_phone'),
        ),
    ]
