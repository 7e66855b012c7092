// PLACEHOLDER — replaced by the h-recordings branch's phases module at merge.
export type Phase = "initial" | "middle" | "ending";
export type SessionPlan = { id: string; sessions: number; phases: { phase: Phase; from: number; to: number }[] };
export const DIT_16: SessionPlan = {
  id: "dit-16",
  sessions: 16,
  phases: [
    { phase: "initial", from: 1, to: 4 },
    { phase: "middle", from: 5, to: 12 },
    { phase: "ending", from: 13, to: 16 },
  ],
};
export function phaseOf(plan: SessionPlan, n: number): Phase | null {
  return plan.phases.find((p) => n >= p.from && n <= p.to)?.phase ?? null;
}
