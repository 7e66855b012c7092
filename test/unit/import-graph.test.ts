// The layering rules of ARCHITECTURE.md ("Rules the code keeps"), read from the real import graph: every file under
// app/ and server/ is parsed with TypeScript's own pre-processor (static, type-only, re-export and dynamic imports),
// its imports of our own code resolved to files, and each edge checked against the rules below.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = process.cwd();
const SKIP = new Set(["node_modules", "generated", "build", ".cache", "data", ".git", "coverage"]);
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (SKIP.has(d.name)) return [];
    const full = path.join(dir, d.name);
    return d.isDirectory() ? walk(full) : CODE.test(d.name) ? [full] : [];
  });
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");

/** Our file an import specifier points at (repo-relative, extension resolved), or null for packages and node: built-ins. */
function resolveOurs(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("#app/")) base = path.join(ROOT, "app", specifier.slice("#app/".length));
  else if (specifier.startsWith("#server/")) base = path.join(ROOT, "server", specifier.slice("#server/".length));
  else if (specifier.startsWith("./") || specifier.startsWith("../")) base = path.resolve(path.dirname(from), specifier);
  else return null;
  const candidates = [base, ...["ts", "tsx", "mjs", "js"].map((e) => `${base}.${e}`), path.join(base, "index.ts")];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (found) return rel(found);
  // Unresolved imports of ours are reported by the typecheck; keep the edge so the rules still see it.
  return rel(base);
}

type Edge = { from: string; to: string };

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

function edges(): Edge[] {
  const files = [...walk(path.join(ROOT, "app")), ...walk(path.join(ROOT, "server"))];
  return files.flatMap((file) =>
    importsOf(file).flatMap((spec) => {
      const to = resolveOurs(file, spec);
      return to ? [{ from: rel(file), to }] : [];
    }),
  );
}

const under = (file: string, folder: string) => file.startsWith(`${folder}/`);

type Rule = { name: string; breaks: (e: Edge) => boolean };

const RULES: Rule[] = [
  {
    name: "app/domain/ imports nothing of ours outside app/domain/",
    breaks: (e) => under(e.from, "app/domain") && !under(e.to, "app/domain"),
  },
  {
    name: "app/models/ imports neither app/routes/ nor app/auth/",
    breaks: (e) => under(e.from, "app/models") && (under(e.to, "app/routes") || under(e.to, "app/auth")),
  },
  { name: "a route imports no other route", breaks: (e) => under(e.from, "app/routes") && under(e.to, "app/routes") },
  { name: "app/components/ imports no route", breaks: (e) => under(e.from, "app/components") && under(e.to, "app/routes") },
  {
    name: "app/crypto/ (password hashing, token crypto) imports nothing of ours but app/domain/",
    breaks: (e) => under(e.from, "app/crypto") && !under(e.to, "app/domain"),
  },
  {
    name: "app/storage/ (encryption format, keys, blob stores) imports no models, auth or routes",
    breaks: (e) => under(e.from, "app/storage") && ["app/models", "app/auth", "app/routes"].some((d) => under(e.to, d)),
  },
  {
    name: "app/credentials/ (signing keys, document loader, credential formats) imports no auth or routes",
    breaks: (e) => under(e.from, "app/credentials") && ["app/auth", "app/routes"].some((d) => under(e.to, d)),
  },
];

/**
 * Known violations, each to be removed by the change that fixes it. Nothing else may be added here without a
 * decision recorded in docs/decisions/.
 */
const ALLOWED: readonly Edge[] = [];

const allowed = (e: Edge) => ALLOWED.some((a) => a.from === e.from && a.to === e.to);

