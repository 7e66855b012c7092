import { type Action, mayEver } from "#app/domain/permissions";
import type { Role } from "#app/domain/roles";

/** `end`: the link is current only on its own path, not on the pages under it. */
export type NavItem = { to: string; label: string; end: boolean };

type NavEntry = Omit<NavItem, "end"> & { end?: boolean; action: Action };

/**
 * The main navigation. Each entry names the permission (app/domain/permissions.ts)
 * its page's loader checks, and is shown to those who could pass that check;
 * the route checks it again on the server (navigation is a convenience, never
 * the access check).
 */
const NAV: readonly NavEntry[] = [
  { to: "/", label: "Home", end: true, action: "home:view" },
  { to: "/modules", label: "Course", action: "course:read" },
  { to: "/journal", label: "Journal", action: "journal:read-own" },
  { to: "/cases", label: "Cases", action: "case:list" },
  { to: "/pathway", label: "Pathway", action: "pathway:view-own" },
  { to: "/case-studies", label: "Case studies", action: "case-study:view" },
  { to: "/certificates", label: "Certificates", action: "certificate:view-own" },
  { to: "/marking", label: "Marking", action: "quiz:mark" },
  { to: "/ratings", label: "Ratings", action: "rating:list" },
  { to: "/competence", label: "Competence", action: "competence:view" },
  { to: "/calibration", label: "Calibration", action: "calibration:attempt" },
  { to: "/reliability", label: "Reliability", action: "reliability:view" },
  { to: "/admin", label: "Administration", end: true, action: "admin:view" },
  { to: "/admin/users", label: "People", action: "users:manage" },
  { to: "/admin/cohorts", label: "Cohorts", action: "cohorts:manage" },
  { to: "/admin/certificates", label: "Certification", action: "certificate:manage" },
  { to: "/admin/audit", label: "Audit log", action: "audit:read" },
  { to: "/account", label: "Account", action: "account:manage-own" },
];

export function navigationFor(roles: readonly Role[]): NavItem[] {
  return NAV.filter((e) => mayEver({ roles }, e.action)).map(({ to, label, end }) => ({ to, label, end: end ?? false }));
}
