import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { ErrandError } from '../../src/shared';
import { mapStorageError } from '../../src/store';

/** A DOMException as IndexedDB raises it. */
function domError(name: string, message: string): Error {
  return new DOMException(message, name);
}

describe('mapStorageError', () => {
  it('says a site whose storage the browser denies cannot run jobs (unsupported), through Dexie wrappers too', () => {
    const denied = domError('UnknownError', 'The user denied permission to access the database.');
    const cases: unknown[] = [
      denied,
      new Dexie.OpenFailedError(denied),
      new Dexie.DatabaseClosedError(denied),
      domError(
        'SecurityError',
        "Failed to execute 'open' on 'IDBFactory': access to the Indexed Database API is denied in this context.",
      ),
    ];
    for (const error of cases) {
      expect(mapStorageError(error)).toMatchObject({
        name: 'UnsupportedContextError',
        code: 'unsupported',
        message: expect.stringMatching(
          /^Jobs cannot run in this browser context: the browser does not let this site store data/,
        ),
      });
    }
  });

  it('keeps the other failures as they were: quota, clone, version, and any other UnknownError as storage', () => {
    expect(mapStorageError(domError('QuotaExceededError', 'full')).code).toBe('quota-exceeded');
    expect(mapStorageError(domError('DataCloneError', 'no')).code).toBe('data-clone');
    expect(mapStorageError(new Dexie.DatabaseClosedError()).code).toBe('version');
    const other = mapStorageError(domError('UnknownError', 'Internal error opening backing store'));
    expect(other).toBeInstanceOf(ErrandError);
    expect(other.code).toBe('storage');
  });
});
