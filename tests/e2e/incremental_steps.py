"""Random steps against the kept tallies, each run checked against a run
from scratch.

Each step casts votes (through `crowdfeed vote`, and as a website would,
straight into the votes table: INSERT, UPSERT, UPDATE, DELETE, REPLACE),
changes the whitelist or the thresholds, lets hours pass (runs skipped) or
not (reruns), then publishes. After every run, each feed's entries (the CSV
files: indicator, verdict, counts, first and last vote) must equal those of a
run from scratch on a copy of the database with rebuilt tallies and empty
feeds and state directories, and `crowdfeed check` must find the kept
tallies equal to a recount.

    incremental_steps.py CROWDFEED RUNS SEED
"""
import os
import random
import shutil
import sqlite3
import subprocess
import sys

crowdfeed, runs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
HOUR = 3600
hour = 1788220800  # 2026-09-01T00:00:00Z: every run is in the past
DOMAINS = [f"d{i}.example.com" for i in range(30)]
IPS = [f"45.0.1.{i}" for i in range(1, 13)]
HASHES = [f"{i + 1:032x}" for i in range(12)]
TYPES = {**{d: "domain" for d in DOMAINS}, **{i: "ipv4" for i in IPS}, **{h: "md5" for h in HASHES}}
INDICATORS = DOMAINS + IPS + HASHES
VOTERS = [f"v{i}" for i in range(8)]


def fail(message):
    sys.exit(f"FAIL: {message}")


def run(*args, cwd=".", ok=(0,)):
    done = subprocess.run([crowdfeed, "-c", "crowdfeed.toml", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode not in ok:
        fail(f"crowdfeed {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done


def write_config(path, policy, whitelisted):
    with open(os.path.join(path, "whitelist.txt"), "w") as out:
        out.write("".join(f"{value}\n" for value in whitelisted))
    with open(os.path.join(path, "crowdfeed.toml"), "w") as out:
        out.write(
            "[policy]\nmin_votes = {}\nmin_share = {}\nmax_age_days = {}\n"
            "[whitelist]\nfiles = [\"whitelist.txt\"]\n"
            "[feeds]\nformats = [\"txt\", \"csv\"]\nip_formats = [\"txt\", \"csv\"]\nhash_formats = [\"txt\", \"csv\"]\n"
            "[guards]\nmax_shrink = 1.0\nmax_growth = 1000.0\ncanaries = []\nip_canaries = []\n".format(*policy))


def entries(feeds):
    found = {}
    for name in sorted(os.listdir(feeds)):
        if name.endswith(".csv") and name != "excluded-domains.csv":
            with open(os.path.join(feeds, name)) as file:
                found[name] = [line for line in file if not line.startswith("#")]
    return found


policy = [2, 0.75, 2]
whitelisted = rng.sample(INDICATORS, 5)
write_config(".", policy, whitelisted)
run("vote", "--malicious", DOMAINS[0], "--voter", "seed", "--at", str(hour - HOUR))
site = sqlite3.connect("data/votes.db", isolation_level=None)
site.execute("PRAGMA busy_timeout = 5000")
site.execute("PRAGMA recursive_triggers = ON")  # a site that writes with REPLACE must
fast_runs = 0
for step in range(runs):
    # A quarter of the hours are quiet: nothing is written, yet votes cast
    # in the last hour now count and old ones age out.
    for _ in range(0 if rng.random() < 0.25 else rng.randrange(1, 12)):
        value, voter, verdict = rng.choice(INDICATORS), rng.choice(VOTERS), rng.randrange(2)
        cast = hour - rng.randrange(3 * 24 * HOUR) + rng.randrange(3 * HOUR)
        kind = rng.randrange(7)
        if kind == 0:
            run("vote", "--malicious" if verdict == 0 else "--non-malicious", value, "--voter", voter,
                "--at", str(cast))
        elif kind == 1:
            site.execute("INSERT OR IGNORE INTO votes (indicator, voter, verdict, cast_at, type) VALUES (?, ?, ?, ?, ?)",
                         (value, voter, verdict, cast, TYPES[value]))
        elif kind == 2:
            site.execute("INSERT INTO votes (indicator, voter, verdict, cast_at, type) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT (indicator, voter) DO UPDATE SET verdict = excluded.verdict, "
                         "cast_at = excluded.cast_at", (value, voter, verdict, cast, TYPES[value]))
        elif kind == 3:
            site.execute("INSERT OR REPLACE INTO votes (indicator, voter, verdict, cast_at, type) "
                         "VALUES (?, ?, ?, ?, ?)", (value, voter, verdict, cast, TYPES[value]))
        elif kind == 4:
            site.execute("UPDATE votes SET verdict = ?, cast_at = ? WHERE indicator = ? AND voter = ?",
                         (verdict, cast, value, voter))
        elif kind == 5:
            site.execute("DELETE FROM votes WHERE indicator = ? AND voter = ?", (value, voter))
        else:
            site.execute("DELETE FROM votes WHERE indicator = ?", (value,))
    change = rng.randrange(12)
    if change == 0:
        whitelisted = rng.sample(INDICATORS, rng.randrange(0, 8))
    elif change == 1:
        policy = [rng.randrange(1, 4), rng.choice([0.6, 0.75, 0.9]), rng.randrange(0, 4)]
    write_config(".", policy, whitelisted)
    hour += HOUR * rng.choice([0, 1, 1, 1, 2, 5])
    at = str(hour + rng.randrange(HOUR))
    done = run("publish", "--at", at, ok=(0, 3))
    if done.returncode == 3:  # a feed would become empty: the guard is right, and overridden
        done = run("publish", "--force", "--at", at)
    if "nothing changed since the last run" in done.stderr:
        fast_runs += 1

    # The same hour from scratch: a copy of the votes, tallies rebuilt,
    # nothing published before.
    shutil.rmtree("scratch", ignore_errors=True)
    os.makedirs("scratch/data")
    site.execute("VACUUM INTO 'scratch/data/votes.db'")
    shutil.copy("whitelist.txt", "scratch/whitelist.txt")
    shutil.copy("crowdfeed.toml", "scratch/crowdfeed.toml")
    run("publish", "--recount", "--at", at, cwd="scratch")
    incremental, scratch = entries("feeds"), entries("scratch/feeds")
    if incremental != scratch:
        for name in scratch:
            if incremental.get(name) != scratch[name]:
                fail(f"step {step} ({at}): {name} differs from a run from scratch:\n"
                     f"incremental: {incremental.get(name)}\nscratch: {scratch[name]}")
        fail(f"step {step}: the files differ: {sorted(incremental)} / {sorted(scratch)}")
    check = run("check", ok=(0, 1))
    if check.returncode != 0:
        fail(f"step {step}: check: {check.stdout}")
if fast_runs == 0 or fast_runs == runs:
    fail(f"{fast_runs} of {runs} runs found nothing changed: the steps do not exercise both paths")
print(f"ok: {runs} runs, {fast_runs} of them with nothing changed")
