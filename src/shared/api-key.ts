/**
 * Why `key` cannot be an API key, or undefined when it can (an empty key is none; spaces around
 * it are not part of it). A key travels in an HTTP header, `Authorization: Bearer …`: the browser
 * refuses to send a character outside Latin-1 there, and providers issue keys of plain ASCII, so
 * anything else (a curly quote, a hidden character picked up in a copy) would fail every call
 * with a network error that names neither the key nor the field.
 */
export function apiKeyProblem(key: string): string | undefined {
  const trimmed = key.trim();
  if (/^bearer\s/i.test(trimmed)) return 'Enter the key alone, without “Bearer”';
  if (/\s/.test(trimmed)) return 'An API key has no spaces: paste the key alone';
  const odd = [...trimmed].find((char) => char < '!' || char > '~');
  if (odd === undefined) return undefined;
  const code = `U+${(odd.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  const shown = /[\p{C}\p{Z}]/u.test(odd) ? `an invisible character (${code})` : `“${odd}” (${code})`;
  return `This key has ${shown}, which no API key has: copy it again from where it was issued`;
}
