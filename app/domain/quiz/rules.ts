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
 * When a person may see correct answers, feedback and explanations:
 * immediately after submitting; "after-close" once the attempt is complete
 * (marked) and they can no longer try again (passed, or out of attempts);
 * or never.
 */
export function mayReview(
  settings: Pick<QuizSettings, "review" | "attempts">,
  attempt: Pick<AttemptSummary, "status">,
  all: readonly AttemptSummary[],
): boolean {
  if (attempt.status === "IN_PROGRESS") return false;
  if (settings.review === "never") return false;
  if (settings.review === "immediately") return true;
  if (attempt.status !== "COMPLETE") return false;
  const passed = all.some((a) => a.passed);
  const exhausted = settings.attempts > 0 && all.length >= settings.attempts && all.every((a) => a.status !== "IN_PROGRESS");
  return passed || exhausted;
}
