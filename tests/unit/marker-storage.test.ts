import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultMarkerStorage, forgetStoreMarker } from '../../src/client/marker-storage';
import { markerKey } from '../../src/client/store-reset';
import { MemoryStorage } from '../helpers/harness';

/** The origin private file system, in memory: one directory of text files. */
class FakeDirectory {
  readonly files = new Map<string, string>();
  refuseWrites = false;
  async getFileHandle(name: string, options: { create?: boolean } = {}): Promise<FakeFileHandle> {
    if (!this.files.has(name) && !options.create) throw new DOMException(`${name} not found`, 'NotFoundError');
    return new FakeFileHandle(this, name);
  }
  async removeEntry(name: string): Promise<void> {
    if (!this.files.delete(name)) throw new DOMException(`${name} not found`, 'NotFoundError');
  }
}

class FakeFileHandle {
  constructor(
    private readonly directory: FakeDirectory,
    private readonly name: string,
  ) {}
  async getFile(): Promise<Blob> {
    const text = this.directory.files.get(this.name);
    if (text === undefined) throw new DOMException(`${this.name} not found`, 'NotFoundError');
    return new Blob([text]);
  }
  async createWritable() {
    if (this.directory.refuseWrites) throw new DOMException('No writes here', 'NoModificationAllowedError');
    // Like the browser's: nothing reaches the file before `close`.
    let written = '';
    return {
      write: async (text: string) => void (written += text),
      close: async () => void this.directory.files.set(this.name, written),
    };
  }
}

class FakeLocalStorage extends MemoryStorage {
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const KEY = markerKey('errand-console');
const FILE = `${encodeURIComponent(KEY)}.json`;
let directory: FakeDirectory;
let local: FakeLocalStorage;

beforeEach(() => {
  directory = new FakeDirectory();
  local = new FakeLocalStorage();
  vi.stubGlobal('navigator', { storage: { getDirectory: () => Promise.resolve(directory) } });
  vi.stubGlobal('FileSystemFileHandle', FakeFileHandle);
  vi.stubGlobal('localStorage', local);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('defaultMarkerStorage', () => {
  it('writes the marker to a file and to localStorage, and reads the file first', async () => {
    const storage = defaultMarkerStorage();
    await storage?.setItem(KEY, '{"id":"a"}');
    expect(directory.files.get(FILE)).toBe('{"id":"a"}');
    expect(local.getItem(KEY)).toBe('{"id":"a"}');
    local.setItem(KEY, '{"id":"older"}');
    expect(await storage?.getItem(KEY)).toBe('{"id":"a"}');
  });

  it('reads localStorage where no file was written yet (a marker kept by an earlier version)', async () => {
    local.setItem(KEY, '{"id":"kept"}');
    expect(await defaultMarkerStorage()?.getItem(KEY)).toBe('{"id":"kept"}');
    expect(await defaultMarkerStorage()?.getItem(markerKey('another'))).toBeNull();
  });

  it('drops a file it could not rewrite, so an older value in it is not read over the new one', async () => {
    const storage = defaultMarkerStorage();
    await storage?.setItem(KEY, '{"id":"a"}');
    directory.refuseWrites = true;
    await storage?.setItem(KEY, '{"id":"b"}');
    expect(directory.files.has(FILE)).toBe(false);
    expect(await storage?.getItem(KEY)).toBe('{"id":"b"}');
  });

  it('fails a write that reached neither place', async () => {
    vi.stubGlobal('localStorage', undefined);
    directory.refuseWrites = true;
    await expect(defaultMarkerStorage()?.setItem(KEY, '{"id":"a"}')).rejects.toMatchObject({
      name: 'NoModificationAllowedError',
    });
  });

  it('is localStorage itself where files cannot be written, and nothing where neither can', () => {
    vi.stubGlobal('FileSystemFileHandle', class {});
    expect(defaultMarkerStorage()).toBe(local);
    vi.stubGlobal('localStorage', undefined);
    expect(defaultMarkerStorage()).toBeUndefined();
  });
});

describe('forgetStoreMarker', () => {
  it('removes the file and the localStorage item of one database, and is fine when there are none', async () => {
    await defaultMarkerStorage()?.setItem(KEY, '{"id":"a"}');
    await defaultMarkerStorage()?.setItem(markerKey('other'), '{"id":"o"}');
    await forgetStoreMarker('errand-console');
    expect(directory.files.has(FILE)).toBe(false);
    expect(local.getItem(KEY)).toBeNull();
    expect(await defaultMarkerStorage()?.getItem(markerKey('other'))).toBe('{"id":"o"}');
    await expect(forgetStoreMarker('errand-console')).resolves.toBeUndefined();
  });
});
