"""A campaign's "local routes" page: Markdown its educators write about services where its GPs
work, shown as an extra page of a module right after the page the module names in
``local_routes_after`` (the national routes page of the referral module).

Pure: imports neither Flask nor the database.
"""
import hashlib

from survey.learning.content import Module, PageEntry

LOCAL_ROUTES_FILE = "local-routes.md"
LOCAL_ROUTES_TITLE = "Local routes where you work"
MAX_LENGTH = 20_000


def for_campaign(module: Module, local_routes: str | None) -> Module:
    """The module as a campaign's GPs study it: with the campaign's local routes page inserted after
    ``local_routes_after``, as its own content version (so progress records which text was shown).
    Unchanged when the campaign wrote nothing or the module has no place for local routes."""
    text = (local_routes or "").strip()
    after = module.data.local_routes_after
    if not text or after is None or module.page_number_of(after) is None:
        return module
    position = module.page_number_of(after)  # 1-based number of `after` = 0-based index of the new page
    pages = list(module.data.pages)
    pages.insert(position, PageEntry(file=LOCAL_ROUTES_FILE, title=LOCAL_ROUTES_TITLE))
    texts = list(module.page_texts)
    texts.insert(position, text)
    digest = hashlib.sha256(text.encode()).hexdigest()[:6]
    return Module(module.slug, module.folder, module.data.model_copy(update={"pages": pages}), texts,
                  f"{module.version}-L{digest}")
