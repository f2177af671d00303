/**
 * Where the machine's CPU went while a UI figure was measured: the CPU time of the browser the
 * bench started, read from Linux's /proc for every process this one started, and sorted by the
 * kind of thread that used it. A scrolling rate or a long task says how the page fared; on a
 * two-core machine that mostly depends on what the other threads left it, which this tells.
 * Elsewhere than Linux there is no /proc, and the figures are left out.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** The kinds of thread the figures are sorted into, in the order the table prints them. */
export const CPU_KINDS = ['storage', 'page', 'worker', 'compositing', 'other'];

/** /proc's CPU times count ticks of this many per second. */
const TICKS_PER_SECOND = ticksPerSecond();

function ticksPerSecond() {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

async function read(path) {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `/proc/<id>/stat`'s fields after the command name (which may hold spaces), and that name. */
function statFields(stat) {
  const close = stat.lastIndexOf(')');
  return { name: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
}

/**
 * Which kind of work a thread of the browser does. Chromium names its threads: IndexedDB and
 * LevelDB (with its compactions) run in the browser process's thread pool; a page's script and
 * layout on its renderer's main thread; a dedicated worker on a thread of its own; drawing on the
 * renderer's compositor and raster threads and in the GPU process (software, here).
 */
export function kindOf(processType, isMain, threadName) {
  if (processType === 'browser') return threadName.startsWith('ThreadPoolForeg') ? 'storage' : 'other';
  if (processType === 'renderer') {
    if (isMain) return 'page';
    if (threadName.startsWith('DedicatedWorker')) return 'worker';
    if (threadName.startsWith('Compositor') || threadName.startsWith('ThreadPoolForeg')) return 'compositing';
    return 'other';
  }
  if (processType === 'gpu-process') return 'compositing';
  return 'other';
}

/** The processes started by this one, and by them, at any depth. */
async function descendants() {
  const parentOf = new Map();
  const ids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    ids.map(async (id) => {
      const stat = await read(`/proc/${id}/stat`);
      if (stat) parentOf.set(Number(id), Number(statFields(stat).fields[1]));
    }),
  );
  const found = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [id, parent] of parentOf) {
      if (!found.has(id) && found.has(parent)) {
        found.add(id);
        grew = true;
      }
    }
  }
  found.delete(process.pid);
  return [...found];
}

/**
 * CPU seconds used so far by the browser's threads, by kind, or undefined without /proc.
 * @returns {Promise<Record<string, number> | undefined>}
 */
export async function browserCpu() {
  try {
    await readdir('/proc/self/task');
  } catch {
    return undefined;
  }
  const ticks = Object.fromEntries(CPU_KINDS.map((kind) => [kind, 0]));
  for (const pid of await descendants()) {
    const commandLine = await read(`/proc/${pid}/cmdline`);
    if (commandLine === undefined || !/chrom/i.test(commandLine.split('\0')[0] ?? '')) continue;
    const processType = /--type=([a-z-]+)/.exec(commandLine)?.[1] ?? 'browser';
    let threads;
    try {
      threads = await readdir(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of threads) {
      const stat = await read(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      const { name, fields } = statFields(stat);
      // utime and stime: fields 14 and 15 of stat, counted from the state (field 3) here.
      const used = Number(fields[11]) + Number(fields[12]);
      ticks[kindOf(processType, tid === String(pid), name)] += used;
    }
  }
  return Object.fromEntries(Object.entries(ticks).map(([kind, n]) => [kind, n / TICKS_PER_SECOND]));
}

/**
 * The cores the browser's threads kept busy between two readings of `browserCpu`, `seconds`
 * apart: by kind, and in all (`total`).
 * @param {Record<string, number> | undefined} before
 * @param {Record<string, number> | undefined} after
 * @param {number} seconds
 * @returns {Record<string, number> | undefined}
 */
export function coresBusy(before, after, seconds) {
  if (!before || !after || !(seconds > 0)) return undefined;
  const busy = Object.fromEntries(CPU_KINDS.map((kind) => [kind, Math.max(0, after[kind] - before[kind]) / seconds]));
  return { ...busy, total: CPU_KINDS.reduce((sum, kind) => sum + busy[kind], 0) };
}
