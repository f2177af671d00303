import type { ErrandClient, JobListQuery, JobRecord } from '../../client';

/** Matches a label search collects before it stops. */
export const SEARCH_CAP = 1000;
/**
 * A search reads pages of the list, each one larger than the last. `list` pages by offset, which
 * the store skips natively but from the start each time, so fewer, larger pages cost less.
 */
export const SEARCH_CHUNK = { first: 400, max: 5000 } as const;

/** What a label search has found after a chunk. */
export interface SearchProgress {
  /** Matches so far, newest first (at most a chunk past `SEARCH_CAP`). */
  readonly found: readonly JobRecord[];
  /** Jobs read so far. */
  readonly scanned: number;
}

/** Yields to the event loop so that a long scan never holds the main thread. */
function yieldToMain(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Reads the jobs of `filter` newest first in growing chunks, yielding between them, and reports
 * after each chunk the ones whose label contains `text` (already lower case). Stops at the end of
 * the list, at `SEARCH_CAP` matches, or as soon as `current()` says the search was replaced.
 * Resolves true when it finished, false when it was replaced.
 */
export async function searchLabels(
  client: Pick<ErrandClient, 'list'>,
  text: string,
  filter: Omit<JobListQuery, 'offset' | 'limit'>,
  current: () => boolean,
  onProgress: (progress: SearchProgress) => void,
): Promise<boolean> {
  const found: JobRecord[] = [];
  for (
    let offset = 0, size: number = SEARCH_CHUNK.first;
    ;
    offset += size, size = Math.min(size * 2, SEARCH_CHUNK.max)
  ) {
    if (!current()) return false;
    const chunk = await client.list({ ...filter, offset, limit: size });
    if (!current()) return false;
    for (const job of chunk) if (job.label.toLowerCase().includes(text)) found.push(job);
    onProgress({ found, scanned: offset + chunk.length });
    if (chunk.length < size || found.length >= SEARCH_CAP) return true;
    await yieldToMain();
  }
}

/** Newest first, as the list reads: creation time, then id (time-ordered) for jobs made together. */
function newerFirst(a: JobRecord, b: JobRecord): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * A search's matches with `arrived` joined in (jobs that came to match after the scan read past
 * them, or before it reached them): each job once, where `arrived` holds it its version, newest
 * first, at most `SEARCH_CAP`.
 */
export function joinMatches(found: readonly JobRecord[], arrived: ReadonlyMap<string, JobRecord>): JobRecord[] {
  if (arrived.size === 0) return found.slice(0, SEARCH_CAP);
  const joined = found.filter((job) => !arrived.has(job.id));
  joined.push(...arrived.values());
  return joined.sort(newerFirst).slice(0, SEARCH_CAP);
}

/**
 * A running search's matches as jobs change under it: the ones that left it (removed, or out of
 * its filters) stay out of what the scan still reports, and the ones that came to match it join.
 */
export class SearchMatches {
  readonly #left = new Set<string>();
  readonly #arrived = new Map<string, JobRecord>();

  clear(): void {
    this.#left.clear();
    this.#arrived.clear();
  }

  /** What the scan found so far, as the matches stand now. */
  found(found: readonly JobRecord[]): JobRecord[] {
    return joinMatches(
      found.filter((job) => !this.#left.has(job.id)),
      this.#arrived,
    );
  }

  /** `matches` with `jobs` joined in: they came to match the search. */
  arrive(matches: readonly JobRecord[], jobs: readonly JobRecord[]): JobRecord[] {
    for (const job of jobs) {
      this.#arrived.set(job.id, job);
      this.#left.delete(job.id);
    }
    return joinMatches(matches, this.#arrived);
  }

  /** `matches` without job `id`: it left the search. */
  leave(matches: readonly JobRecord[], id: string): JobRecord[] {
    this.#left.add(id);
    this.#arrived.delete(id);
    return matches.filter((job) => job.id !== id);
  }
}
