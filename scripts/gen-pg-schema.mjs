// Derives prisma/postgres/schema.prisma from the SQLite source of truth.
// See docs/decisions/0001-database.md.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const src = readFileSync("prisma/schema.prisma", "utf8");
const rules = [
  [/provider\s*=\s*"sqlite"/, 'provider = "postgresql"'],
  [/url\s*=\s*"file:[^"]*"/, 'url      = "postgresql://placeholder@localhost/placeholder"'],
  [/output\s*=\s*"\.\.\/app\/generated\/prisma"/, 'output       = "../../app/generated/prisma-pg"'],
];
let out = src;
for (const [pattern, replacement] of rules) {
  if (!pattern.test(out)) throw new Error(`gen-pg-schema: ${pattern} not found in prisma/schema.prisma`);
  out = out.replace(pattern, replacement);
}
out = `// GENERATED from prisma/schema.prisma by scripts/gen-pg-schema.mjs - do not edit\n${out}`;
mkdirSync("prisma/postgres", { recursive: true });
writeFileSync("prisma/postgres/schema.prisma", out);
