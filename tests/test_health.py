import pytest
from django.test import Client


def test_healthz_answers_without_touching_the_database():
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_and_cache():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "cache": True}}


@pytest.mark.django_db
def test_readyz_reports_an_unreachable_redis(settings):
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("needs REDIS_URL")
    # Django rebuilds its cache handlers when CACHES changes: this one points nowhere.
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "cache": False}
