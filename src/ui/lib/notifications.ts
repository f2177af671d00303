import type { JobSummary } from '../../client';

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

/** A system notification for a finished job, only while the page is hidden and when allowed. */
export async function notifyOutcome(job: JobSummary, target: Document = document): Promise<void> {
  if (target.visibilityState !== 'hidden' || !notificationsSupported() || Notification.permission !== 'granted') return;
  const title = job.status === 'completed' ? `${job.label} completed` : `${job.label} failed`;
  const options: NotificationOptions = {
    body: job.error?.message ?? 'Open the Job Console to see the result.',
    tag: `errand-job-${job.id}`,
    data: { errandJobId: job.id },
    icon: `${import.meta.env.BASE_URL}icons/icon-192.png`,
    badge: `${import.meta.env.BASE_URL}icons/badge-96.png`,
  };
  try {
    const notification = new Notification(title, options);
    notification.onclick = () => {
      window.focus();
      target.location.hash = `#/jobs/${encodeURIComponent(job.id)}`;
      notification.close();
    };
  } catch {
    // Some platforms (Android Chrome) allow notifications only through the service worker.
    const registration = await navigator.serviceWorker?.getRegistration();
    await registration?.showNotification(title, options);
  }
}

/**
 * Opens a job's page when the service worker says its notification was clicked (see
 * `public/notification-click.js`). Returns the function that stops listening.
 */
export function openJobsFromNotificationClicks(
  open: (jobId: string) => void,
  container: ServiceWorkerContainer | undefined = typeof navigator === 'undefined'
    ? undefined
    : navigator.serviceWorker,
): () => void {
  if (!container) return () => undefined;
  const onMessage = (event: MessageEvent) => {
    const data = event.data as { type?: unknown; jobId?: unknown } | null;
    if (data?.type === 'errand:open-job' && typeof data.jobId === 'string') open(data.jobId);
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