describe("the import graph keeps the layers", () => {
  const graph = edges();

  it("sees the whole app (the parser finds imports of every kind)", () => {
    // If the walk or the parser broke, every rule below would pass vacuously.
    expect(graph.length).toBeGreaterThan(100);
    expect(graph).toContainEqual({ from: "app/routes/healthz.ts", to: "app/models/health.server.ts" });
    expect(graph.some((e) => under(e.from, "server"))).toBe(true);
    const sample = ts.preProcessFile(
      'import type { A } from "#app/a";\nexport { b } from "./b";\nconst c = await import("#server/c");\nimport "#app/d";',
      true,
      true,
    );
    expect(sample.importedFiles.map((f) => f.fileName)).toEqual(["#app/a", "./b", "#server/c", "#app/d"]);
  });

  for (const rule of RULES) {
    it(rule.name, () => {
      const broken = graph.filter((e) => rule.breaks(e) && !allowed(e)).map((e) => `${e.from} → ${e.to}`);
      expect(broken).toEqual([]);
    });
  }

  it("each rule catches the edge it forbids", () => {
    const examples: Record<string, Edge> = {
      [RULES[0]?.name as string]: { from: "app/domain/x.ts", to: "app/models/y.server.ts" },
      [RULES[1]?.name as string]: { from: "app/models/x.server.ts", to: "app/auth/session.server.ts" },
      [RULES[2]?.name as string]: { from: "app/routes/a.tsx", to: "app/routes/b.tsx" },
      [RULES[3]?.name as string]: { from: "app/components/a.tsx", to: "app/routes/b.tsx" },
      [RULES[4]?.name as string]: { from: "app/crypto/tokens.server.ts", to: "app/db.server.ts" },
      [RULES[5]?.name as string]: { from: "app/storage/format.server.ts", to: "app/models/user.server.ts" },
      [RULES[6]?.name as string]: { from: "app/credentials/keys.server.ts", to: "app/auth/session.server.ts" },
    };
    for (const rule of RULES) expect(rule.breaks(examples[rule.name] as Edge), rule.name).toBe(true);
    expect(RULES[0]?.breaks({ from: "app/domain/quiz/score.ts", to: "app/domain/quiz/schema.ts" })).toBe(false);
    expect(RULES[4]?.breaks({ from: "app/crypto/tokens.server.ts", to: "app/domain/roles.ts" })).toBe(false);
  });

  it("the allow-list holds only edges that still exist (remove an entry once it is fixed)", () => {
    for (const a of ALLOWED) expect(graph, `${a.from} → ${a.to}`).toContainEqual(a);
  });
});

describe("raw SQL", () => {
  it("nothing of ours uses Prisma's Unsafe raw-SQL methods (tagged $queryRaw/$executeRaw only)", () => {
    const files = ["app", "server", "scripts", "test", "bench", "prisma"].flatMap((d) => walk(path.join(ROOT, d)));
    expect(files.length).toBeGreaterThan(50);
    const offending = files.filter((f) => /\$(queryRaw|executeRaw)Unsafe\b/.test(readFileSync(f, "utf8"))).map(rel);
    expect(offending).toEqual([]);
  });
});

describe("Prisma stays in the models", () => {
  // A Prisma model call (`db.user.findMany(`, `tx.quizAttempt.update(`) or raw SQL.
  // Model delegates are the schema's model names, first letter lower-cased (a BlobStore's .delete( is not Prisma).
  const models = [...readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8").matchAll(/^model (\w+) \{/gm)].map(
    (m) => (m[1] as string).charAt(0).toLowerCase() + (m[1] as string).slice(1),
  );
  const PRISMA = new RegExp(
    `\\.(${models.join("|")})\\.(findMany|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|create|createMany|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy)\\(|\\$(queryRaw|executeRaw)\\b`,
  );
  /** Where the database is legitimately called from outside app/models/. */
  const OUTSIDE_MODELS: Record<string, string> = {
    "app/auth/lucia-adapter.server.ts": "the session store lucia calls (one raw join per request)",
    "app/storage/db-blob-store.server.ts": "the database implementation of the recording BlobStore (ciphertext rows only)",
  };

  it("only app/models/ (and the listed exceptions) call Prisma", () => {
    const files = walk(path.join(ROOT, "app")).map(rel);
    const calling = files.filter((f) => !under(f, "app/models") && PRISMA.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(calling.filter((f) => !(f in OUTSIDE_MODELS))).toEqual([]);
    for (const f of Object.keys(OUTSIDE_MODELS)) expect(calling, `${f} no longer calls Prisma: drop it from the list`).toContain(f);
    expect(PRISMA.test("await getDb().user.findMany({})")).toBe(true);
    expect(PRISMA.test("rows.map((r) => r.id)")).toBe(false);
    expect(PRISMA.test("await this.deps.store.delete(row.id)")).toBe(false);
    expect(models).toContain("recordingChunk");
  });
});
