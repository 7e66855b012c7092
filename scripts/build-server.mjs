// Bundles server/index.ts (and the few app modules it imports) into
// build/server.js, so production runs on plain `node` with no TypeScript
// loader in the request path. Dependencies stay external (node_modules).
import { build } from "esbuild";

await build({
  entryPoints: ["server/index.ts"],
  outfile: "build/server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  // Our own #app/ and #server/ imports are bundled, not external.
  alias: { "#app": "./app", "#server": "./server" },
  sourcemap: "linked",
  logLevel: "warning",
});
console.log("server: build/server.js");
