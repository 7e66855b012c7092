import { z } from "zod";
import { IPAF_PARTS, type Question } from "#app/domain/quiz/schema";
import { idOfToken, type ServedQuestion } from "#app/domain/quiz/serve";

/**
 * A stored answer: an option id, several ids, a map (ordering positions,
 * matching labels, IPAF parts) or text. Stored answers always use the
 * content's ids; the page uses the attempt's opaque tokens (see serve.ts), and
 * readAnswers maps them back.
 */
export type Answer = string | string[] | Record<string, string>;
export type Answers = Record<string, Answer>;

export const TEXT_MAX = 5000;

/**
 * The attempt form: `intent` (save or submit) plus the answer fields, which
 * readAnswers checks against the served paper.
 */
export const AttemptFormSchema = z
  .object({ intent: z.enum(["save", "submit"], { error: "Choose whether to save or to submit your answers." }) })
  .catchall(z.union([z.string(), z.array(z.string())]));

/** A position in an ordering question: a plain decimal integer, nothing else ("0x1", " 1", "1e0" are refused). */
const POSITION = /^[0-9]+$/;

/** An answer that could only come from tampering; `questionId` names the question it was sent for, when there is one. */
export class AnswerError extends Error {
  constructor(
    message: string,
    readonly questionId: string | null = null,
  ) {
    super(message);
  }
}

/**
 * Reads answers from form fields named `q.<questionId>` (single, multiple,
 * true/false, short text) or `q.<questionId>.<part>` (ordering positions,
 * matching labels, IPAF parts), keeping only what is valid for the served
 * paper. Options, ordering items and matching statements arrive as the
 * attempt's tokens and are stored as content ids. Anything that could only
 * come from tampering — an unknown question, a token that was not served, a
 * label that does not exist, a position that is not a plain integer in range —
 * throws AnswerError and nothing is saved. Unanswered questions are simply
 * absent.
 */
export function readAnswers(
  fields: Iterable<[string, string]>,
  served: readonly ServedQuestion[],
  questions: ReadonlyMap<string, Question>,
): Answers {
  const servedIds = new Map(served.map((s) => [s.id, s]));
  const raw = new Map<string, { values: string[]; parts: Record<string, string> }>();
  for (const [name, value] of fields) {
    if (!name.startsWith("q.")) continue;
    const m = name.match(/^q\.([a-z0-9-]+)(?:\.([A-Za-z0-9_-]+))?$/);
    if (!m) throw new AnswerError(`"${name.slice(0, 80)}" is not a field of this paper.`);
    const [, qid, part] = m as unknown as [string, string, string | undefined];
    if (!servedIds.has(qid)) throw new AnswerError(`An answer was sent for a question that is not on this paper (${qid}).`);
    const entry = raw.get(qid) ?? { values: [], parts: {} };
    if (part) {
      if (Object.hasOwn(entry.parts, part)) throw new AnswerError(`Question ${qid}: "${part}" was sent twice.`, qid);
      entry.parts[part] = value;
    } else entry.values.push(value);
    raw.set(qid, entry);
  }

  const answers: Answers = {};
  for (const [qid, { values, parts }] of raw) {
    const q = questions.get(qid);
    const s = servedIds.get(qid);
    if (!q || !s) throw new AnswerError(`Unknown question ${qid}.`, qid);
    const offered = new Set(s.order ?? []);
    const bad = (what: string) => new AnswerError(`Question ${qid}: ${what}.`, qid);
    /** The content id of a served option or item, from the token the page sent. */
    const offeredId = (token: string, what: string) => {
      const id = idOfToken(s, token);
      if (id === undefined || !offered.has(id)) throw bad(`${what} "${token.slice(0, 40)}" was not offered`);
      return id;
    };
    const plain = q.type === "single" || q.type === "multiple" || q.type === "true-false" || q.type === "short-text";
    if (plain && Object.keys(parts).length) throw bad("send the answer itself, not parts of it");
    switch (q.type) {
      case "single": {
        const v = values.filter(Boolean);
        if (v.length > 1) throw bad("only one option may be chosen");
        if (v[0] !== undefined) answers[qid] = offeredId(v[0], "option");
        break;
      }
      case "multiple": {
        const v = [...new Set(values.filter(Boolean))].map((t) => offeredId(t, "option"));
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
        if (values.length) throw bad("give a position per item");
        const out: Record<string, string> = {};
        for (const [token, pos] of Object.entries(parts)) {
          if (pos === "") continue;
          const item = offeredId(token, "item");
          const n = Number(pos);
          if (!POSITION.test(pos) || n < 1 || n > offered.size)
            throw bad(`position "${pos.slice(0, 20)}" is not a whole number from 1 to ${offered.size}`);
          out[item] = String(n);
        }
        if (Object.keys(out).length) answers[qid] = out;
        break;
      }
      case "matching": {
        if (values.length) throw bad("choose a label per statement");
        const out: Record<string, string> = {};
        for (const [token, label] of Object.entries(parts)) {
          if (label === "") continue;
          const pair = idOfToken(s, token);
          if (pair === undefined || !q.pairs.some((p) => p.id === pair))
            throw bad(`statement "${token.slice(0, 40)}" is not part of this question`);
          if (!offered.has(label)) throw bad(`"${label.slice(0, 80)}" is not one of the choices`);
          out[pair] = label;
        }
        if (Object.keys(out).length) answers[qid] = out;
        break;
      }
      case "short-text": {
        if (values.length > 1) throw bad("send one answer");
        const text = (values[0] ?? "").trim();
        if (text.length > TEXT_MAX) throw bad(`keep the answer under ${TEXT_MAX} characters`);
        if (text) answers[qid] = text;
        break;
      }
      case "ipaf": {
        if (values.length) throw bad("answer each part of the IPAF");
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

/**
 * Whether a question has a complete answer: an option chosen, every ordering
 * item placed, every matching statement matched, free text written, every part
 * of an IPAF filled in. A formative quiz counts for its module once every
 * served question is answered (see rules.ts).
 */
export function isAnswered(q: Question, answer: Answer | undefined): boolean {
  if (answer === undefined) return false;
  const record = typeof answer === "object" && !Array.isArray(answer) ? answer : {};
  switch (q.type) {
    case "single":
    case "true-false":
    case "short-text":
      return typeof answer === "string" && answer !== "";
    case "multiple":
      return Array.isArray(answer) && answer.length > 0;
    case "ordering":
      return q.items.every((i) => record[i.id] !== undefined);
    case "matching":
      return q.pairs.every((p) => record[p.id] !== undefined);
    case "ipaf":
      return IPAF_PARTS.every((part) => Boolean(record[part]));
  }
}
