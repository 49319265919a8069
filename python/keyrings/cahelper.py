"""A read-only keyring backend that asks ca-helper for CodeArtifact tokens.

pip (``keyring-provider = subprocess``) and uv (``keyring-provider =
"subprocess"``) run ``keyring get URL USERNAME`` for an index that wants a
password. With this backend installed next to keyring, that lookup asks
``ca-helper credential get`` (git's credential protocol) for the URL's host.
ca-helper answers only for CodeArtifact hosts
(DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com) of allowed domain owners,
or a host a ca-helper config target pins; for any other URL this backend
returns None, so keyring asks its other backends as before.

Only https URLs are answered, with the user ``aws`` (or no user given). The
backend stores nothing: set_password and delete_password raise. ca-helper is
found through CA_HELPER_PATH, else PATH; without it the backend is not viable.
The token is never logged or printed, only returned to the caller.
"""

import os
import shutil
import subprocess
import urllib.parse

from keyring import backend, credentials, errors
from keyring.compat import properties

USER = "aws"  # CodeArtifact's PyPI endpoints take the token as aws's password
TIMEOUT = 60  # seconds: a token fetch is one AWS call, and ca-helper has its own timeouts


def find_ca_helper():
    """The ca-helper program: CA_HELPER_PATH when set, else the one on PATH."""
    path = os.environ.get("CA_HELPER_PATH", "")
    if path:
        return path if os.path.isfile(path) and os.access(path, os.X_OK) else None
    return shutil.which("ca-helper")


def git_request(service):
    """The git credential request for an https URL, or None for any other
    service (another scheme, a bare host name, credentials in the URL)."""
    try:
        url = urllib.parse.urlsplit(service)
        url.port  # raises ValueError for a port that is not a number
    except ValueError:
        return None
    if url.scheme != "https" or not url.hostname or url.password is not None:
        return None
    host = url.netloc.rpartition("@")[2]
    fields = {"protocol": "https", "host": host, "path": url.path.lstrip("/")}
    if any("\n" in v or "\r" in v or "\0" in v for v in fields.values()):
        return None
    return "".join(f"{k}={v}\n" for k, v in fields.items() if v) + "\n"


def parse_answer(out):
    """The password of a git credential answer, or None."""
    for line in out.splitlines():
        key, sep, value = line.partition("=")
        if sep and key == "password" and value:
            return value
    return None


class CAHelperKeyring(backend.KeyringBackend):
    """Passwords for CodeArtifact repositories, from `ca-helper credential get`."""

    @properties.classproperty
    def priority(cls):
        if not find_ca_helper():
            raise RuntimeError("ca-helper not found (set CA_HELPER_PATH or put it on PATH)")
        return 9  # above the system keyrings (5), below the chainer (10) that asks them all

    def get_password(self, service, username):
        if username not in (None, "", USER):
            return None  # CodeArtifact knows no other user: not ours to answer
        program = find_ca_helper()
        request = git_request(service)
        if program is None or request is None:
            return None
        try:
            done = subprocess.run(
                [program, "credential", "get"],
                input=request,
                stdout=subprocess.PIPE,
                stderr=None,  # ca-helper's errors and hints reach the user; they never hold the token
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if done.returncode != 0:
            return None
        return parse_answer(done.stdout)

    def get_credential(self, service, username):
        password = self.get_password(service, username)
        if password is None:
            return None
        return credentials.SimpleCredential(USER, password)

    def set_password(self, service, username, password):
        raise errors.PasswordSetError("ca-helper's keyring backend is read-only: ca-helper fetches tokens itself")

    def delete_password(self, service, username):
        raise errors.PasswordDeleteError("ca-helper's keyring backend is read-only: see `ca-helper credential erase`")
