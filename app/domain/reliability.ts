/**
 * Inter-rater reliability statistics (docs/reliability.md, ADR 0028). Pure functions over plain numbers.
 *
 * - Intraclass correlations: the six forms of Shrout & Fleiss (1979), "Intraclass correlations: uses in
 *   assessing rater reliability", Psychological Bulletin 86(2), 420–428. Rows are targets (rated recordings),
 *   columns raters (or rater slots).
 * - Weighted kappa: Cohen (1968), "Weighted kappa: nominal scale agreement with provision for scaled
 *   disagreement or partial credit", Psychological Bulletin 70(4), 213–220, with linear or quadratic
 *   disagreement weights over the positions of the categories (Fleiss & Cohen 1973 for quadratic weights).
 *
 * Two kinds of failure, kept apart:
 * - Input that is not a valid data set (rows of different lengths, fewer than 2 targets or raters, a missing or
 *   non-finite cell, a score outside the given categories) throws a `ReliabilityInputError`: that is a bug in the
 *   caller, who must drop incomplete targets first.
 * - A valid data set for which the statistic is undefined (no variance at all, or a zero denominator) gives NaN,
 *   never a silent 0; the `…Detail` functions say why (`reason`), and the reliability page shows the reason.
 */

export class ReliabilityInputError extends Error {
  override readonly name = "ReliabilityInputError";
}

export type IccForm = "ICC1" | "ICC2" | "ICC3" | "ICC1k" | "ICC2k" | "ICC3k";
export const ICC_FORMS: readonly IccForm[] = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"];

/** Shrout & Fleiss's notation for each form: ICC(1,1) … ICC(3,k). */
export const ICC_LABELS: Record<IccForm, string> = {
  ICC1: "ICC(1,1)",
  ICC2: "ICC(2,1)",
  ICC3: "ICC(3,1)",
  ICC1k: "ICC(1,k)",
  ICC2k: "ICC(2,k)",
  ICC3k: "ICC(3,k)",
};

/** The two-way ANOVA of a targets × raters table (Shrout & Fleiss 1979, Table 1). */
export type MeanSquares = {
  /** Targets (rows) and raters (columns). */
  n: number;
  k: number;
  /** Between targets. */
  bms: number;
  /** Within targets (raters + residual, the one-way model). */
  wms: number;
  /** Between raters (judges). */
  jms: number;
  /** Residual. */
  ems: number;
  /** Total sum of squares about the grand mean (0 = every score the same). */
  ssTotal: number;
};

/** Validates a targets × raters table and returns its mean squares. */
export function meanSquares(scores: readonly (readonly number[])[]): MeanSquares {
  if (!Array.isArray(scores)) throw new ReliabilityInputError("Scores must be a table: one row per target, one column per rater.");
  const n = scores.length;
  if (n < 2) throw new ReliabilityInputError(`An ICC needs at least 2 targets; got ${n}.`);
  const k = scores[0]?.length ?? 0;
  if (k < 2) throw new ReliabilityInputError(`An ICC needs at least 2 raters; got ${k}.`);
  scores.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== k) {
      throw new ReliabilityInputError(`Row ${i + 1} has ${Array.isArray(row) ? row.length : 0} scores; every row needs ${k}.`);
    }
    row.forEach((x, j) => {
      if (typeof x !== "number" || !Number.isFinite(x)) {
        throw new ReliabilityInputError(`Missing or non-numeric score at target ${i + 1}, rater ${j + 1}: drop incomplete targets first.`);
      }
    });
  });

  let grand = 0;
  const rowMeans = new Array<number>(n).fill(0);
  const colMeans = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const row = scores[i] as readonly number[];
    for (let j = 0; j < k; j++) {
      const x = row[j] as number;
      rowMeans[i] = (rowMeans[i] as number) + x;
      colMeans[j] = (colMeans[j] as number) + x;
      grand += x;
    }
  }
  grand /= n * k;
  for (let i = 0; i < n; i++) rowMeans[i] = (rowMeans[i] as number) / k;
  for (let j = 0; j < k; j++) colMeans[j] = (colMeans[j] as number) / n;

  let ssTotal = 0;
  for (const row of scores) for (const x of row) ssTotal += (x - grand) ** 2;
  let ssRows = 0;
  for (const m of rowMeans) ssRows += k * (m - grand) ** 2;
  let ssCols = 0;
  for (const m of colMeans) ssCols += n * (m - grand) ** 2;
  const ssWithin = Math.max(0, ssTotal - ssRows);
  const ssError = Math.max(0, ssTotal - ssRows - ssCols);
  return {
    n,
    k,
    bms: ssRows / (n - 1),
    wms: ssWithin / (n * (k - 1)),
    jms: ssCols / (k - 1),
    ems: ssError / ((n - 1) * (k - 1)),
    ssTotal,
  };
}

export type StatisticResult = { value: number; reason: string | null };

const undefinedBecause = (reason: string): StatisticResult => ({ value: Number.NaN, reason });

/** Below this (relative to the data's own spread) a denominator counts as zero. */
const EPSILON = 1e-12;

