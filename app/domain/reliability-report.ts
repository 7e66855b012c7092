import { type Framework, scalePoints } from "#app/domain/framework";
import { type IccForm, iccFromMeanSquares, meanSquares, type StatisticResult, weightedKappaDetail } from "#app/domain/reliability";

/**
 * The reliability page's figures (docs/reliability.md), from the item-score rows of one framework version: pure,
 * so that the page, the CSV and the benchmark compute the same thing.
 *
 * - Per item: ICC(1,1) over the double-rated recordings (each recording's primary and second rating). Each
 *   recording is rated by a different pair drawn from a pool of raters, which is Shrout & Fleiss's Case 1, so the
 *   one-way model is the honest one; ICC(2,1) with the columns "primary" and "second" is shown beside it: it
 *   separates a systematic difference between the roles from the error, so it comes out above ICC(1,1) when one
 *   role scores systematically higher (ADR 0028).
 * - Per rater pair: quadratic-weighted kappa over every item both raters scored on the recordings they shared,
 *   with the framework's scale points as the categories.
 * - Per rater: severity = mean (rater's score − final score) over the items of their ratings whose recording has a
 *   final rating (negative = harsher than the final), and the same by calendar month (drift).
 */

export type ScoreRowKind = "PROVISIONAL" | "DERIVED" | "MODERATED";

export type ScoreRow = {
  recordingId: string;
  ratingId: string;
  /** PROVISIONAL: a rater's own rating; DERIVED / MODERATED: the recording's final rating. */
  kind: ScoreRowKind;
  /** The rater's role on the recording (PROVISIONAL rows only). */
  role: "PRIMARY" | "SECOND" | null;
  raterId: string | null;
  itemId: string;
  score: number;
  submittedAt: Date;
};

export const ITEM_ICC_FORM: IccForm = "ICC1";
export const ROLE_ICC_FORM: IccForm = "ICC2";

export type ItemReliability = {
  itemId: string;
  title: string;
  /** Double-rated recordings with this item scored by both raters. */
  n: number;
  icc: StatisticResult;
  /** ICC(2,1) with primary and second as the two columns. */
  iccByRole: StatisticResult;
  /** Share of recordings where both scores are equal / within rules.agreement.itemTolerance. */
  exact: number;
  withinTolerance: number;
  /** Mean |primary − second|. */
  meanAbsDifference: number;
};

export type PairReliability = {
  raterA: string;
  raterB: string;
  /** Recordings both rated. */
  recordings: number;
  /** Item scores paired. */
  pairs: number;
  kappa: StatisticResult;
  exact: number;
};

export type RaterSeverity = {
  raterId: string;
  /** Their ratings of recordings that have a final rating. */
  ratings: number;
  itemScores: number;
  /** Mean (rater − final); NaN with no final-rated scores. */
  severity: number;
  meanAbsDifference: number;
};

export type DriftPoint = { period: string; severity: number; itemScores: number };
export type RaterDrift = { raterId: string; points: DriftPoint[] };

export type ReliabilityReport = {
  frameworkId: string;
  frameworkVersion: number;
  counts: { recordings: number; doubleRated: number; finals: number; moderated: number; raters: number; provisionalRatings: number };
  items: ItemReliability[];
  /** ICC of the two ratings' means (over the items both scored), across double-rated recordings. */
  overall: Omit<ItemReliability, "itemId" | "title">;
  pairs: PairReliability[];
  raters: RaterSeverity[];
  drift: RaterDrift[];
  /** Periods (YYYY-MM) that have any drift point, ascending. */
  periods: string[];
};

type Rating = {
  ratingId: string;
  raterId: string | null;
  role: "PRIMARY" | "SECOND" | null;
  submittedAt: Date;
  scores: Map<string, number>;
};
type RecordingRatings = { provisional: Rating[]; final: Rating | null; finalKind: ScoreRowKind | null };

const NEEDS = (n: number) => ({
  value: Number.NaN,
  reason: `Needs at least 2 double-rated recordings with this scored (${n} so far).`,
});

/** Groups rows into ratings per recording (rows may come in any order). */
export function groupRatings(rows: Iterable<ScoreRow>): Map<string, RecordingRatings> {
  const byRecording = new Map<string, RecordingRatings>();
  const byRating = new Map<string, Rating>();
  for (const row of rows) {
    let rec = byRecording.get(row.recordingId);
    if (!rec) {
      rec = { provisional: [], final: null, finalKind: null };
      byRecording.set(row.recordingId, rec);
    }
    let rating = byRating.get(row.ratingId);
    if (!rating) {
      rating = { ratingId: row.ratingId, raterId: row.raterId, role: row.role, submittedAt: row.submittedAt, scores: new Map() };
      byRating.set(row.ratingId, rating);
      if (row.kind === "PROVISIONAL") rec.provisional.push(rating);
      else {
        rec.final = rating;
        rec.finalKind = row.kind;
      }
    }
    rating.scores.set(row.itemId, row.score);
  }
  return byRecording;
}

