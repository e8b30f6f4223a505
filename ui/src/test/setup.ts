import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { checkAccessibility } from "./a11y";

afterEach(async () => {
  try {
    await checkAccessibility();
  } finally {
    cleanup();
    window.location.hash = "";
  }
});
