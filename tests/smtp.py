"""A real SMTP server on 127.0.0.1 for tests that follow a link from an email (aiosmtpd in a thread).

Use the `smtp_server` fixture: Charter's default mailer then sends over SMTP to it, and `server.wait_for(
to=address)` returns the first message to that address (waiting for the background task that sends it).
"""

import email
import email.policy
import re
import socket
import threading
import time
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class _Inbox:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self._changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls this hook by name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, inbox: _Inbox, port: int):
        self.inbox, self.port = inbox, port

    def wait_for(self, *, to: str, subject: str = "", timeout: float = 10.0) -> EmailMessage:
        deadline = time.monotonic() + timeout
        with self.inbox._changed:
            while True:
                for message in self.inbox.messages:
                    if to.lower() in str(message["To"]).lower() and subject in str(message["Subject"]):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    sent = [(str(m["To"]), str(m["Subject"])) for m in self.inbox.messages]
                    raise AssertionError(f"no email to {to} ({subject!r}) within {timeout} s; got {sent}")
                self.inbox._changed.wait(left)

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""

    def link_in(self, message: EmailMessage, path_pattern: str) -> str:
        """The first http(s) link of the message whose path matches `path_pattern`."""
        for url in re.findall(r"https?://[^\s\"'<>]+", self.text_of(message)):
            if re.search(path_pattern, url):
                return url
        raise AssertionError(f"no link matching {path_pattern!r} in:\n{self.text_of(message)}")


@pytest.fixture
def smtp_server(settings):
    inbox = _Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks that it answers, so not port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        }
    }
    try:
        yield SMTPServer(inbox, port)
    finally:
        controller.stop()
