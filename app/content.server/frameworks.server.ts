import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isMap, LineCounter, parseDocument } from "yaml";
import { type Framework, FrameworkError, frameworkLabel, parseFramework } from "#app/domain/framework";
import { env } from "#app/env.server";

/**
 * Competence frameworks: `<CONTENT_DIR>/frameworks/<id>-v<version>.yaml` (docs/frameworks.md), validated by
 * `parseFramework`. They are small YAML files, read on first use and kept (in development a changed file is read
 * again on the next call); production reads them from CONTENT_DIR too (`content/` by default). Integration tests
 * that import test/support/fixture-course.ts get the fixture frameworks in test/fixtures/content/frameworks.
 */

/** The framework a rating uses unless told otherwise. */
export const DEFAULT_FRAMEWORK_ID = "dit-competence";

export type FrameworkProblem = { file: string; line: number | null; message: string };

export function frameworkFiles(root: string): string[] {
  const dir = path.join(root, "frameworks");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Reads one framework file: the framework, or every problem with its line where it can be placed. */
export function readFrameworkFile(
  file: string,
): { framework: Framework; problems: [] } | { framework: null; problems: FrameworkProblem[] } {
  const source = readFileSync(file, "utf8");
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      framework: null,
      problems: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? null,
        message: `not valid YAML: ${e.message.split("\n")[0]}`,
      })),
    };
  }
  // Scale points are numeric keys in the YAML (`0: "…"`), strings in the issue path.
  const lookup = (keys: (string | number)[]) =>
    keys.map((k, i) => (typeof k === "string" && /^-?\d+$/.test(k) && ["levels", "anchors"].includes(String(keys[i - 1])) ? Number(k) : k));
  const lineOf = (keys: (string | number)[]): number | null => {
    // The deepest node of the path that exists: a missing key is placed at its parent.
    for (let n = keys.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(lookup(keys.slice(0, n)), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lineCounter.linePos(range[0]).line;
    }
    return null;
  };
  let framework: Framework;
  try {
    framework = parseFramework(doc.toJS());
  } catch (error) {
    if (!(error instanceof FrameworkError)) throw error;
    return {
      framework: null,
      problems: error.issues.map((i, n) => ({ file, line: lineOf(i.path), message: error.problems[n] ?? i.message })),
    };
  }
  const expected = `${framework.id}-v${framework.version}.yaml`;
  if (path.basename(file) !== expected) {
    const at = isMap(doc.contents) ? lineOf(["id"]) : null;
    return { framework: null, problems: [{ file, line: at, message: `the file should be named ${expected} (id and version)` }] };
  }
  return { framework, problems: [] };
}

/** Every framework under root, and every problem (also: the same id + version twice). */
export function readFrameworks(root: string): { frameworks: Framework[]; problems: FrameworkProblem[] } {
  const frameworks: Framework[] = [];
  const problems: FrameworkProblem[] = [];
  const seen = new Map<string, string>();
  for (const file of frameworkFiles(root)) {
    const result = readFrameworkFile(file);
    if (!result.framework) {
      problems.push(...result.problems);
      continue;
    }
    const key = frameworkLabel(result.framework);
    const other = seen.get(key);
    if (other) problems.push({ file, line: null, message: `${key} is also defined in ${other}` });
    else {
      seen.set(key, file);
      frameworks.push(result.framework);
    }
  }
  frameworks.sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version);
  return { frameworks, problems };
}

let cache: { root: string; stamp: string; frameworks: Framework[] } | undefined;

function stampOf(root: string): string {
  return frameworkFiles(root)
    .map((f) => `${f}:${statSync(f).mtimeMs}`)
    .join("|");
}

function load(): Framework[] {
  const root = env().CONTENT_DIR;
  const development = env().NODE_ENV === "development";
  if (cache && cache.root === root && (!development || cache.stamp === stampOf(root))) return cache.frameworks;
  const { frameworks, problems } = readFrameworks(root);
  if (problems.length) {
    throw new Error(
      `Competence frameworks under ${path.join(root, "frameworks")} are not valid (run npm run content:check):\n${problems
        .map((p) => `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`)
        .join("\n")}`,
    );
  }
  cache = { root, stamp: development ? stampOf(root) : "", frameworks };
  return frameworks;
}

/** Every framework version, by id then version. */
export function listFrameworks(): Framework[] {
  return load();
}

/** The framework a rating names (id + version), or null when no such file is loaded. */
export function getFramework(id: string, version: number): Framework | null {
  return load().find((f) => f.id === id && f.version === version) ?? null;
}

/** The highest version of a framework id (default "dit-competence"); throws when there is none. */
export function currentFramework(id: string = DEFAULT_FRAMEWORK_ID): Framework {
  const versions = load().filter((f) => f.id === id);
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error(`No competence framework "${id}" under ${path.join(env().CONTENT_DIR, "frameworks")}.`);
  return latest;
}

/**
 * The framework version a page's query names: `fv=<id>@<version>` (a select's value) or `framework=<id>&version=<n>`;
 * the current default framework when it names none; null when it names one that is not loaded.
 */
export function frameworkFromSearch(params: URLSearchParams): Framework | null {
  const fv = params.get("fv");
  const [id, version] = fv !== null ? fv.split("@") : [params.get("framework"), params.get("version")];
  if ((id === null || id === undefined) && (version === null || version === undefined)) return currentFramework();
  if (!id || !version || !/^\d{1,6}$/.test(version)) return null;
  return getFramework(id, Number(version));
}
