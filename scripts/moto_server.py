#!/usr/bin/env python3
"""Starts moto_server (moto 5) as an S3 endpoint that CHECKS SigV4 signatures.

moto accepts any signature unless it is started with INITIAL_NO_AUTH_ACTION_COUNT=N: the first N
requests are served without authentication, every later one is verified. This script starts
moto_server on a free port of 127.0.0.1 with N equal to the number of setup calls it makes, uses
those calls to create an IAM user, an access key and a policy allowing s3:*, proves that a request
signed with a wrong secret is now refused (403), and prints ONE JSON line on stdout:

    {"endpoint": "http://127.0.0.1:PORT", "access_key_id": "...", "secret_access_key": "...",
     "region": "us-east-1", "pid": MOTO_PID, "script_pid": THIS_PID}

moto runs with one correction: it checks each signature against the request target exactly as it
arrived, as AWS does (unpatched moto re-encodes the path first, which breaks every key with `+` or
`=`, even for boto3; see LAUNCHER).

Then it stays alive until SIGTERM/SIGINT (forwarded to moto_server), until moto_server exits, or,
when standard input is a pipe (or --watch-stdin is given), until standard input is closed, so a
test that dies cannot leave moto behind. CI has no standard input: /dev/null is not watched.

Usage: scripts/moto_server.py [--port N] [--log FILE] [--watch-stdin | --no-watch-stdin]
Needs: pip install "moto[server]" boto3   (scripts/install-deps.sh test installs both)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import NoReturn

REGION = "us-east-1"
USER_NAME = "netchaos"
POLICY_NAME = "netchaos-s3-all"
# The setup calls made below without authentication: CreateUser, CreateAccessKey, PutUserPolicy.
SETUP_CALLS = 3
STARTUP_TIMEOUT = 60.0


def fail(message: str, code: int = 2) -> NoReturn:
    print(f"moto_server.py: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# moto checks a signature against the URL werkzeug rebuilds from the DECODED path and query, which
# re-quotes with its own safe set: a key sent as `a%2Bb%3Dc` (as AWS SDKs and we do) is checked as
# `a+b=c`, so every key with `+`, `=`, `!`, `$`, `&`, ... fails with SignatureDoesNotMatch, even from
# boto3. The launcher below makes moto check the signature against the request target exactly as it
# arrived (werkzeug's RAW_URI), which is what AWS S3 does; everything else is moto unchanged.
LAUNCHER = r"""
import sys
from urllib.parse import urlsplit, urlunsplit
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.responses import BaseResponse

_setup_class = BaseResponse.setup_class
_check = ActionAuthenticatorMixin._authenticate_and_authorize_action

def _setup_class_keeping_target(self, request, *args, **kwargs):
    environ = getattr(request, "environ", None) or {}
    self._raw_request_target = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    return _setup_class(self, request, *args, **kwargs)

def _check_raw_target(self, *args, **kwargs):
    rebuilt = getattr(self, "uri", None)
    raw = getattr(self, "_raw_request_target", None)
    if not rebuilt or not raw:
        return _check(self, *args, **kwargs)
    parts, target = urlsplit(rebuilt), urlsplit(raw)
    self.uri = urlunsplit((parts.scheme, parts.netloc, target.path, target.query, ""))
    try:
        return _check(self, *args, **kwargs)
    finally:
        self.uri = rebuilt

BaseResponse.setup_class = _setup_class_keeping_target
ActionAuthenticatorMixin._authenticate_and_authorize_action = _check_raw_target

from moto.server import main
main(sys.argv[1:])
"""


def moto_command(port: int) -> list[str]:
    """moto's server from this interpreter, with the signature check on the raw request target."""
    if importlib.util.find_spec("moto") is None or importlib.util.find_spec("moto.server") is None:
        fail('moto_server is not installed: run `pip install "moto[server]" boto3` (or scripts/install-deps.sh test)')
    return [sys.executable, "-c", LAUNCHER, "-H", "127.0.0.1", "-p", str(port)]