/** The primary and second rating of a recording, when it has both. */
export function doubleRating(rec: RecordingRatings): { primary: Rating; second: Rating } | null {
  const primary = rec.provisional.find((r) => r.role === "PRIMARY");
  const second = rec.provisional.find((r) => r.role === "SECOND");
  return primary && second ? { primary, second } : null;
}

function agreementFigures(pairs: readonly [number, number][], tolerance: number): Omit<ItemReliability, "itemId" | "title"> {
  const n = pairs.length;
  const diffs = pairs.map(([a, b]) => Math.abs(a - b));
  const share = (f: (d: number) => boolean) => (n ? diffs.filter(f).length / n : Number.NaN);
  let icc: StatisticResult = NEEDS(n);
  let iccByRole: StatisticResult = NEEDS(n);
  if (n >= 2) {
    const ms = meanSquares(pairs.map(([a, b]) => [a, b]));
    icc = iccFromMeanSquares(ms, ITEM_ICC_FORM);
    iccByRole = iccFromMeanSquares(ms, ROLE_ICC_FORM);
  }
  return {
    n,
    icc,
    iccByRole,
    exact: share((d) => d === 0),
    withinTolerance: share((d) => d <= tolerance),
    meanAbsDifference: n ? diffs.reduce((s, d) => s + d, 0) / n : Number.NaN,
  };
}

/** YYYY-MM of a date, in UTC. */
export function periodOf(d: Date): string {
  return d.toISOString().slice(0, 7);
}

export function reliabilityReport(framework: Framework, rows: Iterable<ScoreRow>): ReliabilityReport {
  const recordings = groupRatings(rows);
  const tolerance = framework.rules.agreement.itemTolerance;
  const categories = scalePoints(framework);

  const itemPairs = new Map<string, [number, number][]>(framework.items.map((i) => [i.id, []]));
  const overallPairs: [number, number][] = [];
  type PairAcc = { recordings: number; a: number[]; b: number[] };
  const pairAcc = new Map<string, PairAcc>();
  type RaterAcc = { ratings: number; n: number; sum: number; abs: number; byPeriod: Map<string, { n: number; sum: number }> };
  const raterAcc = new Map<string, RaterAcc>();
  const raters = new Set<string>();
  let doubleRated = 0;
  let finals = 0;
  let moderated = 0;
  let provisionalRatings = 0;

  for (const rec of recordings.values()) {
    provisionalRatings += rec.provisional.length;
    for (const p of rec.provisional) if (p.raterId) raters.add(p.raterId);
    if (rec.final) {
      finals++;
      if (rec.finalKind === "MODERATED") moderated++;
    }
    const double = doubleRating(rec);
    if (double) {
      doubleRated++;
      const { primary, second } = double;
      let sumA = 0;
      let sumB = 0;
      let both = 0;
      // Pairs are keyed by rater ids in a fixed order, so (A, B) and (B, A) are one pair.
      const [first, other] = (primary.raterId ?? "") <= (second.raterId ?? "") ? [primary, second] : [second, primary];
      const key = `${first.raterId ?? ""}\u0000${other.raterId ?? ""}`;
      let pair = pairAcc.get(key);
      if (!pair) {
        pair = { recordings: 0, a: [], b: [] };
        pairAcc.set(key, pair);
      }
      pair.recordings++;
      for (const [itemId, a] of primary.scores) {
        const b = second.scores.get(itemId);
        if (b === undefined) continue;
        itemPairs.get(itemId)?.push([a, b]);
        sumA += a;
        sumB += b;
        both++;
        const fa = first.scores.get(itemId) as number;
        const fb = other.scores.get(itemId) as number;
        pair.a.push(fa);
        pair.b.push(fb);
      }
      if (both) overallPairs.push([sumA / both, sumB / both]);
    }
    if (rec.final) {
      const final = rec.final;
      for (const p of rec.provisional) {
        if (!p.raterId) continue;
        let acc = raterAcc.get(p.raterId);
        if (!acc) {
          acc = { ratings: 0, n: 0, sum: 0, abs: 0, byPeriod: new Map() };
          raterAcc.set(p.raterId, acc);
        }
        acc.ratings++;
        const period = periodOf(p.submittedAt);
        let bucket = acc.byPeriod.get(period);
        if (!bucket) {
          bucket = { n: 0, sum: 0 };
          acc.byPeriod.set(period, bucket);
        }
        for (const [itemId, score] of p.scores) {
          const f = final.scores.get(itemId);
          if (f === undefined) continue;
          const d = score - f;
          acc.n++;
          acc.sum += d;
          acc.abs += Math.abs(d);
          bucket.n++;
          bucket.sum += d;
        }
      }
    }
  }

  const items = framework.items.map((item) => ({
    itemId: item.id,
    title: item.title,
    ...agreementFigures(itemPairs.get(item.id) ?? [], tolerance),
  }));
  // The overall figure compares rating means, which are not whole numbers: "exact" and "within tolerance" are on
  // the means rounded to 2 decimals.
  const overall = agreementFigures(
    overallPairs.map(([a, b]) => [Math.round(a * 100) / 100, Math.round(b * 100) / 100]),
    tolerance,
  );

  const pairs: PairReliability[] = [...pairAcc.entries()]
    .map(([key, acc]) => {
      const [raterA = "", raterB = ""] = key.split("\u0000");
      const detail = weightedKappaDetail(acc.a, acc.b, "quadratic", categories);
      const exact = acc.a.length ? acc.a.filter((x, i) => x === acc.b[i]).length / acc.a.length : Number.NaN;
      return {
        raterA,
        raterB,
        recordings: acc.recordings,
        pairs: acc.a.length,
        kappa: { value: detail.value, reason: detail.reason },
        exact,
      };
    })
    .sort((x, y) => y.recordings - x.recordings || x.raterA.localeCompare(y.raterA) || x.raterB.localeCompare(y.raterB));

  const severity: RaterSeverity[] = [...raterAcc.entries()]
    .map(([raterId, acc]) => ({
      raterId,
      ratings: acc.ratings,
      itemScores: acc.n,
      severity: acc.n ? acc.sum / acc.n : Number.NaN,
      meanAbsDifference: acc.n ? acc.abs / acc.n : Number.NaN,
    }))
    .sort((x, y) => y.ratings - x.ratings || x.raterId.localeCompare(y.raterId));

  const periods = new Set<string>();
  const drift: RaterDrift[] = severity.map(({ raterId }) => {
    const acc = raterAcc.get(raterId) as RaterAcc;
    const points = [...acc.byPeriod.entries()]
      .filter(([, b]) => b.n > 0)
      .map(([period, b]) => ({ period, severity: b.sum / b.n, itemScores: b.n }))
      .sort((x, y) => x.period.localeCompare(y.period));
    for (const p of points) periods.add(p.period);
    return { raterId, points };
  });

  return {
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    counts: { recordings: recordings.size, doubleRated, finals, moderated, raters: raters.size, provisionalRatings },
    items,
    overall,
    pairs,
    raters: severity,
    drift,
    periods: [...periods].sort(),
  };
}

