// STIX 2.1 pattern checker.
//
// Syntax: the OASIS ANTLR grammar (tests/data/stix/pattern_grammar/STIXPattern.g4, unchanged
// from oasis-open/cti-stix2-json-schemas pattern_grammar/), compiled to
// JavaScript by antlr-ng (see `npm run gen:pattern`) and run on the official
// `antlr4` JavaScript runtime.
//
// Semantics: the two extra checks that the OASIS reference validator
// (oasis-open/cti-pattern-validator, stix2patterns/v21/validator.py and
// object_validator.py) performs after a successful parse:
//   * no qualifier type (WITHIN, REPEATS, START/STOP) twice on one
//     observation expression;
//   * hash literals for known algorithms have the right length/alphabet.
// and one check of its own (not in the reference validator): string literals
// compared with =, != or IN to domain-name:value, ipv4-addr:value and
// ipv6-addr:value must be a hostname, an IPv4 address[/prefix] and an IPv6
// address[/prefix] respectively.

import { isIPv4, isIPv6 } from "node:net";
import { domainToASCII } from "node:url";
import antlr4 from "antlr4";
import STIXPatternLexer from "./generated/STIXPatternLexer.js";
import STIXPatternParser from "./generated/STIXPatternParser.js";
import STIXPatternListener from "./generated/STIXPatternListener.js";

const P = STIXPatternParser;

// Hash algorithm (upper-cased, '-' removed) -> test.  Mirrors the reference
// validator's HASHES_REGEX, with MD6's alternation written correctly.
const HEX = (...lengths) => (v) => /^[a-fA-F0-9]+$/.test(v) && lengths.includes(v.length);
const HASH_CHECKS = {
  MD5: HEX(32),
  MD6: HEX(32, 40, 56, 64, 96, 128),
  RIPEMD160: HEX(40),
  SHA1: HEX(40),
  SHA224: HEX(56),
  SHA256: HEX(64),
  SHA384: HEX(96),
  SHA512: HEX(128),
  SHA3224: HEX(56),
  SHA3256: HEX(64),
  SHA3384: HEX(96),
  SHA3512: HEX(128),
  SSDEEP: (v) => /^[a-zA-Z0-9/+:.]{1,128}$/.test(v),
  WHIRLPOOL: HEX(128),
};

/** RFC 5890 hostname in Unicode or A-label form (letters, digits, hyphens). */
export function isHostname(value) {
  if (typeof value !== "string" || value === "" || value.length > 253) return false;
  const ascii = domainToASCII(value);
  if (!ascii || ascii.length > 253) return false;
  return ascii.replace(/\.$/, "").split(".")
    .every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(l));
}

function withPrefix(isAddr, maxPrefix) {
  return (v) => {
    const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(v);
    return !!m && isAddr(m[1]) && (m[2] === undefined || Number(m[2]) <= maxPrefix);
  };
}

const VALUE_CHECKS = {
  "domain-name:value": isHostname,
  "ipv4-addr:value": withPrefix(isIPv4, 32),
  "ipv6-addr:value": withPrefix(isIPv6, 128),
};

class CollectingErrorListener extends antlr4.error.ErrorListener {
  constructor() {
    super();
    this.errors = [];
  }
  syntaxError(_recognizer, _offendingSymbol, line, column, msg) {
    this.errors.push(`syntax error at ${line}:${column}: ${msg}`);
  }
}

