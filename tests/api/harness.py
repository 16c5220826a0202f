"""Test harness for the black-box API tests: runs the CLI, starts and stops the
real server on a free port with a fresh database, and speaks HTTP to it.

Nothing here knows the server's internals: it only uses the command line, the
first line the server prints (`listening on http://127.0.0.1:PORT`) and HTTP.
Every child process's stderr is scanned for sanitizer reports; a report fails
the test (CLI) or the test group (server)."""
import http.client
import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time

SANITIZER_PATTERNS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                      "ERROR: UndefinedBehaviorSanitizer")
START_DEADLINE_S = 30
STOP_DEADLINE_S = 60
HTTP_TIMEOUT_S = 60

BINARY = None  # set by run.py


def child_env():
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    env.pop("LEITSTAND_DB", None)
    return env


def sanitizer_report(text):
    """The first sanitizer line in text, or None."""
    for line in text.splitlines():
        if any(p in line for p in SANITIZER_PATTERNS):
            return line.strip()
    return None


# ---- command line ----

class CliResult:
    def __init__(self, args, rc, out, err):
        self.args, self.rc, self.out, self.err = args, rc, out, err

    def __repr__(self):
        return "leitstand %s -> exit %d\nstdout: %s\nstderr: %s" % (
            " ".join(self.args), self.rc, self.out[-400:], self.err[-800:])


def cli(*args, stdin=None, check=None, timeout=300):
    """Runs `leitstand ARGS`. check=N asserts the exit status. A sanitizer
    report on stderr always fails."""
    p = subprocess.run([BINARY] + list(args), input=stdin, capture_output=True, text=True,
                       env=child_env(), timeout=timeout)
    res = CliResult(list(args), p.returncode, p.stdout, p.stderr)
    rep = sanitizer_report(p.stderr)
    assert rep is None, "sanitizer report from leitstand %s: %s" % (" ".join(args), rep)
    if check is not None:
        assert p.returncode == check, "expected exit %d: %r" % (check, res)
    return res


# ---- HTTP ----

class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except (UnicodeDecodeError, ValueError):
            self.json = None

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return "HTTP %d %s" % (self.status, self.text[:600])


def http_request(port, method, path, body=None, token=None, headers=None, raw=None, chunked=False):
    """One request on a fresh connection. body: a JSON value (serialised);
    raw: bytes sent as they are. Returns a Response."""
    hdrs = {}
    data = None
    if raw is not None:
        data = raw
        hdrs["Content-Type"] = "application/json"
    elif body is not None:
        data = json.dumps(body).encode("utf-8")
        hdrs["Content-Type"] = "application/json"
    if token is not None:
        hdrs["Authorization"] = "Bearer " + token
    if headers:
        for k, v in headers.items():
            if v is None:
                hdrs.pop(k, None)
            else:
                hdrs[k] = v
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT_S)
    try:
        if chunked:
            hdrs["Transfer-Encoding"] = "chunked"
            step = 64 * 1024
            chunks = (data[i:i + step] for i in range(0, len(data), step))
            conn.request(method, path, body=chunks, headers=hdrs, encode_chunked=True)
        else:
            conn.request(method, path, body=data, headers=hdrs)
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


# ---- server ----

