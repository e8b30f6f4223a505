// The page is painted: the frame that draws it, then the task after that frame (the same
// moment as the app's « first screen shown », ui/src/paint.ts).
requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => void window.__TAURI_INTERNALS__.invoke("page_shown");
  channel.port2.postMessage(null);
});
