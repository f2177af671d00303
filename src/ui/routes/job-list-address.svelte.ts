import { ACTIVE_STATUSES, type JobListQuery } from '../../client';
import { jobsHref, router } from '../lib/router.svelte';
import { asStatus, RELATIONS, type ListFilter, type Relation } from './job-list-filter';

/**
 * The job list's filters as the location hash gives them (`status=`, `type=`, `dependsOn=` or
 * `parentId=`, `q=`), so that a reload, a link or Back shows the same list; and the address of
 * the list with one of them changed.
 */
export class JobListAddress {
  readonly status = $derived.by(() => {
    const route = router.current;
    return route.name === 'jobs' ? asStatus(route.query.get('status')) : undefined;
  });
  /** `status=active`: the jobs of the pill bar (running, waiting, paused), paged like the others. */
  readonly active = $derived.by(() => {
    const route = router.current;
    return route.name === 'jobs' && route.query.get('status') === 'active';
  });
  /** The status part of a list query: one status, the active ones, or none. */
  readonly statusFilter: Pick<JobListQuery, 'status' | 'statuses'> = $derived(
    this.active ? { statuses: ACTIVE_STATUSES } : this.status ? { status: this.status } : {},
  );
  readonly type = $derived.by(() => {
    const route = router.current;
    return route.name === 'jobs' ? (route.query.get('type') ?? undefined) || undefined : undefined;
  });
  /** Which relation the address names, and to which job: plain values, so that the list follows their changes only. */
  readonly #relationKey = $derived.by(() => {
    const route = router.current;
    return route.name === 'jobs' ? RELATIONS.find((key) => route.query.get(key)) : undefined;
  });
  readonly #relationId = $derived.by(() => {
    const route = router.current;
    return route.name === 'jobs' && this.#relationKey ? route.query.get(this.#relationKey) : null;
  });
  /**
   * `dependsOn=<id>` or `parentId=<id>`: only the jobs that depend on that job, or that it
   * enqueued (a job page's Related jobs lead here). The first of the two in the address counts.
   */
  readonly relation: Relation | undefined = $derived(
    this.#relationKey && this.#relationId ? { key: this.#relationKey, id: this.#relationId } : undefined,
  );
  /** What the list shows, but for the search: the status, type and relation filters as one query. */
  readonly filter: ListFilter = $derived({
    ...this.statusFilter,
    ...(this.type && { type: this.type }),
    ...(this.relation && { [this.relation.key]: this.relation.id }),
  });
  /** The search in the address (`q=`), so that a reload, a link or Back keeps it. */
  readonly addressQuery = $derived.by(() => {
    const route = router.current;
    return route.name === 'jobs' ? (route.query.get('q') ?? '') : '';
  });

  /**
   * The address of the list with its filters as they are and the search `q`, with `change`
   * applied (an empty value drops a part).
   */
  protected listHref(q: string, change: { readonly [part: string]: string }): string {
    const parts = {
      status: this.active ? 'active' : (this.status ?? ''),
      type: this.type ?? '',
      ...(this.relation && { [this.relation.key]: this.relation.id }),
      q,
      ...change,
    };
    return jobsHref(Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== '')));
  }
}
