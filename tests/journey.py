"""Drive a GP through the journey with the test client, as a browser would."""
from survey.instruments.definition import FreeText, Likert, MultipleChoice, Number, SingleChoice
from survey.surveys.answers import is_visible


def valid_answer(question, likert_value: int = 3) -> list[str]:
    """A plausible valid answer to any question type."""
    if isinstance(question, Likert):
        return [str(likert_value)]
    if isinstance(question, SingleChoice):
        return [question.options[0].value]
    if isinstance(question, MultipleChoice):
        return [question.options[0].value]
    if isinstance(question, Number):
        return [str(int(question.min))]
    if isinstance(question, FreeText):
        return ["Some thoughts."]
    raise TypeError(question)


def answer_survey(client, slug: str, wave: str, definition, likert_value: int = 3):
    """Answer every page of a wave and submit; returns the final response."""
    answers: dict[str, str] = {}
    response = None
    for number, section in enumerate(definition.sections_for(wave), start=1):
        data = {}
        for question in section.questions():
            if is_visible(question, answers):
                value = valid_answer(question, likert_value)
                data[question.id] = value
                answers[question.id] = ";".join(value)
        response = client.post(f"/c/{slug}/survey/{wave}/{number}", data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def correct_choices(module) -> dict[str, list[str]]:
    return {q.id: [str(i) for i in sorted(q.correct_indexes)] for q in module.knowledge_check.questions}


def study_module(client, slug: str, module):
    """Read every page and pass the knowledge check."""
    assert client.get(f"/c/{slug}/m/{module.slug}").status_code == 302
    for page in range(1, module.page_count + 1):
        assert client.get(f"/c/{slug}/m/{module.slug}/{page}").status_code == 200
        assert client.post(f"/c/{slug}/m/{module.slug}/{page}").status_code == 302
    response = client.post(f"/c/{slug}/m/{module.slug}/check", correct_choices(module))
    assert response.status_code == 200
    assert "passed" in response.get_data(as_text=True)
