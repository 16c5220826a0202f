"""Durability: every ticket the server acknowledged with 201 survives kill -9
and a restart, with its data; numbering continues without reuse. A graceful
restart keeps everything as well."""
import http.client
import threading

from harness import Server, World

TICKETS = "/api/v1/tickets"
N = 200
WRITERS = 4


def create_many(w, n, prefix):
    acked = {}
    errors = []
    lock = threading.Lock()

    def writer(k):
        for i in range(k, n, WRITERS):
            body = {"client": "ACME" if i % 2 else "BETA", "type": ("incident", "service_request")[i % 2],
                    "title": "%s %03d" % (prefix, i), "description": "Beschreibung Nummer %d äöü" % i,
                    "impact": 1 + i % 3, "urgency": 1 + (i // 3) % 3, "tags": ["t%d" % (i % 5)]}
            try:
                r = w.req("POST", TICKETS, body)
            except OSError as e:
                with lock:
                    errors.append("%d: %s" % (i, e))
                continue
            with lock:
                if r.status == 201:
                    acked[r.json["number"]] = r.json
                else:
                    errors.append("%d: %r" % (i, r))
    threads = [threading.Thread(target=writer, args=(k,)) for k in range(WRITERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(300)
    assert not errors, "creating tickets failed: %s" % errors[:5]
    return acked


def test_acknowledged_tickets_survive_kill_9_and_restart():
    w = World()
    try:
        acked = create_many(w, N, "durable")
        assert len(acked) == N, len(acked)
        # a reply and a transition on some, acknowledged as well
        changed = {}
        for n in sorted(acked)[:20]:
            assert w.req("POST", TICKETS + "/%s/replies" % n, {"body": "Antwort zu " + n}).status == 201
            r = w.req("POST", TICKETS + "/%s/transition" % n, {"state": "in_progress"})
            assert r.status == 200, r
            changed[n] = r.json
        w.server.kill9()
        w.start()
        failures = []
        for n, t in acked.items():
            r = w.req("GET", TICKETS + "/" + n)
            if r.status != 200:
                failures.append("%s: %r" % (n, r))
                continue
            want = changed.get(n, t)
            if r.json != want:
                failures.append("%s differs after restart:\n%s\n%s" % (n, r.json, want))
        assert not failures, "\n".join(failures[:5]) + "\n(%d of %d)" % (len(failures), N)
        for n in changed:
            msgs = w.req("GET", TICKETS + "/%s/messages" % n).json["items"]
            assert [m["body"] for m in msgs] == ["Antwort zu " + n], msgs
        assert w.count_tickets() == N
        for typ, prefix in (("incident", "INC"), ("service_request", "REQ")):
            t = w.create_ticket(type=typ, title="after restart")
            assert t["number"] not in acked, "number %s reused after restart" % t["number"]
            highest = max(int(x[3:]) for x in acked if x.startswith(prefix))
            assert int(t["number"][3:]) == highest + 1, (t["number"], highest)
        assert w.req("GET", "/api/v1/search?q=durable").json["items"], "the search index survived"
    finally:
        problems = w.close()
    assert not problems, "; ".join(problems)


def test_acknowledged_tickets_survive_kill_9_during_writes():
    w = World()
    try:
        acked = {}
        stop = threading.Event()
        started = threading.Event()
        lock = threading.Lock()

        def writer(k):
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    r = w.req("POST", TICKETS, {"client": "ACME", "type": "incident", "title": "w%d-%d" % (k, i)})
                except (OSError, http.client.HTTPException):
                    return  # the server died under us: this one was not acknowledged
                if r.status == 201:
                    with lock:
                        acked[r.json["number"]] = r.json
                        if len(acked) >= 60:
                            started.set()
        threads = [threading.Thread(target=writer, args=(k,)) for k in range(WRITERS)]
        for th in threads:
            th.start()
        assert started.wait(120), "writers made no progress"
        w.server.kill9()
        stop.set()
        for th in threads:
            th.join(120)
        with lock:
            snapshot = dict(acked)
        w.start()
        lost = [n for n, t in snapshot.items() if w.req("GET", TICKETS + "/" + n).json != t]
        assert not lost, "acknowledged but lost or changed after kill -9: %s" % lost[:10]
        numbers = [t["number"] for t in w.list_all("limit=500")]
        assert len(numbers) == len(set(numbers)) and set(snapshot) <= set(numbers)
    finally:
        problems = w.close()
    assert not problems, "; ".join(problems)


def test_graceful_restart_keeps_everything():
    w = World()
    try:
        t = w.create_ticket(title="graceful")
        assert w.req("POST", TICKETS + "/%s/notes" % t["number"], {"body": "kept"}).status == 201
        t = w.get_ticket(t["number"])
        problems = w.server.stop()
        assert not problems, problems
        w.server = Server(w.db, w.dir, "restart")
        assert w.get_ticket(t["number"]) == t
        assert [m["body"] for m in w.req("GET", TICKETS + "/%s/messages" % t["number"]).json["items"]] == ["kept"]
    finally:
        problems = w.close()
    assert not problems, "; ".join(problems)
