// Conformance of pattern/stix_pattern.mjs with the OASIS reference pattern
// validator: the cases below are those of
// oasis-open/cti-pattern-validator stix2patterns/test/v21/test_validator.py
// (Python string escapes resolved), plus the spec examples file it reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { checkStixPattern } from "../pattern/stix_pattern.mjs";

const specExamples = readFileSync(
  new URL("./fixtures/oasis_v21_spec_examples.txt", import.meta.url), "utf8",
).split("\n").map((l) => l.trim()).filter(Boolean);

const PASS = [
  "[file:size = 1280]",
  "[file:size != 1280]",
  "[file:size < 1024]",
  "[file:size <= 1024]",
  "[file:size > 1024]",
  "[file:size >= 1024]",
  "[file:file_name = 'my_file_name']",
  "[file:extended_properties.'ntfs-ext'.sid = '234']",
  String.raw`[emailaddr:value MATCHES '.+\\@ibm\\.com$' OR file:name MATCHES '^Final Report.+\\.exe$']`,
  "[ipv4addr:value ISSUBSET '192.168.0.1/24']",
  "[ipv4addr:value NOT ISSUBSET '192.168.0.1/24']",
  "[user-account:value = 'Peter'] AND [user-account:value != 'Paul'] AND [user-account:value = 'Mary'] WITHIN 5 SECONDS",
  "[file:file_system_properties.file_name LIKE 'name%']",
  "[file:file_name IN ('test.txt', 'test2.exe', 'README')]",
  "[file:size IN (1024, 2048, 4096)]",
  "[network-connection:extended_properties[0].source_payload MATCHES 'dGVzdHRlc3R0ZXN0']",
  String.raw`[win-registry-key:key = 'hkey_local_machine\\foo\\bar'] WITHIN 5 SECONDS`,
  "[x_whatever:detected == t'2018-03-22T12:11:14.1Z']",
  "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
  "[foo:bar=1] REPEATS 9 TIMES",
  "[network-traffic:start = '2018-04-20T12:36:24.558Z']",
  "( [(network-traffic:dst_port IN(443,6443,8443) AND network-traffic:src_packets != 0) ])",
  String.raw`([win-registry-key:key = 'hkey_local_machine\\foo\\bar']) WITHIN 5 SECONDS WITHIN 6 SECONDS`,
  String.raw`([win-registry-key:key = 'hkey_local_machine\\foo\\bar'] REPEATS 2 TIMES) REPEATS 2 TIMES`,
  "[network-traffic:src_port = 37020 AND user-account:user_id = 'root'] " +
    "START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z' OR " +
    "[ipv4-addr:value = '192.168.122.83'] " +
    "START t'2016-06-01T03:55:00.123Z' STOP t'2016-06-01T04:30:24.743Z'",
  "[file:hashes[*] = '8665c8d477534008b3058b72e2dae8ae']",
  // timestamp syntax (calendar validity is not the grammar's business)
  "[x:created = t'2024-01-15T12:30:45Z']",
  "[x:created = t'2024-01-15T12:30:45.123456Z']",
  "[x:created = t'2024-02-30T12:00:00Z']",
  "[file:name = 'test'] START t'2024-01-01T00:00:00Z' STOP t'2024-12-31T23:59:59Z'",
  // crowdfeed's own shapes
  "[domain-name:value = 'evil.example']",
  "[ipv4-addr:value = '198.51.100.7']",
  "[ipv6-addr:value = '2001:db8::dead:beef']",
  "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
  "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']",
  "[file:hashes.'SHA-1' = '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12']",
  "[url:value = 'http://evil.example/it\\'s']",
];

