import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { CONTENT_DIR, compileModule, glossaryPath, moduleDirs, moduleFile, readGlossary } from "#app/content.server/compile";
import { ContentError } from "#app/content.server/errors";
import { DEFAULT_FRAMEWORK_ID, readFrameworks } from "#app/content.server/frameworks.server";
import { AUTHOR_COMPONENTS } from "#app/content.server/mdx-components";
import { pathwayFiles, readPathwayFile } from "#app/content.server/pathways.server";
import { quizFiles, readQuiz } from "#app/content.server/quizzes";
import type { CompiledModule, GlossaryEntry } from "#app/content.server/types";
import { findPrerequisiteCycle, ModuleFrontmatterSchema } from "#app/domain/curriculum";
import { contentReferences } from "#app/domain/pathway";

export type Problem = { file: string; line: number | null; message: string };

/** What the course asks of every module (issue: "1,500–3,000 words", a vignette, a reflection). */
export const WORDS_MIN = 1500;
export const WORDS_MAX = 3000;

/** One fictional patient who recurs across the course (content/cast.yaml). */
const CastMemberSchema = z
  .object({
    name: z.string().regex(/^[A-Z][a-z]+$/, "a single capitalised first name"),
    age: z.number().int().min(16).max(100),
    occupation: z.string().min(3),
    presenting: z.string().min(3),
    modules: z.array(z.string()).default([]),
    quizzes: z.array(z.string()).default([]),
  })
  .strict();
const CastSchema = z.array(CastMemberSchema);
export type CastMember = z.infer<typeof CastMemberSchema>;

export const castPath = (root: string) => path.join(root, "cast.yaml");

/**
 * Where a vignette introduces a named patient with an age: "Grace, 41, a teaching assistant", "Grace is 41 and
 * works as…", "Grace is a 41-year-old teaching assistant", "Grace, a 41-year-old…". The sentence from the name to
 * the next full stop is the introduction; its occupation is looked for there.
 */
const INTRODUCTION = /\b([A-Z][a-z]+)(?:,| is)\s+(?:an?\s+)?(\d{2})(?:-year-old)?\b[^.]*/g;

/**
 * The cast heuristic (docs/content.md): in each vignette, a patient introduced with an age must be in the cast,
 * with the cast's age and the cast's occupation (its words, case-insensitive) in the introducing sentence, and
 * the module must be one the cast lists for them. Returns messages with the offset of each introduction.
 */
export function castProblems(body: string, moduleId: string, cast: readonly CastMember[]): { index: number; message: string }[] {
  const out: { index: number; message: string }[] = [];
  const byName = new Map(cast.map((c) => [c.name, c]));
  for (const v of body.matchAll(/<Vignette\b[^>]*>([\s\S]*?)<\/Vignette>/g)) {
    const start = (v.index ?? 0) + v[0].indexOf(v[1] ?? "");
    for (const m of (v[1] ?? "").matchAll(INTRODUCTION)) {
      const [sentence, name = "", age = ""] = m;
      const index = start + (m.index ?? 0);
      const member = byName.get(name);
      if (!member) {
        out.push({ index, message: `${name} (${age}) is introduced in a vignette but is not in the cast (content/cast.yaml)` });
        continue;
      }
      if (Number(age) !== member.age) out.push({ index, message: `${name} is ${age} here but ${member.age} in the cast` });
      if (!sentence.toLowerCase().includes(member.occupation.toLowerCase()))
        out.push({ index, message: `${name}'s job here does not match the cast ("${member.occupation}")` });
      if (!member.modules.includes(moduleId)) out.push({ index, message: `the cast does not list ${name} in module ${moduleId}` });
    }
  }
  return out;
}

/** A reflection prompt that asks about the trainee's own patients ("a patient you…", "a current case"). */
const ABOUT_PATIENTS = /\b(?:a|an|your|current|recent|real)\b[^.?!]{0,30}?\b(?:patients?|clients?|cases?|sessions?|clinical work)\b/i;

export function asksAboutOwnPatients(promptText: string): boolean {
  return ABOUT_PATIENTS.test(promptText);
}

