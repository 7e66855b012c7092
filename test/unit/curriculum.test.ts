import { describe, expect, it } from "vitest";
import { csvLine } from "#app/domain/csv";
import {
  completionBlocker,
  continueWith,
  findPrerequisiteCycle,
  moduleState,
  type ProgressRecord,
  shouldRecordView,
  VIEW_RECORD_INTERVAL_MS,
} from "#app/domain/curriculum";
import { searchSections, stem, tokenize } from "#app/domain/search";

const mod = (id: string, order: number, prerequisites: string[] = [], version = 1) => ({ id, order, prerequisites, version });
const at = (iso: string) => new Date(iso);
const rec = (moduleId: string, over: Partial<ProgressRecord> = {}): [string, ProgressRecord] => [
  moduleId,
  { moduleId, lastViewedAt: at("2026-11-01T10:00:00Z"), lastVersionSeen: 1, completedAt: null, completedVersion: null, ...over },
];

describe("prerequisite graph", () => {
  it("finds cycles and ignores unknown ids", () => {
    expect(findPrerequisiteCycle([mod("a", 1), mod("b", 2, ["a"]), mod("c", 3, ["b", "zzz"])])).toBeNull();
    expect(findPrerequisiteCycle([mod("a", 1, ["c"]), mod("b", 2, ["a"]), mod("c", 3, ["b"])])).toEqual(["a", "c", "b", "a"]);
    expect(findPrerequisiteCycle([mod("a", 1, ["a"])])).toEqual(["a", "a"]);
  });
});

describe("module state", () => {
  const b = mod("b", 2, ["a"], 2);
  it("locks a module until its prerequisites are complete", () => {
    expect(moduleState(b, new Map())).toEqual({ status: "locked", updatedSinceCompleted: false, missing: ["a"] });
    expect(moduleState(b, new Map([rec("a", { completedAt: at("2026-11-02T00:00:00Z"), completedVersion: 1 })])).status).toBe(
      "not-started",
    );
  });
  it("knows in progress, completed, and updated since completed", () => {
    const done = rec("a", { completedAt: at("2026-11-02T00:00:00Z"), completedVersion: 1 });
    expect(moduleState(b, new Map([done, rec("b")])).status).toBe("in-progress");
    expect(moduleState(b, new Map([done, rec("b", { completedAt: at("2026-11-03T00:00:00Z"), completedVersion: 1 })]))).toEqual({
      status: "completed",
      updatedSinceCompleted: true,
      missing: [],
    });
    expect(
      moduleState(b, new Map([done, rec("b", { completedAt: at("2026-11-03T00:00:00Z"), completedVersion: 2 })])).updatedSinceCompleted,
    ).toBe(false);
  });
  it("blocks completion on prerequisites, then on an unpassed quiz", () => {
    expect(completionBlocker(b, new Map())).toBe("prerequisites");
    const progress = new Map([rec("a", { completedAt: at("2026-11-02T00:00:00Z"), completedVersion: 1 })]);
    expect(completionBlocker(b, progress)).toBeNull();
    expect(completionBlocker(b, progress, { required: true })).toBe("quiz");
    progress.set("b", rec("b", { quizPassedAt: at("2026-11-03T00:00:00Z") })[1]);
    expect(completionBlocker(b, progress, { required: true })).toBeNull();
  });
});

describe("continue where you left off", () => {
  const modules = [mod("a", 1), mod("b", 2, ["a"]), mod("c", 3, ["b"]), mod("d", 4)];
  it("picks the most recently opened unfinished module", () => {
    const progress = new Map([
      rec("a", { lastViewedAt: at("2026-11-01T10:00:00Z") }),
      rec("d", { lastViewedAt: at("2026-11-05T10:00:00Z") }),
    ]);
    expect(continueWith(modules, progress)?.id).toBe("d");
  });
  it("otherwise the first module open to start, and nothing when all is done", () => {
    expect(continueWith(modules, new Map())?.id).toBe("a");
    const done = { completedAt: at("2026-11-02T00:00:00Z"), completedVersion: 1 };
    expect(continueWith(modules, new Map([rec("a", done)]))?.id).toBe("b");
    expect(continueWith(modules, new Map(modules.map((m) => rec(m.id, done))))).toBeNull();
  });
});

describe("recording views", () => {
  it("writes on first view, on a new version, and after the interval only", () => {
    const [, p] = rec("a");
    const now = new Date(p.lastViewedAt.getTime() + 60_000);
    expect(shouldRecordView(undefined, 1, now)).toBe(true);
    expect(shouldRecordView(p, 1, now)).toBe(false);
    expect(shouldRecordView(p, 2, now)).toBe(true);
    expect(shouldRecordView(p, 1, new Date(p.lastViewedAt.getTime() + VIEW_RECORD_INTERVAL_MS))).toBe(true);
  });
});

describe("search", () => {
  const sections = [
    {
      moduleSlug: "m1",
      moduleTitle: "One",
      anchor: "endings",
      heading: "Working with endings",
      text: "The ending phase consolidates gains.",
    },
    {
      moduleSlug: "m2",
      moduleTitle: "Two",
      anchor: "focus",
      heading: "The focus",
      text: "An interpersonal affective focus guides the middle phase; ended therapies.",
    },
    { moduleSlug: "m3", moduleTitle: "Three", anchor: "other", heading: "Other", text: "Nothing relevant here." },
  ];
  it("tokenizes, drops stop words and stems", () => {
    expect(tokenize("The Ending, of the IPAF!")).toEqual(["ending", "ipaf"]);
    expect(stem("endings")).toBe("end");
    expect(stem("ended")).toBe("end");
  });
  it("ranks heading matches first and needs every term", () => {
    const hits = searchSections(sections, "endings");
    expect(hits.map((h) => h.moduleSlug)).toEqual(["m1", "m2"]);
    expect(searchSections(sections, "ending focus").map((h) => h.moduleSlug)).toEqual(["m2"]);
    expect(searchSections(sections, "the of")).toEqual([]);
    expect(hits[0]?.snippet).toContain("ending phase");
  });
});

describe("csv", () => {
  it("quotes what needs quoting and neutralises formulas", () => {
    expect(csvLine(["a", "b,c", 'say "hi"', null, 3])).toBe('a,"b,c","say ""hi""",,3\r\n');
    expect(csvLine(["=HYPERLINK(1)", "+1", "@x", "-2"])).toBe("'=HYPERLINK(1),'+1,'@x,'-2\r\n");
  });
});
