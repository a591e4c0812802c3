// Checks an adblock-syntax list with AdGuard's own libraries and prints
// what they make of it, as one JSON object:
//   {"metadata": {"Title": ..., "Expires": ...}, "rules": N, "invalid": [{line, text, error}]}
// The metadata is what @adguard/agtree's MetadataCommentParser extracts (it
// knows Title, Description, Homepage, License/Licence, Expires, Last
// Modified, Version, Checksum, TimeUpdated; any other "! Key:" line is a
// plain comment to it). Each rule is also built into a @adguard/tsurlfilter
// rule object, as AdGuard's browser extension does; its constructors
// refuse unknown or misused modifiers. Exit 1 when any line is invalid.
//
// Usage: node check_adblock.mjs LIST
import { readFileSync } from 'node:fs';
import { FilterListParser, defaultParserOptions } from '@adguard/agtree';
import { NetworkRule, HostRule, CosmeticRule } from '@adguard/tsurlfilter';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node check_adblock.mjs LIST\n');
  process.exit(2);
}
const content = readFileSync(file, 'utf8');
const list = FilterListParser.parse(content, {
  ...defaultParserOptions,
  tolerant: true, // an invalid line becomes an InvalidRule node with its error
  includeRaws: true,
  parseHostRules: true,
});

const metadata = {};
const invalid = [];
let rules = 0;
list.children.forEach((node, index) => {
  const line = index + 1;
  const text = node.raws?.text ?? '';
  if (node.category === 'Empty') return;
  if (node.category === 'Comment') {
    if (node.type === 'MetadataCommentRule' && !(node.header.value in metadata)) {
      metadata[node.header.value] = node.value.value;
    }
    return;
  }
  if (node.category === 'Invalid') {
    invalid.push({ line, text, error: node.error?.message ?? 'invalid rule' });
    return;
  }
  try {
    if (node.category === 'Cosmetic') new CosmeticRule(text, 1, 0, node);
    else if (node.type === 'HostRule') new HostRule(text, 1, 0, node);
    else if (node.category === 'Network') new NetworkRule(text, 1, 0, node);
    else throw new Error(`unexpected rule category ${node.category}`);
    rules += 1;
  } catch (error) {
    invalid.push({ line, text, error: error?.message ?? String(error) });
  }
});

process.stdout.write(`${JSON.stringify({ metadata, rules, invalid }, null, 2)}\n`);
process.exit(invalid.length > 0 ? 1 : 0);
