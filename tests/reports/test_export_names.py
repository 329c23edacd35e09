"""Every export downloads with a file extension and its content type, and is never cached."""
import pytest

from tests.factories import PASSWORD
from tests.reports.conftest import charity_campaign


@pytest.fixture
def study(app):
    return charity_campaign(12, seed=3)


@pytest.mark.parametrize("kind, filename, mimetype", [
    ("long.csv", "-responses-long.csv", "text/csv"),
    ("wide.csv", "-responses-wide.csv", "text/csv"),
    ("xlsx", "-responses.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("sav", "-responses.sav", "application/x-spss-sav"),
])
def test_exports_have_extensions_and_no_store(client, study, kind, filename, mimetype):
    client.login(study.educator.email, PASSWORD)
    response = client.get(f"/educator/campaigns/{study.campaign.slug}/export/{kind}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{study.campaign.slug}{filename}"'
    assert response.mimetype == mimetype
    assert response.headers["Cache-Control"] == "no-store"
