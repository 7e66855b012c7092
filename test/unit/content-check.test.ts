import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { asksAboutOwnPatients, type CastMember, castProblems, checkContent, formatProblem } from "#app/content.server/check";
import { compileCurriculum } from "#app/content.server/compile";
import { PATIENT_PRIVACY_NOTE } from "#app/domain/curriculum";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/**
 * A copy of the fixture course (test/fixtures/content) to break on purpose: these tests are about the checker, so
 * they never depend on the real course's files, wording or count. (The fixture itself is far shorter than a real
 * module, so it always carries length problems; the assertions look for the problems each test introduces.)
 */
function copyOfFixture(): string {
  const root = mkdtempSync(path.join(tmpdir(), "attune-content-"));
  dirs.push(root);
  cpSync(FIXTURE_ROOT, root, { recursive: true });
  return root;
}

const FIXTURE_ROOT = "test/fixtures/content";

const modulePath = (root: string, dir: string) => path.join(root, "modules", dir, "index.mdx");

function edit(file: string, change: (s: string) => string) {
  writeFileSync(file, change(readFileSync(file, "utf8")));
}

describe("content:check", () => {
  it("accepts the course as shipped (the content's own rules, whatever its wording or size)", { timeout: 60_000 }, async () => {
    expect((await checkContent()).map(formatProblem)).toEqual([]);
  });

  it("reports bad frontmatter, unknown components, terms, quizzes and duplicate reflection ids with file:line", async () => {
    const root = copyOfFixture();
    const file = modulePath(root, "02-fixture-second");
    edit(file, (s) =>
      s
        .replace(/^estimatedMinutes: .*$/m, "estimatedMinutes: soon")
        .replace("## ", '<Sparkle />\n\n<Glossary term="no-such-term">x</Glossary>\n\n<Quiz id="missing-quiz" />\n\n## '),
    );
    edit(modulePath(root, "03-fixture-third"), (s) =>
      s.replace("## ", '<Reflection id="fixture-first-elsewhere">\n\nWhy?\n\n</Reflection>\n\n## '),
    );
    const messages = (await checkContent(root)).map(formatProblem);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/02-fixture-second\/index\.mdx:\d+: frontmatter estimatedMinutes/)]),
    );
    // A module whose frontmatter fails is reported once for it; fix it and the body problems surface.
    edit(file, (s) => s.replace("estimatedMinutes: soon", "estimatedMinutes: 30"));
    const again = (await checkContent(root)).map(formatProblem);
    expect(again).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/02-fixture-second\/index\.mdx:\d+: unknown component <Sparkle>/),
        expect.stringMatching(/02-fixture-second\/index\.mdx:\d+: glossary term "no-such-term" is not defined/),
        expect.stringMatching(/02-fixture-second\/index\.mdx:\d+: quiz "missing-quiz" does not exist/),
        expect.stringMatching(/03-fixture-third\/index\.mdx:\d+: reflection id "fixture-first-elsewhere" should start with the module id/),
      ]),
    );
  });

  it("reports missing prerequisites, cycles, duplicate ids and broken internal links", async () => {
    const root = copyOfFixture();
    edit(modulePath(root, "01-fixture-first"), (s) => s.replace("references:", "prerequisites: [fixture-third]\nreferences:"));
    edit(modulePath(root, "02-fixture-second"), (s) => s.replace(/^prerequisites: .*$/m, "prerequisites: [fixture-first, not-a-module]"));
    edit(modulePath(root, "03-fixture-third"), (s) =>
      s.replace("## ", "See [one](/modules/fixture-first#no-such-heading) and [gone](/modules/gone) and [x](/admin/users).\n\n## "),
    );
    const messages = (await checkContent(root)).map(formatProblem);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/prerequisites form a cycle: .*fixture-first/),
        expect.stringMatching(/02-fixture-second\/index\.mdx:\d+: prerequisite "not-a-module" is not a module id/),
        expect.stringMatching(/03-fixture-third\/index\.mdx:\d+: link to \/modules\/fixture-first#no-such-heading: no such heading/),
        expect.stringMatching(/03-fixture-third\/index\.mdx:\d+: link to \/modules\/gone: no such module/),
        expect.stringMatching(/internal link \/admin\/users does not point at a course page/),
      ]),
    );
  });

  it("checks pathways: schema problems, the file name, modules and quizzes that exist, one file per id and version", async () => {
    const root = copyOfFixture();
    const file = path.join(root, "pathways", "dit-practitioner-v1.yaml");
    const original = readFileSync(file, "utf8");
    edit(file, (s) =>
      s
        .replace("fixture-third]", "fixture-third, not-a-module]")
        .replace("quizzes: [fixture-first-quiz]", "quizzes: [fixture-first-quiz, not-a-quiz]"),
    );
    writeFileSync(path.join(root, "pathways", "dit-practitioner-v2.yaml"), original);
    writeFileSync(
      path.join(root, "pathways", "broken-v1.yaml"),
      original.replace("id: dit-practitioner", "id: broken").replace("hours: 2", "hours: -2"),
    );
    writeFileSync(path.join(root, "pathways", "unreadable-v1.yaml"), "id: [unclosed");
    const messages = (await checkContent(root)).map(formatProblem).filter((m) => m.includes("/pathways/"));
    expect(messages).toEqual([
      expect.stringMatching(/pathways\/broken-v1\.yaml: steps\.4\.hours: /),
      expect.stringMatching(/pathways\/dit-practitioner-v1\.yaml: module "not-a-module" does not exist$/),
      expect.stringMatching(/pathways\/dit-practitioner-v1\.yaml: quiz "not-a-quiz" does not exist under /),
      expect.stringMatching(/pathways\/dit-practitioner-v2\.yaml: the file should be named dit-practitioner-v1\.yaml \(id and version\)$/),
      expect.stringMatching(/pathways\/unreadable-v1\.yaml:\d+: not valid YAML/),
    ]);
    // The fixture's own pathway is valid.
    expect((await checkContent(copyOfFixture())).map(formatProblem).filter((m) => m.includes("/pathways/"))).toEqual([]);
  });

  it("reports MDX that does not compile, a module that is too short, and a reflection nested in another element", async () => {
    const root = copyOfFixture();
    edit(modulePath(root, "01-fixture-first"), (s) => s.replace("## ", '<Vignette title="x">\n\nunclosed\n\n## '));
    mkdirSync(path.join(root, "modules", "13-tiny"));
    writeFileSync(
      modulePath(root, "13-tiny"),
      `---\nid: tiny\nslug: tiny\ntitle: "Tiny module"\nsummary: "Far too short to be a module."\norder: 13\nversion: 1\nestimatedMinutes: 5\nobjectives: ["Notice the length"]\nprerequisites: []\nreferences: ["Lemma, Target & Fonagy (2011)."]\n---\n\n<Vignette title="t">\n\n<Reflection id="tiny-nested">\n\nWhy?\n\n</Reflection>\n\n</Vignette>\n`,
    );
    const messages = (await checkContent(root)).map(formatProblem);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/01-fixture-first\/index\.mdx:\d+: MDX does not compile: Expected a closing tag for `<Vignette>`/),
        expect.stringMatching(/13-tiny\/index\.mdx: <Reflection> and <Quiz> must stand on their own/),
      ]),
    );
  });
});

