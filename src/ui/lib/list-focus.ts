import { focusFellToPage, followFocusWithin } from './focus-within';

/** The control in a list that has the focus: its row's place and job, and which of the row's controls it is. */
interface FocusedControl {
  readonly element: HTMLElement;
  readonly index: number;
  readonly label: string;
  readonly control: string;
}

/** A selector for the same control in another row. */
function controlOf(element: HTMLElement): string {
  const nudge = element.getAttribute('data-nudge');
  if (nudge) return `[data-nudge="${nudge}"]`;
  if (element.hasAttribute('data-reorder')) return '[data-reorder]';
  if (element.matches('input[type="checkbox"]')) return 'input[type="checkbox"]';
  return 'a[href]';
}

/**
 * Keeps the focus in the job list `table` when a job leaves it: a job that leaves the list while
 * one of its row's controls has the focus (it finished, started, or was removed in another tab)
 * takes its row away; the focus then goes to the same control of the row now in its place (or
 * to the page's main region), and `onLeft` is told the job's label, for the list to say it left.
 * Rows are `[role="row"][data-job-id]` with `aria-rowindex` (the header row is 1). Returns the stop.
 */
export function keepListFocus(table: HTMLElement, onLeft: (label: string) => void): () => void {
  let focused: FocusedControl | undefined;
  const onFocus = (event: FocusEvent) => {
    const element = event.target instanceof HTMLElement ? event.target : undefined;
    const row = element?.closest<HTMLElement>('[role="row"][data-job-id]');
    if (!element || !row) {
      focused = undefined;
      return;
    }
    const index = Number(row.getAttribute('aria-rowindex')) - 2;
    const label = row.querySelector('.c-label a')?.textContent ?? 'The job';
    focused = { element, index, label, control: controlOf(element) };
  };
  const observer = new MutationObserver(() => {
    const left = focused;
    if (!left || left.element.isConnected || !focusFellToPage()) return;
    focused = undefined;
    const rows = [...table.querySelectorAll<HTMLElement>('[role="row"][data-job-id]')];
    const row =
      rows.find((candidate) => Number(candidate.getAttribute('aria-rowindex')) - 2 >= left.index) ?? rows.at(-1);
    const target = row?.querySelector<HTMLElement>(left.control) ?? row?.querySelector<HTMLElement>('a[href]');
    onLeft(left.label);
    (target ?? document.getElementById('main'))?.focus({ preventScroll: true });
  });
  table.addEventListener('focusin', onFocus);
  observer.observe(table, { childList: true, subtree: true });
  const stopFollowing = followFocusWithin(
    () => table,
    (inside) => {
      if (!inside) focused = undefined;
    },
  );
  return () => {
    table.removeEventListener('focusin', onFocus);
    observer.disconnect();
    stopFollowing();
  };
}
