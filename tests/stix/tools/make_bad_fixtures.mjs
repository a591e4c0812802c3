// Writes test/fixtures/bad/*.json: copies of test/fixtures/good_bundle.json with one
// deliberate mistake each. Run: node tools/make_bad_fixtures.mjs
import { readFileSync, writeFileSync } from "node:fs";

const good = JSON.parse(readFileSync(new URL("../test/fixtures/good_bundle.json", import.meta.url), "utf8"));
const ind = (b, name) => b.objects.find((o) => o.name === name);
const cases = {
  // unbalanced bracket in the domain indicator's pattern
  bad_pattern: (b) => { ind(b, "Phishing domain evil.example").pattern = "[domain-name:value = 'evil.example'"; },
  // the IPv4 indicator lost its spec_version
  missing_spec_version: (b) => { delete ind(b, "C2 server 198.51.100.23").spec_version; },
  // not a UUID: 'g' is not hex, and the version nibble is 0
  bad_id: (b) => { ind(b, "Dropper (MD5)").id = "indicator--46ef6e0b-2de8-0ab4-a5bc-58d76a3136eg"; },
  confidence_101: (b) => { ind(b, "Dropper (SHA-256)").confidence = 101; },
};
for (const [name, mutate] of Object.entries(cases)) {
  const b = structuredClone(good);
  mutate(b);
  writeFileSync(new URL(`../test/fixtures/bad/${name}.json`, import.meta.url), JSON.stringify(b, null, 2) + "\n");
}
