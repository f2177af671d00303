/**
 * The kit's Svelte 5 components, for an app of its own: the pill bar, the toasts and the outcome
 * watcher that feeds them. Their styles are in `styles/kit.css`. Importing this starts nothing
 * (no router, no listeners): each state begins work when it is connected.
 */
export { default as PillBar } from './components/PillBar.svelte';
export { PillBarState, PILL_READ_LIMIT, type PillView } from './components/pill-bar.svelte';
export { default as Toasts } from './components/Toasts.svelte';
export { ToastsState, type Toast, type ToastInput, type ToastKind } from './components/toasts.svelte';
export { describeOutcome, watchOutcomes, type OutcomeMessage } from './lib/job-outcomes';
export { OutcomeToasts, describeCounts, type OutcomeCounts, type OutcomeToastsOptions } from './lib/outcome-toasts';
export { consoleLinks, type JobLinks } from './lib/job-links';
