import { createRuntime, defineJobType, exposeRuntime } from '../../src/worker';

/** Waits `ms`, or rejects as soon as the job is cancelled, paused or timed out. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
      },
      { once: true },
    );
  });
}

/** Imports `files` notes one step each, checkpointing after each so a reload resumes there. */
export const importNotes = defineJobType<{ files: number; msPerFile: number }, { imported: number }, { next: number }>({
  type: 'import_notes',
  label: 'Import notes',
  concurrency: 1,
  async run(payload, ctx) {
    for (let file = ctx.state?.next ?? 0; file < payload.files; file++) {
      await ctx.step(`file ${file + 1}`, () => pause(payload.msPerFile, ctx.signal));
      await ctx.checkpoint({ next: file + 1 });
      ctx.progress((file + 1) / payload.files, `File ${file + 1} of ${payload.files}`);
    }
    return { imported: payload.files };
  },
});

exposeRuntime(createRuntime({ jobTypes: [importNotes], dbName: 'errand-embed-example' }));
