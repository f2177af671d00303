import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  askForNotificationsOnFirstSubmit,
  notifyCounts,
  openJobsFromNotificationClicks,
} from '../../src/ui/lib/notifications';

/** A browser with notifications not yet allowed or denied, and a `localStorage` that counts its reads. */
function browser(asked: boolean) {
  const items = new Map<string, string>(asked ? [['errand:notifications-asked', '1']] : []);
  const storage = {
    reads: 0,
    getItem(key: string) {
      storage.reads += 1;
      return items.get(key) ?? null;
    },
    setItem(key: string, value: string) {
      items.set(key, value);
    },
  };
  const notification = { permission: 'default', requestPermission: vi.fn(() => Promise.resolve('granted')) };
  vi.stubGlobal('Notification', notification);
  vi.stubGlobal('window', { Notification: notification });
  vi.stubGlobal('localStorage', storage);
  return { storage, notification, items };
}

const submit = (target: EventTarget) => target.dispatchEvent(new Event('submit'));

describe('askForNotificationsOnFirstSubmit', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('reads nothing from localStorage until the first submit, then asks once', () => {
    const { storage, notification, items } = browser(false);
    const target = new EventTarget();
    const stop = askForNotificationsOnFirstSubmit(target as Document);
    expect(storage.reads).toBe(0);
    submit(target);
    expect(storage.reads).toBe(1);
    expect(notification.requestPermission).toHaveBeenCalledTimes(1);
    expect(items.get('errand:notifications-asked')).toBe('1');
    submit(target);
    expect(notification.requestPermission).toHaveBeenCalledTimes(1);
    stop();
  });

  it('does not ask again when it asked in an earlier visit', () => {
    const { notification } = browser(true);
    const target = new EventTarget();
    askForNotificationsOnFirstSubmit(target as Document);
    submit(target);
    expect(notification.requestPermission).not.toHaveBeenCalled();
  });

  it('stops listening when told to', () => {
    const { storage, notification } = browser(false);
    const target = new EventTarget();
    askForNotificationsOnFirstSubmit(target as Document)();
    submit(target);
    expect(storage.reads).toBe(0);
    expect(notification.requestPermission).not.toHaveBeenCalled();
  });
});

describe('openJobsFromNotificationClicks', () => {
  it('opens the job or the list the service worker names, ignores other messages, and stops when told', () => {
    const container = new EventTarget() as unknown as ServiceWorkerContainer;
    const opened: string[] = [];
    const stop = openJobsFromNotificationClicks((hash) => opened.push(hash), container);
    const post = (data: unknown) => container.dispatchEvent(new MessageEvent('message', { data }));
    post({ type: 'errand:open-job', jobId: 'job 1' });
    post({ type: 'errand:open', href: '#/jobs?status=failed' });
    post({ type: 'errand:open-job', jobId: 42 });
    post({ type: 'errand:open', href: 'https://elsewhere.example/' });
    post({ type: 'something-else', jobId: 'job-2' });
    post(null);
    post('version?');
    expect(opened).toEqual(['#/jobs/job%201', '#/jobs?status=failed']);
    stop();
    post({ type: 'errand:open-job', jobId: 'job-3' });
    expect(opened).toHaveLength(2);
  });
});

describe('notifyCounts', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** A hidden page with notifications allowed; returns the notifications made. */
  function hiddenPage() {
    const made: { title: string; options: NotificationOptions; onclick?: () => void; close: () => void }[] = [];
    class FakeNotification {
      static permission = 'granted';
      onclick?: () => void;
      constructor(title: string, options: NotificationOptions) {
        made.push(Object.assign(this, { title, options, close: vi.fn() }));
      }
    }
    vi.stubGlobal('Notification', FakeNotification);
    vi.stubGlobal('window', { Notification: FakeNotification, focus: vi.fn() });
    const target = { visibilityState: 'hidden', location: { hash: '' } } as unknown as Document;
    return { made, target };
  }

  it('shows one notification per burst, under one tag, whose click opens the counted list', async () => {
    const { made, target } = hiddenPage();
    await notifyCounts({ title: '3 more jobs completed', href: '#/jobs?status=completed' }, target);
    await notifyCounts({ title: '9 more jobs completed', href: '#/jobs?status=completed' }, target);
    expect(made.map((each) => [each.title, each.options.tag])).toEqual([
      ['3 more jobs completed', 'errand-jobs-burst'],
      ['9 more jobs completed', 'errand-jobs-burst'],
    ]);
    expect(made[1]?.options.data).toEqual({ errandHref: '#/jobs?status=completed' });
    made[1]?.onclick?.();
    expect(target.location.hash).toBe('#/jobs?status=completed');
  });

  it('shows nothing while the page is visible', async () => {
    const { made, target } = hiddenPage();
    (target as { visibilityState: string }).visibilityState = 'visible';
    await notifyCounts({ title: '3 more jobs completed' }, target);
    expect(made).toEqual([]);
  });
});
