import type { Certainty, EvidenceRef, Pathway, PathwayEvaluation, PathwayEvidence, StepState } from "#app/domain/pathway";

/**
 * The pathway checklist as its pages show it: each step with its state, what is
 * missing, and its evidence linked to the page that shows it — only where the
 * viewer may open that page (app/domain/permissions.ts), so a supervisor never
 * gets a link that would 404. Pure; the loaders pass the result to the page.
 */

export type ChecklistViewer = {
  /** The trainee themself. */
  owner: boolean;
  admin: boolean;
  /** A trainer of one of the trainee's cohorts (marks their quizzes and case studies). */
  cohortTrainer: boolean;
  /** Ids of the trainee's cases the viewer supervises. */
  supervisedCaseIds: ReadonlySet<string>;
};

export type ChecklistEvidence = { kind: EvidenceRef["kind"]; label: string; href: string | null; hash: string | null };

export type ChecklistStep = {
  id: string;
  title: string;
  state: StepState;
  summary: string;
  missing: string[];
  evidence: ChecklistEvidence[];
  certainty: Certainty;
  basis: string;
};

export const CERTAINTY_LABELS: Record<Certainty, string> = {
  S: "Stated by the training body",
  P: "Attune's reading of a published source",
  "?": "Attune's default: no published rule found",
};

export function checklistView(
  pathway: Pathway,
  evaluation: PathwayEvaluation,
  evidence: PathwayEvidence,
  viewer: ChecklistViewer,
  moduleSlugs: Readonly<Record<string, string>>,
): { steps: ChecklistStep[]; met: number; total: number; complete: boolean } {
  const moduleOf = new Map(evidence.modules.map((m) => [m.progressId, m.moduleId]));
  const attemptOf = new Map(evidence.quizAttempts.map((a) => [a.id, a]));
  const supervisionCase = new Map(evidence.supervision.map((e) => [e.id, e.caseId]));
  const ratingOf = new Map(evidence.ratings.map((r) => [r.ratingId, r]));
  const studyOfMark = new Map(evidence.caseStudies.flatMap((s) => (s.mark ? [[s.mark.id, s.id] as const] : [])));
  const seesCase = (caseId: string | null) => caseId !== null && (viewer.owner || viewer.admin || viewer.supervisedCaseIds.has(caseId));

  const href = (ref: EvidenceRef): string | null => {
    switch (ref.kind) {
      case "module": {
        const slug = moduleSlugs[moduleOf.get(ref.id) ?? ""];
        return slug ? `/modules/${slug}` : null;
      }
      case "quiz-attempt": {
        const a = attemptOf.get(ref.id);
        if (!a) return null;
        if (viewer.owner) return `/quizzes/${a.quizId}/attempts/${a.id}`;
        return viewer.admin || viewer.cohortTrainer ? `/marking/${a.id}` : null;
      }
      case "case":
        return seesCase(ref.id) ? `/cases/${ref.id}` : null;
      case "supervision": {
        const caseId = supervisionCase.get(ref.id) ?? null;
        return seesCase(caseId) ? `/cases/${caseId}#supervision` : null;
      }
      case "rating": {
        const r = ratingOf.get(ref.id);
        if (!r) return null;
        const sees = r.recordingKind === "ROLE_PLAY" ? viewer.owner || viewer.admin : seesCase(r.caseId);
        return sees ? `/recordings/${r.recordingId}` : null;
      }
      case "case-study-mark": {
        const id = studyOfMark.get(ref.id);
        return id && (viewer.owner || viewer.admin || viewer.cohortTrainer) ? `/case-studies/${id}` : null;
      }
    }
  };

  const byId = new Map(pathway.steps.map((s) => [s.id, s]));
  const steps = evaluation.steps.map((s): ChecklistStep => {
    const def = byId.get(s.id);
    return {
      id: s.id,
      title: s.title,
      state: s.state,
      summary: s.summary,
      missing: s.missing,
      evidence: s.evidence.map((e) => ({ kind: e.kind, label: e.label, href: href(e), hash: e.hash ?? null })),
      certainty: def?.certainty ?? "?",
      basis: def?.basis ?? "",
    };
  });
  return { steps, met: steps.filter((s) => s.state === "met").length, total: steps.length, complete: evaluation.complete };
}
