import { describe, expect, it } from 'vitest';
import { browserCpu, coresBusy, CPU_KINDS, kindOf } from '../../bench/lib/cpu.mjs';

describe('where the bench says the CPU went', () => {
  it('sorts the threads of Chromium by the work they do', () => {
    expect(kindOf('browser', false, 'ThreadPoolForegroundWorker')).toBe('storage');
    expect(kindOf('browser', true, 'chromium')).toBe('other');
    expect(kindOf('browser', false, 'Chrome_IOThread')).toBe('other');
    expect(kindOf('renderer', true, 'chromium')).toBe('page');
    expect(kindOf('renderer', false, 'DedicatedWorker thread')).toBe('worker');
    expect(kindOf('renderer', false, 'Compositor')).toBe('compositing');
    expect(kindOf('renderer', false, 'ThreadPoolForegroundWorker')).toBe('compositing');
    expect(kindOf('renderer', false, 'Chrome_ChildIOThread')).toBe('other');
    expect(kindOf('gpu-process', false, 'VizCompositorThread')).toBe('compositing');
    expect(kindOf('utility', false, 'NetworkService')).toBe('other');
  });

  it('counts the cores busy between two readings, by kind and in all', () => {
    const before = { storage: 10, page: 5, worker: 2, compositing: 3, other: 1 };
    const after = { storage: 14, page: 6, worker: 3, compositing: 5, other: 1 };
    expect(coresBusy(before, after, 4)).toEqual({
      storage: 1,
      page: 0.25,
      worker: 0.25,
      compositing: 0.5,
      other: 0,
      total: 2,
    });
  });

  it('counts no time for a kind whose threads ended between the readings', () => {
    const before = { storage: 10, page: 5, worker: 2, compositing: 3, other: 1 };
    const after = { ...before, worker: 0.5 };
    expect(coresBusy(before, after, 2)?.worker).toBe(0);
  });

  it('gives no figures without both readings or a time between them', () => {
    const reading = { storage: 1, page: 1, worker: 1, compositing: 1, other: 1 };
    expect(coresBusy(undefined, reading, 4)).toBeUndefined();
    expect(coresBusy(reading, undefined, 4)).toBeUndefined();
    expect(coresBusy(reading, reading, 0)).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')(
    'reads every kind, at zero, when this process started no browser',
    async () => {
      const reading = await browserCpu();
      expect(reading).toEqual(Object.fromEntries(CPU_KINDS.map((kind) => [kind, 0])));
    },
  );
});
