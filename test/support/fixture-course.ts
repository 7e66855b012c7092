// The fixture course (test/fixtures/content): a test file that imports this reads it instead of the real course, so
// it tests code, not content — the real modules and quizzes can be rewritten without breaking it. The setting is
// read lazily (env() on first use), and test/setup/test-env.ts clears it before every file.
process.env.CONTENT_DIR = "test/fixtures/content";

export const FIXTURE = {
  /** Has a reflection and a module quiz (completion waits for the quiz). */
  first: { id: "fixture-first", slug: "fixture-first", reflection: "fixture-first-reflection", quiz: "fixture-first-quiz" },
  /** Needs the first; a reflection, no quiz. */
  second: { id: "fixture-second", slug: "fixture-second", reflection: "fixture-second-reflection" },
  /** Needs the second; the last module. */
  third: { id: "fixture-third", slug: "fixture-third" },
  modules: 3,
  /** A word only one section of the first module uses (search). */
  searchWord: "zebracorn",
  glossaryKey: "fixture-term",
} as const;
