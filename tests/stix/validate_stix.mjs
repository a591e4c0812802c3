#!/usr/bin/env node
// validate_stix.mjs — check STIX 2.1 bundles before crowdfeed publishes them.
//
//   node validate_stix.mjs [--schema-dir DIR] [--full-bundle-schema] FILE...
//
// For each FILE (a JSON STIX bundle):
//   1. every object against the OASIS schema of its own type;
//   2. the bundle against the OASIS bundle schema (common/bundle.json; see
//      validateBundle for --full-bundle-schema);
//   3. every indicator with pattern_type "stix": its pattern against the OASIS
//      STIX pattern grammar (pattern/stix_pattern.mjs);
//   4. rules of the STIX 2.1 spec that the schemas leave out (see checkRules).
// Prints "FILE: OK (N objects)" or one "FILE: <json path>: <error>" per
// problem. Exit status: 0 all files OK, 1 a problem found, 2 usage error or
// unusable schema directory.
//
// The schemas are the JSON files of oasis-open/cti-stix2-json-schemas,
// directory schemas/ (sub-directories common, sdos, sros, observables).
// DIR defaults to $STIX_SCHEMA_DIR, else tests/data/stix/schemas
// next to this script. Every file is registered with Ajv under its own "$id"
// (http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/
// schemas/...), so the schemas' relative "$ref"s resolve against those ids in
// Ajv's registry. Ajv is given no loadSchema hook: it cannot fetch anything,
// and a reference to a file that is not in DIR fails at start-up.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve, sep, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { checkStixPattern, isHostname } from "./pattern/stix_pattern.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const OASIS_BASE =
  "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/";

// Markings that may be referenced without being in the bundle.
const TLP_CLEAR = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
const WELL_KNOWN_MARKINGS = new Set([TLP_CLEAR]);
// The TLP 2.0 CLEAR marking as OASIS publishes it (cti-stix-common-objects,
// extension-definition-specifications/tlp-2.0/examples/tlp-clear.json).
// The JSON schemas do not look inside extensions, so a copy in a bundle is
// compared with this.
const TLP_CLEAR_OBJECT = {
  type: "marking-definition",
  spec_version: "2.1",
  id: TLP_CLEAR,
  created: "2022-10-01T00:00:00.000Z",
  name: "TLP:CLEAR",
  extensions: {
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
      extension_type: "property-extension",
      tlp_2_0: "clear",
    },
  },
};

// The TLP 1.0 markings predefined by STIX 2.1 (section 7.2.1.4), the only
// valid marking definitions with definition_type "tlp".
const TLP1_OBJECTS = ["white", "green", "amber", "red"].map((color, k) => ({
  type: "marking-definition",
  spec_version: "2.1",
  id: "marking-definition--" + [
    "613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "f88d31f6-486f-44da-b317-01333bde0b82",
    "5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
  ][k],
  created: "2017-01-20T00:00:00.000Z",
  definition_type: "tlp",
  name: `TLP:${color.toUpperCase()}`,
  definition: { tlp: color },
}));

// RFC 4122 UUID: version 1-5, variant 10xx.
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
const ID_RE = /^([a-z][a-z0-9-]*[a-z0-9])--(.*)$/;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

// ---------------------------------------------------------------- schemas

function listJsonFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listJsonFiles(p));
    else if (name.endsWith(".json")) out.push(p);
  }
  return out;
}

// core.json, cyber-observable-core.json and the "-ext" extension keys use
// patterns starting "^([a-z][a-z0-9]*)+", which backtracks exponentially:
// a 28-character type such as "aaaaaaaaaaaaaaaaaaaaaaaaaaaa!" takes ~14 s
// and every further character doubles that. "^[a-z][a-z0-9]*" matches
// exactly the same strings in linear time.
const REDOS_PREFIX = "^([a-z][a-z0-9]*)+";
function safeRegExp(source, flags) {
  if (source.startsWith(REDOS_PREFIX)) source = "^[a-z][a-z0-9]*" + source.slice(REDOS_PREFIX.length);
  return new RegExp(source, flags);
}
safeRegExp.code = "safeRegExp";