// [pattern, substring expected in the first error]
const FAIL = [
  ["file:size = 1280", "syntax error at 1:0"],
  ["[file:size = ]", "syntax error at 1:13"],
  ["[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]", "syntax error at 1:19"],
  ["[file.size = 1280]", "syntax error at 1:5"],
  ["[file:name MATCHES /.*\\.dll/]", "syntax error at 1:19"],
  [String.raw`[win-registry-key:key = 'hkey_local_machine\\foo\\bar'] WITHIN ]`, "syntax error at 1:63"],
  [String.raw`[win-registry-key:key = 'hkey_local_machine\\foo\\bar'] WITHIN 5 HOURS]`, "syntax error at 1:65"],
  [String.raw`[win-registry-key:key = 'hkey_local_machine\\foo\\bar'] WITHIN -5 SECONDS]`, "syntax error at 1:63"],
  ["[network-traffic:dst_ref.value ISSUBSET ]", "syntax error at 1:40"],
  ["[file:hashes.MD5 =? 'cead3f77f6cda6ec00f57d76c9a6879f']", "syntax error at 1:18"],
  ["[x_whatever:detected == t'2457-73-22T32:81:84.1Z']", "syntax error at 1:24"],
  ["[artifact:payload_bin = b'====']", "syntax error at 1:24"],
  ["[foo:bar=1] within 2 seconds", "syntax error at 1:12"],
  ["[file:hashes.'SHA-256' = 'f00']", "'f00' is not a valid SHA-256 hash"],
  [String.raw`[win-registry-key:key = 'hkey_local_machine\\foo\\bar'] WITHIN 5 SECONDS WITHIN 6 SECONDS`,
    "duplicate qualifier type encountered: WITHIN"],
  [String.raw`([win-registry-key:key = 'hkey_local_machine\\foo\\bar'] REPEATS 2 TIMES REPEATS 3 TIMES)`,
    "duplicate qualifier type encountered: REPEATS"],
  [String.raw`[win-registry-key:key = 'hkey_local_machine\\foo\\bar'] ` +
    "START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z' " +
    "START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z'",
    "duplicate qualifier type encountered: STARTSTOP"],
  // timestamp fail cases
  ["[x:created = t'2024-13-01T12:00:00Z']", "syntax error"],
  ["[x:created = t'2024-00-01T12:00:00Z']", "syntax error"],
  ["[x:created = t'2024-01-32T12:00:00Z']", "syntax error"],
  ["[x:created = t'2024-01-00T12:00:00Z']", "syntax error"],
  ["[x:created = t'2024-01-15T25:00:00Z']", "syntax error"],
  ["[x:created = t'2024-01-15T12:60:00Z']", "syntax error"],
  ["[x:created = t'2024-01-15T12:30:61Z']", "syntax error"],
  ["[x:created = t'2024-01-15T12:30:45']", "syntax error"],
  ["[x:created = t'not-a-timestamp']", "syntax error"],
  ["[x:created = t'2024/01/15T12:30:45Z']", "syntax error"],
  // crowdfeed-flavoured mistakes
  ["[domain-name:value = 'evil.example'", "syntax error"],          // unclosed bracket
  ["[domain-name:value = \"evil.example\"]", "syntax error"],        // double quotes
  ["[domain-name:value == 'a' AND]", "syntax error"],
  ["", "syntax error"],
  ["[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879']", "not a valid MD5 hash"], // 31 chars
  ["[file:hashes.'SHA-1' = 'zzd4e1c67a2d28fced849ee1bb76e7391b93eb12']", "not a valid SHA-1 hash"],
  ["[file:hashes.'SHA-256' IN ('aa', 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f')]",
    "'aa' is not a valid SHA-256 hash"],
];

test("OASIS v2.1 spec examples parse", () => {
  assert.equal(specExamples.length, 23);
  for (const p of specExamples) assert.deepEqual(checkStixPattern(p), [], p);
});

test("valid patterns are accepted", () => {
  for (const p of PASS) assert.deepEqual(checkStixPattern(p), [], p);
});

test("invalid patterns are rejected with the expected error", () => {
  for (const [p, expected] of FAIL) {
    const errors = checkStixPattern(p);
    assert.ok(errors.length > 0, `accepted: ${p}`);
    assert.ok(errors[0].includes(expected), `${p}\n  got: ${errors[0]}\n  want: ${expected}`);
  }
});

test("non-string input is rejected", () => {
  assert.deepEqual(checkStixPattern(42), ["pattern is not a string"]);
});
