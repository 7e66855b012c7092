import { Children, createElement, Fragment, isValidElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { GlossaryEntry, Segment, TocEntry } from "#app/content.server/types";
import { PATIENT_PRIVACY_NOTE } from "#app/domain/curriculum";

/**
 * The components offered to MDX authors, rendered once at build time into
 * static HTML. Reflections and quizzes become slots (<template data-slot>)
 * that the module page fills per person at request time.
 */
export type Collector = {
  toc: TocEntry[];
  slots: Map<string, Exclude<Segment, { type: "html" }>>;
  usedIds: Set<string>;
};

export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/['\u2019]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "section"
  );
}

export function textOf(node: ReactNode): string {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return Children.toArray(node).map(textOf).join("");
}

function uniqueId(collector: Collector, base: string): string {
  let id = base;
  for (let i = 2; collector.usedIds.has(id); i++) id = `${base}-${i}`;
  collector.usedIds.add(id);
  return id;
}

export function mdxComponents(collector: Collector, glossary: Record<string, GlossaryEntry>) {
  const heading =
    (level: 2 | 3) =>
    ({ children }: { children?: ReactNode }) => {
      const text = textOf(children);
      const id = uniqueId(collector, slugify(text));
      collector.toc.push({ id, text, level });
      const Tag = level === 2 ? "h2" : "h3";
      return <Tag id={id}>{children}</Tag>;
    };

  return {
    h2: heading(2),
    h3: heading(3),
    Vignette({ title, children }: { title?: string; children?: ReactNode }) {
      return (
        <aside className="vignette" aria-label={`Case vignette${title ? `: ${title}` : ""}`}>
          <p className="vignette__label">Case vignette{title ? <span className="vignette__title">{title}</span> : null}</p>
          {children}
        </aside>
      );
    },
    KeyPoint({ children }: { children?: ReactNode }) {
      return (
        <aside className="keypoint" aria-label="Key point">
          <p className="keypoint__label">Key point</p>
          {children}
        </aside>
      );
    },
    Glossary({ term, children }: { term: string; children?: ReactNode }) {
      const entry = glossary[term];
      if (!entry) throw new Error(`<Glossary term="${term}">: no such term in content/glossary.yaml`);
      return (
        <a className="glossary-term" href={`/glossary#${term}`} title={`${entry.term}: ${entry.definition}`}>
          {children}
        </a>
      );
    },
    Reflection({ id, aboutPatients, children }: { id: string; aboutPatients?: boolean; children?: ReactNode }) {
      // A prompt about the trainee's own patients carries the privacy rule with it, so the rule shows beside the
      // box on the module page and again beside the answer in the journal.
      const note = aboutPatients ? <p className="reflection__privacy">{PATIENT_PRIVACY_NOTE}</p> : null;
      collector.slots.set(`reflection:${id}`, {
        type: "reflection",
        id,
        promptHtml: renderToStaticMarkup(createElement(Fragment, null, children, note)),
      });
      return <template data-slot={`reflection:${id}`} />;
    },
    Quiz({ id }: { id: string }) {
      collector.slots.set(`quiz:${id}`, { type: "quiz", id });
      return <template data-slot={`quiz:${id}`} />;
    },
  };
}

/** The component names MDX authors may use. */
export const AUTHOR_COMPONENTS = ["Vignette", "KeyPoint", "Glossary", "Reflection", "Quiz"] as const;