const formatProblem = (p: Problem) => `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`;

export { formatProblem };

function lineAt(source: string, index: number): number {
  return source.slice(0, index).split("\n").length;
}

function lineOfKey(source: string, key: string): number | null {
  const i = source.search(new RegExp(`^${key}:`, "m"));
  return i < 0 ? null : lineAt(source, i);
}

function splitFrontmatter(source: string): { yaml: string; bodyStart: number } | null {
  const match = source.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n/);
  return match ? { yaml: match[1] ?? "", bodyStart: match[0].length } : null;
}

/**
 * Validates all course content and returns every problem found, each with a
 * file and (where it can be placed) a line: frontmatter, unique ids and
 * slugs, prerequisites that exist and form no cycle, only known components,
 * glossary terms and quizzes that exist, unique reflection ids, internal
 * links that resolve, MDX that compiles, the course's length rules, the competence frameworks
 * (frameworks/<id>-v<version>.yaml: every problem of each file, and a default "dit-competence" framework),
 * and certification pathways (valid, named by id and version, naming modules and quizzes that exist).
 */
export async function checkContent(root = CONTENT_DIR): Promise<Problem[]> {
  const problems: Problem[] = [];
  const add = (file: string, line: number | null, message: string) => problems.push({ file, line, message });

  let glossary: Record<string, GlossaryEntry> = {};
  let glossaryRaw = "";
  try {
    ({ glossary, raw: glossaryRaw } = readGlossary(root));
  } catch (error) {
    if (error instanceof ContentError) add(error.file, error.line, error.reason);
    else add(glossaryPath(root), null, String(error));
  }
  const quizzes = new Set<string>();
  const quizModules: { file: string; module: string }[] = [];
  for (const file of quizFiles(root)) {
    try {
      const quiz = readQuiz(file);
      if (quizzes.has(quiz.id)) add(file, null, `quiz id ${quiz.id} is used twice`);
      quizzes.add(quiz.id);
      if (quiz.module) quizModules.push({ file, module: quiz.module });
    } catch (error) {
      if (error instanceof ContentError) add(error.file, error.line, error.reason);
      else add(file, null, String(error));
    }
  }

  let cast: CastMember[] = [];
  const castFile = castPath(root);
  if (existsSync(castFile)) {
    const parsed = CastSchema.safeParse(parseYaml(readFileSync(castFile, "utf8")));
    if (parsed.success) cast = parsed.data;
    else for (const issue of parsed.error.issues) add(castFile, null, `${issue.path.join(".")}: ${issue.message}`);
    const names = new Set<string>();
    for (const c of cast) {
      if (names.has(c.name)) add(castFile, null, `${c.name} is in the cast twice`);
      names.add(c.name);
    }
  } else add(castFile, null, "the cast list is missing");

  type Found = { file: string; source: string; id: string; slug: string; order: number; prerequisites: string[]; dir: string };
  const found: Found[] = [];
  const reflectionIds = new Map<string, string>();
  type Link = { file: string; line: number; slug: string; anchor: string | null; kind: "module" | "glossary" };
  const links: Link[] = [];

  for (const dir of moduleDirs(root)) {
    const file = moduleFile(root, dir);
    if (!existsSync(file)) {
      add(path.join(root, "modules", dir), null, "a module folder needs an index.mdx");
      continue;
    }
    const source = readFileSync(file, "utf8");
    const fm = splitFrontmatter(source);
    if (!fm) {
      add(file, 1, "missing frontmatter (--- … --- at the top)");
      continue;
    }
    let raw: unknown;
    try {
      raw = parseYaml(fm.yaml);
    } catch (error) {
      add(file, 1, `frontmatter is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    const parsed = ModuleFrontmatterSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "");
        add(file, (key && lineOfKey(source, key)) || 1, `frontmatter ${issue.path.join(".") || "(root)"}: ${issue.message}`);
      }
      continue;
    }
    const f = parsed.data;
    const expectedDir = `${String(f.order).padStart(2, "0")}-${f.slug}`;
    if (dir !== expectedDir) add(file, lineOfKey(source, "slug"), `folder should be named ${expectedDir} (order and slug)`);
    found.push({ file, source, id: f.id, slug: f.slug, order: f.order, prerequisites: f.prerequisites, dir });

    const body = source.slice(fm.bodyStart);
    const at = (index: number) => lineAt(source, fm.bodyStart + index);
    for (const m of body.matchAll(/<\/?([A-Z][A-Za-z0-9]*)/g)) {
      if (!(AUTHOR_COMPONENTS as readonly string[]).includes(m[1] ?? "")) {
        add(file, at(m.index ?? 0), `unknown component <${m[1]}> (known: ${AUTHOR_COMPONENTS.join(", ")})`);
      }
    }
    for (const m of body.matchAll(/<Reflection\b([^>]*)>([\s\S]*?)<\/Reflection>/g)) {
      const id = m[1]?.match(/\bid="([^"]*)"/)?.[1];
      const line = at(m.index ?? 0);
      const marked = /\baboutPatients(?!=\{false\})\b/.test(m[1] ?? "");
      const optedOut = /\baboutPatients=\{false\}/.test(m[1] ?? "");
      if (!marked && !optedOut && asksAboutOwnPatients(m[2] ?? ""))
        add(file, line, "this prompt asks about the trainee's patients: mark it aboutPatients (or aboutPatients={false} if it does not)");
      if (!id) add(file, line, '<Reflection> needs an id="…"');
      else if (!id.startsWith(`${f.id}-`)) add(file, line, `reflection id "${id}" should start with the module id "${f.id}-"`);
      else if (reflectionIds.has(id)) add(file, line, `reflection id "${id}" is already used in ${reflectionIds.get(id)}`);
      else reflectionIds.set(id, file);
    }
    for (const p of castProblems(body, f.id, cast)) add(file, at(p.index), p.message);
    for (const c of cast) {
      if (c.modules.includes(f.id) && !new RegExp(`\\b${c.name}\\b`).test(body))
        add(file, null, `the cast lists ${c.name} in this module, but the module never names them`);
    }
    for (const m of body.matchAll(/<Glossary\b([^>]*)>/g)) {
      const term = m[1]?.match(/\bterm="([^"]*)"/)?.[1];
      if (!term) add(file, at(m.index ?? 0), '<Glossary> needs a term="…"');
      else if (!glossary[term]) add(file, at(m.index ?? 0), `glossary term "${term}" is not defined in ${glossaryPath(root)}`);
    }
    for (const m of body.matchAll(/<Quiz\b([^>]*)>/g)) {
      const id = m[1]?.match(/\bid="([^"]*)"/)?.[1];
      if (!id) add(file, at(m.index ?? 0), '<Quiz> needs an id="…"');
      else if (!quizzes.has(id)) add(file, at(m.index ?? 0), `quiz "${id}" does not exist under ${path.join(root, "quizzes")}`);
    }
    for (const m of body.matchAll(/\]\((\/[^)\s]*)\)/g)) {
      const target = m[1] ?? "";
      const line = at(m.index ?? 0);
      const moduleLink = target.match(/^\/modules\/([a-z0-9-]+)(?:#([\w-]+))?$/);
      const glossaryLink = target.match(/^\/glossary(?:#([\w-]+))?$/);
      if (moduleLink) links.push({ file, line, slug: moduleLink[1] ?? "", anchor: moduleLink[2] ?? null, kind: "module" });
      else if (glossaryLink) links.push({ file, line, slug: "", anchor: glossaryLink[1] ?? null, kind: "glossary" });
      else if (!/^\/(modules|glossary|journal)\/?$/.test(target))
        add(file, line, `internal link ${target} does not point at a course page`);
    }
  }

  // Uniqueness and the prerequisite graph.
  for (const key of ["id", "slug", "order"] as const) {
    const seen = new Map<string | number, string>();
    for (const m of found) {
      const other = seen.get(m[key]);
      if (other) add(m.file, lineOfKey(m.source, key), `${key} ${m[key]} is also used by ${other}`);
      else seen.set(m[key], m.file);
    }
  }
  const ids = new Set(found.map((m) => m.id));
  for (const m of found) {
    for (const p of m.prerequisites) {
      if (!ids.has(p)) add(m.file, lineOfKey(m.source, "prerequisites"), `prerequisite "${p}" is not a module id`);
      if (p === m.id) add(m.file, lineOfKey(m.source, "prerequisites"), "a module cannot be its own prerequisite");
    }
  }
  for (const q of quizModules) if (!ids.has(q.module)) add(q.file, null, `module "${q.module}" does not exist`);
  checkPathways(root, ids, quizzes, add);
  const cycle = findPrerequisiteCycle(found);
  if (cycle) {
    const first = found.find((m) => m.id === cycle[0]);
    add(first?.file ?? root, first ? lineOfKey(first.source, "prerequisites") : null, `prerequisites form a cycle: ${cycle.join(" → ")}`);
  }

  // Compile, then check what needs the compiled form.
  const compiled = new Map<string, CompiledModule>();
  if (glossaryRaw) {
    for (const m of found) {
      try {
        compiled.set(m.slug, await compileModule({ root, dir: m.dir }, glossary, glossaryRaw));
      } catch (error) {
        if (error instanceof ContentError) add(error.file, error.line, error.reason);
        else add(m.file, null, String(error));
      }
    }
  }
  for (const [slug, c] of compiled) {
    const file = found.find((m) => m.slug === slug)?.file ?? slug;
    if (c.words < WORDS_MIN || c.words > WORDS_MAX) add(file, null, `${c.words} words; a module has ${WORDS_MIN}–${WORDS_MAX}`);
    if (!c.segments.some((s) => s.type === "html" && s.html.includes('class="vignette"')))
      add(file, null, "a module needs at least one <Vignette>");
    if (!c.segments.some((s) => s.type === "reflection")) add(file, null, "a module needs at least one <Reflection>");
  }
  for (const link of links) {
    if (link.kind === "glossary") {
      if (link.anchor && !glossary[link.anchor]) add(link.file, link.line, `link to /glossary#${link.anchor}: no such term`);
      continue;
    }
    const target = compiled.get(link.slug);
    if (!found.some((m) => m.slug === link.slug)) add(link.file, link.line, `link to /modules/${link.slug}: no such module`);
    else if (link.anchor && target && !target.toc.some((t) => t.id === link.anchor) && link.anchor !== "objectives") {
      add(link.file, link.line, `link to /modules/${link.slug}#${link.anchor}: no such heading`);
    }
  }

  const frameworks = readFrameworks(root);
  problems.push(...frameworks.problems);
  if (!frameworks.problems.length && !frameworks.frameworks.some((f) => f.id === DEFAULT_FRAMEWORK_ID))
    add(path.join(root, "frameworks"), null, `no "${DEFAULT_FRAMEWORK_ID}" competence framework (the one ratings use by default)`);
  return problems;
}

/** Pathways (content/pathways, docs/pathways.md): each file valid, one per id and version, every module and quiz it names present. */
function checkPathways(
  root: string,
  modules: ReadonlySet<string>,
  quizzes: ReadonlySet<string>,
  add: (file: string, line: number | null, message: string) => void,
): void {
  const seen = new Map<string, string>();
  for (const file of pathwayFiles(root)) {
    const read = readPathwayFile(file);
    if (!read.ok) {
      for (const p of read.problems) add(p.file, p.line, p.message);
      continue;
    }
    const { pathway } = read;
    const key = `${pathway.id} v${pathway.version}`;
    if (seen.has(key)) add(file, null, `pathway ${key} is also defined in ${seen.get(key)}`);
    seen.set(key, file);
    const refs = contentReferences(pathway);
    for (const id of refs.modules) if (!modules.has(id)) add(file, null, `module "${id}" does not exist`);
    for (const id of refs.quizzes) if (!quizzes.has(id)) add(file, null, `quiz "${id}" does not exist under ${path.join(root, "quizzes")}`);
  }
}
