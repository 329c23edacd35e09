"""Educators preview every version of each survey instrument, wave by wave, read-only."""
from flask import Blueprint, abort, render_template
from flask_login import current_user

from survey.campaigns.access import visible_campaigns
from survey.instruments.definition import WAVE_NAMES, WAVES
from survey.instruments.randomisation import case_set_rule_text, rule_text
from survey.instruments.services import definition_for_preview, versions_of
from survey.instruments.wording import condition_notes, staff_description
from survey.library import library
from survey.web.access import role_required

bp = Blueprint("instruments", __name__, url_prefix="/educator/instruments")


@bp.get("/")
@role_required("educator")
def index():
    return render_template("instruments/index.html", instruments=sorted(library().instruments.values(), key=lambda i: i.title))


@bp.get("/<slug>")
@role_required("educator")
def versions(slug: str):
    instrument = library().instruments.get(slug)
    own = None if current_user.role == "admin" else [c.id for c in visible_campaigns(current_user)]
    found = versions_of(slug, instrument, own, library().archived) or abort(404)
    return render_template("instruments/versions.html", slug=slug, title=found[0].title, versions=found,
                           waves=WAVES, wave_names=WAVE_NAMES)


@bp.get("/<slug>/<int:version>/<wave>")
@role_required("educator")
def preview(slug: str, version: int, wave: str):
    """Every section of the wave with every item, conditional ones marked with their condition in words."""
    definition = definition_for_preview(slug, library().instruments.get(slug), version, library().archived)
    if definition is None or wave not in WAVES:
        abort(404)
    return render_template("instruments/preview.html", slug=slug, version=version, wave=wave, definition=definition,
                           description=staff_description(definition.description),
                           sections=definition.sections_for(wave), notes=_notes(definition),
                           sampling=_sampling_rule(definition), waves=WAVES, wave_names=WAVE_NAMES,
                           shown=lambda _: True)


def _sampling_rule(definition) -> str | None:
    """Under matrix sampling, which cases a GP answers, in words (the preview shows every case)."""
    sampled = [v.id for v in definition.sampled_vignettes()]
    return case_set_rule_text(sampled, definition.vignette_sampling.per_gp) if sampled else None


def _notes(definition) -> dict[str, str]:
    """Conditions in words, plus the assignment rule of each randomised vignette."""
    notes = condition_notes(definition)
    for vignette in definition.randomised_vignettes():
        notes[vignette.id] = " ".join(filter(None, [notes.get(vignette.id), rule_text(vignette.version_keys)]))
    return notes
