import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { importAliases } from "./import-aliases";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  // Dev only: Vite's dependency scanner follows route -> *.server.ts imports and
  // tries to pre-bundle @node-rs/argon2's browser entry (needs an optional wasm
  // package that is not installed). See docs/decisions/0001-database.md.
  optimizeDeps: { exclude: ["@node-rs/argon2"] },
  build: { target: "es2022" },
  resolve: { alias: importAliases },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        // Off: with lazy discovery every document request matched the URL's parent paths again to inline a
        // partial route manifest (≈ 4 % of server CPU per page, docs/benchmarks.md); without it the browser
        // loads the whole manifest once as a fingerprinted, immutable asset (ADR 0024).
        v3_lazyRouteDiscovery: false,
      },
    }),
  ],
});
