/* global self */
/*
 * Loaded by the service worker (Workbox's importScripts). A click on a system notification of
 * the app — one the page could only show through the service worker, as on Android — opens the
 * page it is about (a job's, or the list a burst of finished jobs is counted in): in an open
 * window of the app when there is one (the page is told where, then focused), otherwise in a
 * new window.
 */
self.addEventListener('notificationclick', (event) => {
  const data = event.notification.data || {};
  const jobId = data.errandJobId;
  const href = data.errandHref;
  let hash;
  let message;
  if (typeof jobId === 'string') {
    hash = '#/jobs/' + encodeURIComponent(jobId);
    message = { type: 'errand:open-job', jobId: jobId };
  } else if (typeof href === 'string' && href.startsWith('#/')) {
    hash = href;
    message = { type: 'errand:open', href: href };
  } else {
    return;
  }
  event.notification.close();
  const opened = (async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const scope = self.registration.scope;
    const own = windows.filter((client) => client.url.startsWith(scope));
    const target = own.find((client) => client.focused) || own[0];
    if (target) {
      target.postMessage(message);
      try {
        await target.focus();
      } catch {
        // Focusing needs the click's user activation; the page was told which job regardless.
      }
      return;
    }
    await self.clients.openWindow(scope + hash);
  })();
  try {
    event.waitUntil(opened);
  } catch {
    // An event dispatched by script rather than the browser cannot be extended.
  }
});
