import { z } from "zod";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD")
  .transform((v) => new Date(`${v}T00:00:00.000Z`))
  .refine((d) => !Number.isNaN(d.getTime()), "Enter a real date");

/** A cohort's name and dates, as typed into the cohort forms. */
export const CohortSchema = z
  .object({
    name: z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(100, "Use at most 100 characters"),
    startsOn: z.string({ error: "Enter a start date" }).min(1, "Enter a start date").pipe(isoDate),
    endsOn: z
      .string()
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(isoDate.optional())
      .transform((v) => v ?? null),
  })
  .refine((c) => !c.endsOn || c.endsOn >= c.startsOn, { path: ["endsOn"], message: "The end date must not be before the start" });

export function toDateInput(date: Date | string | null | undefined): string {
  if (!date) return "";
  return new Date(date).toISOString().slice(0, 10);
}
