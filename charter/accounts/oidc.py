"""The OpenID Connect relying party: discovery, the authorization request (code flow with PKCE S256, a
state and a nonce), the code exchange and the ID token's checks (ADR 25).

Every request to the provider goes through `charter.core.outbound` (a strict URL, the checked address,
bounded answers); the ID token's signature is checked with joserfc against the provider's JWKS. Each
refusal is an `SSOError` whose message is fit to show on the sign-in page.
"""

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from charter.core import outbound

SCOPES = "openid email profile"
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
LEEWAY_SECONDS = 60  # clocks of Charter and the provider may differ this much
DISCOVERY_SECONDS = 300  # a discovery document and its keys are kept this long per process


class SSOError(Exception):
    """The sign-in was refused; the message says why, in words for the person signing in."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Provider:
    """One provider as Charter uses it: the installation's (`organization_id` None) or an organization's."""

    name: str
    issuer: str
    client_id: str
    client_secret: str
    allow_private: bool = False
    organization_id: int | None = None


_documents: dict[tuple[str, bool], tuple[float, dict]] = {}
_keys: dict[tuple[str, bool], tuple[float, KeySet]] = {}


def _get_json(url: str, *, allow_private: bool, what: str) -> dict:
    try:
        headers = {"Accept": "application/json"}
        answer = outbound.request("GET", url, allow_private=allow_private, headers=headers)
    except outbound.OutboundError as exc:
        raise SSOError(f"Charter could not reach the sign-in provider's {what}: {exc}") from None
    if not answer.ok:
        raise SSOError(f"The sign-in provider's {what} answered {answer.describe()}.")
    try:
        data = json.loads(answer.body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise SSOError(f"The sign-in provider's {what} is not a JSON object.")
    return data


def discovery(provider: Provider, *, fresh: bool = False) -> dict:
    """The provider's discovery document (`<issuer>/.well-known/openid-configuration`), checked."""
    key = (provider.issuer, provider.allow_private)
    kept = _documents.get(key)
    if kept and not fresh and time.monotonic() - kept[0] < DISCOVERY_SECONDS:
        return kept[1]
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    doc = _get_json(url, allow_private=provider.allow_private, what="discovery document")
    if str(doc.get("issuer", "")).rstrip("/") != provider.issuer.rstrip("/"):
        raise SSOError(
            f"The discovery document names the issuer {str(doc.get('issuer'))[:200]!r}, not "
            f"{provider.issuer!r}: check the issuer URL in the single sign-on settings."
        )
    missing = [k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not doc.get(k)]
    if missing:
        raise SSOError(f"The discovery document lacks {', '.join(missing)}.")
    methods = doc.get("code_challenge_methods_supported")
    if isinstance(methods, list) and "S256" not in methods:
        raise SSOError("The sign-in provider does not support PKCE with S256, which Charter requires.")
    _documents[key] = (time.monotonic(), doc)
    return doc


def _key_set(provider: Provider, doc: dict, *, fresh: bool = False) -> KeySet:
    key = (doc["jwks_uri"], provider.allow_private)
    kept = _keys.get(key)
    if kept and not fresh and time.monotonic() - kept[0] < DISCOVERY_SECONDS:
        return kept[1]
    data = _get_json(doc["jwks_uri"], allow_private=provider.allow_private, what="signing keys (JWKS)")
    try:
        keys = KeySet.import_key_set(data)
    except (JoseError, ValueError, TypeError, KeyError):
        raise SSOError("The sign-in provider's signing keys (JWKS) cannot be read.") from None
    _keys[key] = (time.monotonic(), keys)
    return keys


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def begin(provider: Provider, *, redirect_uri: str, login_hint: str = "") -> tuple[str, dict]:
    """The URL to send the browser to, and what the session keeps until the provider answers."""
    doc = discovery(provider)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPES,
        "state": state,
        "nonce": nonce,
        "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    if login_hint:
        params["login_hint"] = login_hint
    endpoint = doc["authorization_endpoint"]
    url = endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)
    return url, {"state": state, "nonce": nonce, "verifier": verifier}


def finish(provider: Provider, *, code: str, redirect_uri: str, verifier: str, nonce: str) -> dict:
    """Exchange the code for tokens and return the ID token's claims, every check passed."""
    doc = discovery(provider)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    form["code_verifier"] = verifier
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    methods = doc.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if "client_secret_basic" in methods or "client_secret_post" not in methods:
        pair = f"{quote(provider.client_id, safe='')}:{quote(provider.client_secret, safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    else:
        form.update(client_id=provider.client_id, client_secret=provider.client_secret)
    try:
        answer = outbound.request(
            "POST", doc["token_endpoint"], allow_private=provider.allow_private,
            body=urlencode(form).encode(), headers=headers,
        )  # fmt: skip
    except outbound.OutboundError as exc:
        raise SSOError(f"Charter could not reach the sign-in provider's token endpoint: {exc}") from None
    try:
        tokens = json.loads(answer.body)
    except ValueError:
        tokens = {}
    tokens = tokens if isinstance(tokens, dict) else {}
    if not answer.ok:
        error = str(tokens.get("error", ""))[:60]
        error = "".join(c for c in error if c.isalnum() or c in "_-") or answer.describe()
        raise SSOError(f"The sign-in provider refused to exchange the sign-in code ({error}): start again.")
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise SSOError("The sign-in provider answered without an ID token (is the openid scope allowed?).")
    return verify_id_token(provider, doc, id_token, nonce=nonce)


def verify_id_token(provider: Provider, doc: dict, id_token: str, *, nonce: str) -> dict:
    """The ID token's claims after its signature, issuer, audience, times and nonce are checked."""
    try:
        try:
            token = jwt.decode(id_token, _key_set(provider, doc), algorithms=ALGORITHMS)
        except JoseError as exc:
            if exc.error != "invalid_key_id":
                raise
            token = jwt.decode(id_token, _key_set(provider, doc, fresh=True), algorithms=ALGORITHMS)
    except JoseError:
        raise SSOError("The ID token's signature is not valid for the provider's keys.") from None
    claims = token.claims
    if claims.get("iss") != doc["issuer"]:
        raise SSOError("The ID token comes from another issuer than the configured provider.")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if provider.client_id not in audiences:
        raise SSOError(
            "The ID token was issued for another application (its audience is not Charter's client ID): "
            "check the client ID in the single sign-on settings."
        )
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise SSOError("The ID token names several audiences and Charter is not its authorized party.")
    now = time.time()
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise SSOError("The ID token lacks its expiry or issue time.")
    if exp + LEEWAY_SECONDS < now:
        raise SSOError("The ID token has expired: sign in again (and check this server's clock).")
    if iat - LEEWAY_SECONDS > now:
        raise SSOError("The ID token was issued in the future: check this server's clock.")
    if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise SSOError(
            "The sign-in answer does not belong to the sign-in Charter started (nonce): start again."
        )
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise SSOError("The ID token does not name the person (no subject).")
    return dict(claims)


def verified_email(claims: dict) -> str:
    """The person's email when the provider vouches for it; SSOError otherwise.

    `email_verified` is the standard claim (Google, Okta, Keycloak); Microsoft Entra ID sends none and
    vouches with its optional `xms_edov` claim (the email's domain is verified by the tenant)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SSOError(
            "The sign-in provider did not share your email address (the email scope): Charter needs it to "
            "know who you are."
        )
    vouched = claims.get("email_verified", claims.get("xms_edov"))
    if vouched is not True and vouched != "true":
        raise SSOError(
            f"Your sign-in provider has not verified the email address {email[:254]}: verify it there, "
            "then sign in again."
        )
    return email.strip().lower()
