// JS port of crate/src/testgen.rs: fills `{hexN}`, `{alnumN}`, `{b64urlN}` holes with the same
// deterministic fake characters as the Rust side, so fixtures never store credential literals.
"use strict";

const MASK = (1n << 64n) - 1n;
const ALPHABETS = {
  hex: "0123456789abcdef",
  alnum: "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
  b64url: "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_",
};

function fill(template, seed) {
  let state = ((BigInt(seed) * 0x9e3779b97f4a7c15n) & MASK) | 1n;
  const next = () => {
    state ^= (state << 13n) & MASK;
    state ^= state >> 7n;
    state ^= (state << 17n) & MASK;
    return state;
  };
  let out = "";
  let rest = template;
  for (;;) {
    const open = rest.indexOf("{");
    if (open < 0) break;
    out += rest.slice(0, open);
    const after = rest.slice(open + 1);
    const close = after.indexOf("}");
    if (close < 0) {
      rest = "{" + after;
      break;
    }
    const match = /^(hex|alnum|b64url)(\d+)$/.exec(after.slice(0, close));
    if (match) {
      const alphabet = ALPHABETS[match[1]];
      for (let i = 0; i < Number(match[2]); i++) out += alphabet[Number(next() % BigInt(alphabet.length))];
      rest = after.slice(close + 1);
    } else {
      out += "{";
      rest = after;
    }
  }
  return out + rest;
}

module.exports = { fill };
