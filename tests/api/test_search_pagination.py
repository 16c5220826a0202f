"""Full-text search (/api/v1/search and /api/v1/tickets?q=) over titles,
descriptions and public replies, with prefixes, umlauts and refused queries;
and cursor pagination: walking every page with limit=7 gives the full set
without duplicates or gaps, in the default order and in updated_since order."""
import urllib.parse

from harness import assert_error

TICKETS = "/api/v1/tickets"
PAGE_CLIENT = "PAGER"
N_PAGED = 52


def numbers(items):
    return [t["number"] for t in items]


def search(w, q, who="admin", extra=""):
    """The numbers both search routes find for q; asserts they agree."""
    qs = urllib.parse.quote(q, safe="*")
    a = w.req("GET", "/api/v1/search?limit=500&q=" + qs + extra, who=who)
    b = w.req("GET", TICKETS + "?limit=500&q=" + qs + extra, who=who)
    assert a.status == 200 and b.status == 200, "q=%r: %r / %r" % (q, a, b)
    assert numbers(a.json["items"]) == numbers(b.json["items"]), "routes disagree for q=%r" % q
    return set(numbers(a.json["items"]))


def expect(w, q, want, who="admin", extra="", why=""):
    got = search(w, q, who, extra)
    assert got == want, "q=%r%s as %s found %s, expected %s%s" % (q, extra, who, sorted(got), sorted(want),
                                                               "; " + why if why else "")


def corpus(w):
    if "corpus" in w.cache:
        return w.cache["corpus"]
    t = {}
    t["title"] = w.create_ticket(title="Druckerwarteschlange blockiert", description="nichts geht")
    t["desc"] = w.create_ticket(title="Allgemeine Anfrage", description="Der Tonerbehälter im Zwischengeschoss ist leer")
    t["reply"] = w.create_ticket(title="Langsame Verbindung", description="seit Montag")
    r = w.req("POST", TICKETS + "/%s/replies" % t["reply"]["number"], {"body": "Fernwartung erfolgreich abgeschlossen"})
    assert r.status == 201
    t["note"] = w.create_ticket(title="Nur mit Notiz", description="unauffällig")
    r = w.req("POST", TICKETS + "/%s/notes" % t["note"]["number"], {"body": "Geheimvermerk intern"})
    assert r.status == 201
    t["umlaut"] = w.create_ticket(title="Störung im Rechenzentrum Süd", description="Kühlung ausgefallen")
    t["beta"] = w.create_ticket(client="BETA", title="Druckerwarteschlange bei Beta", description="auch kaputt")
    t["email"] = w.create_ticket(title="Konto gesperrt", description="Benutzer max.mustermann@acme.example gesperrt")
    w.cache["corpus"] = {k: v["number"] for k, v in t.items()}
    return w.cache["corpus"]


def test_search_finds_title_words(w):
    c = corpus(w)
    expect(w, "Druckerwarteschlange", {c["title"], c["beta"]})
    expect(w, "druckerwarteschlange blockiert", {c["title"]})


def test_search_finds_description_words(w):
    c = corpus(w)
    expect(w, "Zwischengeschoss", {c["desc"]})
    expect(w, "Tonerbehälter", {c["desc"]})


def test_search_finds_public_reply_text(w):
    c = corpus(w)
    expect(w, "Fernwartung", {c["reply"]})
    expect(w, "abgeschlossen erfolgreich", {c["reply"]})


def test_search_does_not_find_internal_notes(w):
    corpus(w)
    expect(w, "Geheimvermerk", set())


def test_prefix_search_with_a_trailing_star(w):
    c = corpus(w)
    expect(w, "Druckerwarte*", {c["title"], c["beta"]})
    expect(w, "Fernwar*", {c["reply"]})
    expect(w, "Druckerwarte", set(), why="without * the word must match whole")


def test_umlauts_are_found_in_any_case_and_without_diacritics(w):
    c = corpus(w)
    for q in ("Störung", "störung", "STÖRUNG", "storung", "Stör*", "kühlung", "süd"):
        expect(w, q, {c["umlaut"]})


