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

/**
 * Why `value` cannot be the base URL of an OpenAI-compatible provider, or undefined when it can:
 * the page marks its field with it, and the runtime refuses to store such a setting.
 */
export function baseUrlProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return 'Enter the server’s base URL, e.g. https://api.openai.com/v1';
  if (/\s/.test(trimmed)) return 'A URL cannot contain spaces';
  const scheme = /^https?:\/\//i.test(trimmed);
  if (!URL.canParse(trimmed)) {
    return scheme
      ? 'This URL is not valid: check its host name and port'
      : 'Enter a full URL starting with http:// or https://';
  }
  if (!scheme) return 'The URL must start with http:// or https://';
  if (/^https?:\/\/[^/?#]*@/i.test(trimmed)) return 'Put the key in the API key field, not in the URL';
  const url = new URL(trimmed);
  // The runtime drops them from every call: a key passed as ?key=… would quietly go unsent.
  if (url.search !== '' || url.hash !== '') return 'Leave out the part from ? or #: the key goes in the API key field';
  // Each call adds its own path, which would then come twice.
  if (/\/(chat\/completions|models)\/?$/i.test(url.pathname)) {
    return 'Enter the base URL, without /chat/completions or /models, e.g. https://api.openai.com/v1';
  }
  return undefined;
}
