import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bundleMDX } from "mdx-bundler";
import { getMDXComponent } from "mdx-bundler/client";
import { renderToStaticMarkup } from "react-dom/server";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ContentError } from "#app/content.server/errors";
import { type Collector, mdxComponents } from "#app/content.server/mdx-components";
import { compileQuizzes } from "#app/content.server/quizzes";
import type { CompiledModule, Curriculum, GlossaryEntry, Segment } from "#app/content.server/types";
import { ModuleFrontmatterSchema } from "#app/domain/curriculum";
import type { SearchSection } from "#app/domain/search";

/** Bump when the compiled shape or the components change: it invalidates every cached module. */
export const COMPILER_VERSION = "3";

export const CONTENT_DIR = "content";
export const CACHE_DIR = path.join(".cache", "content");

const GlossarySchema = z.record(
  z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  z.object({ term: z.string().min(1), definition: z.string().min(10) }).strict(),
);

export function glossaryPath(root = CONTENT_DIR) {
  return path.join(root, "glossary.yaml");
}

export function readGlossary(root = CONTENT_DIR): { glossary: Record<string, GlossaryEntry>; raw: string } {
  const file = glossaryPath(root);
  const raw = readFileSync(file, "utf8");
  const parsed = GlossarySchema.safeParse(parseYaml(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ContentError(file, null, `${issue?.path.join(".")}: ${issue?.message}`);
  }
  return { glossary: parsed.data, raw };
}

export function moduleDirs(root = CONTENT_DIR): string[] {
  const dir = path.join(root, "modules");
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export const moduleFile = (root: string, dir: string) => path.join(root, "modules", dir, "index.mdx");

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#x27;": "'",
  "&#39;": "'",
  "&nbsp;": " ",
};

export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&(amp|lt|gt|quot|nbsp|#x27|#39);/g, (m) => ENTITIES[m] ?? m)
    .replace(/\s+/g, " ")
    .trim();
}

/** Sections for search: each heading with the text up to the next heading. */
export function sectionsOf(module: CompiledModule): SearchSection[] {
  const html = module.segments.map((s) => (s.type === "html" ? s.html : s.type === "reflection" ? s.promptHtml : "")).join("");
  const parts = html.split(/<h[23] id="([^"]+)">(.*?)<\/h[23]>/);
  const sections: SearchSection[] = [];
  const base = { moduleSlug: module.frontmatter.slug, moduleTitle: module.frontmatter.title };
  const intro = htmlToText(parts[0] ?? "");
  if (intro) sections.push({ ...base, anchor: "", heading: module.frontmatter.title, text: intro });
  for (let i = 1; i + 2 <= parts.length; i += 3) {
    sections.push({ ...base, anchor: parts[i] ?? "", heading: htmlToText(parts[i + 1] ?? ""), text: htmlToText(parts[i + 2] ?? "") });
  }
  return sections;
}

/** The source line of an MDX compile error (MDX reports lines of the body, after the frontmatter). */
function lineOf(error: unknown, source: string): number | null {
  const where = String((error as Error)?.message ?? "").match(/\((\d+):\d+(?:-\d+:\d+)?\)/);
  if (!where) return null;
  const frontmatter = source.match(/^---\r?\n[\s\S]*?\r?\n---\r?\n/)?.[0] ?? "";
  return Number(where[1]) + frontmatter.split("\n").length - 1;
}

export async function compileModule(
  { root, dir }: { root: string; dir: string },
  glossary: Record<string, GlossaryEntry>,
  glossaryRaw: string,
): Promise<CompiledModule> {
  const file = moduleFile(root, dir);
  const source = readFileSync(file, "utf8");
  const hash = createHash("sha256").update(COMPILER_VERSION).update("\0").update(glossaryRaw).update("\0").update(source).digest("hex");
  const cached = path.join(CACHE_DIR, `${hash}.json`);
  try {
    return { ...(JSON.parse(readFileSync(cached, "utf8")) as CompiledModule), dir };
  } catch {}

  let bundled: Awaited<ReturnType<typeof bundleMDX>>;
  try {
    bundled = await bundleMDX({
      source,
      esbuildOptions: (options) => ({ ...options, logLevel: "silent" }),
    });
  } catch (error) {
    const reason = String((error as Error).message).match(/\d+:\d+: (.*?) \(\d+:\d+/)?.[1] ?? (error as Error).message.split("\n")[0];
    throw new ContentError(file, lineOf(error, source), `MDX does not compile: ${reason}`);
  }
  const fm = ModuleFrontmatterSchema.safeParse(bundled.frontmatter);
  if (!fm.success) {
    const issue = fm.error.issues[0];
    throw new ContentError(file, 1, `frontmatter ${issue?.path.join(".")}: ${issue?.message}`);
  }

  const collector: Collector = { toc: [], slots: new Map(), usedIds: new Set() };
  const Component = getMDXComponent(bundled.code);
  let html: string;
  try {
    html = renderToStaticMarkup(<Component components={mdxComponents(collector, glossary)} />);
  } catch (error) {
    throw new ContentError(file, null, `does not render: ${(error as Error).message}`);
  }

  const segments: Segment[] = [];
  const pieces = html.split(/<template data-slot="([^"]+)"><\/template>/);
  pieces.forEach((piece, i) => {
    if (i % 2 === 0) {
      // A slot inside another element would split that element's tags across segments.
      for (const tag of ["aside", "div", "section", "blockquote", "ul", "ol", "p"]) {
        const opened = piece.match(new RegExp(`<${tag}[\\s>]`, "g"))?.length ?? 0;
        const closed = piece.match(new RegExp(`</${tag}>`, "g"))?.length ?? 0;
        if (opened !== closed)
          throw new ContentError(file, null, "<Reflection> and <Quiz> must stand on their own, not inside another element");
      }
      if (piece) segments.push({ type: "html", html: piece });
    } else {
      const slot = collector.slots.get(piece);
      if (slot) segments.push(slot);
    }
  });
  const compiled: CompiledModule = {
    frontmatter: fm.data,
    dir,
    hash,
    segments,
    toc: collector.toc,
    words: htmlToText(html).split(" ").filter(Boolean).length,
  };
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cached, JSON.stringify(compiled));
  return compiled;
}

/** Compiles every module (unchanged ones come from the cache) into one curriculum. */
export async function compileCurriculum(root = CONTENT_DIR): Promise<Curriculum> {
  const { glossary, raw } = readGlossary(root);
  const modules: CompiledModule[] = [];
  for (const dir of moduleDirs(root)) modules.push(await compileModule({ root, dir }, glossary, raw));
  modules.sort((a, b) => a.frontmatter.order - b.frontmatter.order);
  const version = createHash("sha256")
    .update(modules.map((m) => m.hash).join())
    .digest("hex")
    .slice(0, 16);
  return { version, modules, glossary, sections: modules.flatMap(sectionsOf), quizzes: compileQuizzes(root) };
}

export const CURRICULUM_FILE = path.join("build", "content", "curriculum.json");

export function writeCurriculum(curriculum: Curriculum, file = CURRICULUM_FILE) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(curriculum));
}
