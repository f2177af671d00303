import type { JobSummary } from '../../client';
import { describeOutcome } from './job-outcomes';

const ASKED_KEY = 'errand:notifications-asked';

type BadgeNavigator = Navigator & {
  setAppBadge?: (count?: number) => Promise<void>;
  clearAppBadge?: () => Promise<void>;
};

/** True where the browser can show system notifications. */
export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

/** Asks for permission to notify; meant to run inside a user gesture. */
export async function requestNotificationPermission(): Promise<NotificationPermission> {
  if (!notificationsSupported()) return 'denied';
  try {
    localStorage.setItem(ASKED_KEY, '1');
  } catch {
    // Storage may be unavailable (private modes); asking again later is harmless.
  }
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

function alreadyAsked(): boolean {
  try {
    return localStorage.getItem(ASKED_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * Asks for notification permission once, on the first form the user submits (starting a job is
 * a submit), never on load: browsers ignore or penalise prompts without a gesture. Whether it
 * was asked before is read at that submit, not while the page starts: the first read of
 * `localStorage` waits on the browser process. Returns the function that stops listening.
 */
export function askForNotificationsOnFirstSubmit(target: Document = document): () => void {
  if (!notificationsSupported() || Notification.permission !== 'default') return () => undefined;
  const onSubmit = () => {
    target.removeEventListener('submit', onSubmit, { capture: true });
    if (Notification.permission === 'default' && !alreadyAsked()) void requestNotificationPermission();
  };
  target.addEventListener('submit', onSubmit, { capture: true });
  return () => target.removeEventListener('submit', onSubmit, { capture: true });
}

/**
 * Shows a system notification that `job` completed or failed, when the page is hidden and
 * permission was given; a click opens the job's page.
 */
export async function notifyOutcome(job: JobSummary, target: Document = document): Promise<void> {
  const { title } = describeOutcome(job);
  const body = job.error?.message ?? 'Open the Job Console to see the result.';
  await notify(title, body, `errand-job-${job.id}`, `#/jobs/${encodeURIComponent(job.id)}`, target, {
    errandJobId: job.id,
  });
}

/**
 * Shows, or puts in place of the one shown before, the notification that counts a burst of
 * finished jobs (see `OutcomeToasts`), when the page is hidden and permission was given: one
 * notification for the burst, where each job would have had one. A click opens `href`.
 */
export async function notifyCounts(
  counts: { readonly title: string; readonly body?: string; readonly href?: string },
  target: Document = document,
): Promise<void> {
  const { title, body = 'Open the Job Console to see them.', href } = counts;
  await notify(title, body, 'errand-jobs-burst', href, target, href === undefined ? {} : { errandHref: href });
}

async function notify(
  title: string,
  body: string,
  tag: string,
  href: string | undefined,
  target: Document,
  data: Record<string, string> = {},
): Promise<void> {
  if (target.visibilityState !== 'hidden' || !notificationsSupported() || Notification.permission !== 'granted') return;
  const options: NotificationOptions = {
    body,
    tag,
    data,
    icon: `${import.meta.env.BASE_URL}icons/icon-192.png`,
    badge: `${import.meta.env.BASE_URL}icons/badge-96.png`,
  };
  try {
    const notification = new Notification(title, options);
    notification.onclick = () => {
      window.focus();
      if (href !== undefined) target.location.hash = href;
      notification.close();
    };
  } catch {
    // Some platforms (Android Chrome) allow notifications only through the service worker.
    const registration = await navigator.serviceWorker?.getRegistration();
    await registration?.showNotification(title, options);
  }
}

/**
 * Opens the page a notification leads to when the service worker says it was clicked (see
 * `public/notification-click.js`): a job's page, or the list a burst's notification counts.
 * `navigate` is given the page's hash. Returns the function that stops listening.
 */
export function openJobsFromNotificationClicks(
  navigate: (hash: string) => void,
  container: ServiceWorkerContainer | undefined = typeof navigator === 'undefined'
    ? undefined
    : navigator.serviceWorker,
): () => void {
  if (!container) return () => undefined;
  const onMessage = (event: MessageEvent) => {
    const data = event.data as { type?: unknown; jobId?: unknown; href?: unknown } | null;
    if (data?.type === 'errand:open-job' && typeof data.jobId === 'string') {
      navigate(`#/jobs/${encodeURIComponent(data.jobId)}`);
    } else if (data?.type === 'errand:open' && typeof data.href === 'string' && data.href.startsWith('#/')) {
      navigate(data.href);
    }
  };
  container.addEventListener('message', onMessage);
  return () => container.removeEventListener('message', onMessage);
}

/** Shows the number of active jobs on the installed app's icon, where supported. */
export function setAppBadge(count: number): void {
  const nav = navigator as BadgeNavigator;
  if (!nav.setAppBadge || !nav.clearAppBadge) return;
  const done = count > 0 ? nav.setAppBadge(count) : nav.clearAppBadge();
  done.catch(() => undefined);
}
