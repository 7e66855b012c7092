import { existsSync, readFileSync, watch } from "node:fs";
import { CURRICULUM_FILE, compileCurriculum } from "#app/content.server/compile";
import type { CompiledModule, Curriculum } from "#app/content.server/types";
import { env } from "#app/env.server";

/**
 * The compiled curriculum, read once from build/content/curriculum.json (made
 * by `npm run build`). No request ever compiles MDX in production. In
 * development and tests the curriculum is compiled on first use (unchanged
 * modules come from the .cache/content cache) from CONTENT_DIR (content/ unless
 * set; tests use a fixture course), and in development a change there
 * recompiles on the next request.
 */
let current: Promise<Curriculum> | undefined;
let watching = false;

declare global {
  var __attuneWatchContent: boolean | undefined;
}

async function load(): Promise<Curriculum> {
  if (env().NODE_ENV !== "production") return compileCurriculum(env().CONTENT_DIR);
  if (!existsSync(CURRICULUM_FILE)) {
    throw new Error(`${CURRICULUM_FILE} is missing: run \`npm run build\` before starting in production.`);
  }
  return JSON.parse(readFileSync(CURRICULUM_FILE, "utf8")) as Curriculum;
}

export function getCurriculum(): Promise<Curriculum> {
  if (!current) {
    current = load();
    current.catch(() => {
      current = undefined;
    });
    // Only in the development server (server/index.ts sets the flag): Node 20's recursive watcher on Linux cannot be
    // unref'd, so any other process that read the course would never exit.
    if (env().NODE_ENV === "development" && globalThis.__attuneWatchContent === true && !watching) {
      watching = true;
      watch(env().CONTENT_DIR, { recursive: true }, () => {
        current = undefined;
      }).unref();
    }
  }
  return current;
}

export async function getModuleBySlug(slug: string): Promise<{ module: CompiledModule; index: number; curriculum: Curriculum } | null> {
  const curriculum = await getCurriculum();
  const index = curriculum.modules.findIndex((m) => m.frontmatter.slug === slug);
  const module = curriculum.modules[index];
  return module ? { module, index, curriculum } : null;
}

/** A quiz with its answer key: for server code only, never for loader data as is. */
export async function getQuiz(id: string) {
  return (await getCurriculum()).quizzes.find((q) => q.id === id) ?? null;
}
