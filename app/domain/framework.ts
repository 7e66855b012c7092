import { z } from "zod";
import { PHASE_ORDER, type PhaseId } from "#app/domain/phases";

/**
 * A competence framework: the instrument raters score a recording against (docs/frameworks.md, ADR 0027).
 * It is content, not code: `content/frameworks/<id>-v<version>.yaml`, validated here, loaded by
 * `app/content.server/frameworks.server.ts`. The thresholds that decide competence, agreement between raters,
 * the derived final rating, the second-rater rate and calibration are all in `rules`, so a training body can
 * load its own instrument without a code change. A rating stores the framework id and version it used.
 *
 * Text fields are plain text (shown as written, never as HTML).
 */

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "use lower-case kebab-case");
const text = z.string().trim().min(1, "must not be empty");

/** YAML reads `0: "…"` as a key "0"; the keys of `anchors` and `levels` are scale points written as integers. */
const pointMap = z.record(z.string().regex(/^-?\d+$/, "keys are whole scale points"), text);

const PHASES = PHASE_ORDER as readonly [PhaseId, ...PhaseId[]];

const ItemSchema = z
  .object({
    id: kebab,
    domain: kebab,
    title: text,
    description: text,
    keyFeatures: z.array(text).min(1, "list at least one key feature"),
    /** The phases this item applies to; to a session of any other phase it is "not applicable". */
    phases: z.array(z.enum(PHASES)).min(1, "name at least one phase"),
    /** One descriptor per scale point, min … max. */
    levels: pointMap,
  })
  .strict();

const RulesSchema = z
  .object({
    /** Competent when the mean of the applicable items is at least `meanAtLeast` and no applicable item is below `noItemBelow` (null: no floor). */
    competent: z.object({ meanAtLeast: z.number(), noItemBelow: z.number().int().nullable().default(null) }).strict(),
    /** Two ratings disagree when any applicable item differs by more than `itemTolerance`, or their competence differs. */
    agreement: z.object({ itemTolerance: z.number().int().min(0) }).strict(),
    /** How the final item score is derived from two agreeing ratings. */
    final: z.object({ itemScore: z.enum(["mean-round-down", "mean-round-half-up", "lower"]) }).strict(),
    /** Which summative recordings get a blind second rater: `{ summative: all }` or `{ summative: percent, percent: 20 }`. */
    secondRater: z
      .object({ summative: z.enum(["all", "percent"]), percent: z.number().min(0).max(100).optional() })
      .strict()
      .refine((r) => r.summative === "all" || r.percent !== undefined, {
        message: "give the percent when summative is percent",
        path: ["percent"],
      }),
    /**
     * A calibration attempt passes when at least `minItemAgreement` (0–1) of the applicable items are within
     * `itemTolerance` of the reference rating (and, if `mustAgreeOnCompetence`, the competence judgement matches);
     * `recordingsRequired` passed calibration recordings make the rater calibrated for this framework version.
     */
    calibration: z
      .object({
        itemTolerance: z.number().int().min(0),
        minItemAgreement: z.number().min(0).max(1),
        mustAgreeOnCompetence: z.boolean(),
        recordingsRequired: z.number().int().min(1),
      })
      .strict(),
  })
  .strict();

export const FrameworkSchema = z
  .object({
    id: kebab,
    version: z.number().int().min(1),
    title: text,
    /** What this instrument is and is not (e.g. "Attune's default, not the official DIT scale"). */
    notice: text,
    references: z.array(text).default([]),
    scale: z
      .object({
        min: z.number().int(),
        max: z.number().int(),
        /** Short names of scale points (at least min and max), e.g. 0 "Absent or harmful" … 6 "Very high skill". */
        anchors: pointMap,
      })
      .strict(),
    domains: z.array(z.object({ id: kebab, title: text, description: text.optional() }).strict()).min(1, "list at least one domain"),
    items: z.array(ItemSchema).min(1, "list at least one item"),
    rules: RulesSchema,
  })
  .strict();

type ParsedFramework = z.infer<typeof FrameworkSchema>;
export type FrameworkItem = Omit<ParsedFramework["items"][number], "levels"> & { levels: Record<number, string> };
export type FrameworkDomain = ParsedFramework["domains"][number];
export type FrameworkRules = z.infer<typeof RulesSchema>;
export type FinalItemRule = FrameworkRules["final"]["itemScore"];
export type Framework = Omit<ParsedFramework, "scale" | "items" | "rules"> & {
  scale: { min: number; max: number; anchors: Record<number, string> };
  items: FrameworkItem[];
  rules: FrameworkRules;
};

export type FrameworkIssue = { path: (string | number)[]; message: string };