export function loadSchemas(schemaDir) {
  const ajvOptions = {
    // The OASIS schemas are not written for Ajv's strict mode (they rely on
    // "type"-less subschemas and on "required" inside "not"); unknown
    // keywords are still an error.
    strict: false,
    strictSchema: true,
    // core.json's type pattern uses "\-", which is invalid with the u flag.
    unicodeRegExp: false,
    code: { regExp: safeRegExp },
  };
  const ajv = new Ajv2020({ ...ajvOptions, allErrors: true });
  const ajvFirst = new Ajv2020({ ...ajvOptions, allErrors: false });
  const typeSchemas = new Map(); // STIX type -> $id
  const branchIds = new Map(); // STIX type -> [$id of the schema with oneOf[k] only]
  const scoTypes = new Set();
  for (const a of [ajv, ajvFirst]) {
    addFormats(a);
    // ajv-formats has no idn-hostname; observables/domain-name.json uses it.
    a.addFormat("idn-hostname", isHostname);
  }
  let files;
  try {
    files = listJsonFiles(schemaDir);
  } catch (e) {
    throw new Error(`cannot read schema directory ${schemaDir}: ${e.message}`);
  }
  for (const file of files) {
    const rel = relative(schemaDir, file).split(sep).join("/");
    let schema;
    try {
      schema = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`${file}: ${e.message}`);
    }
    if (schema.$id !== OASIS_BASE + rel) {
      throw new Error(`${file}: "$id" is ${JSON.stringify(schema.$id)}, expected ${OASIS_BASE + rel}`);
    }
    ajv.addSchema(schema);
    ajvFirst.addSchema(schema);
    const [group, base] = rel.replace(/\.json$/, "").split("/");
    const isObjectType =
      group === "sdos" || group === "sros" || group === "observables" ||
      (group === "common" && ["marking-definition", "language-content", "extension-definition"].includes(base));
    if (isObjectType) typeSchemas.set(base, schema.$id);
    // For error messages: when no branch of a root "oneOf" matches, Ajv
    // reports the errors of all branches (for marking-definition, a dozen
    // lines about TLP 1.0 for a broken statement marking). These variants
    // keep a single branch, so the closest branch's errors can be reported.
    if (isObjectType && Array.isArray(schema.oneOf)) {
      const ids = schema.oneOf.map((branch, k) => {
        const { oneOf, ...rest } = schema;
        const id = schema.$id.replace(/\.json$/, `.oneOf-${k}.json`);
        ajv.addSchema({ ...rest, $id: id, allOf: [...(rest.allOf || []), branch] });
        return id;
      });
      branchIds.set(base, ids);
    }
    if (group === "observables") scoTypes.add(base);
  }
  const bundleId = OASIS_BASE + "common/bundle.json";
  if (!ajv.getSchema(bundleId)) throw new Error(`${schemaDir}: no common/bundle.json`);
  let bundle, bundleItem;
  const byType = new Map();
  const byTypeBranches = new Map();
  try {
    // Whole bundle, stopping at the first error: the fast path for good files.
    bundle = ajvFirst.getSchema(bundleId);
    // One element of "objects" as the bundle schema sees it: used to locate
    // bundle-schema failures object by object.
    bundleItem = ajv.compile({ $ref: bundleId + "#/properties/objects/items" });
    for (const [type, id] of typeSchemas) byType.set(type, ajv.getSchema(id));
    for (const [type, ids] of branchIds) byTypeBranches.set(type, ids.map((id) => ajv.getSchema(id)));
  } catch (e) {
    throw new Error(`${schemaDir}: schemas do not compile (incomplete directory?): ${e.message}`);
  }
  return { bundle, bundleItem, byType, byTypeBranches, scoTypes, count: files.length };
}

// ---------------------------------------------------------------- helpers

function jsonPath(base, pointer) {
  let out = base;
  if (!pointer) return out;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(key)) out += `[${key}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += `.${key}`;
    else out += `['${key.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
  }
  return out;
}

