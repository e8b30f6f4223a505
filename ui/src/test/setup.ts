import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";
import { checkAccessibility } from "./a11y";
import { loadMessages } from "../i18n";

// Screens are rendered directly in the tests, not through the routes that load the words of
// the later screens: load them all once here (src/i18n/firstScreen.test.ts checks the first
// screens without them).
await loadMessages();

// A busy machine (CI's two cores compiling beside the tests) must not decide a test: `findBy…`
// and `waitFor` wait up to 5 s for what they expect (they return as soon as it shows; only a
// failure takes that long).
configure({ asyncUtilTimeout: 5000 });

afterEach(async () => {
  try {
    await checkAccessibility();
  } finally {
    cleanup();
    window.location.hash = "";
  }
});