const GRACE: CastMember = {
  name: "Grace",
  age: 41,
  occupation: "teaching assistant",
  presenting: "depression",
  modules: ["dit-in-context"],
  quizzes: [],
};
const vignette = (text: string) => `Intro.\n\n<Vignette title="t">\n\n${text}\n\n</Vignette>\n`;

describe("the cast heuristic", () => {
  it("accepts an introduction with the cast's age and occupation, in a module the cast lists", () => {
    expect(castProblems(vignette("Grace, 41, a teaching assistant, has finished guided self-help."), "dit-in-context", [GRACE])).toEqual(
      [],
    );
    expect(castProblems(vignette("Grace is a 41-year-old teaching assistant."), "dit-in-context", [GRACE])).toEqual([]);
  });

  it("flags a different age, a different job, an unlisted module and a patient not in the cast", () => {
    const messages = (body: string, moduleId = "dit-in-context") => castProblems(body, moduleId, [GRACE]).map((p) => p.message);
    expect(messages(vignette("Grace is a 52-year-old teaching assistant."))).toEqual(["Grace is 52 here but 41 in the cast"]);
    expect(messages(vignette("Grace is 41 and works as a school administrator."))).toEqual([
      'Grace\'s job here does not match the cast ("teaching assistant")',
    ]);
    expect(messages(vignette("Grace, 41, a teaching assistant."), "ending-phase")).toEqual([
      "the cast does not list Grace in module ending-phase",
    ]);
    expect(messages(vignette("Aisha, 29, a pharmacy technician."))).toEqual([
      "Aisha (29) is introduced in a vignette but is not in the cast (content/cast.yaml)",
    ]);
  });

  it("reads only vignettes, and points at the introduction", () => {
    expect(castProblems("Grace, 52, outside any vignette.", "dit-in-context", [GRACE])).toEqual([]);
    const body = vignette("Later. Grace is 52 and a teaching assistant.");
    const [problem] = castProblems(body, "dit-in-context", [GRACE]);
    expect(body.slice(problem?.index ?? 0)).toMatch(/^Grace is 52/);
  });

  it("is enforced by content:check with file and line, and the cast list must exist", async () => {
    const root = copyOfFixture();
    expect((await checkContent(root)).map(formatProblem).filter((m) => /cast/.test(m))).toEqual([]);
    edit(modulePath(root, "02-fixture-second"), (s) => s.replace("Nell, 38,", "Nell, 39,"));
    const messages = (await checkContent(root)).map(formatProblem);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/02-fixture-second\/index\.mdx:\d+: Nell is 39 here but 38 in the cast/)]),
    );
    rmSync(path.join(root, "cast.yaml"));
    expect((await checkContent(root)).map(formatProblem)).toEqual(
      expect.arrayContaining([expect.stringMatching(/cast\.yaml: the cast list is missing/)]),
    );
  });
});

