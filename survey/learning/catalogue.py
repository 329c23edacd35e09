"""The module catalogue: which modules to list under a condition filter. Pure."""
from collections.abc import Iterable

from survey.learning.content import Module


def tag_filters(modules: Iterable[Module], labels: dict[str, str]) -> list[tuple[str, str]]:
    """The (tag, label) pairs worth offering as filters: tags some listed module carries, in tags.yaml order."""
    used = {tag for module in modules for tag in module.tags}
    return [(tag, label) for tag, label in labels.items() if tag in used]


def with_tag(modules: Iterable[Module], tag: str | None) -> list[Module]:
    """The modules carrying ``tag``, in their given order; every module when no tag is chosen."""
    return [module for module in modules if not tag or tag in module.tags]
