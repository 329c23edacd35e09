"""Production hashes passwords at Werkzeug's full scrypt cost; only the tests' configuration names a cheaper one."""
from flask import Flask
from werkzeug.security import check_password_hash

from survey.auth.models import hash_password
from survey.config import load_config

PRODUCTION = {"SURVEY_ENV": "production", "SECRET_KEY": "a-real-secret", "BASE_URL": "https://learning.example.org",
              "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "JOBS_BROKER_URL": "redis://127.0.0.1:6379/1"}


def test_production_hashes_passwords_with_scrypt_n_32768_r_8_p_1_whatever_the_environment_says(monkeypatch, tmp_path):
    for name, value in {**PRODUCTION, "PASSWORD_HASH_METHOD": "scrypt:2:1:1"}.items():
        monkeypatch.setenv(name, value)
    production = Flask(__name__)
    production.config.update(load_config(str(tmp_path)))
    with production.app_context():
        hashed = hash_password("a-good-password")
    assert hashed.split("$")[0] == "scrypt:32768:8:1"
    assert check_password_hash(hashed, "a-good-password") and not check_password_hash(hashed, "a-good-passwore")


def test_the_test_suite_alone_hashes_cheaply_and_still_checks_passwords(app):
    hashed = hash_password("a-good-password")
    assert hashed.split("$")[0] == "scrypt:1024:8:1"
    assert check_password_hash(hashed, "a-good-password") and not check_password_hash(hashed, "a-good-passwore")