// 'it\'s' -> it's ; the grammar only allows \' and \\ as escapes.
function unquote(text) {
  return text.slice(1, -1).replace(/\\(['\\])/g, "$1");
}

// Flatten the left-recursive objectPathComponent tree into a list of steps:
// strings for keys, numbers for indexes, "*" for [*].
function pathSteps(ctx, out) {
  if (!ctx) return out;
  if (ctx instanceof P.PathStepContext) {
    for (const child of ctx.objectPathComponent()) pathSteps(child, out);
  } else if (ctx instanceof P.KeyPathStepContext) {
    const id = ctx.IdentifierWithoutHyphen();
    out.push(id ? id.getText() : unquote(ctx.StringLiteral().getText()));
  } else if (ctx instanceof P.IndexPathStepContext) {
    out.push(ctx.ASTERISK() ? "*" : Number(ctx.getText().slice(1, -1)));
  }
  return out;
}

function objectPath(ctx) {
  const first = ctx.firstPathComponent();
  const firstStep = first.IdentifierWithoutHyphen()
    ? first.IdentifierWithoutHyphen().getText()
    : unquote(first.StringLiteral().getText());
  return {
    type: ctx.objectType().getText(),
    steps: pathSteps(ctx.objectPathComponent(), [firstStep]),
  };
}

class SemanticListener extends STIXPatternListener {
  constructor() {
    super();
    this.errors = [];
    this.qualTypes = null; // Set while directly above a [...] expression
  }
  checkQualifier(kind) {
    if (this.qualTypes === null) return;
    if (this.qualTypes.has(kind)) {
      this.errors.push(`duplicate qualifier type encountered: ${kind}`);
    }
    this.qualTypes.add(kind);
  }
  exitObservationExpressionSimple() { this.qualTypes = new Set(); }
  exitObservationExpressionCompound() { this.qualTypes = null; }
  exitObservationExpressionWithin() { this.checkQualifier("WITHIN"); }
  exitObservationExpressionRepeated() { this.checkQualifier("REPEATS"); }
  exitObservationExpressionStartStop() { this.checkQualifier("STARTSTOP"); }

  checkHash(pathCtx, literalCtxs) {
    const { steps } = objectPath(pathCtx);
    if (!steps.includes("hashes")) return;
    const selector = steps[steps.length - 1];
    if (typeof selector !== "string" || selector === "hashes") return;
    const check = HASH_CHECKS[selector.toUpperCase().replace(/-/g, "")];
    if (!check) return;
    for (const lit of literalCtxs) {
      const text = lit.getText();
      if (!text.startsWith("'")) continue; // non-string literal: let it be
      const value = unquote(text);
      if (!check(value)) this.errors.push(`'${value}' is not a valid ${selector} hash`);
    }
  }
  checkValue(pathCtx, literalCtxs) {
    const { type, steps } = objectPath(pathCtx);
    const key = `${type}:${steps.join(".")}`;
    const check = VALUE_CHECKS[key];
    if (!check) return;
    for (const lit of literalCtxs) {
      const text = lit.getText();
      if (!text.startsWith("'")) continue;
      const value = unquote(text);
      if (!check(value)) this.errors.push(`'${value}' is not a valid ${key}`);
    }
  }
  exitPropTestEqual(ctx) {
    this.checkHash(ctx.objectPath(), [ctx.primitiveLiteral()]);
    this.checkValue(ctx.objectPath(), [ctx.primitiveLiteral()]);
  }
  exitPropTestSet(ctx) {
    this.checkHash(ctx.objectPath(), ctx.setLiteral().primitiveLiteral());
    this.checkValue(ctx.objectPath(), ctx.setLiteral().primitiveLiteral());
  }
}

/**
 * Parse a STIX 2.1 pattern.
 * @param {string} pattern
 * @returns {string[]} problems; empty when the pattern is valid.
 */
export function checkStixPattern(pattern) {
  if (typeof pattern !== "string") return ["pattern is not a string"];
  const listener = new CollectingErrorListener();
  const lexer = new STIXPatternLexer(new antlr4.InputStream(pattern));
  lexer.removeErrorListeners();
  lexer.addErrorListener(listener);
  const parser = new STIXPatternParser(new antlr4.CommonTokenStream(lexer));
  parser.removeErrorListeners();
  parser.addErrorListener(listener);
  const tree = parser.pattern();
  if (listener.errors.length > 0) return listener.errors;
  const semantic = new SemanticListener();
  antlr4.tree.ParseTreeWalker.DEFAULT.walk(semantic, tree);
  return semantic.errors;
}
