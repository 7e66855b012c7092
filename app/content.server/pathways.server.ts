import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { type Pathway, PathwayError, parsePathway } from "#app/domain/pathway";
import { env } from "#app/env.server";

/**
 * Certification pathways: content/pathways/<id>-v<version>.yaml (CONTENT_DIR respected, so tests read the fixture
 * pathway), validated by app/domain/pathway.ts. Read on first use and kept per content folder: a pathway is data
 * a person's certificate points at by id and version, so a running server never changes one under its users.
 */

export const DEFAULT_PATHWAY_ID = "dit-practitioner";

export function pathwayFiles(root: string): string[] {
  const dir = path.join(root, "pathways");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => path.join(dir, f));
}

export type PathwayFileProblem = { file: string; line: number | null; message: string };

/** Reads one pathway file: the pathway, or every problem found in it (YAML, schema, file name). */
export function readPathwayFile(file: string): { ok: true; pathway: Pathway } | { ok: false; problems: PathwayFileProblem[] } {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? null;
    return { ok: false, problems: [{ file, line, message: `not valid YAML: ${(error as Error).message.split("\n")[0]}` }] };
  }
  let pathway: Pathway;
  try {
    pathway = parsePathway(raw);
  } catch (error) {
    if (!(error instanceof PathwayError)) throw error;
    return { ok: false, problems: error.problems.map((message) => ({ file, line: null, message })) };
  }
  const expected = `${pathway.id}-v${pathway.version}.yaml`;
  if (path.basename(file) !== expected) {
    return { ok: false, problems: [{ file, line: null, message: `the file should be named ${expected} (id and version)` }] };
  }
  return { ok: true, pathway };
}

/** Every valid pathway under `root`; throws on the first invalid file (content:check reports them all). */
export function loadPathways(root: string): Pathway[] {
  const out: Pathway[] = [];
  for (const file of pathwayFiles(root)) {
    const read = readPathwayFile(file);
    if (!read.ok) {
      const first = read.problems[0];
      throw new Error(`${first?.file}: ${first?.message} (run npm run content:check)`);
    }
    out.push(read.pathway);
  }
  return out;
}

const cache = new Map<string, Pathway[]>();

export function listPathways(): Pathway[] {
  const root = env().CONTENT_DIR;
  let found = cache.get(root);
  if (!found) {
    found = loadPathways(root);
    cache.set(root, found);
  }
  return found;
}

export function getPathway(id: string, version: number): Pathway | null {
  return listPathways().find((p) => p.id === id && p.version === version) ?? null;
}

/** The highest version of pathway `id` (the default pathway unless named); throws when there is none. */
export function currentPathway(id: string = DEFAULT_PATHWAY_ID): Pathway {
  const versions = listPathways().filter((p) => p.id === id);
  const current = versions.sort((a, b) => b.version - a.version)[0];
  if (!current) throw new Error(`No pathway "${id}" under ${path.join(env().CONTENT_DIR, "pathways")}.`);
  return current;
}
