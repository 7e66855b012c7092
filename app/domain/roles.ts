/** The roles a person can hold in Attune. A user may hold several. */
export const ROLES = ["TRAINEE", "TRAINER", "MODERATOR", "ADMIN", "ACCREDITOR"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  TRAINEE: "Trainee",
  TRAINER: "Trainer",
  MODERATOR: "Moderator",
  ADMIN: "Administrator",
  ACCREDITOR: "Accrediting body",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  TRAINEE: "Works through the course, logs supervised cases and uploads recordings.",
  TRAINER: "Supervises trainees and rates session recordings.",
  MODERATOR: "Settles disagreements between raters.",
  ADMIN: "Runs accounts, cohorts, rater assignment and certification decisions.",
  ACCREDITOR: "Verifies certificates and searches the register.",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function hasAnyRole(held: readonly Role[], wanted: readonly Role[]): boolean {
  return wanted.some((r) => held.includes(r));
}

/** Roles in a stable, canonical order (the order of ROLES), without duplicates. */
export function normalizeRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}
