import type { Framework, FrameworkItem } from "#app/domain/framework";
import type { PhaseId } from "#app/domain/phases";

/**
 * The rules of rating a recording against a competence framework (docs/frameworks.md, ADR 0027). Every threshold
 * comes from `framework.rules`; nothing here knows the DIT items. Scores are keyed by item id; `null` (or a
 * missing key) is "not scored yet".
 *
 * A recording's phase is the phase of its case session; a role-play (phase `null`) is rated on the items that apply
 * to the initial phase, because the assessed role-play is an assessment-and-engagement session with a new patient.
 */
export type Scores = Readonly<Record<string, number | null | undefined>>;

/** A call that breaks a precondition (an incomplete rating where a complete one is needed; deriving a final from disagreeing ratings). */
export class RatingRulesError extends Error {
  override readonly name = "RatingRulesError";
}

/** The items a session of this phase is rated on; `null` (a role-play) → the initial phase's items. */
export function applicableItems(framework: Framework, phase: PhaseId | null): FrameworkItem[] {
  const p = phase ?? "initial";
  return framework.items.filter((item) => item.phases.includes(p));
}

const phaseName = (phase: PhaseId | null) => (phase ? `the ${phase} phase` : "a role-play");

/**
 * Problems per item id (empty when the scores are acceptable): every applicable item scored (unless `draft`),
 * each score a whole number inside the scale, no score for an item that does not apply, no unknown item ids.
 */
export function validateScores(
  framework: Framework,
  phase: PhaseId | null,
  scores: Scores,
  options: { draft?: boolean } = {},
): Record<string, string> {
  const errors: Record<string, string> = {};
  const { min, max } = framework.scale;
  const applicable = new Set(applicableItems(framework, phase).map((i) => i.id));
  const known = new Set(framework.items.map((i) => i.id));
  for (const [id, score] of Object.entries(scores)) {
    if (!known.has(id)) errors[id] = `"${id}" is not an item of ${framework.title}.`;
    else if (!applicable.has(id) && score !== null && score !== undefined)
      errors[id] = `This item does not apply to ${phaseName(phase)}: leave it unscored.`;
  }
  for (const id of applicable) {
    const score = scores[id];
    if (score === null || score === undefined) {
      if (!options.draft) errors[id] = "Score this item.";
    } else if (!Number.isInteger(score) || score < min || score > max) {
      errors[id] = `A score is a whole number from ${min} to ${max}.`;
    }
  }
  return errors;
}

function scoredValues(framework: Framework, phase: PhaseId | null, scores: Scores) {
  return applicableItems(framework, phase).map((item) => ({ item, score: scores[item.id] ?? null }));
}

export type RatingSummary = {
  /** Mean of the scored applicable items (NaN when none is scored). */
  mean: number;
  /** Mean ≥ rules.competent.meanAtLeast, no applicable item below rules.competent.noItemBelow, and every applicable item scored. */
  competent: boolean;
  /** Applicable items scored below rules.competent.noItemBelow, in framework order. */
  lowItems: string[];
  /** Every applicable item has a score. */
  complete: boolean;
};

export function ratingSummary(framework: Framework, phase: PhaseId | null, scores: Scores): RatingSummary {
  const values = scoredValues(framework, phase, scores);
  const scored = values.filter((v): v is { item: FrameworkItem; score: number } => v.score !== null);
  const mean = scored.length ? scored.reduce((s, v) => s + v.score, 0) / scored.length : Number.NaN;
  const floor = framework.rules.competent.noItemBelow;
  const lowItems = floor === null ? [] : scored.filter((v) => v.score < floor).map((v) => v.item.id);
  const complete = scored.length === values.length;
  const competent = complete && mean >= framework.rules.competent.meanAtLeast && lowItems.length === 0;
  return { mean, competent, lowItems, complete };
}

function requireComplete(framework: Framework, phase: PhaseId | null, scores: Scores, who: string) {
  const errors = validateScores(framework, phase, scores);
  const ids = Object.keys(errors);
  if (ids.length)
    throw new RatingRulesError(`The ${who} rating is not complete and valid (${ids.map((id) => `${id}: ${errors[id]}`).join(" ")})`);
}

export type DisagreementReason = { itemId?: string; kind: "item-tolerance" | "competence"; detail: string };
export type Comparison = { agree: boolean; reasons: DisagreementReason[] };

function combine(rule: Framework["rules"]["final"]["itemScore"], a: number, b: number): number {
  switch (rule) {
    case "mean-round-down":
      return Math.floor((a + b) / 2);
    case "mean-round-half-up":
      return Math.floor((a + b) / 2 + 0.5);
    case "lower":
      return Math.min(a, b);
  }
}

function combineAll(framework: Framework, phase: PhaseId | null, a: Scores, b: Scores): Record<string, number> {
  const rule = framework.rules.final.itemScore;
  return Object.fromEntries(
    applicableItems(framework, phase).map((item) => [item.id, combine(rule, a[item.id] as number, b[item.id] as number)]),
  );
}