class Server:
    """`leitstand serve` on 127.0.0.1 and a free port."""

    def __init__(self, db, logdir, name="server", args=()):
        self.db = db
        self.errpath = os.path.join(logdir, "%s-%d.stderr" % (name, int(time.monotonic_ns())))
        self._err = open(self.errpath, "wb")
        self.proc = subprocess.Popen([BINARY, "serve", "--db", db, "--listen", "127.0.0.1:0"] + list(args),
                                     stdout=subprocess.PIPE, stderr=self._err, env=child_env())
        self.port = self._read_port()

    def _read_port(self):
        deadline = time.monotonic() + START_DEADLINE_S
        buf = b""
        fd = self.proc.stdout.fileno()
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill9()
                raise AssertionError("server printed no first line within %ds" % START_DEADLINE_S)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                self.proc.wait(timeout=STOP_DEADLINE_S)
                raise AssertionError("server exited with %s before listening: %s" %
                                     (self.proc.returncode, self.stderr()[-800:]))
            buf += chunk
        line = buf.split(b"\n", 1)[0].decode()
        m = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            self.kill9()
            raise AssertionError("unexpected first line from serve: %r" % line)
        return int(m.group(1))

    def stderr(self):
        self._err.flush()
        with open(self.errpath, "r", errors="replace") as f:
            return f.read()

    def request(self, *a, **kw):
        return http_request(self.port, *a, **kw)

    def stop(self):
        """SIGTERM, then wait; returns a list of problems (empty when clean)."""
        problems = []
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_DEADLINE_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                problems.append("server did not stop within %ds of SIGTERM" % STOP_DEADLINE_S)
        if self.proc.returncode != 0 and not problems:
            problems.append("server exited with status %s" % self.proc.returncode)
        rep = sanitizer_report(self.stderr())
        if rep:
            problems.append("sanitizer report in server stderr: %s" % rep)
        self._close()
        return problems

    def stop_checked(self):
        problems = self.stop()
        assert not problems, "; ".join(problems)

    def kill9(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self._close()

    def _close(self):
        if self.proc.stdout:
            self.proc.stdout.close()
        self._err.close()


# ---- a populated world ----

# who: (email, role, granted clients)
PEOPLE = {
    "admin": ("admin@example.com", "admin", []),
    "agent_a": ("agent.a@example.com", "agent", ["ACME"]),
    "agent_b": ("agent.b@example.com", "agent", ["BETA"]),
    "manager_b": ("manager.b@example.com", "manager", ["BETA"]),
    "viewer_a": ("viewer.a@example.com", "client_viewer", ["ACME"]),
    "viewer_b": ("viewer.b@example.com", "client_viewer", ["BETA"]),
}
PASSWORD_USER = ("login@example.com", "correct horse battery")


class World:
    """A temp dir with a database holding clients ACME and BETA, a team L1,
    one user per entry of PEOPLE with an API token, and (optionally) a running
    server. Call close() to stop the server: it returns the problems found."""

    def __init__(self, start=True, password_user=False):
        self.dir = tempfile.mkdtemp(prefix="leitstand-api-")
        self.db = os.path.join(self.dir, "test.db")
        self.tok = {}
        self.email = {}
        self.server = None
        self.cache = {}  # fixtures that tests of one group share (built on first use)
        cli("init", "--db", self.db, check=0)
        cli("client", "add", "--db", self.db, "--code", "ACME", "--name", "ACME GmbH", check=0)
        cli("client", "add", "--db", self.db, "--code", "BETA", "--name", "Beta AG", check=0)
        for who, (email, role, clients) in PEOPLE.items():
            args = ["user", "add", "--db", self.db, "--email", email, "--name", who, "--role", role]
            for c in clients:
                args += ["--client", c]
            cli(*args, check=0)
            self.tok[who] = cli("token", "create", "--db", self.db, "--email", email, check=0).out.strip()
            self.email[who] = email
        cli("team", "add", "--db", self.db, "--code", "L1", "--name", "Level 1", "--member",
            self.email["agent_a"], check=0)
        if password_user:
            cli("user", "add", "--db", self.db, "--email", PASSWORD_USER[0], "--name", "Login", "--role",
                "agent", "--client", "ACME", "--password-stdin", stdin=PASSWORD_USER[1] + "\n", check=0)
        if start:
            self.start()

    def start(self, *args):
        """Starts `leitstand serve` with extra command-line arguments."""
        self.server = Server(self.db, self.dir, args=args)
        return self.server

    @property
    def port(self):
        return self.server.port

    def req(self, method, path, body=None, who="admin", **kw):
        """A request as `who` (a PEOPLE key, or None for no token)."""
        token = kw.pop("token", self.tok[who] if who else None)
        return self.server.request(method, path, body=body, token=token, **kw)

    def create_ticket(self, who="admin", **fields):
        body = {"client": "ACME", "type": "incident", "title": "Printer on fire"}
        body.update(fields)
        r = self.req("POST", "/api/v1/tickets", body, who=who)
        assert r.status == 201, "creating a ticket: %r" % r
        return r.json

    def get_ticket(self, number, who="admin"):
        r = self.req("GET", "/api/v1/tickets/" + number, who=who)
        assert r.status == 200, "GET %s: %r" % (number, r)
        return r.json

    def list_all(self, query="", who="admin", path="/api/v1/tickets"):
        """Every item of a list, following cursors; asserts each page is 200."""
        items, cursor, pages = [], None, 0
        while True:
            q = query
            if cursor:
                q += ("&" if q else "") + "cursor=" + cursor
            r = self.req("GET", path + ("?" + q if q else ""), who=who)
            assert r.status == 200, "listing %s?%s: %r" % (path, q, r)
            items += r.json["items"]
            cursor = r.json["next"]
            pages += 1
            assert pages < 10000, "pagination does not end"
            if cursor is None:
                return items

    def count_tickets(self):
        return len(self.list_all("limit=500"))

    def close(self):
        problems = self.server.stop() if self.server else []
        self.server = None
        if not problems:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            problems.append("logs kept in %s" % self.dir)
        return problems


# ---- assertions ----

def assert_error(r, status, code, field=None, no_field=False):
    """r is an error response with the documented shape:
    {"error":{"code","message"[,"detail":{"field"}][,"hint"]}}."""
    assert r.status == status, "expected %d %s%s, got %r" % (
        status, code, " (field %s)" % field if field else "", r)
    assert r.headers.get("content-type", "").startswith("application/json"), \
        "error content type: %r" % r.headers.get("content-type")
    assert isinstance(r.json, dict) and list(r.json) == ["error"], "error body shape: %r" % r
    e = r.json["error"]
    assert set(e) <= {"code", "message", "detail", "hint"}, "unexpected keys in error: %r" % r
    assert e.get("code") == code, "expected code %s, got %r" % (code, r)
    assert isinstance(e.get("message"), str) and e["message"], "error without message: %r" % r
    if field is not None:
        assert isinstance(e.get("detail"), dict), "error without detail naming %s: %r" % (field, r)
        assert e["detail"].get("field") == field, "expected detail.field %s, got %r" % (field, r)
    if no_field:
        assert "detail" not in e, "unexpected detail: %r" % r
    return e


RFC3339_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def assert_rfc3339_utc(v, what="time"):
    assert isinstance(v, str) and RFC3339_UTC.fullmatch(v), "%s is not RFC 3339 UTC with Z: %r" % (what, v)