def test_search_words_with_punctuation_find_their_parts(w):
    c = corpus(w)
    expect(w, "max.mustermann@acme.example", {c["email"]})
    expect(w, "mustermann", {c["email"]})
    expect(w, "(Fernwartung)", {c["reply"]})
    expect(w, '"Fernwartung"', {c["reply"]})


def test_search_combines_with_filters_and_tenants(w):
    c = corpus(w)
    expect(w, "Druckerwarteschlange", {c["title"]}, extra="&client=ACME")
    expect(w, "Druckerwarteschlange", {c["beta"]}, who="agent_b")
    expect(w, "Druckerwarteschlange", {c["title"]}, who="agent_a")
    expect(w, "Druckerwarteschlange", set(), extra="&state=closed")


def test_search_follows_title_changes_and_keeps_replies(w):
    c = corpus(w)
    n = c["reply"]
    t = w.get_ticket(n)
    r = w.req("PATCH", TICKETS + "/" + n, {"title": "Glasfaserstrecke gestört"},
              headers={"If-Match": '"%d"' % t["version"]})
    assert r.status == 200, r
    expect(w, "Glasfaserstrecke", {n})
    expect(w, "Langsame", set(), why="the old title must leave the index")
    expect(w, "Fernwartung", {n}, why="replies must stay indexed after a title change")


def test_fts_syntax_in_queries_is_harmless(w):
    corpus(w)
    for q in ('Drucker" OR "x', "NEAR(a b)", "a AND", "OR", "NOT x", "title:x", "x^", "{a b}", "a + b", "*a",
              "a**", "'", "\\", "-x", "x-", "a.b", "ü*", "😀 Drucker"):
        for path in ("/api/v1/search?q=", TICKETS + "?q="):
            r = w.req("GET", path + urllib.parse.quote(q))
            assert r.status in (200, 400), "q=%r: %r" % (q, r)
            if r.status == 400:
                assert_error(r, 400, "invalid_parameter", "q")


def test_queries_without_a_searchable_word_are_400(w):
    failures = []
    for q in ("!!!", "...", "-", "_", "@", "*", "?*", "'\"", "(-)", "  ", ".-_@", "!!! ...", "** --"):
        for path in ("/api/v1/search?q=", TICKETS + "?q="):
            r = w.req("GET", path + urllib.parse.quote(q))
            try:
                assert_error(r, 400, "invalid_parameter", "q")
            except AssertionError as ex:
                failures.append("%s%r: %s" % (path, q, ex))
    assert not failures, "\n".join(failures)


def test_search_needs_q_and_limits_its_length(w):
    assert_error(w.req("GET", "/api/v1/search"), 400, "invalid_parameter", "q")
    assert_error(w.req("GET", "/api/v1/search?q="), 400, "invalid_parameter", "q")
    assert_error(w.req("GET", "/api/v1/search?q=" + "a" * 201), 400, "invalid_parameter", "q")
    assert w.req("GET", "/api/v1/search?q=" + "a" * 200).status == 200
    many = "+".join("w%d" % i for i in range(40))
    assert w.req("GET", "/api/v1/search?q=" + many).status == 200


# ---- pagination ----

def paged(w):
    if "paged" in w.cache:
        return w.cache["paged"]
    r = w.req("POST", "/api/v1/clients", {"code": PAGE_CLIENT, "name": "Pager GmbH"})
    assert r.status == 201, r
    made = [w.create_ticket(client=PAGE_CLIENT, title="page item %02d" % i,
                            type=("incident", "problem", "service_request")[i % 3])["number"]
            for i in range(N_PAGED)]
    # touch some older tickets so that update order differs from creation order
    for n in made[:N_PAGED:5]:
        t = w.get_ticket(n)
        r = w.req("PATCH", TICKETS + "/" + n, {"urgency": 1}, headers={"If-Match": '"%d"' % t["version"]})
        assert r.status == 200, r
    w.cache["paged"] = made
    return made


def walk(w, query, limit=7):
    seen, cursor, sizes = [], None, []
    while True:
        q = "%s&limit=%d" % (query, limit) + ("&cursor=" + cursor if cursor else "")
        r = w.req("GET", TICKETS + "?" + q)
        assert r.status == 200, "%s: %r" % (q, r)
        assert len(r.json["items"]) <= limit
        seen += r.json["items"]
        sizes.append(len(r.json["items"]))
        cursor = r.json["next"]
        if cursor is None:
            return seen, sizes
        assert len(sizes) <= N_PAGED, "pagination does not end"


