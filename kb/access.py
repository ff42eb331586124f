"""Who is asking and what they may see: the signed-in identity and the maintainer role (KB_MAINTAINERS)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

# Identity-token claims that carry an address, most specific first: Microsoft Entra ID puts the
# sign-in name in preferred_username (and upn) when the account has no mail attribute.
ADDRESS_CLAIMS = ("email", "preferred_username", "upn")


def identity(claims: Mapping | None) -> str | None:
    """The signed-in user's address from their identity-token claims (lower case), else their
    subject id; None when nobody is signed in."""
    if not claims or not claims.get("is_logged_in"):
        return None
    for key in ADDRESS_CLAIMS:
        value = str(claims.get(key) or "").strip()
        if "@" in value:
            return value.lower()
    sub = str(claims.get("sub") or "").strip()
    return f"sub:{sub}" if sub else None


def display_name(claims: Mapping | None) -> str:
    """How to greet the user: their name claim, else their address."""
    claims = claims or {}
    return str(claims.get("name") or identity(claims) or "signed-in user")


def is_maintainer(who: str | None, patterns: Iterable[str]) -> bool:
    """Whether `who` matches KB_MAINTAINERS: an exact address, an @domain pattern, or '*' (everyone).
    Anonymous visitors (who is None) match only '*'."""
    patterns = [p.strip().lower() for p in patterns if p and p.strip()]
    if "*" in patterns:
        return True
    if not who or "@" not in who:
        return False
    who = who.lower()
    domain = who.rsplit("@", 1)[1]
    return any(who == p or (p.startswith("@") and domain == p[1:]) for p in patterns)
