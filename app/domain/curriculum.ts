import { z } from "zod";

/**
 * Course modules: their frontmatter, their prerequisite graph, and what a
 * person's progress means. Pure; the files are read by app/content.server and
 * progress is stored by app/models/progress.server.ts.
 */
const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "use lower-case kebab-case (a-z, 0-9, -)");

/**
 * Shown beside every reflection prompt marked `aboutPatients` (rendered into the prompt at build time) and on the
 * journal page: reflections are private, but never the place for anything that identifies a patient.
 */
export const PATIENT_PRIVACY_NOTE =
  "Never write anything that could identify a patient: no names or initials, dates, places, workplaces or unusual details. Describe the pattern and your own responses, not the person.";

/** Slugs that would collide with routes under /modules. */
export const RESERVED_SLUGS = ["search"] as const;

export const ModuleFrontmatterSchema = z
  .object({
    id: kebab,
    slug: kebab.refine((s) => !(RESERVED_SLUGS as readonly string[]).includes(s), "this slug is reserved for a page"),
    title: z.string().min(3).max(120),
    summary: z.string().min(10).max(400),
    order: z.number().int().positive(),
    version: z.number().int().positive(),
    estimatedMinutes: z.number().int().positive().max(600),
    objectives: z.array(z.string().min(5)).min(1),
    prerequisites: z.array(kebab).default([]),
    references: z.array(z.string().min(5)).min(1),
  })
  .strict();

export type ModuleFrontmatter = z.infer<typeof ModuleFrontmatterSchema>;

export type ModuleRef = Pick<ModuleFrontmatter, "id" | "prerequisites">;

/** The first prerequisite cycle found, as a path of ids (a → b → a), or null. */
export function findPrerequisiteCycle(modules: readonly ModuleRef[]): string[] | null {
  const byId = new Map(modules.map((m) => [m.id, m]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === "done") return null;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const next of byId.get(id)?.prerequisites ?? []) {
      if (!byId.has(next)) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, "done");
    return null;
  };
  for (const m of modules) {
    const cycle = visit(m.id);
    if (cycle) return cycle;
  }
  return null;
}

export type ProgressRecord = {
  moduleId: string;
  lastViewedAt: Date;
  lastVersionSeen: number;
  completedAt: Date | null;
  completedVersion: number | null;
  /** When the module's quiz was passed (null: not passed, or the module has no quiz). */
  quizPassedAt?: Date | null;
};

export type ModuleStatus = "locked" | "not-started" | "in-progress" | "completed";

export type ModuleState = {
  status: ModuleStatus;
  /** Completed at an earlier version than the current one. */
  updatedSinceCompleted: boolean;
  /** Prerequisites not yet completed (ids). */
  missing: string[];
};

export function isComplete(progress: ProgressRecord | undefined): boolean {
  return Boolean(progress?.completedAt);
}

export function moduleState(
  module: Pick<ModuleFrontmatter, "id" | "version" | "prerequisites">,
  progress: ReadonlyMap<string, ProgressRecord>,
): ModuleState {
  const own = progress.get(module.id);
  const missing = module.prerequisites.filter((p) => !isComplete(progress.get(p)));
  const updatedSinceCompleted = Boolean(own?.completedAt && (own.completedVersion ?? 0) < module.version);
  if (own?.completedAt) return { status: "completed", updatedSinceCompleted, missing };
  if (missing.length > 0) return { status: "locked", updatedSinceCompleted: false, missing };
  return { status: own ? "in-progress" : "not-started", updatedSinceCompleted: false, missing };
}

/**
 * Whether a module may be marked complete now: all prerequisites complete and,
 * when the module has a quiz, the quiz passed.
 */
export function completionBlocker(
  module: Pick<ModuleFrontmatter, "id" | "version" | "prerequisites">,
  progress: ReadonlyMap<string, ProgressRecord>,
  quiz: { required: boolean } = { required: false },
): "prerequisites" | "quiz" | null {
  if (moduleState(module, progress).missing.length > 0) return "prerequisites";
  if (quiz.required && !progress.get(module.id)?.quizPassedAt) return "quiz";
  return null;
}

/**
 * "Continue where you left off": the most recently opened module not yet
 * complete; otherwise the first module (in course order) that is open to start.
 */
export function continueWith<M extends Pick<ModuleFrontmatter, "id" | "version" | "prerequisites" | "order">>(
  modules: readonly M[],
  progress: ReadonlyMap<string, ProgressRecord>,
): M | null {
  const inProgress = modules
    .filter((m) => moduleState(m, progress).status === "in-progress")
    .sort((a, b) => (progress.get(b.id)?.lastViewedAt.getTime() ?? 0) - (progress.get(a.id)?.lastViewedAt.getTime() ?? 0));
  if (inProgress[0]) return inProgress[0];
  return [...modules].sort((a, b) => a.order - b.order).find((m) => moduleState(m, progress).status === "not-started") ?? null;
}

/** How often opening a module page is written down (keeps page views read-only most of the time). */
export const VIEW_RECORD_INTERVAL_MS = 5 * 60_000;

export function shouldRecordView(progress: ProgressRecord | undefined, version: number, now: Date): boolean {
  if (!progress) return true;
  if (progress.lastVersionSeen !== version) return true;
  return now.getTime() - progress.lastViewedAt.getTime() >= VIEW_RECORD_INTERVAL_MS;
}