/** One ICC form from the mean squares (Shrout & Fleiss 1979, equations 2–4 and their k-rater versions). */
export function iccFromMeanSquares(ms: MeanSquares, form: IccForm): StatisticResult {
  const { n, k, bms, wms, jms, ems, ssTotal } = ms;
  if (ssTotal <= EPSILON) return undefinedBecause("No variance: every score is the same, so agreement cannot be told from chance.");
  let num: number;
  let den: number;
  switch (form) {
    case "ICC1":
      num = bms - wms;
      den = bms + (k - 1) * wms;
      break;
    case "ICC2":
      num = bms - ems;
      den = bms + (k - 1) * ems + (k * (jms - ems)) / n;
      break;
    case "ICC3":
      num = bms - ems;
      den = bms + (k - 1) * ems;
      break;
    case "ICC1k":
      num = bms - wms;
      den = bms;
      break;
    case "ICC2k":
      num = bms - ems;
      den = bms + (jms - ems) / n;
      break;
    case "ICC3k":
      num = bms - ems;
      den = bms;
      break;
  }
  if (Math.abs(den) <= EPSILON * Math.max(1, ssTotal)) {
    return undefinedBecause(
      "Undefined: the targets do not differ (no between-target variance) and the model leaves nothing to compare it with.",
    );
  }
  return { value: num / den, reason: null };
}

export function intraclassCorrelationDetail(
  scores: readonly (readonly number[])[],
  form: IccForm,
): StatisticResult & { meanSquares: MeanSquares } {
  const ms = meanSquares(scores);
  return { ...iccFromMeanSquares(ms, form), meanSquares: ms };
}

/**
 * Shrout & Fleiss's ICC of a targets × raters table. NaN when the statistic is undefined for these data (see
 * `intraclassCorrelationDetail` for why); a `ReliabilityInputError` when the table is not a valid data set.
 */
export function intraclassCorrelation(scores: readonly (readonly number[])[], form: IccForm): number {
  return intraclassCorrelationDetail(scores, form).value;
}

export type KappaWeights = "none" | "linear" | "quadratic";

export type KappaDetail = StatisticResult & {
  /** Paired ratings. */
  n: number;
  /** The categories, in order (their positions set the weights). */
  categories: number[];
  /** Observed and chance-expected weighted disagreement (proportions). */
  observed: number;
  expected: number;
};

/**
 * Cohen's (weighted) kappa of two raters' paired ratings: κw = 1 − Σ w·p_observed / Σ w·p_expected, with
 * disagreement weights 0 on the diagonal and, off it, 1 ("none", Cohen's 1960 kappa), |i − j| ("linear") or
 * (i − j)² ("quadratic"), where i and j are the positions of the two categories in `categories` (default: the
 * distinct values of a and b, ascending). Expected proportions are the products of the two raters' marginals.
 */
export function weightedKappaDetail(
  a: readonly number[],
  b: readonly number[],
  weights: KappaWeights,
  categories?: readonly number[],
): KappaDetail {
  if (!Array.isArray(a) || !Array.isArray(b)) throw new ReliabilityInputError("Kappa needs two arrays of ratings.");
  if (a.length !== b.length)
    throw new ReliabilityInputError(`The two raters have ${a.length} and ${b.length} ratings; they must be paired.`);
  if (a.length === 0) throw new ReliabilityInputError("Kappa needs at least one pair of ratings.");
  for (const [who, list] of [
    ["first", a],
    ["second", b],
  ] as const) {
    list.forEach((x, i) => {
      if (typeof x !== "number" || !Number.isFinite(x))
        throw new ReliabilityInputError(`Missing or non-numeric rating ${i + 1} of the ${who} rater.`);
    });
  }
  if (!["none", "linear", "quadratic"].includes(weights)) throw new ReliabilityInputError(`Unknown weights "${weights}".`);
  const cats = categories ? [...categories] : [...new Set([...a, ...b])].sort((x, y) => x - y);
  if (new Set(cats).size !== cats.length) throw new ReliabilityInputError("Each category may be listed once.");
  const index = new Map(cats.map((c, i) => [c, i]));
  const c = cats.length;
  const n = a.length;
  const table = new Float64Array(c * c);
  const rowTotals = new Float64Array(c);
  const colTotals = new Float64Array(c);
  for (let t = 0; t < n; t++) {
    const i = index.get(a[t] as number);
    const j = index.get(b[t] as number);
    if (i === undefined || j === undefined) {
      throw new ReliabilityInputError(
        `Rating ${t + 1} (${i === undefined ? a[t] : b[t]}) is not one of the categories ${cats.join(", ")}.`,
      );
    }
    table[i * c + j] = (table[i * c + j] as number) + 1;
    rowTotals[i] = (rowTotals[i] as number) + 1;
    colTotals[j] = (colTotals[j] as number) + 1;
  }
  const w = (i: number, j: number) => (i === j ? 0 : weights === "none" ? 1 : weights === "linear" ? Math.abs(i - j) : (i - j) ** 2);
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) {
      const wij = w(i, j);
      if (wij === 0) continue;
      observed += wij * ((table[i * c + j] as number) / n);
      expected += wij * ((rowTotals[i] as number) / n) * ((colTotals[j] as number) / n);
    }
  }
  const base = { n, categories: cats, observed, expected };
  if (expected <= EPSILON) {
    return {
      ...base,
      ...undefinedBecause(
        "Undefined: chance alone would produce no disagreement (the raters between them used a single category), so agreement beyond chance cannot be measured.",
      ),
    };
  }
  return { ...base, value: 1 - observed / expected, reason: null };
}

/** Cohen's (weighted) kappa; NaN when undefined (see `weightedKappaDetail`), a `ReliabilityInputError` for invalid input. */
export function weightedKappa(a: readonly number[], b: readonly number[], weights: KappaWeights, categories?: readonly number[]): number {
  return weightedKappaDetail(a, b, weights, categories).value;
}
