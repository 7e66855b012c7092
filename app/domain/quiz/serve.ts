import { allQuestions, type Question, type Quiz } from "#app/domain/quiz/schema";

/**
 * What an attempt serves: which questions (fixed ones, then draws from each
 * pool), per question the order its options, items or labels appear in, and
 * the opaque ids the page uses for them. Decided once when the attempt starts
 * and stored with it, so a reload or a resume shows exactly the same paper.
 *
 * `order` lists content ids (options, items) or label texts (matching), in the
 * served order. `tokens` maps each content id of an option, ordering item or
 * matching statement to a random token of this attempt: the page and the
 * loader data only ever carry tokens, so ids such as "a" (often the correct
 * option) or ordering ids listed in the correct order give nothing away.
 * Attempts stored before tokens existed have none and fall back to the ids.
 */
export type ServedQuestion = { id: string; order?: string[]; tokens?: Record<string, string> };

/** mulberry32: a small, well-distributed PRNG; deterministic for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The ids a question shows in an order of their own (options, items, or matching labels). */
export function orderable(q: Question): string[] | undefined {
  if (q.type === "single" || q.type === "multiple") return q.options.map((o) => o.id);
  if (q.type === "ordering") return q.items.map((i) => i.id);
  if (q.type === "matching") return [...new Set(q.pairs.map((p) => p.match))];
  return undefined;
}

/** The content ids of a question that the page names by token (options, ordering items, matching statements). */
export function tokenised(q: Question): string[] {
  if (q.type === "single" || q.type === "multiple") return q.options.map((o) => o.id);
  if (q.type === "ordering") return q.items.map((i) => i.id);
  if (q.type === "matching") return q.pairs.map((p) => p.id);
  return [];
}

export type ServeOptions = {
  /** A fresh unguessable token (the server passes crypto randomness). */
  token: () => string;
  /** Pool questions served in earlier attempts: drawn only when a pool has too few others. */
  avoid?: ReadonlySet<string>;
};

function drawFrom(pool: readonly Question[], draw: number, random: () => number, avoid: ReadonlySet<string>): Question[] {
  const fresh = shuffle(
    pool.filter((q) => !avoid.has(q.id)),
    random,
  );
  const seen = shuffle(
    pool.filter((q) => avoid.has(q.id)),
    random,
  );
  return [...fresh, ...seen].slice(0, draw);
}

function tokensFor(ids: readonly string[], token: () => string): Record<string, string> {
  const out: Record<string, string> = {};
  const used = new Set<string>();
  for (const id of ids) {
    let t = token();
    while (used.has(t)) t = token();
    used.add(t);
    out[id] = t;
  }
  return out;
}

export function serveQuiz(quiz: Quiz, seed: number, { token, avoid = new Set() }: ServeOptions): ServedQuestion[] {
  const random = prng(seed);
  const chosen: Question[] = [...quiz.questions];
  for (const pool of quiz.pools) chosen.push(...drawFrom(pool.questions, pool.draw, random, avoid));
  return chosen.map((q) => {
    const ids = orderable(q);
    if (!ids) return { id: q.id };
    // Ordering questions are always shuffled (their answer is the order); others as the quiz says.
    const shuffled = quiz.settings.shuffleOptions || q.type === "ordering" ? shuffle(ids, random) : ids;
    return { id: q.id, order: shuffled, tokens: tokensFor(tokenised(q), token) };
  });
}

/** The page's token for a content id of this served question (the id itself for papers stored without tokens). */
export function tokenOf(served: ServedQuestion, id: string): string {
  return served.tokens?.[id] ?? id;
}

/** The content id behind a token of this served question, or undefined when the token was never served. */
export function idOfToken(served: ServedQuestion, token: string): string | undefined {
  if (!served.tokens) return token;
  for (const [id, t] of Object.entries(served.tokens)) if (t === token) return id;
  return undefined;
}

export function questionIndex(quiz: Pick<Quiz, "questions" | "pools">): Map<string, Question> {
  return new Map(allQuestions(quiz).map((q) => [q.id, q]));
}
