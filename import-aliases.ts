// The one import style: `#app/...` and `#server/...` for every module of ours
// outside the importing file's folder too (see ARCHITECTURE.md). TypeScript and
// tsx read tsconfig.json `paths`; Vite, Vitest and esbuild get these aliases.
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

export const importAliases = [
  { find: /^#app\//, replacement: `${path.join(root, "app")}/` },
  { find: /^#server\//, replacement: `${path.join(root, "server")}/` },
];
