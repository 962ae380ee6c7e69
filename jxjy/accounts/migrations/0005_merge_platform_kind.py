# Joins the 在线学习平台 organisation kind with the accounts migrations developed beside it.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organisation_kind_platform"),
        ("accounts", "0004_merge_personal_data_password_history"),
    ]

    operations = []
