/**
 * @param {Record<string, Record<string, number>[]>} collected group → figures of each run
 * @returns {Map<string, { median: number, min: number, max: number, runs: number[] }>}
 */
export function summarize(collected) {
  const byId = new Map();
  for (const figuresOfRuns of Object.values(collected)) {
    for (const figures of figuresOfRuns) {
      for (const [id, value] of Object.entries(figures)) {
        if (!byId.has(id)) byId.set(id, []);
        byId.get(id).push(value);
      }
    }
  }
  const summaries = new Map();
  for (const [id, values] of byId) {
    const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median =
      sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    summaries.set(id, { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN, runs: values });
  }
  return summaries;
}

function format(value, digits) {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const places = digits ?? (Math.abs(value) >= 100 ? 0 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
}

/**
 * Prints the table to stdout and returns its rows as data.
 * @param {import('./metrics.mjs').Metric[]} metrics
 * @param {Map<string, { median: number, min: number, max: number, runs: number[] }>} summaries
 * @param {Record<string, string>} problems group → why it did not run
 * @param {{ runs: number, machine: Record<string, unknown> }} context
 */
export function printTable(metrics, summaries, problems, context) {
  const median = (id) => summaries.get(id)?.median;
  const rows = [];
  const printed = [];
  const header = ['Scenario', 'Median', 'Min', 'Max', 'Unit', 'Compared with', 'Ratio', 'Target', 'Result'];
  const seenGroups = new Set();
  for (const metric of metrics) {
    const summary = summaries.get(metric.of ?? metric.id);
    if (!summary) {
      if (problems[metric.group] && !seenGroups.has(metric.group)) {
        seenGroups.add(metric.group);
        printed.push([`${metric.group}: could not run`, '', '', '', '', problems[metric.group], '', '', 'n/a']);
      }
      continue;
    }
    seenGroups.add(metric.group);
    const ref = metric.ref ? median(metric.ref) : undefined;
    const ratio = ref !== undefined && Number.isFinite(ref) && ref !== 0 ? summary.median / ref : undefined;
    const missingRef = metric.ref !== undefined && (ref === undefined || !Number.isFinite(ref));
    const pass =
      metric.target && !missingRef
        ? Number.isFinite(summary.median) && metric.target.pass(summary.median, ref, median)
        : undefined;
    const result = metric.target && missingRef ? 'n/a' : pass === undefined ? '' : pass ? 'pass' : 'FAIL';
    const compared = metric.ref
      ? `${metric.refLabel ?? metric.ref} ${missingRef ? '(not run)' : format(ref, metric.digits)}`
      : (metric.refLabel ?? '');
    rows.push({
      id: metric.id,
      label: metric.label,
      unit: metric.unit,
      ...summary,
      ref: metric.ref,
      refValue: ref,
      ratio,
      target: metric.target?.text,
      pass,
    });
    printed.push([
      metric.label,
      format(summary.median, metric.digits),
      format(summary.min, metric.digits),
      format(summary.max, metric.digits),
      metric.unit,
      compared,
      ratio === undefined ? '' : `${format(ratio, 2)}×`,
      metric.target?.text ?? '',
      result,
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...printed.map((row) => String(row[i]).length)));
  const line = (cells) =>
    `| ${cells.map((cell, i) => (i >= 1 && i <= 3 ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join(' | ')} |`;
  const { machine } = context;
  console.log(
    `\nErrand bench: ${context.runs} measured run(s) after a warm-up; ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GB, ${machine.chromium}, Node ${machine.node}\n`,
  );
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of printed) console.log(line(row));
  const failed = rows.filter((row) => row.pass === false).map((row) => row.label);
  console.log(
    `\n${rows.filter((row) => row.pass === true).length} targets met, ${failed.length} missed${failed.length ? `: ${failed.join('; ')}` : ''}.`,
  );
  for (const [group, why] of Object.entries(problems)) console.log(`${group} could not run: ${why}`);
  return rows;
}
