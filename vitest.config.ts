import { defineConfig } from "vitest/config";
import { importAliases } from "./import-aliases";

// Projects: unit (pure code), integration on SQLite (always) and on
// PostgreSQL (when PG_TEST_URL is set), and end-to-end in Chromium.
// See docs/testing.md. Timeouts only catch hangs: tests check behaviour, not speed, and a 2-core machine shared
// with other work (CI, several engineers' runs) can be many times slower than an idle one.
const integration = (name: "sqlite" | "postgresql") => ({
  resolve: { alias: importAliases },
  test: {
    name,
    include: ["test/integration/**/*.test.{ts,tsx}"],
    environment: "node",
    globalSetup: ["test/setup/global-db.ts"],
    setupFiles: ["test/setup/test-env.ts", "test/setup/db.ts"],
    provide: { dbKind: name },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

// End-to-end: the production server on a fresh seeded database — SQLite
// ("e2e"), and PostgreSQL ("e2e-postgresql") when PG_TEST_URL is set. Every
// e2e file runs in both; their files run one at a time, one lane after the
// other (one Chromium at a time on a 2-core machine).
const e2e = (kind: "sqlite" | "postgresql") => ({
  resolve: { alias: importAliases },
  test: {
    name: kind === "sqlite" ? "e2e" : "e2e-postgresql",
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/setup/e2e-server.ts"],
    provide: { e2eDbKind: kind },
    testTimeout: 180_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});

export default defineConfig({
  test: {
    pool: "forks",
    projects: [
      {
        resolve: { alias: importAliases },
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.{ts,tsx}"],
          environment: "node",
          setupFiles: ["test/setup/test-env.ts"],
          testTimeout: 30_000,
        },
      },
      integration("sqlite"),
      ...(process.env.PG_TEST_URL ? [integration("postgresql")] : []),
      e2e("sqlite"),
      ...(process.env.PG_TEST_URL ? [e2e("postgresql")] : []),
    ],
  },
});
