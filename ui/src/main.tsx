import { StrictMode, useLayoutEffect, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { holdReads } from "./data";
import { askEarly, firstReads } from "./early";
import { loadMessages } from "./i18n";
import { afterNextPaint } from "./paint";
import "./styles.css";

/** Calls `then` once the window has painted what it shows first. */
function FirstFrame({ children, then }: { children: ReactNode; then: () => void }) {
  useLayoutEffect(() => afterNextPaint(then), [then]);
  return children;
}

const root = document.getElementById("root");
if (root) {
  // The app state and the Accueil's orders are read as the script starts; the first screen is
  // rendered once they are in (`early.ts`), the other reads once it is painted (`holdReads`).
  askEarly(window.location.hash);
  const releaseReads = holdReads();
  void firstReads().then(() =>
    createRoot(root).render(
      <StrictMode>
        <FirstFrame then={releaseReads}>
          <App />
        </FirstFrame>
      </StrictMode>,
    ),
  );
  // The words of the other screens, once the first one is up: the next screen opens at once.
  window.setTimeout(() => void loadMessages(), 2000);
}
