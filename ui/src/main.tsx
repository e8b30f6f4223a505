import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { askEarly } from "./early";
import { loadMessages } from "./i18n";
import "./styles.css";

const root = document.getElementById("root");
if (root) {
  // The app state and the Accueil's orders are read while React starts.
  askEarly(window.location.hash);
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // The words of the other screens, once the first one is up: the next screen opens at once.
  window.setTimeout(() => void loadMessages(), 2000);
}
