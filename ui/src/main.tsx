// First: the app state and the Accueil's orders are asked for as the script starts (`start.ts`).
import "./start";
import { StrictMode, useLayoutEffect, type ReactNode } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { holdReads } from "./data";
import { firstReads } from "./early";
import { chooseFonts } from "./fonts";
import { loadMessages } from "./i18n";
import { afterNextPaint } from "./paint";
import "./styles.css";

/** Calls `then` once the window has painted what it shows first. */
function FirstFrame({ children, then }: { children: ReactNode; then: () => void }) {
  useLayoutEffect(() => afterNextPaint(then), [then]);
  return children;
}

chooseFonts(document.documentElement, navigator.userAgent);
const root = document.getElementById("root");
if (root) {
  // The app state and the Accueil's orders were asked for as the script started (`start.ts`);
  // the first screen is rendered once they are in (`early.ts`), the other reads once it is
  // painted (`holdReads`).
  const releaseReads = holdReads();
  void firstReads().then(() => {
    const app = createRoot(root);
    // Rendered now, in this task: left to React's scheduler, the first render waited for a
    // task of its own, 4 to 13 ms later on a PC of 2 cores (issue 19 §5).
    flushSync(() =>
      app.render(
        <StrictMode>
          <FirstFrame then={releaseReads}>
            <App />
          </FirstFrame>
        </StrictMode>,
      ),
    );
  });
  // The words of the other screens, once the first one is up: the next screen opens at once.
  window.setTimeout(() => void loadMessages(), 2000);
}
