/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Shortest run of a secret's characters treated as a leak: servers echo keys partly masked. */
const FRAGMENT = 8;

/**
 * Removes `secret` from `text`, whole or in fragments: providers' error messages echo the key
 * they refused, sometimes with the middle starred out ("sk-abc123****wxyz"), so any word that
 * shares eight or more consecutive characters with the secret is redacted too.
 */
export function scrubSecret(text: string, secret: string): string {
  if (secret.length === 0) return text;
  let out = text.split(secret).join(REDACTED);
  if (secret.length < FRAGMENT) return out;
  out = out.replace(/[A-Za-z0-9_\-.~+/=]{8,}/g, (word) => (sharesFragment(word, secret) ? REDACTED : word));
  return out;
}

function sharesFragment(word: string, secret: string): boolean {
  for (let i = 0; i + FRAGMENT <= word.length; i++) {
    if (secret.includes(word.slice(i, i + FRAGMENT))) return true;
  }
  return false;
}