def die_with_parent() -> None:
    """In the child: ask Linux to SIGTERM moto_server when this script dies, even by SIGKILL."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except Exception:
        pass


def wait_until_serving(endpoint: str, process: subprocess.Popen, deadline: float) -> None:
    # /moto-api/ is moto's own dashboard API: it is not an AWS action, so it does not use up
    # one of the unauthenticated requests.
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"moto_server exited with status {process.returncode} before serving (see --log)")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.1)
    fail(f"moto_server did not answer on {endpoint} within {STARTUP_TIMEOUT:.0f}s")


def set_up_credentials(endpoint: str) -> tuple[str, str]:
    try:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError
    except ImportError:
        fail("boto3 is not installed: run `pip install boto3` (or scripts/install-deps.sh test)")

    config = Config(retries={"max_attempts": 1, "mode": "standard"})
    # Exactly SETUP_CALLS requests, unauthenticated: any credentials do.
    iam = boto3.client(
        "iam", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="bootstrap",
        aws_secret_access_key="bootstrap", config=config,
    )
    iam.create_user(UserName=USER_NAME)
    key = iam.create_access_key(UserName=USER_NAME)["AccessKey"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.put_user_policy(UserName=USER_NAME, PolicyName=POLICY_NAME, PolicyDocument=json.dumps(policy))
    access_key_id, secret = key["AccessKeyId"], key["SecretAccessKey"]

    def s3(secret_access_key: str):
        return boto3.client(
            "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key, config=config,
        )

    # Signature checking must now be on: a wrong secret is refused, the right one accepted.
    try:
        s3(secret + "x").list_buckets()
        fail("moto accepted a request signed with a wrong secret: signature checking is OFF")
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status != 403:
            fail(f"a wrong secret gave HTTP {status} instead of 403: {error}")
    s3(secret).list_buckets()
    return access_key_id, secret


def stdin_is_watchable() -> bool:
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--log", default=None, help="file for moto_server's own output (default: discarded)")
    watch = parser.add_mutually_exclusive_group()
    watch.add_argument("--watch-stdin", dest="watch_stdin", action="store_true", default=None,
                       help="exit when standard input is closed")
    watch.add_argument("--no-watch-stdin", dest="watch_stdin", action="store_false",
                       help="ignore standard input")
    args = parser.parse_args()

    port = args.port or free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env["INITIAL_NO_AUTH_ACTION_COUNT"] = str(SETUP_CALLS)
    env["MOTO_PORT"] = str(port)
    log = open(args.log, "ab") if args.log else subprocess.DEVNULL
    process = subprocess.Popen(
        moto_command(port), env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
        preexec_fn=die_with_parent,
    )

    stopping = threading.Event()

    def stop(*_: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def shut_down(status: int) -> NoReturn:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        sys.exit(status)

    try:
        wait_until_serving(endpoint, process, time.monotonic() + STARTUP_TIMEOUT)
        access_key_id, secret = set_up_credentials(endpoint)
    except SystemExit as exit_:
        shut_down(exit_.code if isinstance(exit_.code, int) else 2)
    except Exception as error:  # boto3 errors: report and stop moto
        print(f"moto_server.py: setting up credentials failed: {error}", file=sys.stderr, flush=True)
        shut_down(2)

    line = {
        "endpoint": endpoint,
        "access_key_id": access_key_id,
        "secret_access_key": secret,
        "region": REGION,
        "pid": process.pid,
        "script_pid": os.getpid(),
    }
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()

    watch_stdin = stdin_is_watchable() if args.watch_stdin is None else args.watch_stdin
    if watch_stdin:
        def read_until_eof() -> None:
            try:
                while os.read(sys.stdin.fileno(), 4096):
                    pass
            except OSError:
                pass
            stopping.set()

        threading.Thread(target=read_until_eof, daemon=True).start()

    while not stopping.is_set():
        if process.poll() is not None:
            print(f"moto_server.py: moto_server exited with status {process.returncode}", file=sys.stderr, flush=True)
            sys.exit(1)
        stopping.wait(0.2)
    shut_down(0)


if __name__ == "__main__":
    main()
