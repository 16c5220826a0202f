"""Optimistic concurrency: the ETag carries the version, PATCH needs If-Match
(428 without), a stale version is 412 version_mismatch and changes nothing,
and of two concurrent PATCH requests with the same If-Match exactly one wins."""
import threading

from harness import assert_error

TICKETS = "/api/v1/tickets"


def etag_version(r):
    tag = r.headers.get("etag")
    assert tag and tag.startswith('"') and tag.endswith('"'), "ETag %r" % tag
    return int(tag[1:-1])


def test_etag_on_get_equals_the_version(w):
    t = w.create_ticket(title="etag")
    r = w.req("GET", TICKETS + "/" + t["number"])
    assert etag_version(r) == r.json["version"] == t["version"]
    p = w.req("PATCH", TICKETS + "/" + t["number"], {"title": "etag 2"}, headers={"If-Match": r.headers["etag"]})
    assert p.status == 200 and p.json["version"] == t["version"] + 1 and etag_version(p) == p.json["version"], p
    r = w.req("GET", TICKETS + "/" + t["number"])
    assert etag_version(r) == r.json["version"] == t["version"] + 1
    tr = w.req("POST", TICKETS + "/%s/transition" % t["number"], {"state": "in_progress"})
    assert etag_version(tr) == tr.json["version"] == t["version"] + 2


def test_patch_without_if_match_is_428_and_changes_nothing(w):
    t = w.create_ticket(title="no if-match")
    r = w.req("PATCH", TICKETS + "/" + t["number"], {"title": "changed"})
    e = assert_error(r, 428, "precondition_required", "If-Match")
    assert e.get("hint"), e
    assert w.get_ticket(t["number"]) == t


def test_stale_if_match_is_412_version_mismatch_and_changes_nothing(w):
    t = w.create_ticket(title="stale")
    n = t["number"]
    ok = w.req("PATCH", TICKETS + "/" + n, {"title": "first"}, headers={"If-Match": '"1"'})
    assert ok.status == 200, ok
    now = w.get_ticket(n)
    for hdrs, body in (({"If-Match": '"1"'}, {"title": "second"}), ({"If-Match": 'W/"1"'}, {"title": "second"}),
                       ({"If-Match": "1"}, {"title": "second"}), ({"If-Match": '"99"'}, {"title": "second"}),
                       (None, {"title": "second", "version": 1})):
        r = w.req("PATCH", TICKETS + "/" + n, body, headers=hdrs)
        e = assert_error(r, 412, "version_mismatch")
        assert e.get("hint") and str(now["version"]) in e["hint"], "hint should name the current version: %r" % e
    stale_tr = w.req("POST", TICKETS + "/%s/transition" % n, {"state": "in_progress"}, headers={"If-Match": '"1"'})
    assert_error(stale_tr, 412, "version_mismatch")
    stale_tr = w.req("POST", TICKETS + "/%s/transition" % n, {"state": "in_progress", "version": 1})
    assert_error(stale_tr, 412, "version_mismatch")
    assert w.get_ticket(n) == now


def test_if_match_forms_and_body_version_are_accepted(w):
    t = w.create_ticket(title="forms")
    n = t["number"]
    for i, hdrs, body in ((1, {"If-Match": 'W/"1"'}, {"title": "a"}), (2, {"If-Match": "2"}, {"title": "b"}),
                          (3, None, {"title": "c", "version": 3}),
                          (4, {"If-Match": '"4"'}, {"title": "d", "version": 4})):
        r = w.req("PATCH", TICKETS + "/" + n, body, headers=hdrs)
        assert r.status == 200 and r.json["version"] == i + 1, (i, r)


def race(w, number, version, bodies):
    barrier = threading.Barrier(len(bodies))
    results = [None] * len(bodies)

    def run(i):
        barrier.wait()
        results[i] = w.req("PATCH", TICKETS + "/" + number, bodies[i], headers={"If-Match": '"%d"' % version})
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert all(r is not None for r in results), "a racing request did not finish"
    return results


def test_two_concurrent_patches_with_the_same_if_match_exactly_one_wins(w):
    t = w.create_ticket(title="race")
    n = t["number"]
    version = t["version"]
    for rnd in range(15):
        bodies = [{"title": "left %d" % rnd, "tags": ["left"]}, {"title": "right %d" % rnd, "urgency": 1}]
        res = race(w, n, version, bodies)
        statuses = sorted(r.status for r in res)
        assert statuses == [200, 412], "round %d: %r" % (rnd, res)
        win = next(i for i, r in enumerate(res) if r.status == 200)
        lose = res[1 - win]
        assert_error(lose, 412, "version_mismatch")
        now = w.get_ticket(n)
        assert now["version"] == version + 1, "round %d: version %d after one win" % (rnd, now["version"])
        assert now["title"] == bodies[win]["title"] == res[win].json["title"]
        if win == 0:
            assert now["tags"] == ["left"] and now["urgency"] == t["urgency"], now
        else:
            assert now["urgency"] == 1 and now["tags"] == t["tags"], now
        # put the other field back so that each round starts alike
        fix = w.req("PATCH", TICKETS + "/" + n, {"tags": [], "urgency": 3}, headers={"If-Match": '"%d"' % now["version"]})
        assert fix.status == 200, fix
        version = fix.json["version"]
        t = fix.json
    titles = [e for e in w.req("GET", TICKETS + "/%s/history" % n).json["items"] if e["field"] == "title"]
    assert len(titles) == 15, "one title change per round, got %d" % len(titles)


def test_many_concurrent_patches_with_the_same_if_match_exactly_one_wins(w):
    t = w.create_ticket(title="crowd")
    res = race(w, t["number"], t["version"], [{"title": "crowd %d" % i} for i in range(8)])
    statuses = sorted(r.status for r in res)
    assert statuses == [200] + [412] * 7, statuses
    assert w.get_ticket(t["number"])["version"] == t["version"] + 1


def test_concurrent_replies_all_land_and_bump_the_version_once_each(w):
    t = w.create_ticket(title="replies race")
    n = t["number"]
    barrier = threading.Barrier(6)
    out = []

    def run(i):
        barrier.wait()
        out.append(w.req("POST", TICKETS + "/%s/replies" % n, {"body": "reply %d" % i}))
    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert sorted(r.status for r in out) == [201] * 6, out
    assert len(w.req("GET", TICKETS + "/%s/messages" % n).json["items"]) == 6
    assert w.get_ticket(n)["version"] == t["version"] + 6