describe("reflections about the trainee's patients", () => {
  it("recognises prompts that ask about the trainee's own patients", () => {
    expect(asksAboutOwnPatients("Think of a patient you have assessed recently.")).toBe(true);
    expect(asksAboutOwnPatients("Choose a current case and look back over your last three sessions.")).toBe(true);
    expect(asksAboutOwnPatients("How do you feel about working to a fixed end date?")).toBe(false);
  });

  it("must be marked aboutPatients, and the mark renders the privacy note beside the box", async () => {
    const root = copyOfFixture();
    const unmarked = (messages: string[]) => messages.filter((m) => /asks about the trainee's patients/.test(m));
    expect(unmarked((await checkContent(root)).map(formatProblem))).toEqual([]);
    edit(modulePath(root, "02-fixture-second"), (s) =>
      s.replace('<Reflection id="fixture-second-patients" aboutPatients>', '<Reflection id="fixture-second-patients">'),
    );
    expect(unmarked((await checkContent(root)).map(formatProblem))).toEqual([
      expect.stringMatching(/02-fixture-second\/index\.mdx:\d+: this prompt asks about the trainee's patients/),
    ]);
    const c = await compileCurriculum(FIXTURE_ROOT);
    const prompts = c.modules.flatMap((m) => m.segments.flatMap((s) => (s.type === "reflection" ? [s] : [])));
    const html = (id: string) => prompts.find((p) => p.id === id)?.promptHtml ?? "";
    expect(html("fixture-second-patients")).toContain(`<p class="reflection__privacy">${PATIENT_PRIVACY_NOTE.replace(/'/g, "&#x27;")}</p>`);
    expect(html("fixture-second-reflection")).not.toContain("reflection__privacy");
  });
});

describe("compiled curriculum", () => {
  it("compiles modules in order into tables of contents, prose, reflection and quiz slots, glossary terms and search sections", async () => {
    const c = await compileCurriculum(FIXTURE_ROOT);
    expect(c.modules.map((m) => [m.frontmatter.order, m.frontmatter.id])).toEqual([
      [1, "fixture-first"],
      [2, "fixture-second"],
      [3, "fixture-third"],
    ]);
    const first = c.modules[0];
    expect(first?.toc).toEqual([
      { id: "first-heading", text: "First heading", level: 2 },
      { id: "second-heading", text: "Second heading", level: 2 },
      { id: "summary", text: "Summary", level: 2 },
    ]);
    expect(first?.segments.map((s) => (s.type === "html" ? "html" : `${s.type}:${s.id}`))).toEqual([
      "html",
      "reflection:fixture-first-reflection",
      "html",
      "quiz:fixture-first-quiz",
      "html",
    ]);
    const html = first?.segments.map((s) => (s.type === "html" ? s.html : "")).join("") ?? "";
    expect(html).not.toMatch(/<template/);
    expect(html).toContain('class="glossary-term"');
    expect(c.sections.find((s) => s.anchor === "first-heading")).toMatchObject({ moduleSlug: "fixture-first", heading: "First heading" });
    expect(c.quizzes.map((q) => q.id)).toEqual(["fixture-first-quiz"]);
  });

  it("compiles the course as shipped without leftover slots", async () => {
    const c = await compileCurriculum();
    expect(c.modules.length).toBeGreaterThan(0);
    for (const m of c.modules) {
      const html = m.segments.map((s) => (s.type === "html" ? s.html : "")).join("");
      expect(html, m.frontmatter.id).not.toMatch(/<template/);
    }
  });
});
