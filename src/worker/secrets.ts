/** Names of members that hold secrets: never returned from the worker, never logged. */
const SECRET_KEYS = ['apiKey'] as const;

/**
 * A setting as it may leave the worker: each secret member replaced by whether it is set and
 * its last four characters.
 */
export function redactSecrets(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of SECRET_KEYS) {
    if (!(key in out)) continue;
    const secret = out[key];
    delete out[key];
    const text = typeof secret === 'string' ? secret : '';
    out[`has${key[0]?.toUpperCase() ?? ''}${key.slice(1)}`] = text.length > 0;
    out[`${key}Hint`] = text.length > 8 ? `…${text.slice(-4)}` : text.length > 0 ? '…' : '';
  }
  return out;
}

/**
 * The value to store for an update: where the update leaves a secret out (the form shows a
 * mask, not the key), the stored secret is kept; an empty string clears it.
 */
export function keepStoredSecret(update: unknown, stored: unknown): unknown {
  if (typeof update !== 'object' || update === null || Array.isArray(update)) return update;
  const next: Record<string, unknown> = { ...(update as Record<string, unknown>) };
  for (const key of Object.keys(next)) if (/^(has[A-Z]\w*|\w+Hint)$/.test(key)) delete next[key];
  if (typeof stored !== 'object' || stored === null) return next;
  for (const key of SECRET_KEYS) {
    if (next[key] === undefined && key in stored) next[key] = (stored as Record<string, unknown>)[key];
  }
  return next;
}
