/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The tests run as on a PC set to English (dates month first, 12 h clock): the forms read dates
// day first and 24 h whatever the PC's language, and the tests prove it. Set before vitest
// starts its workers, so that their ICU default locale is English (src/locale.test.ts checks).
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
if (env?.VITEST) {
  env.LANG = "en_US.UTF-8";
  env.LC_ALL = "en_US.UTF-8";
}

// The app runs offline inside Tauri: relative asset paths, no CDN, a fixed dev port that
// src-tauri/tauri.conf.json points at.
export default defineConfig({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    // The wording test (src/i18n/terms.test.ts) reads the shared refusals, the portal's and the e-mails' texts;
    // the map's test (src/map/ProvinceMap.test.tsx) the seed's communes.
    fs: {
      allow: [".", "../crates/domain/messages", "../crates/server/src/portal", "../crates/server/src/mail", "../crates/server/seed"],
    },
  },
  build: {
    outDir: "dist",
    target: "es2021",
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    // No stylesheet is processed, but those read as text (src/fonts.test.ts) come whole.
    css: { include: [/\.css\?raw$/] },
    restoreMocks: true,
    // With the 5 s of `findBy…` (src/test/setup.ts), a test of several steps on a loaded
    // machine needs more than vitest's default 5 s; a passing test never waits for it.
    testTimeout: 30_000,
  },
});
