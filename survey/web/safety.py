"""Small guards for values that come back from the browser."""
from urllib.parse import urlsplit


def safe_next_url(target: str | None) -> str | None:
    """A ``next`` redirect target only if it stays on this site (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