export type PairedScoreLine = {
  recordingId: string;
  itemId: string;
  primaryRaterId: string | null;
  primaryScore: number;
  primarySubmittedAt: Date;
  secondRaterId: string | null;
  secondScore: number;
  secondSubmittedAt: Date;
  finalScore: number | null;
  finalKind: ScoreRowKind | null;
};

/** The paired scores behind the figures, one line per double-rated recording and item (the CSV export). */
export function* pairedScores(framework: Framework, recordings: Map<string, RecordingRatings>): Generator<PairedScoreLine> {
  const order = framework.items.map((i) => i.id);
  for (const [recordingId, rec] of recordings) {
    const double = doubleRating(rec);
    if (!double) continue;
    for (const itemId of order) {
      const a = double.primary.scores.get(itemId);
      const b = double.second.scores.get(itemId);
      if (a === undefined || b === undefined) continue;
      yield {
        recordingId,
        itemId,
        primaryRaterId: double.primary.raterId,
        primaryScore: a,
        primarySubmittedAt: double.primary.submittedAt,
        secondRaterId: double.second.raterId,
        secondScore: b,
        secondSubmittedAt: double.second.submittedAt,
        finalScore: rec.final?.scores.get(itemId) ?? null,
        finalKind: rec.finalKind,
      };
    }
  }
}

/**
 * Words for an ICC, after Koo & Li (2016, Journal of Chiropractic Medicine 15(2)): below .50 poor, .50 to below
 * .75 moderate, .75 to below .90 good, .90 and above excellent. A guide for reading the page, not a pass mark.
 */
export function iccBand(value: number): string {
  if (Number.isNaN(value)) return "undefined";
  if (value < 0.5) return "poor";
  if (value < 0.75) return "moderate";
  if (value < 0.9) return "good";
  return "excellent";
}

/** Words for a kappa, after Landis & Koch (1977, Biometrics 33(1)): slight, fair, moderate, substantial, almost perfect. */
export function kappaBand(value: number): string {
  if (Number.isNaN(value)) return "undefined";
  if (value <= 0) return "no better than chance";
  if (value <= 0.2) return "slight";
  if (value <= 0.4) return "fair";
  if (value <= 0.6) return "moderate";
  if (value <= 0.8) return "substantial";
  return "almost perfect";
}
