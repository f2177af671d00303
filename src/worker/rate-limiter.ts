import type { RateLimitOptions } from './define-job-type';

/**
 * Start limits per group of types (a group is usually one service): a sliding window of `max`
 * starts per `intervalMs`, plus holds set when the service answered "too many requests"
 * (every job of the group waits until then).
 */
export class RateLimiter {
  private readonly starts = new Map<string, number[]>();
  private readonly holds = new Map<string, number>();
  private readonly limits: Map<string, RateLimitOptions>;

  constructor(limits: ReadonlyMap<string, RateLimitOptions>) {
    this.limits = new Map(limits);
  }

  /** Changes a group's limit (from the settings); undefined lifts it. */
  setLimit(group: string, limit: RateLimitOptions | undefined): void {
    if (limit) this.limits.set(group, limit);
    else this.limits.delete(group);
  }

  /** Starts of `type` still allowed at `now` (Infinity when unlimited). */
  available(group: string, now: number): number {
    const held = this.holds.get(group);
    if (held !== undefined && held > now) return 0;
    const limit = this.limits.get(group);
    if (!limit) return Infinity;
    return Math.max(0, limit.max - this.recent(group, limit, now).length);
  }

  recordStart(group: string, now: number): void {
    const limit = this.limits.get(group);
    if (!limit) return;
    const recent = this.recent(group, limit, now);
    recent.push(now);
    this.starts.set(group, recent);
  }

  hold(group: string, until: number): void {
    this.holds.set(group, Math.max(until, this.holds.get(group) ?? 0));
  }

  /** When `group`, limited now, may start again; undefined when it may start now. */
  availableAt(group: string, now: number): number | undefined {
    if (this.available(group, now) > 0) return undefined;
    const held = this.holds.get(group);
    let at = held !== undefined && held > now ? held : undefined;
    const limit = this.limits.get(group);
    if (limit) {
      const recent = this.recent(group, limit, now);
      const oldest = recent[0];
      if (recent.length >= limit.max && oldest !== undefined) at = Math.max(at ?? 0, oldest + limit.intervalMs);
    }
    return at;
  }

  /** When a type that is limited now may start again; undefined if none is limited. */
  nextChange(now: number): number | undefined {
    let next: number | undefined;
    const consider = (at: number) => {
      if (at > now && (next === undefined || at < next)) next = at;
    };
    for (const until of this.holds.values()) consider(until);
    for (const [group, limit] of this.limits) {
      const recent = this.recent(group, limit, now);
      const oldest = recent[0];
      if (recent.length >= limit.max && oldest !== undefined) consider(oldest + limit.intervalMs);
    }
    return next;
  }

  private recent(group: string, limit: RateLimitOptions, now: number): number[] {
    return (this.starts.get(group) ?? []).filter((at) => at > now - limit.intervalMs);
  }
}
