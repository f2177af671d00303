/* global self */
/*
 * Loaded by the service worker (Workbox's importScripts). A click on a job's system
 * notification — one the page could only show through the service worker, as on Android —
 * opens that job's page: in an open window of the app when there is one (the page is told
 * which job, then focused), otherwise in a new window.
 */
self.addEventListener('notificationclick', (event) => {
  const jobId = event.notification.data && event.notification.data.errandJobId;
  if (typeof jobId !== 'string') return;
  event.notification.close();
  const hash = '#/jobs/' + encodeURIComponent(jobId);
  const opened = (async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const scope = self.registration.scope;
    const own = windows.filter((client) => client.url.startsWith(scope));
    const target = own.find((client) => client.focused) || own[0];
    if (target) {
      target.postMessage({ type: 'errand:open-job', jobId: jobId });
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
