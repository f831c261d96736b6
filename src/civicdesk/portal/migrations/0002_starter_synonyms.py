"""A starter set of search synonyms in English and Spanish, which staff then edit in the admin."""

from django.db import migrations

STARTER_SYNONYMS = (
    "garbage, trash, rubbish, refuse",
    "streetlight, street light, street lamp, lamp post, light pole",
    "car, vehicle, auto, automobile",
    "rat, rodent, mouse, mice",
    "pothole, pot hole, hole in the road",
    "noise, noisy, loud",
    "sidewalk, footpath, walkway",
    "couch, sofa",
    "fridge, refrigerator",
    "hydrant, fire plug",
    "basura, desechos, desperdicios, residuos",
    "carro, auto, coche, vehículo, automóvil",
    "acera, banqueta, vereda",
    "bache, hoyo, hueco",
    "farol, luminaria, poste de luz, alumbrado, lámpara",
    "ruido, ruidoso, bulla, escándalo",
    "rata, ratón, ratones, roedor",
    "llanta, neumático, goma",
    "sofá, sillón",
    "refrigerador, nevera, heladera",
    "elevador, ascensor",
)


def add_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("portal", "SearchSynonym")
    SearchSynonym.objects.bulk_create(SearchSynonym(terms=terms) for terms in STARTER_SYNONYMS)


def remove_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("portal", "SearchSynonym")
    SearchSynonym.objects.filter(terms__in=STARTER_SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(add_synonyms, remove_synonyms)]
