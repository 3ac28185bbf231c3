"""Load the default 5×5 risk scale and risk categories, in English and Dutch."""

from django.db import migrations

PROBABILITY = [
    (1, "Very low", "Zeer klein", "Less than 10% chance", "Minder dan 10% kans"),
    (2, "Low", "Klein", "10–30% chance", "10–30% kans"),
    (3, "Medium", "Gemiddeld", "30–50% chance", "30–50% kans"),
    (4, "High", "Groot", "50–80% chance", "50–80% kans"),
    (5, "Very high", "Zeer groot", "More than 80% chance", "Meer dan 80% kans"),
]
IMPACT = [
    (1, "Minimal", "Minimaal", "Hardly noticeable", "Nauwelijks merkbaar"),
    (2, "Minor", "Gering", "Absorbed within tolerances", "Op te vangen binnen de toleranties"),
    (3, "Moderate", "Matig", "Tolerances at risk", "Toleranties in gevaar"),
    (4, "Major", "Groot", "Tolerances exceeded", "Toleranties overschreden"),
    (5, "Severe", "Ernstig", "Goals of the project at stake", "Doelen van het project in gevaar"),
]
CATEGORIES = [
    ("Strategic", "Strategisch"),
    ("Financial", "Financieel"),
    ("Organisational", "Organisatorisch"),
    ("People and HR", "Mensen en HR"),
    ("IT and data", "IT en data"),
    ("Legal and compliance", "Juridisch en compliance"),
    ("Planning", "Planning"),
    ("Quality", "Kwaliteit"),
    ("Stakeholders", "Stakeholders"),
    ("Suppliers", "Leveranciers"),
]


def load(apps, schema_editor):
    level = apps.get_model("registers", "RiskScaleLevel")
    category = apps.get_model("registers", "RiskCategory")
    for axis, rows in (("probability", PROBABILITY), ("impact", IMPACT)):
        for value, en, nl, description, _description_nl in rows:
            level.objects.get_or_create(
                axis=axis,
                value=value,
                defaults={"label_en": en, "label_nl": nl, "description": description},
            )
    for position, (en, nl) in enumerate(CATEGORIES, start=1):
        category.objects.get_or_create(name_en=en, defaults={"name_nl": nl, "position": position})


def unload(apps, schema_editor):
    apps.get_model("registers", "RiskScaleLevel").objects.all().delete()
    apps.get_model("registers", "RiskCategory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registers", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
