import { describe, expectTypeOf, it } from 'vitest';
import type { JobError, JobRecord, Result, WorkerApi } from '../../src/shared';

/** True only for data that survives structured clone: no functions, no class instances with methods. */
type Cloneable<T> = T extends (...args: never[]) => unknown
  ? false
  : T extends object
    ? { [K in keyof T]: Cloneable<T[K]> }[keyof T] extends false
      ? false
      : true
    : true;

describe('the worker boundary', () => {
  it('every method resolves to data, never throws typed errors across', () => {
    expectTypeOf<Awaited<ReturnType<WorkerApi['enqueue']>>>().toEqualTypeOf<Result<JobRecord>>();
    expectTypeOf<Result<JobRecord>>().toMatchTypeOf<{ ok: boolean }>();
    expectTypeOf<Extract<Result<JobRecord>, { ok: false }>['error']>().toEqualTypeOf<JobError>();
  });

  it('records and errors are plain data', () => {
    expectTypeOf<Cloneable<JobRecord>>().toEqualTypeOf<true>();
    expectTypeOf<Cloneable<JobError>>().toEqualTypeOf<true>();
  });
});
