// Dependency direction (ARCHITECTURE.md): models never reach up into auth; the crypto leaf imports nothing of ours but domain.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

function importsOf(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1] as string);
}

function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

describe("layering", () => {
  it("app/models imports nothing from app/auth", () => {
    const offending = filesIn("app/models").flatMap((f) =>
      importsOf(f)
        .filter((i) => i.startsWith("#app/auth"))
        .map((i) => `${f} → ${i}`),
    );
    expect(offending).toEqual([]);
  });

  it("app/crypto holds password hashing and token crypto, importing only packages, node: and app/domain", () => {
    const files = filesIn("app/crypto");
    expect(files.map((f) => path.basename(f)).sort()).toEqual(["password.server.ts", "tokens.server.ts"]);
    const offending = files.flatMap((f) =>
      importsOf(f)
        .filter((i) => i.startsWith("#") || i.startsWith("."))
        .filter((i) => !i.startsWith("#app/domain/"))
        .map((i) => `${f} → ${i}`),
    );
    expect(offending).toEqual([]);
  });
});
