import { describe, expect, it } from "vitest";
import { navigationFor } from "#app/domain/navigation";
import { hasAnyRole, isRole, normalizeRoles } from "#app/domain/roles";

describe("role-aware navigation", () => {
  it("shows administrators the admin pages", () => {
    expect(navigationFor(["ADMIN"]).map((n) => n.to)).toEqual([
      "/",
      "/modules",
      "/journal",
      "/cases",
      "/case-studies",
      "/certificates",
      "/marking",
      "/ratings",
      "/competence",
      "/reliability",
      "/admin",
      "/admin/users",
      "/admin/cohorts",
      "/admin/certificates",
      "/admin/audit",
      "/account",
    ]);
  });

  it("marks Home and Administration current only on their own path", () => {
    const ends = navigationFor(["ADMIN"])
      .filter((n) => n.end)
      .map((n) => n.to);
    expect(ends).toEqual(["/", "/admin"]);
  });

  it("hides admin pages from everyone else", () => {
    expect(navigationFor(["ACCREDITOR"]).map((n) => n.to)).toEqual(["/", "/modules", "/journal", "/certificates", "/account"]);
    expect(navigationFor(["MODERATOR"]).map((n) => n.to)).toEqual([
      "/",
      "/modules",
      "/journal",
      "/certificates",
      "/ratings",
      "/competence",
      "/calibration",
      "/reliability",
      "/account",
    ]);
    expect(navigationFor(["TRAINEE"]).map((n) => n.to)).toEqual([
      "/",
      "/modules",
      "/journal",
      "/cases",
      "/pathway",
      "/case-studies",
      "/certificates",
      "/ratings",
      "/competence",
      "/account",
    ]);
    expect(navigationFor(["TRAINER"]).map((n) => n.to)).toEqual([
      "/",
      "/modules",
      "/journal",
      "/cases",
      "/case-studies",
      "/certificates",
      "/marking",
      "/ratings",
      "/competence",
      "/calibration",
      "/account",
    ]);
  });
});

describe("roles", () => {
  it("recognises and orders roles", () => {
    expect(isRole("TRAINER")).toBe(true);
    expect(isRole("ROOT")).toBe(false);
    expect(normalizeRoles(["ADMIN", "TRAINEE", "ADMIN"])).toEqual(["TRAINEE", "ADMIN"]);
    expect(hasAnyRole(["TRAINER"], ["ADMIN", "TRAINER"])).toBe(true);
    expect(hasAnyRole(["TRAINEE"], ["ADMIN"])).toBe(false);
  });
});
