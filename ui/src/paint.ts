/**
 * After the browser has painted what is in the page now: the next frame (which draws it), then
 * the task after that frame. How the app says its first screen is shown (issue 19 §5), timed the
 * same way as the bare window it is measured against (`tests/bare-window/dist/shown.js`).
 *
 * Returns a function that cancels the call if it has not happened yet.
 */
export function afterNextPaint(callback: () => void): () => void {
  let cancelled = false;
  const frame = requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (!cancelled) callback();
    };
    channel.port2.postMessage(null);
  });
  return () => {
    cancelled = true;
    cancelAnimationFrame(frame);
  };
}
