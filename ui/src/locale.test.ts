import { describe, expect, it } from "vitest";

// vite.config.ts starts the tests as on a PC set to English; every component test then shows
// that what is typed and sent does not depend on the PC's language.
describe("the tests' PC", () => {
  it("speaks English: its own date format is month first, its clock 12 h", () => {
    expect(new Intl.DateTimeFormat().resolvedOptions().locale).toBe("en-US");
    expect(new Date(Date.UTC(2027, 3, 1, 14, 30)).toLocaleDateString(undefined, { timeZone: "UTC" })).toBe("4/1/2027");
    expect(new Date(Date.UTC(2027, 3, 1, 14, 30)).toLocaleTimeString(undefined, { timeZone: "UTC", hour: "numeric", minute: "2-digit" })).toMatch(/^2:30\sPM$/);
    expect(navigator.language).toBe("en-US");
  });
});
