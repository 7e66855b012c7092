import type { QuizSettings } from "#app/domain/quiz/schema";

/** Seconds of grace after a time limit, for the network between the click and the server. */
export const GRACE_SECONDS = 30;

export type AttemptSummary = {
  status: "IN_PROGRESS" | "AWAITING_MARKING" | "COMPLETE";
  passed: boolean | null;
  startedAt: Date;
  submittedAt: Date | null;
};

export type StartDecision =
  | { ok: true }
  | { ok: false; reason: "in-progress" | "no-attempts-left" | "already-passed" | "cooldown"; retryAt?: Date };

/** Whether a person may start a new attempt now. */
export function canStart(
  settings: Pick<QuizSettings, "attempts" | "cooldownMinutes">,
  attempts: readonly AttemptSummary[],
  now: Date,
): StartDecision {
  if (attempts.some((a) => a.status === "IN_PROGRESS")) return { ok: false, reason: "in-progress" };
  if (attempts.some((a) => a.passed)) return { ok: false, reason: "already-passed" };
  if (settings.attempts > 0 && attempts.length >= settings.attempts) return { ok: false, reason: "no-attempts-left" };
  const last = attempts.map((a) => a.submittedAt ?? a.startedAt).sort((a, b) => b.getTime() - a.getTime())[0];
  if (last && settings.cooldownMinutes > 0) {
    const retryAt = new Date(last.getTime() + settings.cooldownMinutes * 60_000);
    if (retryAt > now) return { ok: false, reason: "cooldown", retryAt };
  }
  return { ok: true };
}

export function deadlineFor(settings: Pick<QuizSettings, "timeLimitMinutes">, startedAt: Date): Date | null {
  return settings.timeLimitMinutes ? new Date(startedAt.getTime() + settings.timeLimitMinutes * 60_000) : null;
}

export function isLate(deadline: Date | null, at: Date): boolean {
  return deadline !== null && at.getTime() > deadline.getTime() + GRACE_SECONDS * 1000;
}

/**
 * How much of the key a person may see of a submitted attempt:
 * - "none": nothing beyond the score (still in progress, `review: never`, or
 *   `after-close` before the result is final);
 * - "own": their own answers, which of them were right, and the feedback on the
 *   choices they made — never the key: no correct flags on options they did not
 *   choose, no correct order, no correct matches, no model answers, no
 *   explanations. This is what `review: immediately` shows while the person
 *   can still try again, so a blank attempt cannot harvest the key for the next;
 * - "full": the whole key, feedback and explanations, once the result is final
 *   and the person cannot try again (an attempt passed, or no attempt left).
 */
export type ReviewLevel = "none" | "own" | "full";

export function reviewLevel(
  settings: Pick<QuizSettings, "review" | "attempts">,
  attempt: Pick<AttemptSummary, "status">,
  all: readonly AttemptSummary[],
): ReviewLevel {
  if (attempt.status === "IN_PROGRESS" || settings.review === "never") return "none";
  const passed = all.some((a) => a.passed === true);
  const exhausted = settings.attempts > 0 && all.length >= settings.attempts && all.every((a) => a.status !== "IN_PROGRESS");
  const closed = passed || exhausted;
  if (settings.review === "immediately") return closed ? "full" : "own";
  return closed && attempt.status === "COMPLETE" ? "full" : "none";
}

/**
 * Whether a submitted attempt does what the module asks of its quiz. A
 * summative quiz must be passed. A formative quiz needs a submitted, reasonable
 * attempt — every served question answered — whatever the score and whether
 * or not a trainer has marked the free-text answers yet; an attempt scored
 * zero for lateness does not count.
 */
export function meetsModuleRequirement(
  settings: Pick<QuizSettings, "purpose" | "late">,
  outcome: { passed: boolean | null; late: boolean; allAnswered: boolean },
): boolean {
  if (settings.purpose === "summative") return outcome.passed === true;
  if (outcome.late && settings.late === "zero") return false;
  return outcome.allAnswered;
}
