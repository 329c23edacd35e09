"""Sending email: SMTP in production; console or file backends in development and tests."""
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app


def build_message(to: str, subject: str, body: str, message_id: str | None = None) -> EmailMessage:
    """The email; ``message_id`` (one per logical message, the same at every attempt) or a fresh one."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="survey.local")
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str, message_id: str | None = None) -> None:
    """Send one plain-text email through the configured MAIL_BACKEND (smtp, file or console)."""
    message = build_message(to, subject, body, message_id)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        config = current_app.config
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    elif backend == "file":
        folder = Path(current_app.config["MAIL_FILE_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_")
        (folder / f"{name}.eml").write_bytes(bytes(message))
    elif backend == "console":
        current_app.logger.warning("email to %s\n%s", to, message.as_string())
    else:
        raise ValueError(f"unknown MAIL_BACKEND {backend!r}")