function describeAjvError(base, e) {
  let path = jsonPath(base, e.instancePath);
  let msg = e.message;
  switch (e.keyword) {
    case "required":
      path += jsonPath("", "/" + e.params.missingProperty);
      msg = "required property is missing";
      break;
    case "enum":
      msg += `: ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
      break;
    case "additionalProperties":
      msg += `: '${e.params.additionalProperty}'`;
      break;
    case "const":
      msg += `: ${JSON.stringify(e.params.allowedValue)}`;
      break;
  }
  return { path, msg };
}

// Ajv errors as problems, without repeats (with allErrors, the same failure
// can come back through several branches of a oneOf/anyOf).
function ajvProblems(base, errors) {
  const out = [];
  const seen = new Set();
  for (const e of errors || []) {
    const p = describeAjvError(base, e);
    const key = p.path + "\0" + p.msg;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

// Errors of a failed type-schema validation, narrowed to one branch when
// the object matched none of the schema's root oneOf branches: for
// marking-definition the branch its definition_type selects (TLP 1.0 markings
// are left to checkRules, which compares them with the four predefined
// objects), for other types the branch with the fewest errors.
function typeSchemaErrors(schemas, o, validate) {
  const errors = validate.errors;
  const branches = schemas.byTypeBranches.get(o.type);
  const noBranch = errors.some((e) => e.keyword === "oneOf" && e.instancePath === "" &&
    e.schemaPath === "#/oneOf" && e.params.passingSchemas == null);
  if (!branches || !noBranch) return errors;
  if (o.type === "marking-definition") {
    if (o.definition_type === "tlp") return [];
    return branches[0](o) ? [] : branches[0].errors;
  }
  let best = errors;
  for (const v of branches) {
    if (!v(o) && v.errors.length < best.length) best = v.errors;
  }
  return best;
}

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function sameJson(a, b) {
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameJson(a[k], b[k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  return a === b;
}

// Returns [sortable "YYYY-MM-DDTHH:MM:SS", fraction digits] or null when
// the string is not a STIX timestamp for a real calendar date.
function parseTimestamp(s) {
  if (typeof s !== "string") return null;
  const m = TS_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec] = m.map(Number);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  if (h > 23 || mi > 59 || sec > 60) return null;
  return [s.slice(0, 19), m[7] || ""];
}

function compareTimestamps(a, b) {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  const n = Math.max(a[1].length, b[1].length);
  const fa = a[1].padEnd(n, "0");
  const fb = b[1].padEnd(n, "0");
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

// ---------------------------------------------------------------- spec rules

function checkId(path, id, expectedType, add) {
  if (typeof id !== "string") return; // the schema reports type/required
  const m = ID_RE.exec(id);
  if (!m) {
    add(path, `'${id}' is not of the form <type>--<UUID>`);
    return;
  }
  if (expectedType !== undefined && m[1] !== expectedType) {
    add(path, `'${id}' does not start with the object's type '${expectedType}--'`);
  }
  if (!UUID_RE.test(m[2])) add(path, `'${m[2]}' is not an RFC 4122 UUID (version 1-5, variant 10xx)`);
}

function checkMarkingRef(path, ref, markingIds, add) {
  if (typeof ref !== "string") return;
  if (!ref.startsWith("marking-definition--")) {
    add(path, `'${ref}' is not a marking-definition id`);
  } else if (!markingIds.has(ref) && !WELL_KNOWN_MARKINGS.has(ref)) {
    add(path, `marking-definition '${ref}' is neither in the bundle nor TLP:CLEAR`);
  }
}

