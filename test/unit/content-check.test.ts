import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkContent, formatProblem } from "#app/content.server/check";
import { compileCurriculum } from "#app/content.server/compile";

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
  it("accepts the course as shipped (the content's own rules, whatever its wording or size)", async () => {
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
