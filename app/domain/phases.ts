/**
 * The DIT phase of a session, as data. The manual (Lemma, Target & Fonagy 2011,
 * Brief Dynamic Interpersonal Therapy) divides the standard 16 sessions into an
 * initial phase (1–4, ending with the shared IPAF), a middle phase (5–12) and an
 * ending phase (13–16). A training body may replace the plan — e.g. the
 * 26-session adaptation for complex cases (DIT-CC), whose split Attune does not
 * assume — as long as it passes `validatePhasePlan`.
 */

export type PhaseId = "initial" | "middle" | "ending";

export const PHASE_ORDER: readonly PhaseId[] = ["initial", "middle", "ending"];

export type Phase = { id: PhaseId; label: string; firstSession: number; lastSession: number };

export type PhasePlan = { name: string; totalSessions: number; phases: readonly Phase[] };

export const DIT_STANDARD: PhasePlan = {
  name: "DIT (16 sessions)",
  totalSessions: 16,
  phases: [
    { id: "initial", label: "Initial phase", firstSession: 1, lastSession: 4 },
    { id: "middle", label: "Middle phase", firstSession: 5, lastSession: 12 },
    { id: "ending", label: "Ending phase", firstSession: 13, lastSession: 16 },
  ],
};

/** The longest course a plan may describe (a year of weekly sessions). */
export const MAX_SESSIONS = 52;

export class PhasePlanError extends Error {
  override readonly name = "PhasePlanError";
}

/**
 * A plan is valid when it has the three phases, once each, in order, each at
 * least one session long, covering sessions 1 … totalSessions without gaps or overlaps.
 */
export function validatePhasePlan(plan: PhasePlan): PhasePlan {
  const { totalSessions, phases } = plan;
  if (!Number.isInteger(totalSessions) || totalSessions < PHASE_ORDER.length || totalSessions > MAX_SESSIONS) {
    throw new PhasePlanError(`A plan must have from ${PHASE_ORDER.length} to ${MAX_SESSIONS} sessions, not ${totalSessions}.`);
  }
  if (phases.length !== PHASE_ORDER.length || phases.some((p, i) => p.id !== PHASE_ORDER[i])) {
    throw new PhasePlanError("A plan must list the initial, middle and ending phases, once each, in that order.");
  }
  let next = 1;
  for (const p of phases) {
    if (!Number.isInteger(p.firstSession) || !Number.isInteger(p.lastSession) || p.lastSession < p.firstSession) {
      throw new PhasePlanError(`The ${p.id} phase must run from a session to the same or a later session.`);
    }
    if (p.firstSession !== next) {
      throw new PhasePlanError(`The ${p.id} phase must start at session ${next}, not ${p.firstSession} (no gaps or overlaps).`);
    }
    if (p.label.trim() === "") throw new PhasePlanError(`The ${p.id} phase needs a label.`);
    next = p.lastSession + 1;
  }
  if (next !== totalSessions + 1) throw new PhasePlanError(`The ending phase must end at session ${totalSessions}, not ${next - 1}.`);
  return plan;
}

/** The phase a session belongs to; a session outside the plan is a PhasePlanError. */
export function phaseOf(session: number, plan: PhasePlan = DIT_STANDARD): Phase {
  const phase = plan.phases.find((p) => Number.isInteger(session) && session >= p.firstSession && session <= p.lastSession);
  if (!phase) throw new PhasePlanError(`Session ${session} is not in the plan "${plan.name}" (sessions 1–${plan.totalSessions}).`);
  return phase;
}

/** The plans a case can follow, by the id stored on the case (TrainingCase.planId). */
export const PHASE_PLANS: Readonly<Record<string, PhasePlan>> = { "dit-16": DIT_STANDARD };

/** The plan of a case; an unknown id is a PhasePlanError (a plan must never be guessed). */
export function planById(id: string): PhasePlan {
  const plan = PHASE_PLANS[id];
  if (!plan) throw new PhasePlanError(`Unknown session plan "${id}".`);
  return plan;
}
