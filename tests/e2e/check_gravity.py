#!/usr/bin/env python3
"""Checks a blocklist the way Pi-hole's gravity reads one.

Written from Pi-hole's documented rules for adlists: comment lines ('#' and,
in ABP-style lists, '!') and blank lines are skipped; a hosts line's
address is dropped and its names read; an ABP-style line must be
'||domain^' (or '@@||domain^' for an exception); every domain must be a
valid host name (labels of letters, digits, '-' and '_' of at most 63
characters, at most 253 in all). Lines that break these rules are what
gravity reports as invalid entries.

usage: check_gravity.py FILE EXPECTED_ENTRIES
Prints the problems and exits 1 when any line is invalid or the number of
domains is not EXPECTED_ENTRIES.
"""
import re
import sys

LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
DOMAIN = re.compile(rf"^{LABEL}(?:\.{LABEL})+$")
ABP = re.compile(r"^(@@)?\|\|([^\^|]+)\^$")
HOSTS_ADDRESSES = {"0.0.0.0", "127.0.0.1", "::", "::1"}

path, expected = sys.argv[1], int(sys.argv[2])
domains, problems = 0, []
for number, line in enumerate(open(path, encoding="utf-8"), start=1):
    line = line.rstrip("\n")
    if not line.strip() or line.startswith("#") or line.startswith("!"):
        continue
    words = line.split()
    if words[0] in HOSTS_ADDRESSES:
        names = words[1:]
    elif ABP.match(line):
        names = [ABP.match(line).group(2)]
    else:
        names = words
    if len(names) != 1:
        problems.append(f"{path}:{number}: {len(names)} names on one line: {line!r}")
    for name in names:
        if len(name) > 253 or not DOMAIN.match(name):
            problems.append(f"{path}:{number}: invalid domain {name!r}")
        domains += 1
if domains != expected:
    problems.append(f"{path}: {domains} domains, the header says {expected}")
print("\n".join(problems) or f"{path}: {domains} valid domains")
sys.exit(1 if problems else 0)
