import { IPAF_PARTS, type Question } from "#app/domain/quiz/schema";
import type { ServedQuestion } from "#app/domain/quiz/serve";

/** A stored answer: an option id, several ids, a map (ordering positions, matching labels, IPAF parts) or text. */
export type Answer = string | string[] | Record<string, string>;
export type Answers = Record<string, Answer>;

export const TEXT_MAX = 5000;

export class AnswerError extends Error {}

/**
 * Reads answers from form fields named `q.<questionId>` (single, multiple,
 * true/false, short text) or `q.<questionId>.<part>` (ordering positions,
 * matching labels, IPAF parts), keeping only what is valid for the served
 * paper. Anything that could only come from tampering — an unknown question,
 * an option that was not offered, a label that does not exist — throws
 * AnswerError and nothing is saved. Unanswered questions are simply absent.
 */
export function readAnswers(
  fields: Iterable<[string, string]>,
  served: readonly ServedQuestion[],
  questions: ReadonlyMap<string, Question>,
): Answers {
  const servedIds = new Map(served.map((s) => [s.id, s]));
  const raw = new Map<string, { values: string[]; parts: Record<string, string> }>();
  for (const [name, value] of fields) {
    const m = name.match(/^q\.([a-z0-9-]+)(?:\.([a-z0-9-]+))?$/);
    if (!m) continue;
    const [, qid, part] = m as unknown as [string, string, string | undefined];
    if (!servedIds.has(qid)) throw new AnswerError(`An answer was sent for a question that is not on this paper (${qid}).`);
    const entry = raw.get(qid) ?? { values: [], parts: {} };
    if (part) entry.parts[part] = value;
    else entry.values.push(value);
    raw.set(qid, entry);
  }

  const answers: Answers = {};
  for (const [qid, { values, parts }] of raw) {
    const q = questions.get(qid);
    const s = servedIds.get(qid);
    if (!q || !s) throw new AnswerError(`Unknown question ${qid}.`);
    const offered = new Set(s.order ?? []);
    const bad = (what: string) => new AnswerError(`Question ${qid}: ${what}.`);
    switch (q.type) {
      case "single": {
        const v = values.filter(Boolean);
        if (v.length > 1) throw bad("only one option may be chosen");
        if (v[0] !== undefined) {
          if (!offered.has(v[0])) throw bad(`option "${v[0]}" was not offered`);
          answers[qid] = v[0];
        }
        break;
      }
      case "multiple": {
        const v = [...new Set(values.filter(Boolean))];
        for (const id of v) if (!offered.has(id)) throw bad(`option "${id}" was not offered`);
        if (v.length) answers[qid] = v;
        break;
      }
      case "true-false": {
        const v = values.filter(Boolean);
        if (v.length > 1 || (v[0] !== undefined && v[0] !== "true" && v[0] !== "false")) throw bad("answer true or false");
        if (v[0] !== undefined) answers[qid] = v[0];
        break;
      }
      case "ordering": {
        const entries = Object.entries(parts).filter(([, v]) => v !== "");
        for (const [item, pos] of entries) {
          if (!offered.has(item)) throw bad(`item "${item}" is not part of this question`);
          const n = Number(pos);
          if (!Number.isInteger(n) || n < 1 || n > offered.size) throw bad(`position ${pos} is out of range`);
        }
        if (entries.length) answers[qid] = Object.fromEntries(entries);
        break;
      }
      case "matching": {
        const pairIds = new Set(q.pairs.map((p) => p.id));
        const entries = Object.entries(parts).filter(([, v]) => v !== "");
        for (const [pair, label] of entries) {
          if (!pairIds.has(pair)) throw bad(`statement "${pair}" is not part of this question`);
          if (!offered.has(label)) throw bad(`"${label}" is not one of the choices`);
        }
        if (entries.length) answers[qid] = Object.fromEntries(entries);
        break;
      }
      case "short-text": {
        const text = (values[0] ?? "").trim();
        if (text.length > TEXT_MAX) throw bad(`keep the answer under ${TEXT_MAX} characters`);
        if (text) answers[qid] = text;
        break;
      }
      case "ipaf": {
        const out: Record<string, string> = {};
        for (const [part, value] of Object.entries(parts)) {
          if (!(IPAF_PARTS as readonly string[]).includes(part)) throw bad(`"${part}" is not part of an IPAF`);
          if (value.length > TEXT_MAX) throw bad(`keep each part under ${TEXT_MAX} characters`);
          if (value.trim()) out[part] = value.trim();
        }
        if (Object.keys(out).length) answers[qid] = out;
        break;
      }
    }
  }
  return answers;
}

/** Problems a complete submission must not have (e.g. two items in the same position). */
export function submissionProblems(answers: Answers, questions: ReadonlyMap<string, Question>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [qid, answer] of Object.entries(answers)) {
    const q = questions.get(qid);
    if (q?.type === "ordering" && typeof answer === "object" && !Array.isArray(answer)) {
      const positions = Object.values(answer);
      if (new Set(positions).size !== positions.length) problems[qid] = "Give each item a different position.";
    }
  }
  return problems;
}
