import type { Curriculum } from "#app/content.server/types";
import { continueWith, type ModuleState, moduleState, type ProgressRecord } from "#app/domain/curriculum";

export type ModuleSummary = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  order: number;
  version: number;
  estimatedMinutes: number;
  prerequisites: { slug: string; title: string }[];
  state: ModuleState;
};

/** The course overview for one person: every module with its state. */
export function summarize(curriculum: Curriculum, progress: ReadonlyMap<string, ProgressRecord>): ModuleSummary[] {
  const byId = new Map(curriculum.modules.map((m) => [m.frontmatter.id, m.frontmatter]));
  return curriculum.modules.map(({ frontmatter: f }) => ({
    id: f.id,
    slug: f.slug,
    title: f.title,
    summary: f.summary,
    order: f.order,
    version: f.version,
    estimatedMinutes: f.estimatedMinutes,
    prerequisites: f.prerequisites.map((p) => ({ slug: byId.get(p)?.slug ?? p, title: byId.get(p)?.title ?? p })),
    state: moduleState(f, progress),
  }));
}

/** Where a reflection prompt lives, for the journal. */
export function reflectionPrompts(curriculum: Curriculum) {
  const prompts = new Map<string, { moduleSlug: string; moduleTitle: string; promptHtml: string }>();
  for (const m of curriculum.modules) {
    for (const s of m.segments) {
      if (s.type === "reflection")
        prompts.set(s.id, { moduleSlug: m.frontmatter.slug, moduleTitle: m.frontmatter.title, promptHtml: s.promptHtml });
    }
  }
  return prompts;
}

export type GridCell = { status: ModuleState["status"]; updated: boolean; completedAt: string | null; version: number | null };

/** The trainee × module grid of a cohort (rows from models/progress.server.ts cohortProgress). */
export function progressGrid(
  curriculum: Curriculum,
  rows: readonly { userId: string; name: string; email: string; progress: ReadonlyMap<string, ProgressRecord> }[],
) {
  const modules = curriculum.modules.map((m) => m.frontmatter);
  return {
    modules: modules.map((m) => ({ id: m.id, order: m.order, title: m.title, slug: m.slug })),
    rows: rows.map((r) => ({
      userId: r.userId,
      name: r.name,
      email: r.email,
      completed: modules.filter((m) => r.progress.get(m.id)?.completedAt).length,
      cells: modules.map((m): GridCell => {
        const state = moduleState(m, r.progress);
        const p = r.progress.get(m.id);
        return {
          status: state.status,
          updated: state.updatedSinceCompleted,
          completedAt: p?.completedAt ? p.completedAt.toISOString() : null,
          version: p?.completedVersion ?? null,
        };
      }),
    })),
  };
}

/** How far a person is through the course, and the module to continue with (overview and home page). */
export function courseProgress(curriculum: Curriculum, progress: ReadonlyMap<string, ProgressRecord>) {
  const next = continueWith(
    curriculum.modules.map((m) => m.frontmatter),
    progress,
  );
  return {
    done: curriculum.modules.filter((m) => progress.get(m.frontmatter.id)?.completedAt).length,
    total: curriculum.modules.length,
    next: next ? { slug: next.slug, title: next.title, started: progress.has(next.id) } : null,
  };
}
