"""The ceiling for bench/load.py: a bare Flask route on the same gunicorn, no database, no templates."""
from flask import Flask

app = Flask(__name__)


@app.get("/bare")
def bare():
    return "ok"
