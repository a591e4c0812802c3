# The hash feeds as ClamAV loads them: a file whose SHA-256 was voted
# malicious is FOUND by clamscan with the published signature database,
# and reported clean once its hash is also in the published allow-list.
# MD5 and SHA-1 votes land in the same database.
source "$(dirname "$0")/lib.sh"

command -v clamscan >/dev/null || fail "clamscan is needed (apt-get install clamav)"
printf '[feeds]\nhash_formats = ["txt", "clamav"]\n' >crowdfeed.toml
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
vote() { # VERDICT VALUE AT VOTERS...
  local verdict=$1 value=$2 at=$3
  shift 3
  for voter in "$@"; do "$CROWDFEED" -q vote "--$verdict" "$value" --voter "$voter" --at "$at"; done
}
mkdir samples
printf 'dropper payload\n' >samples/dropper.bin
printf 'stealer payload\n' >samples/stealer.bin
printf 'packed payload\n' >samples/packed.bin
printf 'harmless tool\n' >samples/tool.bin
vote malicious "$(sha256sum samples/dropper.bin | cut -c1-64)" 2026-11-27T20:00:00Z a b
vote malicious "$(md5sum samples/stealer.bin | cut -c1-32 | tr a-f A-F)" 2026-11-27T20:00:00Z a b
vote malicious "$(sha1sum samples/packed.bin | cut -c1-40)" 2026-11-27T20:00:00Z a b
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z
[ -f feeds/malicious-hashes.hsb ] || fail "no malicious-hashes.hsb"
[ -f feeds/non-malicious-hashes.sfp ] || fail "no non-malicious-hashes.sfp"

scan() { clamscan --no-summary --stdout -d "$1" samples/ | sort; }
run_status scan feeds/malicious-hashes.hsb
assert_contains "$OUT" "samples/dropper.bin: crowdfeed.malicious-hashes.UNOFFICIAL FOUND" "SHA-256 signature"
assert_contains "$OUT" "samples/stealer.bin: crowdfeed.malicious-hashes.UNOFFICIAL FOUND" "MD5 signature"
assert_contains "$OUT" "samples/packed.bin: crowdfeed.malicious-hashes.UNOFFICIAL FOUND" "SHA-1 signature"
assert_contains "$OUT" "samples/tool.bin: OK" "an unlisted file"

# The dropper's hash turns out to be a false positive: more voters say
# non-malicious. It leaves the malicious database and enters the
# allow-list; with both databases loaded, the allow-list wins even against
# another signature database that still lists it.
cp feeds/malicious-hashes.hsb old.hsb
vote non-malicious "$(sha256sum samples/dropper.bin | cut -c1-64)" 2026-11-27T21:10:00Z c d e f g h i
"$CROWDFEED" -q publish --at 2026-11-27T22:00:00Z
mkdir db
cp old.hsb db/old.hsb
cp feeds/non-malicious-hashes.sfp db/
run_status scan db
assert_contains "$OUT" "samples/dropper.bin: OK" "the allow-listed file"
assert_contains "$OUT" "samples/stealer.bin: crowdfeed.malicious-hashes.UNOFFICIAL FOUND" "still flagged"
run_status scan feeds/malicious-hashes.hsb
assert_contains "$OUT" "samples/dropper.bin: OK" "the dropper left the malicious database"
echo ok