/** Every problem in a framework file: `issues` (path + message, for placing them in the file) and `problems` ("path: message"). */
export class FrameworkError extends Error {
  override readonly name = "FrameworkError";
  readonly problems: string[];
  constructor(readonly issues: FrameworkIssue[]) {
    const problems = issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
    super(`Not a valid competence framework:\n${problems.map((p) => `- ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

const keyPath = (path: readonly PropertyKey[]) => path.map((k) => (typeof k === "number" ? k : String(k)));

function toPoints(map: Record<string, string>): Record<number, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [Number(k), v]));
}

/** The whole scale points min … max. */
export function scalePoints(framework: Pick<Framework, "scale">): number[] {
  const { min, max } = framework.scale;
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

/** The id a rating stores beside the version, as one readable key: "dit-competence v1". */
export function frameworkLabel(framework: Pick<Framework, "id" | "version">): string {
  return `${framework.id} v${framework.version}`;
}

/**
 * Validates a framework (as read from YAML) and returns it typed, or throws a FrameworkError listing every
 * problem: the schema's, then the cross-checks (unique ids, known domains, a descriptor for every scale point,
 * thresholds inside the scale, an applicable item in every phase).
 */
export function parseFramework(input: unknown): Framework {
  const parsed = FrameworkSchema.safeParse(input);
  if (!parsed.success) throw new FrameworkError(parsed.error.issues.map((i) => ({ path: keyPath(i.path), message: i.message })));
  const raw = parsed.data;
  const problems: FrameworkIssue[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const { min, max } = raw.scale;
  const scaleOk = min < max && max - min <= 20;
  if (!scaleOk) add(["scale"], `min (${min}) must be below max (${max}), at most 20 points apart`);
  const inScale = (n: number) => n >= min && n <= max;
  const points = scaleOk ? Array.from({ length: max - min + 1 }, (_, i) => min + i) : [];

  for (const key of Object.keys(raw.scale.anchors)) {
    if (scaleOk && !inScale(Number(key))) add(["scale", "anchors", key], `${key} is outside the scale ${min}–${max}`);
  }
  if (scaleOk) {
    for (const end of [min, max]) if (!(String(end) in raw.scale.anchors)) add(["scale", "anchors"], `name the end point ${end}`);
  }

  const domainIds = new Set<string>();
  raw.domains.forEach((d, i) => {
    if (domainIds.has(d.id)) add(["domains", i, "id"], `domain id "${d.id}" is used twice`);
    domainIds.add(d.id);
  });
  const itemIds = new Set<string>();
  raw.items.forEach((item, i) => {
    if (itemIds.has(item.id)) add(["items", i, "id"], `item id "${item.id}" is used twice`);
    itemIds.add(item.id);
    if (!domainIds.has(item.domain))
      add(["items", i, "domain"], `"${item.domain}" is not one of the domains (${[...domainIds].join(", ")})`);
    if (new Set(item.phases).size !== item.phases.length) add(["items", i, "phases"], "a phase is listed twice");
    if (scaleOk) {
      for (const key of Object.keys(item.levels)) {
        if (!inScale(Number(key))) add(["items", i, "levels", key], `${key} is outside the scale ${min}–${max}`);
      }
      const missing = points.filter((p) => !(String(p) in item.levels));
      if (missing.length) add(["items", i, "levels"], `needs a descriptor for every scale point; missing ${missing.join(", ")}`);
    }
  });
  for (const d of domainIds) if (!raw.items.some((item) => item.domain === d)) add(["domains"], `domain "${d}" has no items`);
  for (const phase of PHASE_ORDER) {
    if (!raw.items.some((item) => item.phases.includes(phase))) add(["items"], `no item applies to the ${phase} phase`);
  }

  const { rules } = raw;
  if (scaleOk) {
    if (!inScale(rules.competent.meanAtLeast)) add(["rules", "competent", "meanAtLeast"], `must be inside the scale ${min}–${max}`);
    if (rules.competent.noItemBelow !== null && !inScale(rules.competent.noItemBelow))
      add(["rules", "competent", "noItemBelow"], `must be inside the scale ${min}–${max}`);
    if (rules.agreement.itemTolerance > max - min)
      add(["rules", "agreement", "itemTolerance"], `must be at most the scale's width (${max - min})`);
    if (rules.calibration.itemTolerance > max - min)
      add(["rules", "calibration", "itemTolerance"], `must be at most the scale's width (${max - min})`);
  }
  if (problems.length) throw new FrameworkError(problems);

  return {
    ...raw,
    scale: { min, max, anchors: toPoints(raw.scale.anchors) },
    items: raw.items.map((item) => ({ ...item, levels: toPoints(item.levels) })),
    rules,
  };
}
