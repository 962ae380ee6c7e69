from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0003_alter_registration_created_at_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="queue_seq",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name="候补顺序号"),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                fields=("training_class", "queue_seq"), name="one_place_per_waiting_list"
            ),
        ),
    ]
