import type { Role } from "#app/domain/roles";

/** `end`: the link is current only on its own path, not on the pages under it. */
export type NavItem = { to: string; label: string; end: boolean };

type NavEntry = Omit<NavItem, "end"> & { end?: boolean; roles: readonly Role[] | "everyone" };

/**
 * The main navigation. Each entry names who may see it; the route behind it
 * checks the same roles again on the server (navigation is a convenience,
 * never the access check).
 */
const NAV: readonly NavEntry[] = [
  { to: "/", label: "Home", end: true, roles: "everyone" },
  { to: "/modules", label: "Course", roles: "everyone" },
  { to: "/journal", label: "Journal", roles: "everyone" },
  { to: "/marking", label: "Marking", roles: ["TRAINER", "ADMIN"] },
  { to: "/admin", label: "Administration", end: true, roles: ["ADMIN"] },
  { to: "/admin/users", label: "People", roles: ["ADMIN"] },
  { to: "/admin/cohorts", label: "Cohorts", roles: ["ADMIN"] },
  { to: "/admin/audit", label: "Audit log", roles: ["ADMIN"] },
  { to: "/account", label: "Account", roles: "everyone" },
];

export function navigationFor(roles: readonly Role[]): NavItem[] {
  return NAV.filter((e) => e.roles === "everyone" || e.roles.some((r) => roles.includes(r))).map(({ to, label, end }) => ({
    to,
    label,
    end: end ?? false,
  }));
}
