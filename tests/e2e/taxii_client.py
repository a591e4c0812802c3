#!/usr/bin/env python3
"""taxii_client.py BASE_URL TOKEN STATE.json [--other-token T] [--after]

A TAXII 2.1 client written from the specification (OASIS TAXII Version
2.1, sections 3 to 5), walking a server as a consumer would:

  GET /taxii2/ (discovery) -> the default API root -> its information
  -> collections -> for each collection, objects page by page (limit=2,
  following "next" while "more"), with added_after from STATE.json when
  it holds one; the manifest and each object's versions.

It checks what the specification says of each answer: the media type
application/taxii+json;version=2.1, the envelope's members, the
X-TAXII-Date-Added-First/Last headers against the page's objects, that
objects come in date_added order without repeats; and the errors: 401
without credentials (with WWW-Authenticate), 403 for a token without
access (--other-token), 404 for an unknown collection and object, 406 for
an Accept the server cannot answer, 405 for a write to a read-only
collection.

It prints a JSON report: per collection title, the ids and versions it
got this time, and writes the newest X-TAXII-Date-Added-Last it saw to
STATE.json, for the next poll's added_after. Exit status 1 on any
failed check.
"""
import base64
import json
import sys
import urllib.error
import urllib.request

TAXII = "application/taxii+json;version=2.1"
problems = []


def check(condition, what):
    if not condition:
        problems.append(what)


def request(url, token=None, accept=TAXII, method="GET", basic=False):
    headers = {}
    if accept is not None:
        headers["Accept"] = accept
    if token is not None:
        if basic:
            headers["Authorization"] = "Basic " + base64.b64encode(f"reader:{token}".encode()).decode()
        else:
            headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, headers=headers, method=method, data=b"{}" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get_json(url, token, basic=False):
    status, headers, body = request(url, token, basic=basic)
    check(status == 200, f"GET {url}: status {status}: {body[:200]!r}")
    check(headers.get("Content-Type") == TAXII, f"GET {url}: Content-Type {headers.get('Content-Type')}")
    return headers, json.loads(body) if status == 200 else {}


def main():
    args = sys.argv[1:]
    other_token = None
    if "--other-token" in args:
        at = args.index("--other-token")
        other_token = args[at + 1]
        del args[at:at + 2]
    base, token, state_path = args
    try:
        with open(state_path) as file:
            state = json.load(file)
    except FileNotFoundError:
        state = {}

    # Errors before anything else.
    status, headers, _ = request(base + "/taxii2/")
    check(status == 401, f"discovery without credentials: {status}")
    check("WWW-Authenticate" in headers, "401 without WWW-Authenticate")
    status, _, _ = request(base + "/taxii2/", "not-a-token")
    check(status == 401, f"discovery with an unknown token: {status}")
    if other_token:
        status, headers, body = request(base + "/taxii2/", other_token)
        check(status == 403, f"discovery with a voter's token: {status}")
        check(headers.get("Content-Type") == TAXII, "a 403 not in TAXII's media type")
        error = json.loads(body)
        check(error.get("http_status") == "403" and "title" in error, f"the 403's error message: {error}")
    status, _, _ = request(base + "/taxii2/", token, accept="application/json")
    check(status == 406, f"discovery with Accept: application/json: {status}")

    _, discovery = get_json(base + "/taxii2/", token, basic=True)  # Basic works as Bearer does
    for member in ("title", "default", "api_roots"):
        check(member in discovery, f"discovery lacks {member}")
    root = discovery.get("default", "")
    check(root in discovery.get("api_roots", []), "the default API root is not among api_roots")
    _, information = get_json(root, token)
    check(TAXII in information.get("versions", []), f"the API root's versions: {information.get('versions')}")
    _, listing = get_json(root + "collections/", token)
    report = {"collections": {}}
    newest = state.get("added_after")
    for collection in listing.get("collections", []):
        for member, value in (("can_read", True), ("can_write", False)):
            check(collection.get(member) == value, f"collection {collection.get('id')}: {member}")
        check("application/stix+json;version=2.1" in collection.get("media_types", []), "collection media_types")
        url = root + f"collections/{collection['id']}/"
        _, same = get_json(url, token)
        check(same == collection, "a collection differs from its entry in the list")
        status, _, _ = request(url + "objects/", token, method="POST")
        check(status == 405, f"a write to a read-only collection: {status}")

        objects, pages, after = [], 0, state.get("added_after")
        query = "objects/?limit=2" + (f"&added_after={after}" if after else "")
        while True:
            headers, envelope = get_json(url + query, token)
            pages += 1
            page = envelope.get("objects", [])
            check(len(page) <= 2, "a page longer than its limit")
            if page:
                dates = [o.get("modified", o.get("created")) for o in page]
                check(headers.get("X-TAXII-Date-Added-First") == dates[0], "X-TAXII-Date-Added-First")
                check(headers.get("X-TAXII-Date-Added-Last") == dates[-1], "X-TAXII-Date-Added-Last")
                if after:
                    check(all(d > after for d in dates), "an object not added after added_after")
                last = headers.get("X-TAXII-Date-Added-Last")
                newest = max(newest or last, last)
            objects.extend(page)
            if not envelope.get("more"):
                check("next" not in envelope, "next without more")
                break
            check(bool(envelope.get("next")), "more without next")
            query = f"objects/?limit=2&next={envelope['next']}" + (f"&added_after={after}" if after else "")
            check(pages < 10000, "pagination does not end")
        keys = [(o.get("modified", o.get("created")), o["id"]) for o in objects]
        check(keys == sorted(keys), "objects not in date_added order")
        check(len({o["id"] for o in objects}) == len(objects), "an object twice")
        _, manifest = get_json(url + "manifest/" + (f"?added_after={after}" if after else ""), token)
        check(sorted(r["id"] for r in manifest.get("objects", [])) == sorted(o["id"] for o in objects),
              "the manifest does not list the objects")
        for o in objects[:3]:
            _, versions = get_json(url + f"objects/{o['id']}/versions/", token)
            check(versions.get("versions") == [o.get("modified", o.get("created"))], f"the versions of {o['id']}")
            _, one = get_json(url + f"objects/{o['id']}/", token)
            check(one.get("objects") == [o], f"the object {o['id']} alone")
        status, _, _ = request(url + "objects/indicator--00000000-0000-4000-8000-000000000000/", token)
        check(status == 404, f"an unknown object: {status}")
        report["collections"][collection["title"]] = {
            "pages": pages,
            "objects": [{"id": o["id"], "type": o["type"], "name": o.get("name"), "revoked": o.get("revoked", False)}
                        for o in objects],
        }
    status, _, _ = request(root + "collections/00000000-0000-4000-8000-000000000000/", token)
    check(status == 404, f"an unknown collection: {status}")

    with open(state_path, "w") as file:
        json.dump({"added_after": newest}, file)
    report["problems"] = problems
    print(json.dumps(report, indent=1))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
