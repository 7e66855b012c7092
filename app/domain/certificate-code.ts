/**
 * Certificate verification codes: `ATN-XXXX-XXXX`, eight characters from an
 * alphabet without the characters people confuse when reading a code off
 * paper or saying it on the phone — no 0/O, 1/I/L, and no U (so the code
 * spells fewer words). 30 symbols, 8 positions: 30^8 ≈ 6.6 × 10^11 codes
 * (about 39 bits), drawn uniformly from crypto-random bytes, so a code cannot
 * be guessed from another one; the public verify routes are also rate-limited.
 * Pure: the caller passes the random bytes (docs/certificates.md).
 */

export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_PREFIX = "ATN";
export const CODE_LENGTH = 8;
/** Enough bytes that rejection sampling essentially never runs out (each byte is kept with p = 240/256). */
export const CODE_RANDOM_BYTES = 32;

const CODE_PATTERN = new RegExp(`^${CODE_PREFIX}-[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}$`);
// The largest multiple of the alphabet size that fits in a byte: bytes at or
// above it are skipped, so every symbol is equally likely (no modulo bias).
const LIMIT = Math.floor(256 / CODE_ALPHABET.length) * CODE_ALPHABET.length;

export class CodeRandomnessError extends Error {}

/** A code from random bytes (crypto.randomBytes(CODE_RANDOM_BYTES)); throws if the bytes run out. */
export function generateCertificateCode(bytes: Uint8Array): string {
  let symbols = "";
  for (const byte of bytes) {
    if (symbols.length === CODE_LENGTH) break;
    if (byte >= LIMIT) continue;
    symbols += CODE_ALPHABET[byte % CODE_ALPHABET.length];
  }
  if (symbols.length < CODE_LENGTH) throw new CodeRandomnessError("not enough random bytes for a certificate code");
  return formatCode(symbols);
}

function formatCode(symbols: string): string {
  return `${CODE_PREFIX}-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

export function isCertificateCode(value: string): boolean {
  return CODE_PATTERN.test(value);
}

/**
 * The canonical form of what someone typed: lower case, spaces, missing or
 * extra dashes and a missing `ATN` prefix are all accepted
 * ("atn 7k4q 92xd", "7K4Q92XD", "ATN-7K4Q-92XD"). Null when it cannot be a
 * code (wrong length, or a character outside the alphabet).
 */
export function normaliseCode(input: string): string | null {
  if (input.length > 64) return null;
  let compact = input.toUpperCase().replace(/[\s\-‐‑‒–—_.]/g, "");
  if (compact.length === CODE_PREFIX.length + CODE_LENGTH && compact.startsWith(CODE_PREFIX)) {
    compact = compact.slice(CODE_PREFIX.length);
  }
  if (compact.length !== CODE_LENGTH) return null;
  for (const ch of compact) if (!CODE_ALPHABET.includes(ch)) return null;
  return formatCode(compact);
}