function checkRules(bundle, schemas, add) {
  if (!isObject(bundle)) return;
  checkId("$.id", bundle.id, "bundle", add);
  if ("spec_version" in bundle) {
    add("$.spec_version", "a STIX 2.1 bundle has no spec_version (this is STIX 2.0 syntax)");
  }
  const objects = Array.isArray(bundle.objects) ? bundle.objects : [];
  const identities = new Set();
  const markings = new Set();
  const versions = new Map(); // id + modified -> index
  objects.forEach((o, i) => {
    if (!isObject(o) || typeof o.id !== "string") return;
    if (o.type === "identity") identities.add(o.id);
    if (o.type === "marking-definition") markings.add(o.id);
    const key = o.id + "\0" + (o.modified ?? o.created ?? "");
    if (versions.has(key)) {
      add(`$.objects[${i}].id`, `duplicate of $.objects[${versions.get(key)}] (same id and modified)`);
    } else {
      versions.set(key, i);
    }
  });

  objects.forEach((o, i) => {
    const at = (p) => `$.objects[${i}]${p}`;
    if (!isObject(o)) {
      add(at(""), "not a JSON object");
      return;
    }
    // spec_version: required "2.1", except on SCOs where it is optional.
    if (!("spec_version" in o)) {
      if (!schemas.scoTypes.has(o.type)) add(at(".spec_version"), "required property is missing");
    } else if (o.spec_version !== "2.1") {
      add(at(".spec_version"), `must be "2.1" (got ${JSON.stringify(o.spec_version)})`);
    }

    checkId(at(".id"), o.id, typeof o.type === "string" ? o.type : undefined, add);

    const ts = {};
    for (const prop of ["created", "modified", "valid_from", "valid_until"]) {
      if (!(prop in o)) continue;
      ts[prop] = parseTimestamp(o[prop]);
      if (!ts[prop]) add(at(`.${prop}`), `'${o[prop]}' is not a valid STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s+]Z, real date)`);
    }
    if (ts.created && ts.modified && compareTimestamps(ts.created, ts.modified) > 0) {
      add(at(".modified"), `must be later than or equal to created (${o.created})`);
    }
    if (ts.valid_from && ts.valid_until && compareTimestamps(ts.valid_until, ts.valid_from) <= 0) {
      add(at(".valid_until"), `must be later than valid_from (${o.valid_from})`);
    }

    if ("created_by_ref" in o && typeof o.created_by_ref === "string") {
      if (!o.created_by_ref.startsWith("identity--")) {
        add(at(".created_by_ref"), `'${o.created_by_ref}' is not an identity id`);
      } else if (!identities.has(o.created_by_ref)) {
        add(at(".created_by_ref"), `identity '${o.created_by_ref}' is not in the bundle`);
      }
    }

    if (Array.isArray(o.object_marking_refs)) {
      o.object_marking_refs.forEach((ref, j) => {
        checkMarkingRef(at(`.object_marking_refs[${j}]`), ref, markings, add);
        if (o.type === "marking-definition" && ref === o.id) {
          add(at(`.object_marking_refs[${j}]`), "a marking definition cannot mark itself");
        }
      });
    }
    if (Array.isArray(o.granular_markings)) {
      o.granular_markings.forEach((g, j) => {
        if (isObject(g) && "marking_ref" in g) {
          checkMarkingRef(at(`.granular_markings[${j}].marking_ref`), g.marking_ref, markings, add);
        }
      });
    }

    if ("confidence" in o) {
      const c = o.confidence;
      if (!Number.isInteger(c) || c < 0 || c > 100) {
        add(at(".confidence"), `must be an integer from 0 to 100 (got ${JSON.stringify(c)})`);
      }
    }

    if (o.type === "marking-definition" && o.definition_type === "tlp" && !TLP1_OBJECTS.some((t) => sameJson(o, t))) {
      add(at(""), "definition_type \"tlp\" (TLP 1.0): must be exactly one of the four predefined STIX 2.1 TLP marking definitions, " +
        TLP1_OBJECTS.map((t) => `${t.name} ${t.id}`).join(", "));
    }
    if (o.id === TLP_CLEAR && !sameJson(o, TLP_CLEAR_OBJECT)) {
      add(at(""), `differs from the OASIS TLP:CLEAR marking definition ${JSON.stringify(TLP_CLEAR_OBJECT)}`);
    }

    if (o.type === "indicator" && o.pattern_type === "stix" && typeof o.pattern === "string") {
      for (const err of checkStixPattern(o.pattern)) add(at(".pattern"), `invalid STIX pattern: ${err}`);
    }
  });
}

// ---------------------------------------------------------------- driver

