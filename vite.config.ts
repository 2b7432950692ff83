import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The app's build: index.html → src/main.tsx only. The browser check's preview entry
 * (scripts/browser/preview/) is built by scripts/browser/build.ts with its own config and never
 * lands in dist/.
 */
export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: {
    // Report sizes so the README's "initial JS (gzip)" can be checked against `vite build`.
    reportCompressedSize: true,
  },
});
