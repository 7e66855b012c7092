import type { ModuleFrontmatter } from "#app/domain/curriculum";
import type { Quiz } from "#app/domain/quiz/schema";
import type { SearchSection } from "#app/domain/search";

/** A piece of a compiled module page: static HTML, or a slot filled per person at request time. */
export type Segment =
  | { type: "html"; html: string }
  | { type: "reflection"; id: string; promptHtml: string }
  | { type: "quiz"; id: string };

export type TocEntry = { id: string; text: string; level: 2 | 3 };

export type CompiledModule = {
  frontmatter: ModuleFrontmatter;
  /** Folder under content/modules, e.g. 04-the-ipaf. */
  dir: string;
  /** SHA-256 of the source, the glossary and the compiler version: the cache key. */
  hash: string;
  segments: Segment[];
  toc: TocEntry[];
  words: number;
};

export type GlossaryEntry = { term: string; definition: string };

export type Curriculum = {
  /** Hash over every module's hash: changes whenever any content changes. */
  version: string;
  modules: CompiledModule[];
  glossary: Record<string, GlossaryEntry>;
  sections: SearchSection[];
  /** Quizzes with their text rendered to HTML. Answer keys are in here: never send a Quiz to the browser. */
  quizzes: Quiz[];
};
