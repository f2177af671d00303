/** Keys whose values are never exported, at any depth. */
const SECRET_KEY = /^(api[-_]?key|authorization|password|secret|access[-_]?token|refresh[-_]?token)$/i;
const MAX_DEPTH = 32;

/** Placeholder of a removed secret. */
export const REDACTED = '[redacted]';

export interface ExportValueOptions {
  /** Strings longer than this are cut, saying how long they were. @default unlimited */
  readonly maxStringLength?: number;
}

/**
 * A JSON-safe copy of stored data for an export: secrets (`apiKey` and the like) are
 * replaced by `[redacted]`, Blobs by a description, dates by ISO strings, cycles and very
 * deep nesting by markers. Stored data may hold any structured-cloneable value, and
 * `JSON.stringify` would drop or choke on several of them.
 */
export function toExportValue(value: unknown, options: ExportValueOptions = {}): unknown {
  const seen = new WeakSet<object>();
  const limit = options.maxStringLength ?? Infinity;

  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string')
      return item.length > limit ? `${item.slice(0, limit)}… [${item.length} characters]` : item;
    if (typeof item === 'number') return Number.isFinite(item) ? item : String(item);
    if (typeof item === 'bigint') return item.toString();
    if (item === null || typeof item === 'boolean') return item;
    if (typeof item !== 'object') return undefined;
    if (item instanceof Date) return Number.isNaN(item.getTime()) ? null : item.toISOString();
    if (item instanceof Blob) return { blob: { size: item.size, type: item.type } };
    if (seen.has(item)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[too deep]';
    seen.add(item);
    try {
      if (Array.isArray(item)) return item.map((entry) => walk(entry, depth + 1) ?? null);
      if (item instanceof Map)
        return walk(Object.fromEntries([...item.entries()].map(([k, v]) => [String(k), v])), depth + 1);
      if (item instanceof Set) return walk([...item], depth + 1);
      if (ArrayBuffer.isView(item) || item instanceof ArrayBuffer) return { bytes: item.byteLength };
      const copy: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(item)) {
        const exported = SECRET_KEY.test(key) ? REDACTED : walk(entry, depth + 1);
        if (exported !== undefined) copy[key] = exported;
      }
      return copy;
    } finally {
      seen.delete(item);
    }
  };
  return walk(value, 0);
}
