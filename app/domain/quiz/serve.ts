import { allQuestions, type Question, type Quiz } from "#app/domain/quiz/schema";

/**
 * What an attempt serves: which questions (fixed ones, then draws from each
 * pool) and, per question, the order its options, items or labels appear in.
 * Decided once from the attempt's seed and stored with the attempt, so a reload
 * or a resume shows exactly the same paper.
 */
export type ServedQuestion = { id: string; order?: string[] };

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

export function serveQuiz(quiz: Quiz, seed: number): ServedQuestion[] {
  const random = prng(seed);
  const chosen: Question[] = [...quiz.questions];
  for (const pool of quiz.pools) chosen.push(...shuffle(pool.questions, random).slice(0, pool.draw));
  return chosen.map((q) => {
    const ids = orderable(q);
    if (!ids) return { id: q.id };
    // Ordering questions are always shuffled (their answer is the order); others as the quiz says.
    const shuffled = quiz.settings.shuffleOptions || q.type === "ordering" ? shuffle(ids, random) : ids;
    return { id: q.id, order: shuffled };
  });
}

export function questionIndex(quiz: Pick<Quiz, "questions" | "pools">): Map<string, Question> {
  return new Map(allQuestions(quiz).map((q) => [q.id, q]));
}
