/**
 * Routine outcome monitoring for a supervised case: PHQ-9 (depression) and
 * GAD-7 (anxiety) totals, one pair per session, and the outcome of the course.
 *
 * The definitions are those of NHS Talking Therapies for anxiety and depression
 * (formerly IAPT): the NHS Talking Therapies Manual (NHS England), in its
 * section on outcome measurement, and the glossary of the OHID Fingertips
 * "Common mental disorders" profile:
 * - caseness: a score at or above the clinical cut-off on either measure
 *   (PHQ-9 ≥ 10 or GAD-7 ≥ 8);
 * - recovery: a case at the first measurement and below caseness on both
 *   measures at the last;
 * - reliable improvement: a fall of at least the measure's reliable-change
 *   index (PHQ-9 6, GAD-7 4) on at least one measure, with no reliable
 *   deterioration on the other;
 * - reliable deterioration: a rise of at least that size on either measure;
 * - reliable recovery: recovery and reliable improvement together.
 * The Manual counts outcomes only for courses with at least two measurements,
 * first against last. Where a service uses an anxiety-disorder-specific measure
 * instead of the GAD-7, its cut-off and reliable-change index go in the data,
 * not in this code: every number here comes from `OutcomeDefinitions`.
 */

export type MeasureId = "phq9" | "gad7";

export type MeasureDefinition = {
  label: string;
  /** Highest possible total (the lowest is 0). */
  max: number;
  /** A total at or above this is a clinical case. */
  caseness: number;
  /** The smallest change beyond measurement error. */
  reliableChange: number;
};

export type OutcomeDefinitions = Record<MeasureId, MeasureDefinition>;

/** NHS Talking Therapies Manual definitions (see the header of this file). */
export const NHS_TALKING_THERAPIES: OutcomeDefinitions = {
  phq9: { label: "PHQ-9", max: 27, caseness: 10, reliableChange: 6 },
  gad7: { label: "GAD-7", max: 21, caseness: 8, reliableChange: 4 },
};

export const MEASURES: readonly MeasureId[] = ["phq9", "gad7"];

export type SessionScores = { session: number } & Record<MeasureId, number>;

/** A score or session number that cannot be right; `field` is e.g. "scores[2].phq9". */
export class OutcomeInputError extends Error {
  override readonly name = "OutcomeInputError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Checks every total (a whole number in the measure's range) and session number (unique, ≥ 1); returns them in session order. */
export function validateScores(scores: readonly SessionScores[], defs: OutcomeDefinitions = NHS_TALKING_THERAPIES): SessionScores[] {
  const seen = new Set<number>();
  scores.forEach((s, i) => {
    if (!Number.isInteger(s.session) || s.session < 1) throw new OutcomeInputError(`scores[${i}].session`, "must be a whole number from 1");
    if (seen.has(s.session)) throw new OutcomeInputError(`scores[${i}].session`, `session ${s.session} has two sets of scores`);
    seen.add(s.session);
    for (const m of MEASURES) {
      const def = defs[m];
      const v = s[m];
      if (!Number.isInteger(v) || v < 0 || v > def.max) {
        throw new OutcomeInputError(`scores[${i}].${m}`, `${def.label} total must be a whole number from 0 to ${def.max}`);
      }
    }
  });
  return [...scores].sort((a, b) => a.session - b.session);
}

export function isCase(scores: SessionScores, defs: OutcomeDefinitions = NHS_TALKING_THERAPIES): boolean {
  return MEASURES.some((m) => scores[m] >= defs[m].caseness);
}

export type Change = "reliable-improvement" | "reliable-deterioration" | "no-reliable-change";

export function measureChange(from: number, to: number, def: MeasureDefinition): Change {
  if (from - to >= def.reliableChange) return "reliable-improvement";
  if (to - from >= def.reliableChange) return "reliable-deterioration";
  return "no-reliable-change";
}

export type MeasureOutcome = { from: number; to: number; change: Change };

export type OutcomeSummary =
  | {
      kind: "insufficient";
      /** Outcomes need a first and a last measurement. */
      measurements: number;
      caseAtEntry: boolean | null;
    }
  | {
      kind: "assessed";
      measurements: number;
      firstSession: number;
      lastSession: number;
      caseAtEntry: boolean;
      caseAtEnd: boolean;
      measures: Record<MeasureId, MeasureOutcome>;
      recovery: boolean;
      reliableImprovement: boolean;
      reliableDeterioration: boolean;
      reliableRecovery: boolean;
    };

/** The course's outcome, first measurement against last (throws OutcomeInputError on bad input). */
export function summariseOutcomes(scores: readonly SessionScores[], defs: OutcomeDefinitions = NHS_TALKING_THERAPIES): OutcomeSummary {
  const ordered = validateScores(scores, defs);
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  if (!first || !last || ordered.length < 2) {
    return { kind: "insufficient", measurements: ordered.length, caseAtEntry: first ? isCase(first, defs) : null };
  }
  const measures = {
    phq9: { from: first.phq9, to: last.phq9, change: measureChange(first.phq9, last.phq9, defs.phq9) },
    gad7: { from: first.gad7, to: last.gad7, change: measureChange(first.gad7, last.gad7, defs.gad7) },
  };
  const changes = MEASURES.map((m) => measures[m].change);
  const reliableDeterioration = changes.includes("reliable-deterioration");
  const reliableImprovement = changes.includes("reliable-improvement") && !reliableDeterioration;
  const caseAtEntry = isCase(first, defs);
  const caseAtEnd = isCase(last, defs);
  const recovery = caseAtEntry && !caseAtEnd;
  return {
    kind: "assessed",
    measurements: ordered.length,
    firstSession: first.session,
    lastSession: last.session,
    caseAtEntry,
    caseAtEnd,
    measures,
    recovery,
    reliableImprovement,
    reliableDeterioration,
    reliableRecovery: recovery && reliableImprovement,
  };
}
