import { afterEach, describe, expect, it, vi } from 'vitest';
import { askForNotificationsOnFirstSubmit, openJobsFromNotificationClicks } from '../../src/ui/lib/notifications';

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
  it('opens the job the service worker names, ignores other messages, and stops when told', () => {
    const container = new EventTarget() as unknown as ServiceWorkerContainer;
    const opened: string[] = [];
    const stop = openJobsFromNotificationClicks((id) => opened.push(id), container);
    const post = (data: unknown) => container.dispatchEvent(new MessageEvent('message', { data }));
    post({ type: 'errand:open-job', jobId: 'job-1' });
    post({ type: 'errand:open-job', jobId: 42 });
    post({ type: 'something-else', jobId: 'job-2' });
    post(null);
    post('version?');
    expect(opened).toEqual(['job-1']);
    stop();
    post({ type: 'errand:open-job', jobId: 'job-3' });
    expect(opened).toEqual(['job-1']);
  });
});
