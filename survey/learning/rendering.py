"""Module pages as HTML for GPs and educators: links between pages and figures point into the app."""
from flask import url_for

from survey.learning import markdown
from survey.learning.content import Module, figure_path


def page_html(module: Module, number: int, page_endpoint: str, nation: str | None = None, **endpoint_args) -> str:
    """Page ``number`` as sanitised HTML; a link to another page of the module goes to
    ``page_endpoint`` (the GP's or the educator's view of it), a figure to the figure route;
    four-nations blocks show ``nation`` (the GP's, or None) first."""

    def resolve(_kind: str, target: str) -> str:
        linked = module.page_number_of(target.split("#")[0])
        if linked:
            return url_for(page_endpoint, module_slug=module.slug, page=linked, **endpoint_args)
        if figure_path(module.folder, target):
            return url_for("learning.figure", module_slug=module.slug, name=target.rsplit("/", 1)[-1])
        return target

    return markdown.render(module.page_texts[number - 1], resolve, drop_title=True, nation=nation)