def check_walk(full, walked, sizes, limit=7):
    nums = numbers(walked)
    assert len(nums) == len(set(nums)), "duplicates: %s" % sorted(n for n in set(nums) if nums.count(n) > 1)
    missing = set(numbers(full)) - set(nums)
    extra = set(nums) - set(numbers(full))
    assert not missing and not extra, "gaps: %s; extra: %s" % (sorted(missing), sorted(extra))
    assert nums == numbers(full), "pages are not in the order of the full list"
    assert all(s == limit for s in sizes[:-1]) and 1 <= sizes[-1] <= limit, sizes


def test_paging_in_default_order_has_no_duplicates_or_gaps(w):
    made = paged(w)
    full = w.req("GET", TICKETS + "?client=%s&limit=500" % PAGE_CLIENT).json
    assert full["next"] is None and set(numbers(full["items"])) == set(made)
    walked, sizes = walk(w, "client=" + PAGE_CLIENT)
    check_walk(full["items"], walked, sizes)
    assert len(sizes) == (N_PAGED + 6) // 7
    created = [t["created_at"] for t in full["items"]]
    assert created == sorted(created, reverse=True), "default order is newest first"


def test_paging_in_updated_since_order_has_no_duplicates_or_gaps(w):
    made = paged(w)
    since = "updated_since=2000-01-01T00:00:00Z&client=" + PAGE_CLIENT
    full = w.req("GET", TICKETS + "?%s&limit=500" % since).json
    assert full["next"] is None and set(numbers(full["items"])) == set(made)
    upd = [t["updated_at"] for t in full["items"]]
    assert upd == sorted(upd), "updated_since order is by update time, oldest first"
    walked, sizes = walk(w, since)
    check_walk(full["items"], walked, sizes)


def test_paging_with_a_filter_has_no_duplicates_or_gaps(w):
    paged(w)
    q = "client=%s&type=problem" % PAGE_CLIENT
    full = w.req("GET", TICKETS + "?%s&limit=500" % q).json["items"]
    assert len(full) == len(range(1, N_PAGED, 3)), len(full)
    walked, sizes = walk(w, q, limit=4)
    check_walk(full, walked, sizes, limit=4)
    walked, sizes = walk(w, "q=page&client=" + PAGE_CLIENT, limit=7)
    full = w.req("GET", TICKETS + "?q=page&client=%s&limit=500" % PAGE_CLIENT).json["items"]
    assert len(full) == N_PAGED
    check_walk(full, walked, sizes)


def test_updated_since_excludes_older_updates(w):
    made = paged(w)
    t = w.get_ticket(made[-1])
    later = w.req("GET", TICKETS + "?client=%s&limit=500&updated_since=2999-01-01T00:00:00Z" % PAGE_CLIENT).json
    assert later == {"items": [], "next": None}, later
    upd = t["updated_at"]
    since = w.req("GET", TICKETS + "?client=%s&limit=500&updated_since=%s" % (PAGE_CLIENT, upd)).json["items"]
    assert all(x["updated_at"] >= upd for x in since) and made[-1] in numbers(since)


def test_limit_one_walks_every_item(w):
    made = paged(w)
    walked, sizes = walk(w, "client=" + PAGE_CLIENT, limit=1)
    assert len(walked) == len(made) == len(set(numbers(walked))) and set(numbers(walked)) == set(made)


def test_last_page_has_a_null_next_and_exact_pages_end_cleanly(w):
    paged(w)
    full = w.req("GET", TICKETS + "?client=%s&limit=%d" % (PAGE_CLIENT, N_PAGED)).json
    assert len(full["items"]) == N_PAGED and full["next"] is None, "a page holding the rest has next null"
    r = w.req("GET", TICKETS + "?client=%s&limit=%d" % (PAGE_CLIENT, N_PAGED // 2)).json
    r2 = w.req("GET", TICKETS + "?client=%s&limit=%d&cursor=%s" % (PAGE_CLIENT, N_PAGED // 2, r["next"])).json
    assert len(r2["items"]) == N_PAGED // 2 and r2["next"] is None, r2["next"]
