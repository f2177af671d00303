/** The kinds of thread the CPU figures are sorted into. */
export type CpuKind = 'storage' | 'page' | 'worker' | 'compositing' | 'other';

export const CPU_KINDS: readonly CpuKind[];

/** Which kind of work a thread of the browser does, from its process's type and its name. */
export function kindOf(processType: string, isMain: boolean, threadName: string): CpuKind;

/** CPU seconds used so far by the browser's threads, by kind, or undefined without /proc. */
export function browserCpu(): Promise<Record<CpuKind, number> | undefined>;

/** The cores busy between two readings `seconds` apart, by kind and in all (`total`). */
export function coresBusy(
  before: Record<CpuKind, number> | undefined,
  after: Record<CpuKind, number> | undefined,
  seconds: number,
): (Record<CpuKind, number> & { total: number }) | undefined;