// Problems of one parsed bundle, as [{path, msg}].
//
// The bundle schema checks each element of "objects" against a oneOf of 36
// type schemas (plus a fallback for custom objects), i.e. ~36 times core.json
// per object: 0.4 ms an object, 41 s for 100,000 indicators. In the OASIS
// schemas the branches' "type" enums exclude each other and every type schema
// includes core.json (or cyber-observable-core.json), so an object that
// passes the schema of its own type always passes the bundle schema's
// element check. So by default the bundle schema is run on the bundle with
// such objects left out of "objects" (one is kept when all are, for
// minItems); the verdict is the same. --full-bundle-schema (fullBundleSchema)
// runs it on the bundle as it is.
export function validateBundle(bundle, schemas, { fullBundleSchema = false } = {}) {
  const schemaProblems = [];
  const ruleProblems = [];
  const addRule = (path, msg) => ruleProblems.push({ path, msg });
  const objects = isObject(bundle) && Array.isArray(bundle.objects) ? bundle.objects : null;

  // 1. Each object against the schema of its type.
  const passedOwnSchema = new Set();
  if (objects) {
    objects.forEach((o, i) => {
      if (!isObject(o)) return;
      const validate = schemas.byType.get(o.type);
      if (!validate) {
        schemaProblems.push({ path: `$.objects[${i}].type`, msg: `no OASIS schema for type ${JSON.stringify(o.type)}` });
      } else if (validate(o)) {
        passedOwnSchema.add(i);
      } else {
        schemaProblems.push(...ajvProblems(`$.objects[${i}]`, typeSchemaErrors(schemas, o, validate)));
      }
    });
  }

  // 2. The bundle schema (first error only).
  let view = bundle;
  if (!fullBundleSchema && objects && objects.length > 0) {
    const rest = objects.filter((_, i) => !passedOwnSchema.has(i));
    view = { ...bundle, objects: rest.length > 0 ? rest : [objects[0]] };
  }
  if (!schemas.bundle(view)) {
    // Envelope errors as reported; object errors located object by object.
    for (const e of schemas.bundle.errors) {
      if (!/^\/objects\/\d+/.test(e.instancePath)) schemaProblems.push(describeAjvError("$", e));
    }
    if (objects) {
      objects.forEach((o, i) => {
        const ownSchemaFailed = isObject(o) && schemas.byType.has(o.type) && !passedOwnSchema.has(i);
        // Those already have the precise errors of their own schema.
        if (ownSchemaFailed || (!fullBundleSchema && passedOwnSchema.has(i))) return;
        if (schemas.bundleItem(o)) return;
        schemaProblems.push({ path: `$.objects[${i}]`, msg: "does not match the bundle schema's definition of a STIX object" });
        schemaProblems.push(...ajvProblems(`$.objects[${i}]`, schemas.bundleItem.errors).slice(0, 5));
      });
    }
  }

  // 3 + 4. Patterns and spec rules.
  checkRules(bundle, schemas, addRule);

  // A rule problem says more than the schema error at the same path.
  const rulePaths = new Set(ruleProblems.map((p) => p.path));
  const all = [...schemaProblems.filter((p) => !rulePaths.has(p.path)), ...ruleProblems];
  const order = (p) => {
    const m = /^\$\.objects\[(\d+)\]/.exec(p.path);
    return m ? Number(m[1]) : -1;
  };
  return all
    .map((p, k) => ({ ...p, k }))
    .sort((a, b) => order(a) - order(b) || a.k - b.k)
    .map(({ path, msg }) => ({ path, msg }));
}

const USAGE = "usage: node validate_stix.mjs [--schema-dir DIR] [--full-bundle-schema] FILE...";

function main(argv) {
  let schemaDir = process.env.STIX_SCHEMA_DIR || join(HERE, "..", "data", "stix", "schemas");
  let fullBundleSchema = false;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--schema-dir") schemaDir = argv[++i];
    else if (argv[i].startsWith("--schema-dir=")) schemaDir = argv[i].slice("--schema-dir=".length);
    else if (argv[i] === "--full-bundle-schema") fullBundleSchema = true;
    else if (argv[i] === "-h" || argv[i] === "--help") {
      console.log(USAGE);
      return 0;
    } else files.push(argv[i]);
  }
  if (files.length === 0 || !schemaDir) {
    console.error(USAGE);
    return 2;
  }
  let schemas;
  try {
    schemas = loadSchemas(resolve(schemaDir));
  } catch (e) {
    console.error(`validate_stix: ${e.message}`);
    return 2;
  }
  let bad = false;
  for (const file of files) {
    let bundle;
    try {
      bundle = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      console.log(`${file}: $: cannot read as JSON: ${e.message}`);
      bad = true;
      continue;
    }
    const problems = validateBundle(bundle, schemas, { fullBundleSchema });
    if (problems.length === 0) {
      const n = isObject(bundle) && Array.isArray(bundle.objects) ? bundle.objects.length : 0;
      console.log(`${file}: OK (${n} objects)`);
    } else {
      bad = true;
      for (const p of problems) console.log(`${file}: ${p.path}: ${p.msg}`);
    }
  }
  return bad ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
