import { toJobError, type Result } from '../shared';

/** An operation's value, or its error as a `JobError`: how every worker API call answers. */
export async function toResult<T>(operation: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await operation() };
  } catch (error) {
    return { ok: false, error: toJobError(error) };
  }
}
