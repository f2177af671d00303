/**
 * A canonical JSON text: object keys sorted, `undefined` members dropped, so two requests
 * that mean the same thing give the same text whatever order their keys were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value, 0));
}

const MAX_DEPTH = 64;

function canonicalize(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new TypeError('Value is nested too deeply to fingerprint');
  if (Array.isArray(value)) return value.map((item) => canonicalize(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = canonicalize(member, depth + 1);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Lowercase hex SHA-256 of a text, with Web Crypto (windows, workers and Node alike). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The fingerprint of a request: SHA-256 of its canonical form. */
export function fingerprintOf(request: unknown): Promise<string> {
  return sha256Hex(canonicalJson(request));
}
