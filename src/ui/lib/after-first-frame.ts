/**
 * Runs `run` in a task of its own after the page's next frame, or after `fallbackMs` where no
 * frame comes (a tab opened in the background draws none). Work the first screen does not need
 * (service-worker registration, the app badge, the notification prompt's listener) goes here,
 * so the task that draws the app stays short. Returns the function that cancels.
 */
export function afterFirstFrame(run: () => void, fallbackMs = 250): () => void {
  let done = false;
  const cancel = () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
  };
  const once = () => {
    if (done) return;
    cancel();
    run();
  };
  const fallback = setTimeout(once, fallbackMs);
  // The frame callback runs before the paint; the task after it runs once the frame is out.
  const frame = requestAnimationFrame(() => setTimeout(once, 0));
  return cancel;
}
