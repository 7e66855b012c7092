import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { checkContent, formatProblem } from "#app/content.server/check";
import { readFrameworkFile, readFrameworks } from "#app/content.server/frameworks.server";
import { FrameworkError, parseFramework, scalePoints } from "#app/domain/framework";
import { applicableItems, ratingSummary, secondRaterRequired } from "#app/domain/rating-rules";

const FIXTURES = "test/fixtures/content";
const fixtureFile = (name: string) => path.join(FIXTURES, "frameworks", name);
const rawFixture = (name: string) => parseYaml(readFileSync(fixtureFile(name), "utf8")) as Record<string, unknown>;

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function copyOfFixtures(): string {
  const root = mkdtempSync(path.join(tmpdir(), "attune-frameworks-"));
  dirs.push(root);
  cpSync(FIXTURES, root, { recursive: true });
  return root;
}

function problemsOf(input: unknown): string[] {
  try {
    parseFramework(input);
  } catch (error) {
    if (error instanceof FrameworkError) return error.problems;
    throw error;
  }
  return [];
}

describe("framework format", () => {
  it("parses the fixture framework into typed items with numeric scale points", () => {
    const fw = parseFramework(rawFixture("dit-competence-v1.yaml"));
    expect(fw.id).toBe("dit-competence");
    expect(fw.version).toBe(1);
    expect(scalePoints(fw)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(fw.items.map((i) => i.id)).toEqual(["engagement-alliance", "formulating-ipaf", "keeping-to-ipaf", "ending-goodbye-letter"]);
    expect(fw.items[0]?.levels[3]).toBe("Competent");
    expect(fw.scale.anchors[6]).toBe("Very high skill");
    expect(fw.rules.secondRater).toEqual({ summative: "all" });
  });

  it("lists every problem at once: schema problems, then cross-checks", () => {
    const raw = rawFixture("dit-competence-v1.yaml");
    const items = raw.items as Record<string, unknown>[];
    // Schema problems come back together.
    expect(
      problemsOf({
        ...raw,
        id: "Not Kebab",
        version: 0,
        items: [
          { ...items[0], phases: ["beginning"] },
          { ...items[1], keyFeatures: [] },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id: use lower-case kebab-case/),
        expect.stringMatching(/^version: /),
        expect.stringMatching(/^items\.0\.phases\.0: /),
        expect.stringMatching(/^items\.1\.keyFeatures: list at least one key feature/),
      ]),
    );
    // Cross-checks come back together too.
    const levels = { ...(items[0]?.levels as object) } as Record<string, string>;
    delete levels["4"];
    levels["9"] = "Too high";
    const problems = problemsOf({
      ...raw,
      domains: [...(raw.domains as object[]), { id: "generic", title: "Again" }, { id: "unused", title: "Unused" }],
      items: [
        { ...items[0], levels, phases: ["initial", "initial"] },
        { ...items[1], id: "engagement-alliance", domain: "nowhere" },
        items[2],
      ],
      rules: { ...(raw.rules as object), competent: { meanAtLeast: 7, noItemBelow: -1 }, agreement: { itemTolerance: 7 } },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'domains.2.id: domain id "generic" is used twice',
        'domains: domain "unused" has no items',
        "items.0.levels.9: 9 is outside the scale 0–6",
        "items.0.levels: needs a descriptor for every scale point; missing 4",
        "items.0.phases: a phase is listed twice",
        'items.1.id: item id "engagement-alliance" is used twice',
        expect.stringMatching(/^items\.1\.domain: "nowhere" is not one of the domains/),
        "rules.competent.meanAtLeast: must be inside the scale 0–6",
        "rules.competent.noItemBelow: must be inside the scale 0–6",
        "rules.agreement.itemTolerance: must be at most the scale's width (6)",
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it("refuses a scale without named ends, a backwards scale, a percent rule without a percent, and unknown keys", () => {
    const raw = rawFixture("dit-competence-v1.yaml");
    expect(problemsOf({ ...raw, scale: { min: 0, max: 6, anchors: { 3: "Mid" } } })).toEqual([
      "scale.anchors: name the end point 0",
      "scale.anchors: name the end point 6",
    ]);
    expect(problemsOf({ ...raw, scale: { min: 6, max: 0, anchors: { 0: "a", 6: "b" } } })).toContain(
      "scale: min (6) must be below max (0), at most 20 points apart",
    );
    expect(problemsOf({ ...raw, rules: { ...(raw.rules as object), secondRater: { summative: "percent" } } })).toEqual([
      "rules.secondRater.percent: give the percent when summative is percent",
    ]);
    expect(problemsOf({ ...raw, colour: "blue" })).toEqual([expect.stringMatching(/^\(root\): .*colour/)]);
  });

  it("refuses a framework with a phase that no item covers", () => {
    const raw = rawFixture("dit-competence-v1.yaml");
    const items = (raw.items as Record<string, unknown>[]).map((i) => ({ ...i, phases: ["initial"] }));
    expect(problemsOf({ ...raw, items })).toEqual([
      "items: no item applies to the middle phase",
      "items: no item applies to the ending phase",
    ]);
  });
});

describe("a second instrument, without code changes", () => {
  it("loads another id, version, scale and rules from a file and applies them", () => {
    const { frameworks, problems } = readFrameworks(FIXTURES);
    expect(problems).toEqual([]);
    const brief = frameworks.find((f) => f.id === "brief-observation");
    if (!brief) throw new Error("the second fixture framework did not load");
    expect(brief.version).toBe(2);
    expect(scalePoints(brief)).toEqual([1, 2, 3, 4, 5]);
    expect(applicableItems(brief, "middle").map((i) => i.id)).toEqual(["listening", "focus"]);
    expect(applicableItems(brief, null).map((i) => i.id)).toEqual(["listening"]);
    // Its own competence line (mean ≥ 3.5, no item floor) …
    expect(ratingSummary(brief, "ending", { listening: 5, focus: 1, closing: 5 })).toMatchObject({ competent: true, lowItems: [] });
    expect(ratingSummary(brief, "ending", { listening: 4, focus: 3, closing: 3 })).toMatchObject({ competent: false });
    // … and its own second-rater rate (20 %).
    expect(secondRaterRequired(brief, () => 0.19)).toBe(true);
    expect(secondRaterRequired(brief, () => 0.2)).toBe(false);
  });
});

describe("framework files", () => {
  it("ships a valid default framework of 10–14 items, each with a descriptor per level and the notice", () => {
    const { frameworks, problems } = readFrameworks("content");
    expect(problems).toEqual([]);
    const fw = frameworks.find((f) => f.id === "dit-competence");
    expect(fw?.items.length).toBeGreaterThanOrEqual(10);
    expect(fw?.items.length).toBeLessThanOrEqual(14);
    expect(fw?.notice).toMatch(/not the official DIT scale/);
    expect(new Set(fw?.items.map((i) => i.domain))).toEqual(new Set(["generic", "basic", "specific", "problem-specific", "meta"]));
  });

  it("places each problem on its line, and names a file whose name does not match its id and version", () => {
    const root = copyOfFixtures();
    const file = path.join(root, "frameworks", "brief-observation-v2.yaml");
    const source = readFileSync(file, "utf8");
    writeFileSync(file, source.replace('    domain: core\n    title: "Focus"', '    domain: elsewhere\n    title: "Focus"'));
    const result = readFrameworkFile(file);
    expect(result.framework).toBeNull();
    const line = source.split("\n").findIndex((l, i, all) => l === "    domain: core" && all[i + 1]?.includes('"Focus"')) + 1;
    expect(result.problems).toEqual([
      { file, line, message: expect.stringMatching(/^items\.1\.domain: "elsewhere" is not one of the domains/) },
    ]);

    const renamed = path.join(root, "frameworks", "brief-observation-v3.yaml");
    writeFileSync(renamed, source);
    expect(readFrameworkFile(renamed).problems).toEqual([
      { file: renamed, line: 3, message: "the file should be named brief-observation-v2.yaml (id and version)" },
    ]);
    writeFileSync(path.join(root, "frameworks", "broken.yaml"), "id: [unclosed\n");
    expect(readFrameworkFile(path.join(root, "frameworks", "broken.yaml")).problems[0]?.message).toMatch(/^not valid YAML/);
  });

  it("content:check reports framework problems with file:line, and a missing default framework", async () => {
    const root = copyOfFixtures();
    const file = path.join(root, "frameworks", "dit-competence-v1.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("itemTolerance: 1 }\n  final", "itemTolerance: -1 }\n  final"));
    const messages = (await checkContent(root)).map(formatProblem);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/frameworks\/dit-competence-v1\.yaml:\d+: rules\.agreement\.itemTolerance: /)]),
    );

    rmSync(file);
    expect((await checkContent(root)).map(formatProblem)).toEqual(
      expect.arrayContaining([expect.stringMatching(/frameworks: no "dit-competence" competence framework/)]),
    );
  });
});