/**
 * Do two submitted ratings agree? They disagree when any applicable item differs by more than
 * rules.agreement.itemTolerance, when one finds the trainee competent and the other not, or — both agreeing — when
 * the final rating derived by rules.final would reach the other competence judgement (rounding two "competent"
 * ratings down can fall below the line; a person, not arithmetic, must then decide). Disagreement → moderation.
 */
export function compareRatings(framework: Framework, phase: PhaseId | null, a: Scores, b: Scores): Comparison {
  requireComplete(framework, phase, a, "first");
  requireComplete(framework, phase, b, "second");
  const tolerance = framework.rules.agreement.itemTolerance;
  const reasons: DisagreementReason[] = [];
  for (const item of applicableItems(framework, phase)) {
    const x = a[item.id] as number;
    const y = b[item.id] as number;
    if (Math.abs(x - y) > tolerance) {
      reasons.push({ itemId: item.id, kind: "item-tolerance", detail: `${item.title}: ${x} and ${y} differ by more than ${tolerance}.` });
    }
  }
  const sa = ratingSummary(framework, phase, a);
  const sb = ratingSummary(framework, phase, b);
  const judged = (c: boolean) => (c ? "competent" : "not yet competent");
  if (sa.competent !== sb.competent) {
    reasons.push({ kind: "competence", detail: `One rating is ${judged(sa.competent)}, the other ${judged(sb.competent)}.` });
  } else if (reasons.length === 0) {
    const derived = ratingSummary(framework, phase, combineAll(framework, phase, a, b));
    if (derived.competent !== sa.competent) {
      reasons.push({
        kind: "competence",
        detail: `Both ratings are ${judged(sa.competent)}, but the final rating derived from them would be ${judged(derived.competent)}.`,
      });
    }
  }
  return { agree: reasons.length === 0, reasons };
}

/** The final item scores of two agreeing ratings by rules.final.itemScore (applicable items only); a RatingRulesError when they do not agree. */
export function deriveFinal(framework: Framework, phase: PhaseId | null, a: Scores, b: Scores): Record<string, number> {
  const comparison = compareRatings(framework, phase, a, b);
  if (!comparison.agree) throw new RatingRulesError("The ratings disagree: a moderator decides the final rating.");
  return combineAll(framework, phase, a, b);
}

export type CalibrationAttemptResult = {
  /** The attempt passes: enough items within tolerance and (if the rules ask) the same competence judgement. */
  withinTolerance: boolean;
  /** Share (0–1) of the applicable items within rules.calibration.itemTolerance of the reference. */
  itemAgreement: number;
  competenceAgrees: boolean;
};

/** How a trainer's calibration rating compares with the reference (gold) rating of that recording. */
export function calibrationAttemptResult(
  framework: Framework,
  phase: PhaseId | null,
  attempt: Scores,
  reference: Scores,
): CalibrationAttemptResult {
  requireComplete(framework, phase, attempt, "calibration");
  requireComplete(framework, phase, reference, "reference");
  const rules = framework.rules.calibration;
  const items = applicableItems(framework, phase);
  const within = items.filter(
    (item) => Math.abs((attempt[item.id] as number) - (reference[item.id] as number)) <= rules.itemTolerance,
  ).length;
  const itemAgreement = within / items.length;
  const competenceAgrees = ratingSummary(framework, phase, attempt).competent === ratingSummary(framework, phase, reference).competent;
  // A tiny margin so that e.g. 4 of 5 meets 0.8 whatever the floating point.
  const enough = itemAgreement + 1e-9 >= rules.minItemAgreement;
  return { withinTolerance: enough && (competenceAgrees || !rules.mustAgreeOnCompetence), itemAgreement, competenceAgrees };
}

export type CalibrationStatus = { calibrated: boolean; passed: number; required: number };

/**
 * Calibrated when at least rules.calibration.recordingsRequired attempts passed. With `recordingId`s given, passes
 * count once per recording (rating the same calibration recording twice is not two recordings).
 */
export function calibrationStatus(
  framework: Framework,
  results: readonly (Pick<CalibrationAttemptResult, "withinTolerance"> & { recordingId?: string })[],
): CalibrationStatus {
  const required = framework.rules.calibration.recordingsRequired;
  const passes = results.filter((r) => r.withinTolerance);
  const ids = new Set<string>();
  let passed = 0;
  for (const r of passes) {
    if (r.recordingId === undefined) passed++;
    else if (!ids.has(r.recordingId)) {
      ids.add(r.recordingId);
      passed++;
    }
  }
  return { calibrated: passed >= required, passed, required };
}

/** Does this summative recording get a blind second rater? `random` returns [0, 1), like Math.random. */
export function secondRaterRequired(framework: Framework, random: () => number): boolean {
  const rule = framework.rules.secondRater;
  if (rule.summative === "all") return true;
  return random() < (rule.percent ?? 100) / 100;
}
