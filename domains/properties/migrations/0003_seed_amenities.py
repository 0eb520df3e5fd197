from django.db import migrations

# A frozen copy: later edits to domains/properties/amenities.py need a migration of their own.
AMENITIES = [
    ("wifi", "Wifi"), ("kitchen", "Kitchen"), ("washer", "Washer"), ("dryer", "Dryer"),
    ("air_conditioning", "Air conditioning"), ("heating", "Heating"),
    ("workspace", "Dedicated workspace"), ("tv", "TV"), ("hair_dryer", "Hair dryer"),
    ("iron", "Iron"), ("pool", "Pool"), ("hot_tub", "Hot tub"),
    ("free_parking", "Free parking on premises"), ("ev_charger", "EV charger"),
    ("crib", "Crib"), ("gym", "Gym"), ("bbq_grill", "BBQ grill"), ("breakfast", "Breakfast"),
    ("fireplace", "Indoor fireplace"), ("pets_allowed", "Pets allowed"),
    ("smoking_allowed", "Smoking allowed"), ("beachfront", "Beachfront"),
    ("waterfront", "Waterfront"), ("ski_in_out", "Ski-in/ski-out"),
    ("smoke_alarm", "Smoke alarm"), ("carbon_monoxide_alarm", "Carbon monoxide alarm"),
    ("first_aid_kit", "First aid kit"), ("self_check_in", "Self check-in"),
    ("elevator", "Elevator"), ("balcony", "Balcony"),
]


def seed(apps, schema_editor):
    Amenity = apps.get_model("properties", "Amenity")
    for code, name in AMENITIES:
        Amenity.objects.update_or_create(code=code, defaults={"name": name})


def unseed(apps, schema_editor):
    Amenity = apps.get_model("properties", "Amenity")
    Amenity.objects.filter(code__in=[code for code, _ in AMENITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("properties", "0002_postgres_constraints")]

    operations = [migrations.RunPython(seed, unseed)]
