# Joins the encryption of personal data and the password history, developed side by side.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_encrypt_personal_data"),
        ("accounts", "0003_password_history"),
    ]

    operations = []
