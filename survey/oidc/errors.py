"""Why a sign-in through a provider did not happen, said to the person and recorded for the admin."""


class SignInFailed(Exception):
    """``reason`` is recorded in the audit log (with ``detail``); ``message`` is shown on the sign-in page."""

    def __init__(self, reason: str, message: str, detail: str | None = None):
        super().__init__(reason)
        self.reason, self.message, self.detail = reason, message, detail
