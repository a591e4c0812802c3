// Tests of validate_stix.mjs: the CLI on the fixture files, and
// validateBundle() on single-mistake mutations of the good bundle.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSchemas, validateBundle } from "../validate_stix.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCHEMA_DIR = join(ROOT, "..", "data", "stix", "schemas");
const FIX = join(ROOT, "test", "fixtures");
const GOOD = JSON.parse(readFileSync(join(FIX, "good_bundle.json"), "utf8"));
const schemas = loadSchemas(SCHEMA_DIR);

const TLP_CLEAR = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
const byName = (b, name) => b.objects.find((o) => o.name === name);
const DOMAIN = "Phishing domain evil.example";
const IPV4 = "C2 server 198.51.100.23";
const SHA256 = "Dropper (SHA-256)";

function cli(...args) {
  const r = spawnSync(process.execPath, [join(ROOT, "validate_stix.mjs"), ...args], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, STIX_SCHEMA_DIR: "" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function problems(mutate) {
  const b = structuredClone(GOOD);
  mutate(b);
  return validateBundle(b, schemas).map((p) => `${p.path}: ${p.msg}`);
}

// ------------------------------------------------------------------ CLI

test("good bundle: OK line, exit 0", () => {
  const r = cli("test/fixtures/good_bundle.json");
  assert.equal(r.out, "test/fixtures/good_bundle.json: OK (9 objects)\n");
  assert.equal(r.code, 0);
});

test("each bad fixture: exactly its problem, exit 1", () => {
  const expected = {
    bad_pattern: "$.objects[3].pattern: invalid STIX pattern: syntax error at 1:35: missing ']' at '<EOF>'",
    missing_spec_version: "$.objects[4].spec_version: required property is missing",
    bad_id: "$.objects[7].id: '46ef6e0b-2de8-0ab4-a5bc-58d76a3136eg' is not an RFC 4122 UUID (version 1-5, variant 10xx)",
    confidence_101: "$.objects[6].confidence: must be an integer from 0 to 100 (got 101)",
  };
  for (const [name, line] of Object.entries(expected)) {
    const file = `test/fixtures/bad/${name}.json`;
    const r = cli(file);
    assert.equal(r.out, `${file}: ${line}\n`, name);
    assert.equal(r.code, 1, name);
  }
});

test("several files: one verdict per file, exit 1 if any is bad", () => {
  const r = cli("test/fixtures/good_bundle.json", "test/fixtures/bad/confidence_101.json");
  assert.equal(r.out.split("\n").filter(Boolean).length, 2);
  assert.equal(r.code, 1);
});

test("unreadable or non-JSON file is a problem", () => {
  const dir = mkdtempSync(join(tmpdir(), "stix-"));
  try {
    writeFileSync(join(dir, "x.json"), "{not json");
    const r = cli(join(dir, "x.json"), join(dir, "missing.json"));
    assert.match(r.out, /x\.json: \$: cannot read as JSON: /);
    assert.match(r.out, /missing\.json: \$: cannot read as JSON: ENOENT/);
    assert.equal(r.code, 1);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("usage and schema-directory errors exit 2", () => {
  assert.equal(cli().code, 2);
  const nodir = cli("--schema-dir", "/nonexistent", "test/fixtures/good_bundle.json");
  assert.equal(nodir.code, 2);
  assert.match(nodir.err, /cannot read schema directory/);

  // A directory missing a referenced file fails at start-up (no fetching).
  const dir = mkdtempSync(join(tmpdir(), "stix-"));
  try {
    cpSync(SCHEMA_DIR, dir, { recursive: true });
    rmSync(join(dir, "common", "timestamp.json"));
    const r = cli("--schema-dir", dir, "test/fixtures/good_bundle.json");
    assert.equal(r.code, 2);
    assert.match(r.err, /can't resolve reference \.\.\/common\/timestamp\.json/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

// ------------------------------------------------------ mutations

test("the good bundle has no problems", () => {
  assert.deepEqual(problems(() => {}), []);
});

const CASES = [
  ["valid_until equal to valid_from", (b) => { byName(b, DOMAIN).valid_until = "2026-01-06T12:00:00Z"; },
    "$.objects[3].valid_until: must be later than valid_from (2026-01-06T12:00:00Z)"],
  ["valid_until before valid_from (sub-millisecond)", (b) => {
    byName(b, DOMAIN).valid_from = "2026-01-06T12:00:00.0001Z";
    byName(b, DOMAIN).valid_until = "2026-01-06T12:00:00.00009Z";
  }, "$.objects[3].valid_until: must be later than valid_from"],
  ["created after modified", (b) => { byName(b, IPV4).created = "2026-01-08T00:00:00.000Z"; },
    "$.objects[4].modified: must be later than or equal to created (2026-01-08T00:00:00.000Z)"],
  ["not a calendar date", (b) => { byName(b, IPV4).modified = "2026-02-30T00:00:00.000Z"; },
    "$.objects[4].modified: '2026-02-30T00:00:00.000Z' is not a valid STIX timestamp"],
  ["created without milliseconds (schema)", (b) => { byName(b, IPV4).created = "2026-01-06T12:00:00Z"; },
    "$.objects[4].created: must match pattern"],
  ["created_by_ref to an identity not in the bundle", (b) => {
    byName(b, DOMAIN).created_by_ref = "identity--3c84afe6-3247-4b48-9052-90ac2a9e2a61";
  }, "$.objects[3].created_by_ref: identity 'identity--3c84afe6-3247-4b48-9052-90ac2a9e2a61' is not in the bundle"],
  ["created_by_ref to a non-identity", (b) => {
    byName(b, DOMAIN).created_by_ref = byName(b, IPV4).id;
  }, "$.objects[3].created_by_ref: 'indicator--d40682d6-dc53-4ad3-9933-437ffd3638f1' is not an identity id"],
  ["object_marking_refs to a marking not in the bundle", (b) => {
    byName(b, DOMAIN).object_marking_refs = ["marking-definition--4d55f1c6-8399-4b94-a689-fcc72da11910"];
  }, "$.objects[3].object_marking_refs[0]: marking-definition 'marking-definition--4d55f1c6-8399-4b94-a689-fcc72da11910' is neither in the bundle nor TLP:CLEAR"],
  ["object_marking_refs to a non-marking", (b) => {
    byName(b, DOMAIN).object_marking_refs = [byName(b, IPV4).id];
  }, "$.objects[3].object_marking_refs[0]: 'indicator--d40682d6-dc53-4ad3-9933-437ffd3638f1' is not a marking-definition id"],
  ["granular marking to a marking not in the bundle", (b) => {
    byName(b, DOMAIN).granular_markings = [{ marking_ref: "marking-definition--4d55f1c6-8399-4b94-a689-fcc72da11910", selectors: ["name"] }];
  }, "$.objects[3].granular_markings[0].marking_ref: marking-definition 'marking-definition--4d55f1c6-8399-4b94-a689-fcc72da11910' is neither in the bundle nor TLP:CLEAR"],
  ["spec_version 2.0", (b) => { byName(b, DOMAIN).spec_version = "2.0"; },
    "$.objects[3].spec_version: must be \"2.1\" (got \"2.0\")"],
  ["spec_version on the bundle (STIX 2.0 style)", (b) => { b.spec_version = "2.1"; },
    "$.spec_version: a STIX 2.1 bundle has no spec_version"],
  ["id prefix differs from type", (b) => { byName(b, DOMAIN).id = "identity--5c30281b-569a-4bab-ba0c-c28c7ec54fd4"; },
    "$.objects[3].id: 'identity--5c30281b-569a-4bab-ba0c-c28c7ec54fd4' does not start with the object's type 'indicator--'"],
  ["UUID with the wrong variant", (b) => { byName(b, DOMAIN).id = "indicator--5c30281b-569a-4bab-7a0c-c28c7ec54fd4"; },
    "$.objects[3].id: '5c30281b-569a-4bab-7a0c-c28c7ec54fd4' is not an RFC 4122 UUID"],
  ["bad bundle id", (b) => { b.id = "bundle--1234"; },
    "$.id: '1234' is not an RFC 4122 UUID"],
  ["confidence -1", (b) => { byName(b, DOMAIN).confidence = -1; },
    "$.objects[3].confidence: must be an integer from 0 to 100 (got -1)"],
  ["confidence 50.5", (b) => { byName(b, DOMAIN).confidence = 50.5; },
    "$.objects[3].confidence: must be an integer from 0 to 100 (got 50.5)"],
  ["confidence as a string", (b) => { byName(b, DOMAIN).confidence = "80"; },
    "$.objects[3].confidence: must be an integer from 0 to 100 (got \"80\")"],
  ["SHA-256 of the wrong length", (b) => { byName(b, SHA256).pattern = "[file:hashes.'SHA-256' = 'bb131bf9']"; },
    "$.objects[6].pattern: invalid STIX pattern: 'bb131bf9' is not a valid SHA-256 hash"],
  ["IPv4 value that is not an address", (b) => { byName(b, IPV4).pattern = "[ipv4-addr:value = '198.51.100.300']"; },
    "$.objects[4].pattern: invalid STIX pattern: '198.51.100.300' is not a valid ipv4-addr:value"],
  ["domain value with a space", (b) => { byName(b, DOMAIN).pattern = "[domain-name:value = 'evil example']"; },
    "$.objects[3].pattern: invalid STIX pattern: 'evil example' is not a valid domain-name:value"],
  ["lower-case keyword", (b) => { byName(b, DOMAIN).pattern = "[domain-name:value = 'evil.example'] within 5 seconds"; },
    "$.objects[3].pattern: invalid STIX pattern: syntax error at 1:37"],
  ["missing pattern (schema)", (b) => { delete byName(b, DOMAIN).pattern; },
    "$.objects[3].pattern: required property is missing"],
  ["revoked as a string (schema)", (b) => { byName(b, DOMAIN).revoked = "yes"; },
    "$.objects[3].revoked: must be boolean"],
  ["statement marking without its statement (schema)", (b) => { delete b.objects[2].definition.statement; },
    "$.objects[2].definition.statement: required property is missing"],
  ["tampered TLP:CLEAR", (b) => {
    b.objects[1].extensions["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"].tlp_2_0 = "green";
  }, "$.objects[1]: differs from the OASIS TLP:CLEAR marking definition"],
  ["marking that marks itself", (b) => { b.objects[2].object_marking_refs = [b.objects[2].id]; },
    "$.objects[2].object_marking_refs[0]: a marking definition cannot mark itself"],
  ["the same object twice", (b) => { b.objects.push(structuredClone(byName(b, DOMAIN))); },
    "$.objects[9].id: duplicate of $.objects[3] (same id and modified)"],
  ["unknown object type", (b) => { b.objects.push({ type: "x-crowdfeed-thing", spec_version: "2.1", id: "x-crowdfeed-thing--3c84afe6-3247-4b48-9052-90ac2a9e2a61", created: "2026-01-06T12:00:00.000Z", modified: "2026-01-06T12:00:00.000Z" }); },
    "$.objects[9].type: no OASIS schema for type \"x-crowdfeed-thing\""],
  ["empty objects (schema)", (b) => { b.objects = []; },
    "$.objects: must NOT have fewer than 1 items"],
  ["not a bundle (schema)", (b) => { b.type = "report"; },
    "$.type: must be equal to one of the allowed values: \"bundle\""],
];

for (const [name, mutate, expected] of CASES) {
  test(`rejects: ${name}`, () => {
    const got = problems(mutate);
    assert.ok(got.some((p) => p.startsWith(expected)), `want ${expected}\n got ${JSON.stringify(got, null, 1)}`);
  });
}

test("one mistake, one line: rule messages replace the schema's at the same path", () => {
  assert.equal(problems((b) => { byName(b, DOMAIN).confidence = 101; }).length, 1);
  assert.equal(problems((b) => { delete byName(b, IPV4).spec_version; }).length, 1);
});

test("accepts: TLP:CLEAR referenced without its object in the bundle", () => {
  assert.deepEqual(problems((b) => { b.objects.splice(1, 1); }), []);
});

test("accepts: STIX 2.1 predefined TLP 1.0 WHITE marking when it is in the bundle", () => {
  assert.deepEqual(problems((b) => {
    const white = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    b.objects.push({
      type: "marking-definition", spec_version: "2.1", id: white,
      created: "2017-01-20T00:00:00.000Z", definition_type: "tlp", name: "TLP:WHITE",
      definition: { tlp: "white" },
    });
    byName(b, DOMAIN).object_marking_refs.push(white);
  }), []);
});

test("accepts: non-STIX pattern types are not parsed", () => {
  assert.deepEqual(problems((b) => {
    const o = byName(b, DOMAIN);
    o.pattern_type = "yara";
    delete o.pattern_version;
    o.pattern = "rule x { condition: true }";
  }), []);
});

test("accepts: an SCO without spec_version", () => {
  assert.deepEqual(problems((b) => {
    b.objects.push({ type: "domain-name", id: "domain-name--3c84afe6-3247-4b48-9052-90ac2a9e2a61", value: "evil.example" });
  }), []);
});

test("rejects: an SCO whose domain is not a hostname (idn-hostname format)", () => {
  const got = problems((b) => {
    b.objects.push({ type: "domain-name", id: "domain-name--3c84afe6-3247-4b48-9052-90ac2a9e2a61", value: "evil example" });
  });
  assert.ok(got.some((p) => p.startsWith("$.objects[9].value: must match format \"idn-hostname\"")), JSON.stringify(got));
});

test("a long malformed type does not hang the schema check (ReDoS guard)", () => {
  const t = Date.now();
  const got = problems((b) => { byName(b, DOMAIN).type = "a".repeat(60) + "!"; });
  assert.ok(Date.now() - t < 2000, `took ${Date.now() - t} ms`);
  assert.ok(got.some((p) => p.startsWith("$.objects[3].type: no OASIS schema for type")), JSON.stringify(got));
  const ext = problems((b) => { byName(b, DOMAIN).extensions = { ["a".repeat(60) + "!"]: { x: 1 } }; });
  assert.ok(Date.now() - t < 4000, `took ${Date.now() - t} ms`);
  assert.ok(ext.some((p) => p.startsWith("$.objects[3].extensions")), JSON.stringify(ext));
});

test("the fast bundle-schema path gives the same verdicts as the full one", () => {
  const bundles = [GOOD, ...CASES.map(([, mutate]) => { const b = structuredClone(GOOD); mutate(b); return b; })];
  for (const name of ["bad_pattern", "missing_spec_version", "bad_id", "confidence_101"]) {
    bundles.push(JSON.parse(readFileSync(join(FIX, "bad", `${name}.json`), "utf8")));
  }
  // plus a custom object the bundle schema accepts and one it rejects
  for (const extra of [{ type: "x-thing", spec_version: "2.1", id: "x-thing--3c84afe6-3247-4b48-9052-90ac2a9e2a61", created: "2026-01-06T12:00:00.000Z", modified: "2026-01-06T12:00:00.000Z" },
    { type: "x-thing", id: "x-thing--3c84afe6-3247-4b48-9052-90ac2a9e2a61" }]) {
    const b = structuredClone(GOOD);
    b.objects.push(extra);
    bundles.push(b);
  }
  for (const b of bundles) {
    assert.deepEqual(validateBundle(b, schemas), validateBundle(b, schemas, { fullBundleSchema: true }));
    // and the full bundle schema alone agrees with "every object passed its own schema"
    const ownOk = Array.isArray(b.objects) && b.objects.every((o) => schemas.byType.get(o.type)?.(o));
    if (ownOk && b.type === "bundle" && b.objects.length > 0 && /^bundle--[0-9a-f-]{36}$/.test(b.id)) {
      assert.equal(schemas.bundle(b), true, JSON.stringify(schemas.bundle.errors?.[0]));
    }
  }
});

test("rejects: a TLP 1.0 marking that is not one of the four predefined objects", () => {
  const white = { type: "marking-definition", spec_version: "2.1", id: "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    created: "2017-01-20T00:00:00.000Z", definition_type: "tlp", name: "TLP:WHITE", definition: { tlp: "white" } };
  for (const wrong of [{ ...white, name: "TLP:GREEN" }, { ...white, definition: { tlp: "white", x: 1 } }, { ...white, created: "2017-01-21T00:00:00.000Z" }]) {
    const got = problems((b) => { b.objects.push(wrong); });
    assert.deepEqual(got.length, 1, JSON.stringify(got));
    assert.match(got[0], /^\$\.objects\[9\]: definition_type "tlp" \(TLP 1\.0\): must be exactly one of the four predefined/);
  }
});

test("a broken statement marking is not reported against the TLP 1.0 branch", () => {
  const got = problems((b) => { delete b.objects[2].definition.statement; });
  assert.equal(got[0], "$.objects[2].definition.statement: required property is missing");
  assert.ok(!got.some((p) => /TLP|613f2e26/.test(p)), JSON.stringify(got));
});
