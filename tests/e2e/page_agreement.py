"""Checks that the community pages and the published feeds agree.

    page_agreement.py SITE FEEDS_DIR VOTES_DB COUNT SEED CROWDFEED EXPLAINED

For COUNT indicators drawn at random (seeded) from the votes database, the
JSON twin of each indicator's page must say what the feeds say: listed in
exactly the feeds whose plain list holds it, in the published state and
for the next run alike, and, when the whitelist keeps it out, with the rule
excluded-domains.csv gives. For EXPLAINED of them the policy's reason must
be the one `crowdfeed explain` prints. Prints what it compared; exits 1 on
the first disagreement.
"""
import csv
import http.client
import json
import random
import sqlite3
import subprocess
import sys
import urllib.parse
from pathlib import Path

site, feeds_dir, database, count, seed, crowdfeed, explained = sys.argv[1:8]
feeds_dir = Path(feeds_dir)
count, explained = int(count), int(explained)

members = {}
for path in feeds_dir.glob("*.txt"):
    if path.name.endswith((".added.txt", ".removed.txt", ".adblock.txt")):
        continue
    lines = path.read_text().splitlines()
    members[path.stem] = {line for line in lines if line and not line.startswith("#")}
excluded = {}
with open(feeds_dir / "excluded-domains.csv", newline="") as file:
    rows = [line for line in file if not line.startswith("#")]
for row in csv.DictReader(rows):
    excluded[row["indicator"]] = row["rule"]

indicators = [row[0] for row in sqlite3.connect(database).execute("SELECT DISTINCT indicator FROM votes ORDER BY indicator")]
sample = random.Random(int(seed)).sample(indicators, min(count, len(indicators)))
url = urllib.parse.urlsplit(site)
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
seen = {"listed": 0, "whitelisted": 0, "not listed": 0}


def fail(indicator, message):
    print(f"FAIL: {indicator}: {message}", file=sys.stderr)
    sys.exit(1)


for number, indicator in enumerate(sample):
    connection.request("GET", "/api/v1/indicators/" + urllib.parse.quote(indicator, safe=".:-"))
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        fail(indicator, f"HTTP {response.status}: {body[:200]!r}")
    page = json.loads(body)
    if page["value"] != indicator:
        fail(indicator, f"the page is of {page['value']}")
    listed_in = sorted(name for name, entries in members.items() if indicator in entries)
    published = sorted(listing["feed"] for listing in page["published"] if listing["listed"])
    if published != listed_in:
        fail(indicator, f"the page says it is published in {published}, the feeds list it in {listed_in}")
    if sorted(page["next_run"]["feeds"]) != listed_in:
        fail(indicator, f"the page says the next run lists it in {page['next_run']['feeds']}, the feeds in {listed_in}")
    if indicator in excluded:
        seen["whitelisted"] += 1
        if page["next_run"]["whitelist"] != excluded[indicator]:
            fail(indicator, f"the page's whitelist rule {page['next_run']['whitelist']!r} is not {excluded[indicator]!r}")
        if not page["next_run"]["why"].startswith("not listed: voted malicious, kept out by the whitelist"):
            fail(indicator, f"the page's reason: {page['next_run']['why']!r}")
    elif listed_in:
        seen["listed"] += 1
        if page["next_run"]["why"] != "listed in " + ", ".join(page["next_run"]["feeds"]):
            fail(indicator, f"the page's reason: {page['next_run']['why']!r}")
    else:
        seen["not listed"] += 1
        if not page["next_run"]["why"].startswith("not listed: "):
            fail(indicator, f"the page's reason: {page['next_run']['why']!r}")
    if number < explained:
        out = subprocess.run([crowdfeed, "explain", indicator], capture_output=True, text=True, check=True).stdout
        verdict = [line[12:] for line in out.splitlines() if line.startswith("verdict:")]
        if verdict and verdict[0] != page["reason"]:
            fail(indicator, f"explain says {verdict[0]!r}, the page {page['reason']!r}")
        if not verdict and page["reason"] != "no votes counted":
            fail(indicator, f"explain counts no votes, the page says {page['reason']!r}")

print(f"{len(sample)} indicators agree: " + ", ".join(f"{n} {what}" for what, n in seen.items()))
if min(seen.values()) == 0:
    print("FAIL: the sample lacks a kind of indicator: " + json.dumps(seen), file=sys.stderr)
    sys.exit(1)
