"""A small but real OpenID Connect provider for the tests, served over HTTP on 127.0.0.1 in a thread.

It publishes a discovery document and its JWKS, shows an authorization page whose button approves the
sign-in (POST), and exchanges a code at its token endpoint only with the client's secret (HTTP Basic),
the same redirect URI and the PKCE verifier whose S256 hash the authorization request carried. ID tokens
are RS256 JWTs signed with joserfc. `faults` makes it misbehave the ways a relying party must refuse.
"""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

FAULTS = {"audience", "expired", "nonce", "state", "signature", "unverified", "issuer"}


class LocalProvider:
    def __init__(self, *, client_id: str = "charter-test", client_secret: str = "provider-secret"):
        self.client_id, self.client_secret = client_id, client_secret
        parameters = {"kid": "k1", "use": "sig", "alg": "RS256"}
        self.key = RSAKey.generate_key(2048, parameters=parameters, private=True)
        self.person = {"sub": "person-1", "email": "ada@acme.example", "email_verified": True, "name": "Ada"}
        self.faults: set[str] = set()
        self.codes: dict[str, dict] = {}
        self.authorize_requests: list[dict] = []
        self.token_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    # ---- what the browser does, for tests without one ---------------------------------------------

    def approve(self, authorize_url: str) -> str:
        """Open the authorization page, press its button over real HTTP; the Location sent back."""
        parts = urlsplit(authorize_url)
        conn = HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            conn.request("GET", f"{parts.path}?{parts.query}")
            page = conn.getresponse()
            assert page.status == 200, page.read()
            page.read()
            body = urlencode({k: v[0] for k, v in parse_qs(parts.query).items()})
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            conn.request("POST", "/authorize", body=body, headers=headers)
            answer = conn.getresponse()
            answer.read()
            assert answer.status == 302, answer.status
            return answer.getheader("Location")
        finally:
            conn.close()

    # ---- the provider's side ----------------------------------------------------------------------

    def _id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = {
            **grant["person"],
            "iss": self.issuer if "issuer" not in self.faults else self.issuer + "/other",
            "aud": self.client_id if "audience" not in self.faults else "another-application",
            "iat": now if "expired" not in self.faults else now - 7200,
            "exp": now + 300 if "expired" not in self.faults else now - 3600,
            "nonce": grant["nonce"] if "nonce" not in self.faults else "a-nonce-from-another-sign-in",
            "auth_time": now,
        }
        if "unverified" in self.faults:
            claims["email_verified"] = False
        key = self.key
        if "signature" in self.faults:  # the same key id, another key: the signature cannot verify
            key = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, KeySet([key]))

    def authorize_page(self, query: dict) -> tuple[int, str]:
        problems = []
        if query.get("response_type") != "code":
            problems.append("response_type must be code")
        if query.get("client_id") != self.client_id:
            problems.append("unknown client_id")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            problems.append("PKCE with S256 is required")
        if "openid" not in query.get("scope", "").split():
            problems.append("the openid scope is required")
        if not query.get("state") or not query.get("nonce") or not query.get("redirect_uri"):
            problems.append("state, nonce and redirect_uri are required")
        if problems:
            return 400, "; ".join(problems)
        self.authorize_requests.append(query)
        fields = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        who = html.escape(self.person["email"])
        return 200, (
            "<!doctype html><html><head><title>Test provider</title></head><body>"
            f"<h1>Test provider</h1><form method='post' action='/authorize'>{fields}"
            f"<button type='submit'>Continue as {who}</button></form></body></html>"
        )

    def authorize_approve(self, form: dict) -> str:
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "client_id": form["client_id"],
            "redirect_uri": form["redirect_uri"],
            "challenge": form["code_challenge"],
            "nonce": form["nonce"],
            "person": dict(self.person),
        }
        state = form["state"] if "state" not in self.faults else "a-state-from-another-sign-in"
        separator = "&" if "?" in form["redirect_uri"] else "?"
        return form["redirect_uri"] + separator + urlencode({"code": code, "state": state})

    def token(self, form: dict, authorization: str) -> tuple[int, dict]:
        self.token_requests.append(form)
        client_id = client_secret = None
        if authorization.startswith("Basic "):
            pair = base64.b64decode(authorization[6:]).decode()
            client_id, _, client_secret = (unquote(p) for p in pair.partition(":"))
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code is used once
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if grant["redirect_uri"] != form.get("redirect_uri") or grant["client_id"] != client_id:
            return 400, {"error": "invalid_grant"}
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        return 200, {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self._id_token(grant),
        }


def _handler(provider: LocalProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet: the tests' output stays readable
            pass

        def _send(self, status: int, body: str, content_type: str, headers: dict | None = None):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _json(self, status: int, data: dict):
            self._send(status, json.dumps(data), "application/json")

        def _form(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            return {k: v[0] for k, v in parse_qs(raw).items()}

        def do_GET(self):
            parts = urlsplit(self.path)
            if parts.path == "/.well-known/openid-configuration":
                self._json(200, provider.discovery())
            elif parts.path == "/jwks":
                self._json(200, KeySet([provider.key]).as_dict(private=False))
            elif parts.path == "/authorize":
                status, page = provider.authorize_page({k: v[0] for k, v in parse_qs(parts.query).items()})
                self._send(status, page, "text/html; charset=utf-8")
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self):
            path = urlsplit(self.path).path
            if path == "/authorize":
                location = provider.authorize_approve(self._form())
                self._send(302, "", "text/plain", {"Location": location})
            elif path == "/token":
                status, data = provider.token(self._form(), self.headers.get("Authorization", ""))
                self._json(status, data)
            else:
                self._json(404, {"error": "not_found"})

    return Handler
