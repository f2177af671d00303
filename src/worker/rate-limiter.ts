import type { RateLimitOptions } from './define-job-type';

/**
 * Per-type start limits: a sliding window of `max` starts per `intervalMs`, plus holds set
 * when a service answered "too many requests" (every job of the type waits until then).
 */
export class RateLimiter {
  private readonly starts = new Map<string, number[]>();
  private readonly holds = new Map<string, number>();

  constructor(private readonly limits: ReadonlyMap<string, RateLimitOptions>) {}

  /** Starts of `type` still allowed at `now` (Infinity when unlimited). */
  available(type: string, now: number): number {
    const held = this.holds.get(type);
    if (held !== undefined && held > now) return 0;
    const limit = this.limits.get(type);
    if (!limit) return Infinity;
    return Math.max(0, limit.max - this.recent(type, limit, now).length);
  }

  recordStart(type: string, now: number): void {
    const limit = this.limits.get(type);
    if (!limit) return;
    const recent = this.recent(type, limit, now);
    recent.push(now);
    this.starts.set(type, recent);
  }

  hold(type: string, until: number): void {
    this.holds.set(type, Math.max(until, this.holds.get(type) ?? 0));
  }

  /** When a type that is limited now may start again; undefined if none is limited. */
  nextChange(now: number): number | undefined {
    let next: number | undefined;
    const consider = (at: number) => {
      if (at > now && (next === undefined || at < next)) next = at;
    };
    for (const until of this.holds.values()) consider(until);
    for (const [type, limit] of this.limits) {
      const recent = this.recent(type, limit, now);
      const oldest = recent[0];
      if (recent.length >= limit.max && oldest !== undefined) consider(oldest + limit.intervalMs);
    }
    return next;
  }

  private recent(type: string, limit: RateLimitOptions, now: number): number[] {
    return (this.starts.get(type) ?? []).filter((at) => at > now - limit.intervalMs);
  }
}
