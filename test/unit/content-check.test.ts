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

/** A copy of the real content to break on purpose. */
function copyOfContent(): string {
  const root = mkdtempSync(path.join(tmpdir(), "attune-content-"));
  dirs.push(root);
  cpSync("content", root, { recursive: true });
  return root;
}

const modulePath = (root: string, dir: string) => path.join(root, "modules", dir, "index.mdx");

function edit(file: string, change: (s: string) => string) {
  writeFileSync(file, change(readFileSync(file, "utf8")));
}

describe("content:check", () => {
  it("accepts the course as shipped", async () => {
    expect((await checkContent()).map(formatProblem)).toEqual([]);
  });

  it("reports bad frontmatter, unknown components, terms, quizzes and duplicate reflection ids with file:line", async () => {
    const root = copyOfContent();
    const file = modulePath(root, "02-core-features");
    edit(file, (s) =>
      s
        .replace(/^estimatedMinutes: .*$/m, "estimatedMinutes: soon")
        .replace("## ", '<Sparkle />\n\n<Glossary term="no-such-term">x</Glossary>\n\n<Quiz id="missing-quiz" />\n\n## '),
    );
    edit(modulePath(root, "03-initial-phase"), (s) =>
      s.replace(/<Reflection id="[^"]+">/, '<Reflection id="dit-in-context-starting-point">'),
    );
    const messages = (await checkContent(root)).map(formatProblem);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/02-core-features\/index\.mdx:\d+: frontmatter estimatedMinutes/)]),
    );
    // A module whose frontmatter fails is reported once for it; fix it and the body problems surface.
    edit(file, (s) => s.replace("estimatedMinutes: soon", "estimatedMinutes: 30"));
    const again = (await checkContent(root)).map(formatProblem);
    expect(again).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/02-core-features\/index\.mdx:\d+: unknown component <Sparkle>/),
        expect.stringMatching(/02-core-features\/index\.mdx:\d+: glossary term "no-such-term" is not defined/),
        expect.stringMatching(/02-core-features\/index\.mdx:\d+: quiz "missing-quiz" does not exist/),
        expect.stringMatching(
          /03-initial-phase\/index\.mdx:\d+: reflection id "dit-in-context-starting-point" should start with the module id/,
        ),
      ]),
    );
  });

  it("reports missing prerequisites, cycles, duplicate ids and broken internal links", async () => {
    const root = copyOfContent();
    edit(modulePath(root, "01-dit-in-context"), (s) => s.replace("prerequisites: []", "prerequisites: [ending-phase]"));
    edit(modulePath(root, "05-formulating-the-ipaf"), (s) => s.replace(/^prerequisites: .*$/m, "prerequisites: [the-ipaf, not-a-module]"));
    edit(modulePath(root, "06-middle-phase"), (s) =>
      s.replace("## ", "See [the IPAF](/modules/the-ipaf#no-such-heading) and [gone](/modules/gone) and [x](/admin/users).\n\n## "),
    );
    const messages = (await checkContent(root)).map(formatProblem);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/prerequisites form a cycle: .*dit-in-context/),
        expect.stringMatching(/05-formulating-the-ipaf\/index\.mdx:\d+: prerequisite "not-a-module" is not a module id/),
        expect.stringMatching(/06-middle-phase\/index\.mdx:\d+: link to \/modules\/the-ipaf#no-such-heading: no such heading/),
        expect.stringMatching(/06-middle-phase\/index\.mdx:\d+: link to \/modules\/gone: no such module/),
        expect.stringMatching(/internal link \/admin\/users does not point at a course page/),
      ]),
    );
  });

  it("reports MDX that does not compile, a module that is too short, and a reflection nested in another element", async () => {
    const root = copyOfContent();
    edit(modulePath(root, "04-the-ipaf"), (s) => s.replace("## ", '<Vignette title="x">\n\nunclosed\n\n## '));
    mkdirSync(path.join(root, "modules", "13-tiny"));
    writeFileSync(
      modulePath(root, "13-tiny"),
      `---\nid: tiny\nslug: tiny\ntitle: "Tiny module"\nsummary: "Far too short to be a module."\norder: 13\nversion: 1\nestimatedMinutes: 5\nobjectives: ["Notice the length"]\nprerequisites: []\nreferences: ["Lemma, Target & Fonagy (2011)."]\n---\n\n<Vignette title="t">\n\n<Reflection id="tiny-nested">\n\nWhy?\n\n</Reflection>\n\n</Vignette>\n`,
    );
    const messages = (await checkContent(root)).map(formatProblem);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/04-the-ipaf\/index\.mdx:\d+: MDX does not compile: Expected a closing tag for `<Vignette>`/),
        expect.stringMatching(/13-tiny\/index\.mdx: <Reflection> and <Quiz> must stand on their own/),
      ]),
    );
  });
});

describe("compiled curriculum", () => {
  it("has 12 ordered modules with tables of contents, reflection slots and search sections", async () => {
    const c = await compileCurriculum();
    expect(c.modules.map((m) => m.frontmatter.order)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const m of c.modules) {
      expect(m.toc.length).toBeGreaterThan(3);
      expect(m.segments.some((s) => s.type === "reflection")).toBe(true);
      const html = m.segments.map((s) => (s.type === "html" ? s.html : "")).join("");
      expect(html).not.toMatch(/<template/);
      expect(html).toContain('class="glossary-term"');
    }
    expect(c.sections.some((s) => s.moduleSlug === "the-ipaf" && /IPAF/.test(s.heading))).toBe(true);
  });
});
